"""Structured API errors: {"error": {"code", "message", "fields"}} in the request's language."""

import math

from django.core.exceptions import (
    ImproperlyConfigured,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import defaults
from drf_spectacular import generators
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from tinhso.core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        # Conflicts, illegal transitions and other refusals of the domain (core.errors).
        return _error(exc.code, exc.message, status.HTTP_409_CONFLICT)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is restarting or unreachable: nothing was written; try again shortly.
        response = _error(
            "unavailable",
            _("The service is briefly unavailable. Nothing was saved; please try again."),
            status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = "5"
        return response
    if isinstance(exc, DataError | OverflowError):
        # A value the database cannot hold (a NUL character, a number out of range): the
        # caller's input, not a server fault. The transaction around the write has rolled back.
        return _error(
            "invalid",
            _(
                "The request contains a value that cannot be stored, such as a NUL character or "
                "a number that is too large."
            ),
            status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return _error(
            "too_large", _("The request is too large."), status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = None
    if isinstance(exc, exceptions.ValidationError):
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = _first_message(detail)
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF formats the wait into its msgid, so it is never translated: do it here.
        wait = math.ceil(exc.wait)
        message = " ".join(
            [
                str(exceptions.Throttled.default_detail),
                ngettext(
                    "Expected available in {wait} second.",
                    "Expected available in {wait} seconds.",
                    wait,
                ).format(wait=wait),
            ]
        )
    else:
        message = detail.get("detail", str(detail)) if isinstance(detail, dict) else str(detail)
    code = getattr(exc, "default_code", "error")
    response.data = {"error": {"code": code, "message": str(message), "fields": fields}}
    return response


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def _error(code: str, message, http_status: int) -> Response:
    return Response(
        {"error": {"code": code, "message": str(message), "fields": None}}, status=http_status
    )


API_PREFIX = "/api/"


def error_json(code: str, message, http_status: int) -> JsonResponse:
    """The error envelope for answers given outside DRF (URL resolution, middleware)."""
    return JsonResponse(
        {"error": {"code": code, "message": str(message), "fields": None}},
        status=http_status,
        json_dumps_params={"ensure_ascii": False},
    )


def not_found(request, exception):
    """``handler404``: an address under /api/ that no view matches answers in the envelope."""
    if request.path.startswith(API_PREFIX):
        return error_json("not_found", exceptions.NotFound.default_detail, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """``handler500``: the API's clients parse JSON even when the server fails."""
    if request.path.startswith(API_PREFIX):
        return error_json("error", exceptions.APIException.default_detail, 500)
    return defaults.server_error(request)


class ScopedThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` reading its rates at request time, so settings can change them
    (DRF copies ``DEFAULT_THROTTLE_RATES`` once at import) and limiting only the methods named
    in ``throttle_methods`` of the view (all of them by default)."""

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from None

    def allow_request(self, request, view):
        methods = getattr(view, "throttle_methods", None)
        if methods is not None and request.method not in methods:
            return True
        return super().allow_request(request, view)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`.")
    message = serializers.CharField(help_text="A sentence for people, in the request's language.")
    # The envelope's name for it, though Serializer.fields means the serializer's own fields.
    fields = serializers.JSONField(  # type: ignore[assignment]
        allow_null=True,
        help_text="For validation errors: for each field that failed, a list of messages; for a "
        "list field, an object of the failing items' positions to their messages "
        '(e.g. `{"files": {"0": ["…"]}}`).',
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


def error_responses(*codes: int) -> dict:
    """``extend_schema(responses=...)`` entries describing the structured errors."""
    descriptions = {
        400: "The request is invalid: `error.fields` says what to fix.",
        401: "Sign in or send `Authorization: Token <key>`.",
        403: "The caller may not do this.",
        404: "Not found, or not visible to the caller.",
        409: "The dossier changed meanwhile (`conflict`) or the action is not allowed now.",
        422: "The idempotency key was already used with another payload.",
        429: "Too many requests: retry after the `Retry-After` header's seconds.",
    }
    return {
        code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in codes
    }


class SchemaGenerator(generators.SchemaGenerator):
    """The committed schema (``manage.py spectacular``, which passes no request) is written in
    English, so that a changed Vietnamese translation does not make docs/openapi.yaml drift;
    /api/schema/ and /api/docs/ speak the request's language."""

    def get_schema(self, request=None, public=False):
        if request is None:
            with translation.override("en"):
                return super().get_schema(request=request, public=public)
        return super().get_schema(request=request, public=public)
