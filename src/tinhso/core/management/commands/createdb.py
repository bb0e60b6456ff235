"""Create the PostgreSQL database named by DATABASE_URL if it does not exist yet (make demo);
with ``--drop``, drop it first, for a run that needs a fresh one (scripts/api-contract.sh)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import OperationalError, connection


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it is missing (SQLite needs nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--drop",
            action="store_true",
            help="Drop the database first (delete the SQLite file): every table and row is lost.",
        )

    def handle(self, *args, drop=False, **options):
        name = connection.settings_dict["NAME"]
        if connection.vendor == "sqlite":
            if drop and str(name) != ":memory:":
                connection.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{name}{suffix}").unlink(missing_ok=True)
            return
        if connection.vendor != "postgresql":
            return
        if drop:
            connection.close()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
        try:
            connection.ensure_connection()
            return
        except OperationalError as exc:
            if "does not exist" not in str(exc):
                raise
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        self.stdout.write(f"Created the database {name}.")
