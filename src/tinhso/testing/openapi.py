"""Check an API answer against the committed schema (docs/openapi.yaml), as schemathesis's
conformance checks do in CI (scripts/api-contract.sh), so that what it found stays fixed in the
ordinary test suite: the status is one the operation declares, the content type is JSON and the
body validates against the declared response schema.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.conf import settings


@cache
def committed_schema() -> dict[str, Any]:
    path = Path(settings.PROJECT_DIR) / "docs" / "openapi.yaml"
    return _json_schema(yaml.safe_load(path.read_text()))


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` in JSON Schema's terms (a null is allowed besides the rest)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if isinstance(node.get("type"), str) and "enum" not in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def operation(path: str, method: str) -> tuple[str, dict[str, Any]]:
    """The schema's operation for a concrete ``path`` (``/api/v1/dossiers/X-1/``): its
    template and its definition. Raises ``LookupError`` when no operation matches."""
    for template, operations in committed_schema()["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) and method.lower() in operations:
            return template, operations[method.lower()]
    raise LookupError(f"No operation {method.upper()} {path} in docs/openapi.yaml")


def assert_conforms(response, *, method: str | None = None) -> Any:
    """``response`` (from Django's or DRF's test client) is what docs/openapi.yaml declares for
    its operation: a declared status, JSON, a body that validates. Returns the parsed body."""
    request = response.request
    method = method or request["REQUEST_METHOD"]
    template, definition = operation(request["PATH_INFO"], method)
    declared = definition["responses"]
    status = str(response.status_code)
    assert status in declared, (
        f"{method} {template} answered {status}; the schema declares {sorted(declared)}"
    )
    content_type = response["Content-Type"].split(";")[0].strip()
    assert content_type in declared[status]["content"], (
        f"{method} {template} {status} answered {content_type}"
    )
    body = json.loads(response.content)
    schema = dict(declared[status]["content"][content_type]["schema"])
    schema["components"] = committed_schema()["components"]
    validate(body, schema)
    return body


def assert_error_envelope(response, status: int) -> dict[str, Any]:
    """An error answer in the API's envelope (``tinhso.core.api``), also where no operation
    matches (an unknown address, a wrong method). Returns ``error``."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    schema = {"$ref": "#/components/schemas/Error", **committed_schema()}
    body = json.loads(response.content)
    validate(body, schema)
    return body["error"]


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """JSON Schema validation with formats checked (``email``, ``date-time``…), as
    schemathesis does."""
    jsonschema.validate(instance, schema, format_checker=jsonschema.FormatChecker())
