"""Officers' and administrators' sessions end after OFFICER_IDLE_TIMEOUT_MINUTES without a
request; citizens keep the normal session."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages

from tinhso.testing.otp import otp_code, otp_device

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
SIGNED_OUT = "Bạn đã được đăng xuất sau 30 phút không thao tác."


@pytest.fixture(autouse=True)
def _timeout(settings):
    settings.OFFICER_IDLE_TIMEOUT_MINUTES = 30


def test_an_idle_officer_is_signed_out_and_comes_back_where_they_were(client, world):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(world.clerk)
        assert client.get("/office/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/office/?tab=mine").status_code == 200  # activity resets the clock
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/office/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/office/?tab=overdue")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/dang-nhap/?next=%2Foffice%2F%3Ftab%3Doverdue"
        assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith(SIGNED_OUT)
        page = client.get(response["Location"])
        assert SIGNED_OUT in page.content.decode()
        assert client.get("/office/").status_code == 302  # the session is gone
        # Signing in again (password, then the code) leads back to the page.
        otp_device(world.clerk)
        response = client.post(
            "/accounts/dang-nhap/",
            {"login": "clerk", "password": "Mật-khẩu-thử-2026", "next": "/office/?tab=overdue"},
        )
        response = client.post(
            response["Location"], {"code": otp_code(world.clerk), "next": "/office/?tab=overdue"}
        )
        assert response["Location"] == "/office/?tab=overdue"
        assert client.get("/office/?tab=overdue").status_code == 200


def test_a_form_sent_after_the_timeout_returns_to_the_page_it_was_on(client, world):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(world.clerk)
        client.get("/office/")
        clock.shift(dt.timedelta(hours=2))
        response = client.post(
            "/office/dossiers/1/act/receive/",
            {},
            HTTP_REFERER="http://testserver/office/dossiers/1/",
        )
        assert response["Location"] == "/accounts/dang-nhap/?next=%2Foffice%2Fdossiers%2F1%2F"
        clock.shift(dt.timedelta(hours=2))
        client.force_login(world.clerk)
        client.get("/office/")
        clock.shift(dt.timedelta(hours=2))
        outside = client.post("/office/desk/new/", {}, HTTP_REFERER="https://evil.example/x")
        assert outside["Location"] == "/accounts/dang-nhap/"


def test_an_idle_api_session_answers_401_in_the_envelope(client, world):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(world.clerk)
        assert client.get("/api/v1/dossiers/").status_code == 200
        clock.shift(dt.timedelta(minutes=45))
        response = client.get("/api/v1/dossiers/")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_a_citizen_keeps_the_normal_session(client, world):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(world.citizen)
        assert client.get("/ho-so-cua-toi/").status_code == 200
        clock.shift(dt.timedelta(hours=5))
        assert client.get("/ho-so-cua-toi/").status_code == 200


def test_zero_turns_the_timeout_off(client, world, settings):
    settings.OFFICER_IDLE_TIMEOUT_MINUTES = 0
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(world.clerk)
        client.get("/office/")
        clock.shift(dt.timedelta(hours=5))
        assert client.get("/office/").status_code == 200
