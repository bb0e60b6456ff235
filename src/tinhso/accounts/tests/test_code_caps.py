"""Codes and messages are capped per account (all channels) and per address that receives
them, and the request does the same work whether or not an account has the address typed
(the penetration test of issue 6)."""

import re
import types

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tinhso.accounts import services
from tinhso.accounts.tests.helpers import register
from tinhso.notify.models import Delivery

RESET = reverse("accounts:password_reset")


def test_reset_codes_are_capped_per_account_on_all_channels(world):
    """3 requests by phone and 3 by e-mail (each within its own 15-minute limit), then more in
    other notations: the account gets ACCOUNT_CODES_PER_ACCOUNT (5) codes a day, not 6."""
    typed = ["0912345678", "+84912345678", "0912 345 678"]
    typed += [world.citizen.email, world.citizen.email.upper(), world.citizen.email.title()]
    for n, login in enumerate(typed):
        response = Client().post(RESET, {"login": login}, REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert response.status_code == 302
    assert Delivery.objects.filter(event="account.password_reset_code").count() == 5


def test_codes_to_one_address_are_capped_per_day(db, settings):
    settings.ACCOUNT_CODE_RATE_LIMIT = "100/m"  # only the daily cap counts here
    settings.ACCOUNT_CODES_PER_DESTINATION = "4/d"
    for n in range(6):
        register(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), phone="0987654321")
    assert Delivery.objects.filter(event="account.signup_code").count() == 4


def test_registrations_with_fresh_phones_do_not_bomb_the_owner_of_an_email(world):
    """Each registration names a new phone and the victim's e-mail: the victim is told at most
    ACCOUNT_CODE_RATE_LIMIT (3) times in 15 minutes, not once per registration."""
    for n in range(8):
        client = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        register(client, phone=f"09876543{n:02d}", email=world.citizen.email)
    told = Delivery.objects.filter(event="account.signup_taken", recipient__isnull=True)
    assert told.count() == 3


@pytest.fixture
def queued(monkeypatch):
    """The background tasks recorded instead of run: what the request itself does."""
    calls = []

    def recorder(name):
        return types.SimpleNamespace(enqueue=lambda **kwargs: calls.append((name, sorted(kwargs))))

    monkeypatch.setattr(
        services,
        "tasks",
        types.SimpleNamespace(
            password_reset_deliver=recorder("reset"), signup_deliver=recorder("signup")
        ),
    )
    return calls


def _work(post) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = post()
    assert response.status_code == 302
    # The statements without their values (savepoint names, the cache keys' hashes).
    return [
        re.sub(r'"s\d+_x\d+"', "", q["sql"].split(" WHERE ")[0])[:60]
        for q in queries.captured_queries
    ]


@pytest.mark.parametrize(
    ("known", "unknown"),
    [("0912345678", "0987654321"), ("citizen@example.vn", "ai-do@example.vn")],
)
def test_a_reset_request_does_the_same_work_for_a_known_and_an_unknown_address(
    world, queued, known, unknown
):
    work = [
        _work(
            lambda typed=typed, n=n: Client(REMOTE_ADDR=f"192.0.2.{n}").post(
                RESET, {"login": typed}
            )
        )
        for n, typed in enumerate((known, unknown))
    ]
    assert work[0] == work[1]
    assert queued == [("reset", ["code_id"])] * 2
    assert not Delivery.objects.exists()


def test_a_registration_does_the_same_work_for_a_taken_and_a_free_address(world, queued):
    work = [
        _work(lambda phone=phone, n=n: register(Client(REMOTE_ADDR=f"192.0.2.{n}"), phone=phone))
        for n, phone in enumerate(("0912345678", "0987654321"))  # the citizen's, a free one
    ]
    assert work[0] == work[1]
    assert queued == [("signup", ["code_id"])] * 2
