"""Small findings of the penetration test: the schema and its page are public whatever the
credentials, answers carrying a key are never stored, NUL characters are refused in Vietnamese."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tinhso.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_docs_ignore_a_bad_token(path):
    response = Client().get(path, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_docs_open_for_a_session_that_owes_its_code(client, world, path):
    client.force_login(world.clerk, otp_verified=False)
    assert client.get(path).status_code == 200


def test_a_token_answer_is_never_stored(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "citizen", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]
    assert "no-store" in response["Cache-Control"]
    key = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    created = client.post(
        "/api/v1/auth/tokens/",
        {"name": "Kế toán", "scopes": ["dossiers:read"], "password": PASSWORD},
        format="json",
    )
    assert created.status_code == 201 and created.json()["token"]
    assert "no-store" in created["Cache-Control"]
    assert "no-store" in client.get("/api/v1/auth/tokens/")["Cache-Control"]


def test_the_public_catalogue_stays_cacheable(world):
    response = Client().get("/api/v1/procedures/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_nul_character_is_refused_in_vietnamese(world):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="vi").post(
        "/api/v1/auth/token/", {"username": "citi\x00zen", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["username"]
    assert messages == ["Không được phép có ký tự rỗng (NUL)."]


def test_djangos_untranslated_messages_are_in_vietnamese():
    from django.utils import translation
    from django.utils.translation import gettext

    from tinhso.core.validators import DJANGO_UNTRANSLATED

    with translation.override("vi"):
        untranslated = [msgid for msgid in DJANGO_UNTRANSLATED if gettext(msgid) == msgid]
    assert untranslated == []
