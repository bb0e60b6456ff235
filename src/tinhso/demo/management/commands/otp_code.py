"""``manage.py otp_code USERNAME``: the code a demo officer's authenticator shows now, for
signing in to the demo without an authenticator app. Only for the demo's authenticators (the
published ``DEMO_TOTP_SECRET``); anyone else's key stays unread."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.otp import totp_code
from tinhso.demo.people import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo officer or administrator."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(
            user__username=username, confirmed=True, key=DEMO_TOTP_KEY
        ).first()
        if device is None:
            raise CommandError(
                f"{username!r} has no demo authenticator (only demo officers and "
                "administrators seeded by seed_demo have one)."
            )
        self.stdout.write(totp_code(device))
