"""Security headers on every answer: CSP without inline scripts, private answers not stored."""

import re

import pytest
from django.test import override_settings

from tinhso.dossiers.tests.api_helpers import api_client

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "an inline script"


def test_the_api_docs_load_their_script_from_the_site(client):
    body = client.get("/api/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "an inline script"


def test_answers_to_a_signed_in_person_are_never_stored(client, world):
    client.force_login(world.citizen)
    for url in ("/ho-so-cua-toi/", "/", "/tra-cuu/"):
        cache = client.get(url)["Cache-Control"]
        assert "private" in cache and "no-store" in cache, url
    response = api_client(world.citizen).get("/api/v1/dossiers/")
    assert "no-store" in response["Cache-Control"]


def test_public_pages_are_not_marked_private(client):
    assert "private" not in client.get("/").get("Cache-Control", "")


@override_settings(SESSION_COOKIE_SECURE=True, SECURE_HSTS_SECONDS=31_536_000)
def test_https_deployments_get_hsts(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_admin_pages_run_under_the_policy_without_inline_scripts(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "pw-12345678")
    client.force_login(admin)
    urls = [
        "/admin/",
        "/admin/dossiers/dossier/",
        f"/admin/catalog/procedure/{world.procedure.pk}/change/",
        "/admin/notify/notificationtemplate/",
        "/admin/notify/delivery/",
        "/admin/scheduler/jobrun/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode()), url
