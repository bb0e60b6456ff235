"""``manage.py load_wards``: the province's wards from the vietnam-provinces package.

The province is configuration (``settings.PROVINCE_CODE``); running the command again updates
names and types in place and never duplicates a ward.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from tinhso.core.signals import text_normalize
from tinhso.org.models import Ward


def wards_load(*, province_code: int) -> tuple[int, int]:
    """Create or update the wards of ``province_code``; return (created, updated)."""
    import vietnam_provinces

    wanted = {
        int(ward.code): Ward(
            code=int(ward.code),
            name=" ".join(ward.name.split()),  # the data has a few doubled spaces
            division_type=ward.division_type.value,
            province_code=int(ward.province_code),
        )
        for ward in vietnam_provinces.Ward.iter_all()
        if int(ward.province_code) == province_code
    }
    for ward in wanted.values():
        text_normalize(ward)  # NFC and the sort and search keys: bulk writes send no signal
    existing = Ward.objects.in_bulk(list(wanted))
    new = [ward for code, ward in wanted.items() if code not in existing]
    changed = [
        ward
        for code, ward in wanted.items()
        if code in existing
        and (existing[code].name, existing[code].division_type, existing[code].province_code)
        != (ward.name, ward.division_type, ward.province_code)
    ]
    with transaction.atomic():
        Ward.objects.bulk_create(new)
        Ward.objects.bulk_update(
            changed, ["name", "division_type", "province_code", "name_sort", "search_text"]
        )
    return len(new), len(changed)


class Command(BaseCommand):
    help = "Load the wards of the configured province (settings.PROVINCE_CODE)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            type=int,
            default=None,
            help="Province code (default: settings.PROVINCE_CODE).",
        )

    def handle(self, *args, province=None, **options):
        code = province or settings.PROVINCE_CODE
        created, updated = wards_load(province_code=code)
        total = Ward.objects.filter(province_code=code).count()
        if total == 0:
            self.stderr.write(f"No wards found for province {code}.")
            return
        if options["verbosity"]:
            self.stdout.write(
                f"Province {code}: {total} wards ({created} created, {updated} updated)."
            )
