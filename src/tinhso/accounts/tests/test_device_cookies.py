"""A stranger cannot lock the owner out (OWASP device cookies), IPv6 clients are counted by
their /64, an account gets at most SIGNIN_DAILY_FAILURES guesses a day, and the second-factor
step refuses codes while the account is locked (the penetration test of issue 6)."""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.lockout import DEVICE_COOKIE
from tinhso.accounts.tests.helpers import sign_in
from tinhso.testing.factories import PASSWORD
from tinhso.testing.otp import otp_code, otp_device

STRANGER = "203.0.113.66"
OWNER = "198.51.100.9"


def _lock(login: str, *, address: str = STRANGER) -> None:
    for _ in range(5):
        sign_in(Client(), login, "sai-mat-khau", REMOTE_ADDR=address)
    assert sign_in(Client(), login, PASSWORD, REMOTE_ADDR=address).status_code == 429


def _owner_device(login: str) -> Client:
    """The owner's browser after one sign-in: it holds a device cookie, then signs out."""
    browser = Client(REMOTE_ADDR=OWNER)
    response = sign_in(browser, login, PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 365 * 24 * 3600
    browser.post(reverse("accounts:logout"))
    assert DEVICE_COOKIE in browser.cookies
    return browser


def test_the_owner_with_a_device_cookie_signs_in_while_a_stranger_locks_the_account(world):
    browser = _owner_device("0912345678")
    _lock("0912345678")
    assert sign_in(browser, "0912 345 678", PASSWORD).status_code == 302
    # Without the cookie (another browser, same address) the lock holds.
    assert sign_in(Client(REMOTE_ADDR=OWNER), "0912345678", PASSWORD).status_code == 429


def test_a_device_cookie_passes_the_lock_of_a_shared_address(world):
    browser = _owner_device(world.citizen.email)
    for n in range(20):  # 20 failures on other accounts behind the same carrier NAT
        sign_in(Client(REMOTE_ADDR=OWNER), f"09000000{n:02d}", "sai")
    assert (
        sign_in(Client(REMOTE_ADDR=OWNER), world.other_citizen.email, PASSWORD).status_code == 429
    )
    assert sign_in(browser, world.citizen.email, PASSWORD).status_code == 302


def test_a_forged_or_anothers_cookie_is_not_trusted(world):
    _owner_device(world.other_citizen.email)  # some device cookie for another account
    _lock("0912345678")
    forged = Client(REMOTE_ADDR=STRANGER)
    value = signing.dumps({"u": world.citizen.pk, "n": "x" * 22}, salt="wrong-salt")
    forged.cookies[DEVICE_COOKIE] = value
    assert sign_in(forged, "0912345678", PASSWORD).status_code == 429
    unsigned = Client(REMOTE_ADDR=STRANGER)
    unsigned.cookies[DEVICE_COOKIE] = f'{{"u": {world.citizen.pk}, "n": "abc"}}'
    assert sign_in(unsigned, "0912345678", PASSWORD).status_code == 429
    theirs = _owner_device(world.other_citizen.email)  # the stranger's own account's cookie
    assert sign_in(theirs, "0912345678", PASSWORD).status_code == 429


def test_failures_through_a_device_cookie_are_limited(world, settings):
    browser = _owner_device("0912345678")
    _lock("0912345678")
    for n in range(settings.SIGNIN_DEVICE_FAILURES):
        response = sign_in(browser, "0912345678", "sai")
        # Checked and wrong; the last failure spends the cookie and meets the account's lock.
        assert response.status_code == (200 if n < settings.SIGNIN_DEVICE_FAILURES - 1 else 429)
    # The cookie is trusted no more: the account's lock applies to it too.
    assert sign_in(browser, "0912345678", PASSWORD).status_code == 429


def test_failures_through_a_device_cookie_do_not_lock_the_account(world, settings):
    browser = _owner_device("0912345678")
    for _ in range(4):
        sign_in(browser, "0912345678", "sai")
    assert sign_in(Client(REMOTE_ADDR=STRANGER), "0912345678", PASSWORD).status_code == 302


def test_an_ipv6_host_is_one_address_for_its_64(world):
    """20 failures from 20 addresses of one /64 lock the /64, not another /64."""
    for n in range(20):
        address = f"2001:db8:1:2::{n + 1:x}"
        response = sign_in(Client(), f"09000000{n:02d}", "sai", REMOTE_ADDR=address)
        assert response.status_code == (200 if n < 19 else 429)
    response = sign_in(
        Client(), world.other_citizen.email, PASSWORD, REMOTE_ADDR="2001:db8:1:2:ffff::1"
    )
    assert response.status_code == 429
    response = sign_in(Client(), world.other_citizen.email, PASSWORD, REMOTE_ADDR="2001:db8:1:3::1")
    assert response.status_code == 302


def test_the_request_limits_count_an_ipv6_host_by_its_64(db, settings):
    settings.ACCOUNT_REQUEST_RATE_LIMIT = "2/10m"
    url = reverse("accounts:password_reset")
    codes = [
        Client()
        .post(url, {"login": f"0900000{n:03d}"}, REMOTE_ADDR=f"2001:db8:5:6::{n + 1:x}")
        .status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_an_account_gets_at_most_the_daily_failures(world, settings):
    """5 failures every 15 minutes: after SIGNIN_DAILY_FAILURES (20) the account stays locked
    for the rest of the day, until a reset or for a device cookie."""
    browser = _owner_device("0912345678")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for round_ in range(4):
            for n in range(5):
                sign_in(Client(), "0912345678", "sai", REMOTE_ADDR=f"203.0.{round_}.{n + 1}")
            clock.shift(dt.timedelta(minutes=16))
        # The 15-minute lock is over, the day's is not.
        response = sign_in(Client(), "0912345678", PASSWORD, REMOTE_ADDR="192.0.2.1")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 20 * 3600
        assert sign_in(browser, "0912345678", PASSWORD).status_code == 302
        clock.shift(dt.timedelta(hours=23))
        assert sign_in(Client(), "0912345678", PASSWORD, REMOTE_ADDR="192.0.2.2").status_code == 302


@pytest.fixture
def half_signed(world):
    """An officer's session that gave the password but not yet the code."""
    otp_device(world.clerk)
    client = Client(REMOTE_ADDR=OWNER)
    response = sign_in(client, "clerk", PASSWORD)
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    return client


def test_the_code_step_refuses_while_the_account_is_locked(world, half_signed):
    _lock("clerk")
    response = half_signed.post(reverse("accounts:otp_verify"), {"code": otp_code(world.clerk)})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert not half_signed.session.get("otp_device_id")


def test_wrong_codes_lock_the_account_like_wrong_passwords(world, half_signed):
    for _ in range(5):
        half_signed.post(reverse("accounts:otp_verify"), {"code": "000000"})
    assert sign_in(Client(REMOTE_ADDR=STRANGER), "clerk", PASSWORD).status_code == 429


def test_an_officer_gets_the_device_cookie_only_after_the_code(world, half_signed):
    assert DEVICE_COOKIE not in half_signed.cookies
    response = half_signed.post(reverse("accounts:otp_verify"), {"code": otp_code(world.clerk)})
    assert response.status_code == 302
    assert DEVICE_COOKIE in response.cookies
