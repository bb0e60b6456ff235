from django.core.management.base import BaseCommand, CommandError

from tinhso.catalog.excel import CatalogImportError, catalog_import


class Command(BaseCommand):
    help = (
        "Create or update procedures from an Excel workbook (see tinhso.catalog.excel). "
        "All or nothing: if any row is wrong, every problem is listed and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx file to read")

    def handle(self, *args, path, **options):
        try:
            with open(path, "rb") as file:
                result = catalog_import(file=file)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        except CatalogImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(exc.errors)} problem(s) in {path}; nothing was imported."
            ) from exc
        self.stdout.write(str(result))
        for version in result.versions:
            self.stdout.write(f"  {version}")
