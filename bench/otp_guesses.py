"""How many second-factor codes an attacker who knows an officer's password gets checked in a
minute, through the sign-in page and through the API's token endpoint (from a new address each
time, so that only the account's own limits count).

    .venv/bin/python bench/otp_guesses.py [--seconds 60]

Runs on a scratch SQLite database in a temporary directory; touches nothing else. Prints, for
each way in, the codes sent, how many django-otp actually compared with the authenticator (its
failure count: the rest were refused by its back-off, 1, 2, 4, 8… seconds after each wrong code,
without a comparison), and the password sign-ins it took.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "tinhso.settings"
os.environ["TINHSO_VAR_DIR"] = tempfile.mkdtemp(prefix="tinhso-otp-guesses-")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ["RATE_AUTH"] = "1000000/min"  # the per-address throttle is not what is measured

PASSWORD = "Mat-khau-2026-x"


def setup():
    import django

    django.setup()
    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tinhso.accounts.models import User
    from tinhso.org.models import Agency, Officer

    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(code="000.00.01.H30", name="Trung tâm", kind="center")
    user = User.objects.create_user("victim", password=PASSWORD)
    Officer.objects.create(user=user, agency=agency)
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def through_the_page(seconds: float) -> tuple[int, int]:
    from django.test import Client

    client = Client()
    sent = sign_ins = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        client.post("/accounts/dang-nhap/", {"login": "victim", "password": PASSWORD})
        sign_ins += 1
        while time.monotonic() < end:
            response = client.post("/accounts/xac-thuc/", {"code": f"{sent % 10**6:06d}"})
            sent += 1
            if response.status_code == 302:  # signed out after OTP_MAX_FAILURES wrong codes
                break
    return sent, sign_ins


def through_the_api(seconds: float) -> tuple[int, int]:
    from rest_framework.test import APIClient

    sent = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        address = f"10.{sent // 65536 % 256}.{sent // 256 % 256}.{sent % 256}"
        APIClient(REMOTE_ADDR=address).post(
            "/api/v1/auth/token/",
            {"username": "victim", "password": PASSWORD, "otp": f"{sent % 10**6:06d}"},
        )
        sent += 1
    return sent, sent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    device = setup()
    for name, attack in (("sign-in page", through_the_page), ("API token", through_the_api)):
        device.throttle_reset()
        sent, sign_ins = attack(args.seconds)
        # A code refused by the back-off is never compared and does not count as a failure.
        device.refresh_from_db()
        compared = device.throttling_failure_count
        print(
            f"{name}: {args.seconds:.0f} s, {sent} codes sent, {compared} compared with the "
            f"authenticator, {sign_ins} password sign-ins"
        )


if __name__ == "__main__":
    main()
