from django.core.management.base import BaseCommand, CommandError

from tinhso.catalog.excel import catalog_export
from tinhso.catalog.models import Procedure


class Command(BaseCommand):
    help = "Export the procedure catalogue to an Excel workbook (see tinhso.catalog.excel)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx file to write")
        parser.add_argument(
            "--code", action="append", default=[], help="only this national code (repeatable)"
        )

    def handle(self, *args, path, code, **options):
        procedures = Procedure.objects.all()
        if code:
            procedures = procedures.filter(code__in=code)
            unknown = sorted(set(code) - set(procedures.values_list("code", flat=True)))
            if unknown:
                raise CommandError(f"Unknown procedure codes: {', '.join(unknown)}")
        workbook = catalog_export(procedures)
        try:
            workbook.save(path)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc}") from exc
        self.stdout.write(f"Wrote {procedures.count()} procedure(s) to {path}")
