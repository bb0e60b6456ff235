"""``manage.py seed_demo``: the demo province (agencies, the real national catalogue imported
from ``NATIONAL_CATALOGUE_FILE``, officers, citizens and a year of dossiers). Safe to run again: everything is matched by its natural key and dossiers are only
topped up to ``--dossiers``.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tinhso.demo.agencies import agencies_seed
from tinhso.demo.dossiers import dossiers_seed
from tinhso.demo.people import PASSWORD, logins_table, people_seed
from tinhso.demo.procedures import CatalogueFileMissing, catalogue_path, procedures_seed
from tinhso.dossiers.models import Dossier
from tinhso.org.models import Ward


class Command(BaseCommand):
    help = "Fill the database with the demo province (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers",
            type=int,
            default=2000,
            help="How many dossiers the database should hold (default 2000).",
        )
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="Only print the demo sign-ins and exit.",
        )

    def handle(self, *args, dossiers=2000, print_logins=False, verbosity=1, **options):
        if print_logins:
            self.stdout.write(logins_table())
            return
        started = time.monotonic()
        say = self.stdout.write if verbosity else (lambda *a, **k: None)
        call_command("load_wards", verbosity=verbosity, stdout=self.stdout)
        if not Ward.objects.exists():
            self.stderr.write("No wards were loaded; check PROVINCE_CODE.")
            return
        agencies = agencies_seed()
        say(f"Agencies: {len(agencies)}")
        try:
            path = catalogue_path()
        except CatalogueFileMissing as exc:
            raise CommandError(str(exc)) from exc
        with tqdm(desc="Catalogue", unit="", disable=not verbosity, file=self.stderr) as bar:
            catalogue, report = procedures_seed(agencies, progress=bar.update)
        say(
            f"Procedures from {path.name}: {len(report.created)} created, "
            f"{len(report.changed)} changed, {len(report.unchanged)} unchanged, "
            f"{len(report.skipped)} skipped (not the province's); {len(catalogue)} published."
        )
        people = people_seed(agencies)
        officers = len({u.pk for key, users in people.items() if key != "citizens" for u in users})
        say(f"Officers: {officers}, citizens: {len(people['citizens'])}")
        with tqdm(
            total=max(0, dossiers - Dossier.objects.count()),
            desc="Dossiers",
            unit="",
            disable=not verbosity,
            file=self.stderr,
        ) as bar:

            def progress(step, _bar=bar):
                _bar.update(step)

            stats = dossiers_seed(
                count=dossiers, catalogue=catalogue, people=people, progress=progress
            )
        if stats["created"]:
            say(
                f"Dossiers: {stats['created']} created with {stats['events']} history events; "
                f"statuses {stats['statuses']}; timeliness {stats['timeliness']}; "
                f"channels {stats['channels']}; {stats['overdue']} overdue, "
                f"{stats['due_soon']} due soon."
            )
        else:
            say(f"Dossiers: already {dossiers} or more, none created.")
        say(f"Done in {time.monotonic() - started:.1f}s. Demo password: {PASSWORD}")
        # Printed once: ``make demo`` shows them when the site is up (scripts/serve.sh).
        say("Demo sign-ins: manage.py seed_demo --print-logins")
