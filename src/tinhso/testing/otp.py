"""Officers and administrators in tests: their authenticator, sessions that gave the second
factor, and the real sign-in in the browser.

The root ``conftest.py`` makes pytest-django's ``client`` and ``admin_client`` a ``Client``
whose ``force_login`` also marks the session verified, so tests of what an officer may do need
nothing more; ``force_login(user, otp_verified=False)`` gives the session that has not yet given
the code (what the second-factor tests refuse).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.otp import second_factor_required, totp_next_code
from tinhso.testing.factories import PASSWORD


def otp_device(user: Any) -> TOTPDevice:
    """``user``'s confirmed authenticator (created with a random key if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


def enrol_code(secret_text: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows for the secret typed from the enrolment page
    (base32 in groups of four), as the person enrolling would read it."""
    from base64 import b32decode

    from tinhso.accounts.otp import totp_code

    plain = "".join(secret_text.split())
    key = b32decode(plain + "=" * (-len(plain) % 8)).hex()
    return totp_code(TOTPDevice(key=key), at=at)


def otp_code(user: Any) -> str:
    """A code ``user``'s authenticator accepts now (computed from its key, as the app does)."""
    return totp_next_code(otp_device(user))


def session_verify(client: Client, user: Any) -> None:
    """Mark ``client``'s session as verified by ``user``'s authenticator."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = otp_device(user).persistent_id
    session.save()


class VerifiedClient(Client):
    """``django.test.Client`` whose ``force_login`` also gives the second factor."""

    def force_login(self, user, backend=None, *, otp_verified: bool = True):
        super().force_login(user, backend)
        if otp_verified and second_factor_required(user):
            session_verify(self, user)


def browser_sign_in(page: Any, user: Any, *, password: str = PASSWORD, next_url: str = "") -> None:
    """Sign ``user`` in through the real pages in Playwright's ``page`` (cookies cleared
    first): the password, then, for an officer or administrator, the code computed from their
    authenticator's key."""
    needs_code = second_factor_required(user)
    if needs_code:
        otp_device(user)
    page.context.clear_cookies()
    url = reverse("accounts:login") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    page.goto(url)
    page.locator("#id_login").fill(user.username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    if needs_code:
        assert reverse("accounts:otp_verify") in page.url, page.url
        page.locator("#id_code").fill(otp_code(user))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert reverse("accounts:otp_verify") not in page.url, page.url
