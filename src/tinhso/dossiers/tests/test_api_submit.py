"""Submitting dossiers through the API: idempotency, bad payloads, nothing half-written."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection

from tinhso.dossiers.constants import Channel, FileKind, Status
from tinhso.dossiers.models import Dossier, DossierCounter, DossierFile, IdempotencyKey
from tinhso.dossiers.tests.api_helpers import api_client, submission
from tinhso.testing.files import MINIMAL_PDF, fake_pdf_upload, png_upload
from tinhso.testing.openapi import assert_conforms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttling counts live in the cache: start and leave it empty
    yield
    cache.clear()


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_written(settings):
    assert Dossier.objects.count() == 0
    assert DossierFile.objects.count() == 0
    assert not DossierCounter.objects.exists()
    assert media_files(settings) == []


def test_citizen_submits_a_dossier_with_one_file_per_document(world, settings):
    client = api_client(world.citizen)
    response = client.post("/api/v1/dossiers/", submission(world.procedure), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get()
    assert body["code"] == dossier.code and dossier.code.endswith("-0001")
    assert response["Location"].endswith(f"/api/v1/dossiers/{dossier.code}/")
    assert dossier.applicant == world.citizen
    assert dossier.channel == Channel.ONLINE and dossier.status == Status.NEW
    assert body["status"] == Status.NEW and body["version"] == 1
    assert body["submitted_at"].endswith("+07:00")  # ISO 8601 in the province's time zone
    assert body["tracking_url"].endswith(f"/tra-cuu/?code={dossier.code}")
    assert body["procedure"] == {"code": world.procedure.code, "name": world.procedure.name}
    # The receipt is short; the full dossier is at its url.
    detail = client.get(body["url"]).json()
    assert detail["applicant"]["id_number"] == "092090001234"
    documents = world.procedure.current_version.documents
    assert sorted(f["document_id"] for f in detail["files"]) == sorted(d["id"] for d in documents)
    assert {f["kind"] for f in detail["files"]} == {FileKind.SUBMISSION}
    assert [e["action"] for e in detail["history"]] == ["submit"]
    assert len(media_files(settings)) == 2


def test_anonymous_cannot_submit(world, settings):
    response = api_client().post(
        "/api/v1/dossiers/", submission(world.procedure), format="multipart"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert_nothing_written(settings)


def test_token_authenticated_submission(world):
    token = api_client().post(
        "/api/v1/auth/token/", {"username": "0912345678", "password": "Mật-khẩu-thử-2026"}
    )
    assert token.status_code == 200
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    response = client.post("/api/v1/dossiers/", submission(world.procedure), format="multipart")
    assert response.status_code == 201
    assert Dossier.objects.get().applicant == world.citizen


# --- idempotency ---------------------------------------------------------------------------------
def test_the_same_key_and_payload_twice_makes_one_dossier(world, settings):
    client = api_client(world.citizen)
    first = client.post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    retry = client.post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert Dossier.objects.count() == 1
    assert DossierCounter.objects.get().last == 1
    assert len(media_files(settings)) == 2
    assert IdempotencyKey.objects.get().dossier.code == first.json()["code"]


def test_the_same_key_with_another_payload_is_422(world, settings):
    client = api_client(world.citizen, "en")
    first = client.post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert first.status_code == 201
    other = client.post(
        "/api/v1/dossiers/",
        submission(world.procedure, applicant_name="Lê Thị Cúc"),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "different request" in error["message"]
    # Another file content under the same key is another payload too.
    swapped = submission(world.procedure)
    swapped["documents"][0] = png_upload()
    assert (
        client.post(
            "/api/v1/dossiers/", swapped, format="multipart", HTTP_IDEMPOTENCY_KEY="k1"
        ).status_code
        == 422
    )
    assert Dossier.objects.count() == 1
    assert DossierCounter.objects.get().last == 1


def test_keys_belong_to_one_user(world):
    first = api_client(world.citizen).post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    second = api_client(world.other_citizen).post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["code"] != second.json()["code"]
    assert Dossier.objects.count() == 2


def test_a_key_inserted_by_a_concurrent_request_rolls_this_one_back(world, settings, monkeypatch):
    """The race the lock usually prevents: another request stored the key after our check.
    Our insert fails, and ours must roll back entirely (dossier, counter number, files) and
    answer with theirs."""
    client = api_client(world.citizen)
    winner = client.post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="race",
    )
    assert winner.status_code == 201
    files_before = sorted(media_files(settings))
    manager = IdempotencyKey.objects
    monkeypatch.setattr(manager, "filter", _filter_missing_once(manager.filter))
    retry = client.post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="race",
    )
    assert retry.status_code == 200, retry.content
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["code"] == winner.json()["code"]
    assert Dossier.objects.count() == 1
    assert DossierCounter.objects.get().last == 1
    assert sorted(media_files(settings)) == files_before
    assert IdempotencyKey.objects.count() == 1


def _filter_missing_once(real_filter):
    """``IdempotencyKey.objects.filter`` that misses the stored key on the check made before
    the insert, as if it had not been committed yet."""
    calls = []

    def fake(*args, **kwargs):
        calls.append(1)
        qs = real_filter(*args, **kwargs)
        return qs.none() if len(calls) <= 1 else qs

    return fake


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_one_dossier(world):
    results = []

    def post():
        try:
            client = api_client(world.citizen)
            results.append(
                client.post(
                    "/api/v1/dossiers/",
                    submission(world.procedure),
                    format="multipart",
                    HTTP_IDEMPOTENCY_KEY="same",
                ).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 200, 200, 201]
    assert Dossier.objects.count() == 1


def test_an_overlong_key_is_refused(world, settings):
    response = api_client(world.citizen).post(
        "/api/v1/dossiers/",
        submission(world.procedure),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="x" * 101,
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert_nothing_written(settings)


# --- bad payloads --------------------------------------------------------------------------------
def _bad(world, settings, data, field, *, language="en", format="multipart"):
    response = api_client(world.citizen, language).post("/api/v1/dossiers/", data, format=format)
    assert response.status_code == 400, response.content
    assert_conforms(response)
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert error["message"]
    assert_nothing_written(settings)
    return error


def test_unknown_procedure(world, settings):
    error = _bad(world, settings, submission(world.procedure, procedure="9.999"), "procedure")
    assert error["message"] == "There is no published procedure with this code."


def test_missing_documents_name_what_to_attach(world, settings):
    data = submission(world.procedure)
    data["documents"], data["document_ids"] = data["documents"][:1], data["document_ids"][:1]
    error = _bad(world, settings, data, "documents")
    assert "Giấy chứng sinh" in error["message"]


def test_no_files_at_all(world, settings):
    data = submission(world.procedure)
    del data["documents"], data["document_ids"]
    _bad(world, settings, data, "documents")


def test_a_file_for_a_document_the_procedure_does_not_ask_for(world, settings):
    data = submission(world.procedure)
    data["document_ids"][0] = 999999
    _bad(world, settings, data, "document_ids")


def test_files_and_ids_must_pair_up(world, settings):
    data = submission(world.procedure)
    data["document_ids"] = data["document_ids"][:1]
    _bad(world, settings, data, "document_ids")


def test_wrong_types(world, settings):
    data = submission(world.procedure)
    data["document_ids"] = ["first", "second"]
    _bad(world, settings, data, "document_ids.0")
    _bad(world, settings, submission(world.procedure, applicant_kind="martian"), "applicant_kind")
    _bad(world, settings, submission(world.procedure, applicant_ward="abc"), "applicant_ward")
    _bad(world, settings, submission(world.procedure, applicant_ward=10**20), "applicant_ward")
    _bad(world, settings, submission(world.procedure, applicant_ward=-1), "applicant_ward")
    _bad(
        world, settings, submission(world.procedure, applicant_email="not-mail"), "applicant_email"
    )
    _bad(world, settings, submission(world.procedure, applicant_phone="12"), "applicant_phone")
    _bad(
        world,
        settings,
        submission(world.procedure, applicant_id_number="CCCD"),
        "applicant_id_number",
    )
    _bad(world, settings, submission(world.procedure, applicant_name=""), "applicant_name")
    _bad(world, settings, submission(world.procedure, applicant_name="x" * 201), "applicant_name")
    _bad(
        world,
        settings,
        {"procedure": ["a", "b"], "applicant_name": {"x": 1}, "document_ids": "zz"},
        "applicant_name",
        format="json",
    )


def test_malformed_bodies_are_400_not_500(world, settings):
    client = api_client(world.citizen, "en")
    for body, content_type in [
        ("[1, 2]", "application/json"),
        ("{not json", "application/json"),
        ('"just a string"', "application/json"),
        ("--nope\r\nbroken", "multipart/form-data; boundary=nope"),
    ]:
        response = client.post(
            "/api/v1/dossiers/", body, content_type=content_type, HTTP_IDEMPOTENCY_KEY="m"
        )
        assert response.status_code == 400, (body, response.content)
        assert response.json()["error"]["code"] in {"invalid", "parse_error"}
    assert_nothing_written(settings)


def test_an_oversized_form_is_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = submission(world.procedure, summary="x" * 2000)
    response = api_client(world.citizen, "en").post("/api/v1/dossiers/", data, format="multipart")
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "too_large",
        "message": "The request is too large.",
        "fields": None,
    }
    assert_nothing_written(settings)


def test_an_executable_renamed_to_pdf_is_refused(world, settings):
    data = submission(world.procedure)
    data["documents"][1] = fake_pdf_upload("giay-chung-sinh.pdf")
    error = _bad(world, settings, data, "documents.1")
    assert "not a PDF, JPEG or PNG" in error["message"]
    assert "giay-chung-sinh.pdf" in error["message"]


def test_a_huge_file_is_refused(world, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    huge = MINIMAL_PDF[:-6] + b"0" * (1024 * 1024 + 10) + b"%%EOF\n"
    data = submission(world.procedure)
    data["documents"][0] = SimpleUploadedFile("big.pdf", huge, content_type="application/pdf")
    error = _bad(world, settings, data, "documents.0")
    assert "larger than 1 MB" in error["message"]


def test_a_procedure_not_offered_online(world, settings):
    from tinhso.catalog.models import Procedure

    Procedure.objects.filter(pk=world.procedure.pk).update(online_level=Procedure.OnlineLevel.NONE)
    _bad(world, settings, submission(world.procedure), "procedure")


def test_validation_errors_speak_the_requests_language(world, settings):
    data = submission(world.procedure)
    del data["applicant_name"]
    vi = _bad(world, settings, data, "applicant_name", language="vi")
    en = _bad(world, settings, data, "applicant_name", language="en")
    assert en["fields"]["applicant_name"] == ["This field is required."]
    assert vi["fields"]["applicant_name"] == ["Trường này là bắt buộc."]
    assert vi["message"] == "Trường này là bắt buộc."
    unknown = submission(world.procedure, procedure="9.999")
    vi = _bad(world, settings, unknown, "procedure", language="vi")
    en = _bad(world, settings, submission(world.procedure, procedure="9.999"), "procedure")
    assert vi["message"] == "Không có thủ tục nào đang công bố với mã này."
    assert en["message"] == "There is no published procedure with this code."
    data = submission(world.procedure)
    data["document_ids"] = ["một", "hai"]
    vi = _bad(world, settings, data, "document_ids.0", language="vi")
    # Each item of a list field by its position (one shape: field name to messages).
    assert vi["fields"] == {
        "document_ids.0": ["Cần một số nguyên hợp lệ."],
        "document_ids.1": ["Cần một số nguyên hợp lệ."],
    }


def test_nothing_is_written_when_the_service_fails_late(world, settings, monkeypatch):
    """A failure at the very end of the service's transaction, after the files were stored,
    leaves no dossier, no counter number and no file on disk."""
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr("tinhso.dossiers.services.audit_log_write", refuse)
    response = api_client(world.citizen, "en").post(
        "/api/v1/dossiers/", submission(world.procedure), format="multipart"
    )
    assert response.status_code == 400
    assert_nothing_written(settings)


def test_submission_is_throttled(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "submission": "2/min",
        },
    }
    client = api_client(world.citizen)
    codes = [
        client.post(
            "/api/v1/dossiers/", submission(world.procedure), format="multipart"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    assert Dossier.objects.count() == 2
    # Reading is not limited by the submission rate.
    assert client.get("/api/v1/dossiers/").status_code == 200


def test_the_tracking_fast_path_answers_what_the_tracking_serializer_would(world):
    from tinhso.dossiers.api.serializers import TrackingSerializer, tracking_payload
    from tinhso.dossiers.selectors import dossier_tracking_row
    from tinhso.dossiers.tests.helpers import submit_online, walk_to_processing

    dossier = walk_to_processing(world, submit_online(world))
    from django.utils import translation

    with translation.override("vi"):
        expected = TrackingSerializer(Dossier.objects.get(pk=dossier.pk)).data
        assert tracking_payload(dossier_tracking_row(dossier.code)) == expected
    response = api_client().get(f"/api/v1/tracking/{dossier.code}/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.json() == expected


def test_the_tracking_row_matches_the_orm_on_every_database(world):
    from tinhso.dossiers import selectors
    from tinhso.dossiers.tests.helpers import submit_online

    dossier = submit_online(world)
    orm = next(iter(selectors._tracking_queryset(dossier.code)))
    assert selectors.dossier_tracking_row(f" {dossier.code} ") == orm
    assert selectors.dossier_tracking_row("000.00.01.H30-000000-9999") is None
