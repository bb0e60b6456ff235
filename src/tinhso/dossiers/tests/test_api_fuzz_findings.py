"""Inputs a schemathesis run against the OpenAPI schema found answered with 500 or with an HTML
page; each must get a clear 4xx in the JSON error envelope (or a bounded page) and write nothing."""

import json

import pytest

from tinhso.dossiers.models import Dossier, DossierCounter
from tinhso.dossiers.tests.api_helpers import api_client, submission
from tinhso.dossiers.tests.helpers import submit_online
from tinhso.testing.openapi import assert_conforms, assert_error_envelope

pytestmark = pytest.mark.django_db


class _AnyMessage(str):
    def __eq__(self, other):
        return isinstance(other, str) and bool(other)

    __hash__ = str.__hash__


ANY_MESSAGE = _AnyMessage()


@pytest.mark.parametrize("url", ["/api/v1/agencies/", "/api/v1/fields/", "/api/v1/procedures/"])
def test_absurd_limits_and_offsets_give_a_bounded_page(world, url):
    response = api_client().get(url, {"limit": "20996937483120926720"})
    assert len(assert_conforms(response)["results"]) <= 200
    response = api_client().get(url, {"offset": "88223105222396000000000"})
    assert assert_conforms(response)["results"] == []


@pytest.mark.parametrize("url", ["/api/v1/agencies/", "/api/v1/fields/", "/api/v1/dossiers/"])
@pytest.mark.parametrize(
    "query", [{"offset": "-43"}, {"offset": "null"}, {"limit": "0"}, {"limit": "true"}]
)
def test_a_limit_or_offset_that_is_not_a_count_is_refused_not_ignored(world, url, query):
    """DRF's pagination silently gave the first page for ``?offset=null`` (schemathesis: a
    schema-violating request accepted); the caller now learns what was wrong."""
    response = api_client(world.citizen).get(url, query)
    assert_conforms(response)
    error = assert_error_envelope(response, 400)
    assert list(error["fields"]) == list(query)


@pytest.mark.parametrize("url", ["/api/v1/fields/", "/api/v1/dossiers/"])
def test_an_empty_limit_or_offset_is_as_if_not_given(world, url):
    response = api_client(world.citizen).get(url, {"limit": "", "offset": ""})
    assert response.status_code == 200 and assert_conforms(response)


@pytest.mark.parametrize("overdue", ["null", "maybe"])
def test_the_overdue_filter_takes_only_a_boolean(world, overdue):
    """``?overdue=null`` was read as "not given" while the schema declares a boolean."""
    response = api_client(world.citizen).get("/api/v1/dossiers/", {"overdue": overdue})
    assert_conforms(response)
    assert assert_error_envelope(response, 400)["fields"] == {"overdue": [ANY_MESSAGE]}


def test_empty_filters_are_as_if_not_given(world):
    submit_online(world)
    query = {"received_to": "", "received_from": "", "overdue": "", "ordering": ""}
    body = assert_conforms(api_client(world.citizen).get("/api/v1/dossiers/", query))
    assert body["count"] == 1


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


# --- answers the schema did not declare (schemathesis's conformance checks) ---------------------
def test_an_unfinished_dossier_conforms_with_blank_timeliness_and_decision(world):
    """``""`` for ``timeliness`` and ``decision`` broke the enums the schema declared."""
    dossier = submit_online(world)
    for user in (world.citizen, world.clerk):
        client = api_client(user)
        listed = assert_conforms(client.get("/api/v1/dossiers/"))["results"][0]
        detail = assert_conforms(client.get(f"/api/v1/dossiers/{dossier.code}/"))
        assert listed["timeliness"] == detail["timeliness"] == ""
        assert detail["decision"] == ""
        assert_conforms(client.get(f"/api/v1/dossiers/{dossier.code}/actions/"))


def test_a_list_items_errors_are_named_by_their_position(world, settings):
    """``{"document_ids": {"0": […]}}`` was an object where the envelope declares lists."""
    data = submission(world.procedure)
    data["document_ids"] = ["một", "2"]
    response = api_client(world.citizen, "en").post("/api/v1/dossiers/", data, format="multipart")
    assert_conforms(response)
    fields = assert_error_envelope(response, 400)["fields"]
    assert fields == {"document_ids.0": ["A valid integer is required."]}


def test_an_action_checklists_errors_are_named_by_their_position(world):
    dossier = submit_online(world)
    response = api_client(world.clerk, "en").post(
        f"/api/v1/dossiers/{dossier.code}/actions/receive/",
        {"expected_version": dossier.version, "checklist": [1, "x", 0]},
        format="json",
    )
    assert_conforms(response)
    fields = assert_error_envelope(response, 400)["fields"]
    assert set(fields) == {"checklist.1", "checklist.2"}


def test_an_overlong_idempotency_key_is_a_list_of_messages(world):
    """The message was a bare string where the envelope declares a list."""
    response = api_client(world.citizen).post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="x" * 101,
    )
    assert_conforms(response)
    assert assert_error_envelope(response, 400)["fields"] == {"Idempotency-Key": [ANY_MESSAGE]}
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/procedures/?q=%00ho", 400),
        ("/api/v1/dossiers/?procedure=%00", 400),
        ("/api/v1/fields/0.5/", 404),
        ("/api/v1/agencies/abc/", 404),
        ("/api/v1/procedures/khong-co/", 404),
        ("/api/v1/tracking/%0A/", 404),
        ("/api/v1/dossiers/%0A/", 404),
        ("/api/v1/dossiers/X-1/actions/", 404),
    ],
)
def test_refusals_are_declared_by_their_operation(world, url, status):
    response = api_client(world.citizen).get(url)
    assert_conforms(response)
    assert_error_envelope(response, status)


def test_an_unknown_action_is_a_declared_404(world):
    dossier = submit_online(world)
    response = api_client(world.citizen).post(
        f"/api/v1/dossiers/{dossier.code}/actions/khong_co/",
        {"expected_version": dossier.version},
        format="json",
    )
    assert_conforms(response, method="post")
    assert_error_envelope(response, 404)


@pytest.mark.parametrize("accept", ["application/xml", "text/html", "text/csv"])
def test_an_accept_header_other_than_json_is_a_declared_406_in_json(world, accept):
    """A browser's ``Accept: text/html`` got DRF's HTML browsable API under /api/."""
    for client, url in (
        (api_client(), "/api/v1/fields/"),
        (api_client(world.citizen), "/api/v1/dossiers/"),
    ):
        response = client.get(url, HTTP_ACCEPT=accept)
        assert_conforms(response)
        assert assert_error_envelope(response, 406)["message"].startswith("Không thể trả lời")
    browser = api_client().get("/api/v1/fields/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert browser.status_code == 200 and browser["Content-Type"] == "application/json"


def test_a_body_the_operation_cannot_read_is_a_declared_415(world):
    dossier = submit_online(world)
    client = api_client(world.clerk)
    for url in ("/api/v1/dossiers/", f"/api/v1/dossiers/{dossier.code}/actions/receive/"):
        response = client.post(url, "expected_version=1", content_type="text/plain")
        assert_conforms(response, method="post")
        assert_error_envelope(response, 415)
    response = api_client().post("/api/v1/auth/token/", "x", content_type="text/plain")
    assert_conforms(response)
    assert_error_envelope(response, 415)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", "/api/v1/fields/"),
        ("put", "/api/v1/procedures/X/"),
        ("patch", "/api/v1/dossiers/X-1/"),
        ("get", "/api/v1/auth/token/"),
        ("get", "/api/v1/dossiers/X-1/actions/withdraw/"),
    ],
)
def test_a_method_the_address_does_not_take_is_a_405_in_json(world, method, url):
    response = getattr(api_client(world.citizen), method)(url)
    assert_error_envelope(response, 405)
    assert response["Allow"]


def test_an_unknown_api_address_is_a_404_in_json_for_every_method(world):
    for method in ("get", "post", "put", "delete"):
        response = getattr(api_client(world.citizen), method)("/api/v1/khong-co/x/")
        assert_error_envelope(response, 404)


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/api/v1/fields/", None),
        ("get", "/api/v1/procedures/", {"q": "khai sinh"}),
        ("get", "/api/v1/tracking/X-1/", None),
        ("post", "/api/v1/auth/token/", {"username": "citizen", "password": "x"}),
    ],
)
def test_a_database_that_does_not_answer_is_a_declared_503(world, monkeypatch, method, url, data):
    """Measured with the site on a PostgreSQL cluster that was then stopped: every operation
    answered 503 in the envelope with ``Retry-After``; here the connection refuses likewise."""
    from django.db import OperationalError, connection

    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refused)
    response = getattr(api_client(), method)(url, data, format="json" if data else None)
    assert_conforms(response)
    assert assert_error_envelope(response, 503)["code"] == "unavailable"
    assert response["Retry-After"] == "5"
