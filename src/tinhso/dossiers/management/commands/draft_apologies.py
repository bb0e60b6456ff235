from django.core.management.base import BaseCommand

from tinhso.dossiers.services import apologies_draft_overdue


class Command(BaseCommand):
    help = "Draft an apology letter (form 04) for every overdue dossier that needs one."

    def handle(self, *args, **options):
        drafted = apologies_draft_overdue()
        self.stdout.write(f"{drafted} apology letter(s) drafted.")
