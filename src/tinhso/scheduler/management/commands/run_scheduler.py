from django.core.management.base import BaseCommand

from tinhso.scheduler.registry import jobs
from tinhso.scheduler.services import Scheduler


class Command(BaseCommand):
    help = "Enqueue scheduled tasks when they are due (run beside manage.py run_worker)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Print the schedule and exit.")

    def handle(self, *args, list=False, **options):  # noqa: A002
        scheduler = Scheduler()
        if list:
            for name, due in sorted(scheduler.next_runs.items()):
                self.stdout.write(f"{jobs[name].expression:<15} {due:%Y-%m-%d %H:%M %Z}  {name}")
            return
        try:
            scheduler.run_forever()
        except KeyboardInterrupt:
            pass
