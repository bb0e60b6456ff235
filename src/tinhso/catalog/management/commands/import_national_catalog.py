"""``manage.py import_national_catalog [PATH] [--dry-run]``: import the national procedure
database export (``tinhso.catalog.national``), all or nothing, and print what was created,
changed, left unchanged and skipped (with reasons)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tinhso.catalog.national import (
    NationalImportError,
    national_catalog_import,
    national_records_read,
    report_lines,
)


class Command(BaseCommand):
    help = (
        "Import procedures from the national procedure database export (.json or .json.gz). "
        "All or nothing; running it again with the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=None,
            help="the export to read (default: the NATIONAL_CATALOGUE_FILE setting)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, save nothing"
        )
        parser.add_argument(
            "--all-skipped", action="store_true", help="list every skipped record, not 20"
        )

    def handle(self, *args, path=None, dry_run=False, all_skipped=False, verbosity=1, **options):
        path = path or settings.NATIONAL_CATALOGUE_FILE
        try:
            with open(path, "rb") as file:
                records = national_records_read(file)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        except NationalImportError as exc:
            raise CommandError(f"{path}: {exc}; nothing was imported.") from exc
        with tqdm(
            total=len(records), desc="Procedures", disable=verbosity < 1, file=self.stderr
        ) as bar:
            try:
                report = national_catalog_import(records, dry_run=dry_run, progress=bar.update)
            except NationalImportError as exc:
                raise CommandError(f"{path}: {exc}; nothing was imported.") from exc
        limit = len(records) if all_skipped else 20
        for line in report_lines(report, limit=limit):
            self.stdout.write(line)
