"""The OpenAPI schema and the interactive docs."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_schema_lists_every_endpoint():
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/fields/",
        "/api/v1/agencies/",
        "/api/v1/procedures/",
        "/api/v1/procedures/{code}/",
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{code}/",
        "/api/v1/dossiers/{code}/actions/",
        "/api/v1/dossiers/{code}/actions/{action_name}/",
        "/api/v1/tracking/{code}/",
        "/api/v1/auth/token/",
    ]:
        assert path in paths, path
    submit = paths["/api/v1/dossiers/"]["post"]
    assert "multipart/form-data" in submit["requestBody"]["content"]
    assert {"200", "201", "422"} <= set(submit["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in submit["parameters"])


def test_docs_are_served_without_a_cdn():
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html


def test_schema_speaks_the_requested_language():
    vi = Client().get("/api/schema/?lang=vi", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    en = Client().get("/api/schema/?lang=en", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert "Mới đăng ký" in vi.content.decode()
    assert "Newly registered" in en.content.decode()


def test_the_committed_schema_is_up_to_date(tmp_path):
    """docs/openapi.yaml is what `make schema` writes (CI diffs it too)."""
    fresh = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(fresh), "--validate", "--fail-on-warn")
    committed = Path(settings.PROJECT_DIR) / "docs" / "openapi.yaml"
    assert fresh.read_text() == committed.read_text(), "Run `make schema` and commit it."
