"""The client's address: X-Forwarded-For is read only from the proxies in TRUSTED_PROXIES."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tinhso.core.middleware import client_address


def meta(peer, forwarded=None):
    values = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        values["HTTP_X_FORWARDED_FOR"] = forwarded
    return values


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        # Nothing listed: the header is never read, whoever sends it.
        ("203.0.113.5", "198.51.100.1", (), "203.0.113.5"),
        ("127.0.0.1", "198.51.100.1", (), "127.0.0.1"),
        # nginx on this host: the address it appended, never what the client put before it.
        ("127.0.0.1", "198.51.100.1", ("127.0.0.1",), "198.51.100.1"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.1", ("127.0.0.1",), "198.51.100.1"),
        ("127.0.0.1", "garbage, 198.51.100.1", ("127.0.0.1",), "198.51.100.1"),
        # A peer that is not the listed proxy: its header is ignored.
        ("203.0.113.5", "198.51.100.1", ("127.0.0.1",), "203.0.113.5"),
        # A network of proxies, a private client behind them, IPv6.
        ("10.0.0.7", "192.168.1.20", ("10.0.0.0/29",), "192.168.1.20"),
        ("10.0.0.9", "192.168.1.20", ("10.0.0.0/29",), "10.0.0.9"),
        ("::1", "2001:db8::5", ("::1",), "2001:db8::5"),
        # Two hops (a load balancer, then nginx): the entry in front of both.
        (
            "127.0.0.1",
            "6.6.6.6, 198.51.100.1, 10.1.1.1",
            ("10.1.1.0/24", "127.0.0.1"),
            "198.51.100.1",
        ),
        ("127.0.0.1", "6.6.6.6, 198.51.100.1", ("10.1.1.0/24", "127.0.0.1"), "127.0.0.1"),
        # A listed proxy that sent no header is the client.
        ("127.0.0.1", None, ("127.0.0.1",), "127.0.0.1"),
    ],
)
def test_client_address(peer, forwarded, proxies, client):
    assert client_address(meta(peer, forwarded), proxies) == client


def test_a_bad_proxy_entry_fails_loudly():
    with pytest.raises(ValueError):
        client_address(meta("127.0.0.1", "198.51.100.1"), ("not-an-address",))


def test_the_peer_is_kept(client, db):
    response = client.get(reverse("portal:home"), HTTP_X_FORWARDED_FOR="198.51.100.1")
    request = response.wsgi_request
    assert request.META["REMOTE_ADDR"] == "127.0.0.1"
    assert request.META["TINHSO_PEER_ADDR"] == "127.0.0.1"


@override_settings(TRACKING_RATE_LIMIT="3/m")
def test_a_forged_header_does_not_escape_the_tracking_limit(client, db):
    answers = [
        client.get(
            reverse("portal:track"), {"code": "X"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]


@override_settings(TRACKING_RATE_LIMIT="3/m", TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_listed_proxy_each_client_has_its_own_limit(client, db):
    answers = [
        client.get(
            reverse("portal:track"), {"code": "X"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 200, 200]


def test_drf_throttles_never_read_the_header(client, db, settings):
    """DRF alone would count by the whole X-Forwarded-For (NUM_PROXIES unset)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth": "2/min",
        },
    }
    answers = [
        client.post(
            "/api/v1/auth/token/",
            {"username": f"ai{n}", "password": "x"},
            "application/json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(3)
    ]
    assert answers == [400, 400, 429]


# --- X-Forwarded-Proto: trusted like X-Forwarded-For, only from the listed proxy ---------------
HSTS = {"SECURE_HSTS_SECONDS": 3600}


@override_settings(TRUSTED_PROXIES=["127.0.0.1"], **HSTS)
def test_https_from_the_listed_proxy_is_https_for_django(client, db):
    response = client.get(reverse("portal:home"), HTTP_X_FORWARDED_PROTO="https")
    request = response.wsgi_request
    assert request.is_secure()
    assert request.build_absolute_uri("/api/v1/").startswith("https://")
    assert response["Strict-Transport-Security"].startswith("max-age=3600")
    assert "HTTP_X_FORWARDED_PROTO" not in request.META


@pytest.mark.parametrize(
    ("proxies", "peer"),
    [
        ((), "127.0.0.1"),  # nothing listed
        (("10.0.0.1",), "127.0.0.1"),  # the peer is not the listed proxy
        (("127.0.0.1", "10.0.0.1"), "127.0.0.1"),  # the peer is listed, but not as the nearest
    ],
)
def test_https_from_anyone_else_is_ignored(client, db, proxies, peer):
    with override_settings(TRUSTED_PROXIES=list(proxies), **HSTS):
        response = client.get(
            reverse("portal:home"), HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=peer
        )
    request = response.wsgi_request
    assert not request.is_secure()
    assert request.build_absolute_uri("/").startswith("http://")
    assert "Strict-Transport-Security" not in response
    assert "HTTP_X_FORWARDED_PROTO" not in request.META


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_api_links_are_https_behind_the_proxy(client, world):
    response = client.get(
        "/api/v1/procedures/?limit=1", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver"
    )
    assert response.status_code == 200
    assert response.json()["next"].startswith("https://testserver/api/v1/procedures/")
    plain = client.get("/api/v1/procedures/?limit=1", HTTP_HOST="testserver")
    assert plain.json()["next"].startswith("http://testserver/")


@override_settings(TRUSTED_PROXIES=["127.0.0.1"], ALLOWED_HOSTS=["testserver"])
def test_csrf_checks_the_referer_over_https_behind_the_proxy(db):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    page = csrf_client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
    token = page.cookies["csrftoken"].value
    response = csrf_client.post(
        reverse("accounts:login"),
        {"csrfmiddlewaretoken": token, "username": "x", "password": "y"},
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_REFERER="https://evil.example/",
    )
    assert response.status_code == 403


def test_connections_are_checked_before_reuse():
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
