"""Inputs a schemathesis run against the OpenAPI schema found answered with 500 or with an HTML
page; each must get a clear 4xx in the JSON error envelope (or a bounded page) and write nothing."""

import json

import pytest

from tinhso.dossiers.models import Dossier, DossierCounter
from tinhso.dossiers.tests.api_helpers import api_client, submission
from tinhso.dossiers.tests.helpers import submit_online

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/agencies/", "/api/v1/fields/", "/api/v1/procedures/"])
def test_absurd_limits_and_offsets_give_a_bounded_page(world, url):
    response = api_client().get(url, {"limit": "20996937483120926720", "offset": "-43"})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 200
    response = api_client().get(url, {"offset": "88223105222396000000000"})
    assert response.status_code == 200 and response.json()["results"] == []


def test_a_nul_character_in_a_submission_is_refused_and_nothing_written(world):
    response = api_client(world.citizen).post(
        "/api/v1/dossiers/", submission(world.procedure, procedure="\x00x"), format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert not Dossier.objects.exists() and not DossierCounter.objects.exists()


def test_a_nul_character_in_a_query_string_is_a_bad_request(world, client):
    assert api_client().get("/api/v1/procedures/?q=%00ho").status_code == 400
    assert client.get("/?q=ho%00tich").status_code == 400


def test_receive_without_a_checklist_is_a_clear_error(world):
    dossier = submit_online(world)
    url = f"/api/v1/dossiers/{dossier.code}/actions/receive/"
    response = api_client(world.clerk).post(url, {"expected_version": dossier.version})
    assert response.status_code == 400
    assert "Tờ khai" in response.json()["error"]["message"]
    response = api_client(world.citizen).post(url, {"expected_version": dossier.version})
    assert response.status_code in {403, 404}
    assert Dossier.objects.get(pk=dossier.pk).status == dossier.status


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agencies/0.5/",
        "/api/v1/fields/0.5/",
        "/api/v1/dossiers/0/actions/AAA/",
        "/api/v1/khong-co/",
    ],
)
def test_an_api_address_no_view_matches_is_a_json_404(world, url):
    for client in (api_client(), api_client(world.clerk)):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"
    response = api_client(world.clerk).post(url, {"expected_version": 1}, format="json")
    assert response.status_code == 404 and response.json()["error"]["message"]


def test_the_site_keeps_its_html_404(world, client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_nul_character_in_an_api_query_string_is_a_json_bad_request(world):
    response = api_client().get("/api/v1/procedures/?q=%00ho")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "invalid"


def test_a_server_error_under_the_api_answers_in_the_envelope(rf):
    from tinhso.core.api import server_error

    response = server_error(rf.get("/api/v1/dossiers/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"] == "error"
    assert server_error(rf.get("/ho-so-cua-toi/"))["Content-Type"].startswith("text/html")


def test_deeply_nested_json_is_a_bad_request_not_a_server_error(world):
    from tinhso.dossiers.tests.api_helpers import api_client

    body = "[" * 100_000
    for client, url in (
        (api_client(), "/api/v1/auth/token/"),
        (api_client(world.clerk), "/api/v1/dossiers/"),
    ):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("application/json")


def test_a_database_outage_answers_503_in_json(world, monkeypatch):
    from django.db import OperationalError

    from tinhso.dossiers import selectors
    from tinhso.dossiers.tests.api_helpers import api_client

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "dossier_tracking_row", down)
    response = api_client().get("/api/v1/tracking/X-1/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/procedures/?agency=9223372036854775808",
        "/api/v1/procedures/?field=99999999999999999999999",
        "/api/v1/agencies/9223372036854775808/",
        "/api/v1/fields/99999999999999999999999/",
    ],
)
def test_ids_beyond_64_bits_are_a_client_error_in_json(url):
    response = api_client().get(url)
    assert 400 <= response.status_code < 500, response.status_code
    assert response["Content-Type"].startswith("application/json")


def test_too_many_files_is_refused_in_json(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4") for i in range(5)]
    response = api_client(world.citizen).post(
        "/api/v1/dossiers/", {"documents": files}, format="multipart"
    )
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/json")
