"""The platform's half of the API contract (tinhso.core.api): one shape for validation errors,
every error answer declared on every operation that can give it, JSON under /api/ even where
Django answers before any view."""

import json

import pytest
from rest_framework.exceptions import ErrorDetail

from tinhso.core.api import bad_request, error_fields, permission_denied
from tinhso.testing.openapi import assert_error_envelope, committed_schema

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.mark.parametrize(
    ("detail", "fields"),
    [
        ({"name": ["Required."]}, {"name": ["Required."]}),
        # A message given as a string rather than a list (the long Idempotency-Key).
        ({"Idempotency-Key": "Too long."}, {"Idempotency-Key": ["Too long."]}),
        # A list field's items, keyed by position (DRF's ListField).
        (
            {"checklist": {0: ["Not an integer."], 3: ["Too small."]}},
            {"checklist.0": ["Not an integer."], "checklist.3": ["Too small."]},
        ),
        # A nested object's fields, and a list of objects with empty entries (many=True).
        ({"applicant": {"name": ["Required."]}}, {"applicant.name": ["Required."]}),
        ([{}, {"name": [ErrorDetail("Bad.")]}], {"1.name": ["Bad."]}),
        # Messages about no one field.
        (["Wrong password."], {"non_field_errors": ["Wrong password."]}),
        ("Wrong password.", {"non_field_errors": ["Wrong password."]}),
        ({"files": ["Required.", "Too many."]}, {"files": ["Required.", "Too many."]}),
    ],
)
def test_validation_errors_have_one_shape(detail, fields):
    assert error_fields(detail) == fields


def test_the_envelope_declares_the_shape_the_fields_have():
    fields = committed_schema()["components"]["schemas"]["ErrorDetail"]["properties"]["fields"]
    assert fields["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
    assert fields["type"] == ["object", "null"]


def _operations():
    for path, operations in committed_schema()["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield path, method, operation


def test_every_operation_declares_the_errors_the_platform_can_give():
    """Declared once, by ``tinhso.core.api.AutoSchema``: a new endpoint inherits them."""
    operations = list(_operations())
    assert len(operations) >= 13
    for path, method, operation in operations:
        declared = set(operation["responses"])
        expected = {"400", "406", "413", "500", "503"}
        if "{" in path:
            expected.add("404")
        if method == "post":
            expected.add("415")
        if operation.get("security") and {} not in operation["security"]:
            expected.add("401")
        assert expected <= declared, (method, path, expected - declared)
        for status in declared - {"200", "201", "204"}:  # 204: no body
            content = operation["responses"][status]["content"]
            assert content == {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
            }, (method, path, status)
        for status in {"429", "503"} & declared:
            assert "Retry-After" in operation["responses"][status]["headers"]


def test_optional_query_parameters_may_be_sent_empty():
    """``?received_to=`` is as if it were not sent (DRF reads query strings so), and the
    schema says so; a repeated parameter must name its values."""
    seen = 0
    for _path, _method, operation in _operations():
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or parameter.get("required"):
                continue
            seen += 1
            is_array = parameter["schema"].get("type") == "array"
            assert parameter.get("allowEmptyValue", False) is not is_array, parameter
    assert seen >= 10


@pytest.mark.parametrize(
    ("handler", "status", "code"),
    [(bad_request, 400, "invalid"), (permission_denied, 403, "permission_denied")],
)
def test_djangos_own_refusals_under_the_api_answer_in_the_envelope(rf, handler, status, code):
    response = handler(rf.get("/api/v1/dossiers/"), Exception("refused"))
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"] == code
    page = handler(rf.get("/ho-so-cua-toi/"), Exception("refused"))
    assert page.status_code == status and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_request_django_refuses_before_any_view_is_json_under_the_api(client):
    """A host not in ALLOWED_HOSTS is refused by middleware, through ``handler400``."""
    response = client.get("/api/v1/fields/", HTTP_HOST="evil.example")
    assert_error_envelope(response, 400)
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_a_database_failing_outside_the_views_is_a_503_under_the_api(rf):
    """E.g. a middleware saving the session while PostgreSQL restarts: ``handler500`` sees the
    exception being handled."""
    from django.db import OperationalError

    from tinhso.core.api import server_error

    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(rf.get("/api/v1/dossiers/"))
        page = server_error(rf.get("/ho-so-cua-toi/"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert json.loads(response.content)["error"]["code"] == "unavailable"
    assert page.status_code == 503 and page["Retry-After"] == "5"  # a page too, in Vietnamese
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(rf.get("/api/v1/dossiers/")).status_code == 500


def test_the_url_configuration_uses_the_api_aware_handlers():
    from tinhso import urls

    assert urls.handler400 == "tinhso.core.api.bad_request"
    assert urls.handler403 == "tinhso.core.api.permission_denied"
    assert urls.handler404 == "tinhso.core.api.not_found"
    assert urls.handler500 == "tinhso.core.api.server_error"


def test_the_committed_schema_validates_with_openapi_nullable():
    """The test helper's reading of ``nullable`` (tinhso.testing.openapi), which every
    conformance assertion relies on: a nullable field takes null, a plain one does not."""
    import jsonschema

    schema = {"$ref": "#/components/schemas/Error", **committed_schema()}
    jsonschema.validate({"error": {"code": "x", "message": "y", "fields": None}}, schema)
    jsonschema.validate({"error": {"code": "x", "message": "y", "fields": {"a.0": ["m"]}}}, schema)
    for wrong in ({"a": {"0": ["m"]}}, {"a": "m"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"error": {"code": "x", "message": "y", "fields": wrong}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"error": {"code": None, "message": "y", "fields": None}}, schema)
