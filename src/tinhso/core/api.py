"""The API's platform pieces: structured errors, ``{"error": {"code", "message", "fields"}}`` in
the request's language, for every answer under /api/ (the DRF exception handler and Django's
400/403/404/500 handlers); the schema generator that declares them on every operation
(``AutoSchema``); the scoped throttle."""

import math
import sys

from django.core.exceptions import (
    ImproperlyConfigured,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular import generators, openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from tinhso.core.error_pages import error_page, server_error_page
from tinhso.core.errors import DomainError
from tinhso.core.text import code_normalize

UNAVAILABLE = _("The service is briefly unavailable. Nothing was saved; please try again.")
# For a write: the database may have failed after the write committed (its after-commit work,
# the answer), so "nothing was saved" may be false.
UNAVAILABLE_WRITE = _(
    "The service is briefly unavailable. The result of this request is unknown: check the "
    "dossier (or what you changed) before trying again."
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
RETRY_AFTER_SECONDS = "5"


def unavailable_message(method: str):
    """What a 503 says: a read saved nothing; a write's outcome is unknown (the database may
    have failed after it committed), so the caller must look before repeating it."""
    return UNAVAILABLE if (method or "GET").upper() in SAFE_METHODS else UNAVAILABLE_WRITE


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        # Conflicts, illegal transitions and other refusals of the domain (core.errors).
        return _error(exc.code, exc.message, status.HTTP_409_CONFLICT)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is restarting or unreachable: try again shortly.
        request = context.get("request") if context else None
        message = unavailable_message(getattr(request, "method", "GET"))
        response = _error("unavailable", message, status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = RETRY_AFTER_SECONDS
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
        fields = error_fields(detail)
        message = _first_message(detail)
    elif isinstance(exc, exceptions.Throttled) and getattr(exc, "detail_says_the_wait", False):
        message = str(exc.detail)  # the exception worded the wait itself
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF formats the wait into its msgid, so it is never translated: do it here, in
        # minutes once it is a minute or more ("15 phút", not "900 giây").
        wait = math.ceil(exc.wait)
        if wait < 60:
            later = ngettext(
                "Try again in {wait} second.", "Try again in {wait} seconds.", wait
            ).format(wait=wait)
        else:
            minutes = math.ceil(wait / 60)
            later = ngettext(
                "Try again in {minutes} minute.", "Try again in {minutes} minutes.", minutes
            ).format(minutes=minutes)
        message = " ".join([str(type(exc).default_detail), later])
    else:
        message = detail.get("detail", str(detail)) if isinstance(detail, dict) else str(detail)
    code = getattr(exc, "default_code", "error")
    response.data = {"error": {"code": code, "message": str(message), "fields": fields}}
    return response


def error_fields(detail) -> dict[str, list[str]]:
    """DRF's validation detail, flattened to one list of messages per field: a nested field or a
    list's item is named by its dotted path (``{"files": {"0": ["…"]}}`` becomes
    ``{"files.0": ["…"]}``), a lone message becomes a list, and messages about no field go
    under ``non_field_errors``. One shape for every error, as the schema declares it."""
    fields: dict[str, list[str]] = {}

    def walk(path: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{path}.{key}" if path else str(key), item)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                if isinstance(item, dict | list | tuple):
                    walk(f"{path}.{index}" if path else str(index), item)
                else:
                    walk(path, item)
        else:
            fields.setdefault(path or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(value))

    walk("", detail)
    return fields


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
# Addresses that machines call and that answer errors in the JSON envelope like the API: the
# gateways' delivery reports (notify), later the payment and telephony webhooks.
MACHINE_PREFIXES = (API_PREFIX, "/notify/reports/")


def answers_json(request) -> bool:
    """Whether an error for ``request`` is given in the JSON envelope (the API and the machine
    callbacks of ``MACHINE_PREFIXES``) rather than as a page of the site."""
    return request.path.startswith(MACHINE_PREFIXES)


def error_json(code: str, message, http_status: int) -> JsonResponse:
    """The error envelope for answers given outside DRF (URL resolution, middleware)."""
    return JsonResponse(
        {"error": {"code": code, "message": str(message), "fields": None}},
        status=http_status,
        json_dumps_params={"ensure_ascii": False},
    )


def method_not_allowed_message(method: str) -> str:
    """DRF's sentence for a 405, in the request's language."""
    return str(exceptions.MethodNotAllowed.default_detail).format(method=method)


def not_found(request, exception):
    """``handler404``: an address under /api/ that no view matches answers in the envelope;
    elsewhere the site's page (``core.error_pages``)."""
    if answers_json(request):
        return error_json("not_found", exceptions.NotFound.default_detail, 404)
    return error_page(request, 404)


def bad_request(request, exception):
    """``handler400``: a request Django refuses before any view (e.g. a suspicious one)."""
    if answers_json(request):
        return error_json("invalid", exceptions.ParseError.default_detail, 400)
    return error_page(request, 400)


def permission_denied(request, exception):
    """``handler403``: a refusal raised outside the API's views, still in the envelope."""
    if answers_json(request):
        return error_json("permission_denied", exceptions.PermissionDenied.default_detail, 403)
    return error_page(request, 403)


def server_error(request):
    """``handler500``: the API's clients parse JSON even when the server fails; a database
    that fails outside the API's views (in a middleware) is a 503, as inside them. Pages too:
    an unreachable database is a 503 page (``503.html``) with ``Retry-After``, not a 500."""
    # Django calls the handler while it handles the exception.
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    if answers_json(request):
        if unavailable:
            response = error_json("unavailable", unavailable_message(request.method), 503)
            response["Retry-After"] = RETRY_AFTER_SECONDS
            return response
        return error_json("error", exceptions.APIException.default_detail, 500)
    if unavailable:
        # Rendered without the request: its context processors may need the database.
        page = HttpResponse(
            loader.render_to_string("503.html", {"write": request.method not in SAFE_METHODS}),
            status=503,
        )
        page["Retry-After"] = RETRY_AFTER_SECONDS
        return page
    return server_error_page(request)


# A viewset that finds its object by a code in the URL (a dossier's, a procedure's) reads the
# code as ``core.text.code_normalize`` stores it: "000.00.01.h13–261129–0001" (lower case, an en
# dash, spaces) finds "000.00.01.H13-261129-0001", as the portal's tracking page does. (No
# docstring: the schema would show it as every such operation's description.)
class CodeLookupMixin:
    kwargs: dict

    def get_object(self):
        kwarg = self.lookup_url_kwarg or self.lookup_field  # type: ignore[attr-defined]
        if isinstance(self.kwargs.get(kwarg), str):
            self.kwargs[kwarg] = code_normalize(self.kwargs[kwarg])
        return super().get_object()  # type: ignore[misc]


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
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        allow_null=True,
        help_text="For validation errors: the messages of each field that failed. An item of a "
        "list or a nested field is named by its dotted path (`files.0`: the first file); "
        "`non_field_errors` holds the messages about no one field.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# What each error status means, for every operation that can answer it (``AutoSchema``).
ERROR_DESCRIPTIONS = {
    400: "The request is invalid (a parameter, the body, or a control character in the "
    "address): `error.fields` says what to fix.",
    401: "The token is missing, wrong or expired: send `Authorization: Token <key>`.",
    403: "The caller may not do this (or, signed in by session, the CSRF token is missing).",
    404: "Not found, or not visible to the caller.",
    406: "The `Accept` header asks for something other than JSON.",
    408: "The body arrived too slowly, or stopped arriving, and was cut off (`timeout`); "
    "nothing was saved.",
    409: "The resource changed meanwhile (`conflict`) or the action is not allowed in its "
    "current state.",
    413: "The request is too large (its body, its files or its number of fields).",
    415: "The body's `Content-Type` is not one this operation reads.",
    422: "The idempotency key was already used with another payload.",
    429: "Too many requests: retry after the `Retry-After` header's seconds.",
    500: "The server failed; nothing was saved. The error is logged for the operators.",
    503: "The service (its database) is briefly unavailable: retry after the `Retry-After` "
    "header's seconds. A read saved nothing; for a write the result is unknown (the database "
    "may have failed after it committed): read the dossier before repeating it.",
}


def error_responses(*codes: int) -> dict:
    """``extend_schema(responses=...)`` entries for errors particular to one operation (a
    conflict, a reused idempotency key); ``AutoSchema`` adds those every operation can give."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema of one operation, with every error answer the platform can give
    it, in the error envelope, so that the schema is honest about what a client receives:

    - every operation: 400 (a control character in the address, a malformed query or body),
      406 (``Accept`` other than JSON), 413 (too large, too many fields), 500 and 503 (the
      database is down; with ``Retry-After``);
    - an operation whose path has a parameter: 404;
    - an operation with a body: 415 (an unreadable ``Content-Type``), 408 (the body arrived too
      slowly: ``core.request_guard``);
    - a view that authenticates: 401 (a wrong or missing token), and 403 for writes (CSRF, when
      signed in by session);
    - a throttled view: 429 (with ``Retry-After``).

    The answers particular to one operation (409, 422, 403 of a refused action) stay in its
    ``extend_schema`` (``error_responses``)."""

    def platform_errors(self) -> set[int]:
        codes = {400, 406, 413, 500, 503}
        if "{" in self.path:
            codes.add(404)
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.update({408, 415})
        authenticators = self.view.get_authenticators()
        if authenticators:
            codes.add(401)
            writes = self.method not in permissions.SAFE_METHODS
            if writes and any(isinstance(a, SessionAuthentication) for a in authenticators):
                codes.add(403)
        if self.view.get_throttles():
            codes.add(429)
        return codes

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            # An optional filter or page parameter sent empty (`?received_to=`, as an HTML form
            # sends an empty field) is as if it were not sent (DRF's reading of query strings);
            # a repeated one (`status`) must name its values.
            schema = parameter.get("schema", {})
            if parameter["in"] == "query" and not parameter.get("required"):
                if schema.get("type") != "array":
                    parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.platform_errors():
            if str(code) not in responses:
                error = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                responses[str(code)] = self._get_response_for_code(error, str(code))
        return dict(sorted(responses.items()))

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code in {"429", "503"}:
            headers.setdefault(
                "Retry-After",
                {"schema": {"type": "integer"}, "description": "Seconds to wait."},
            )
        return headers


class SchemaGenerator(generators.SchemaGenerator):
    """The committed schema (``manage.py spectacular``, which passes no request) is written in
    English, so that a changed Vietnamese translation does not make docs/openapi.yaml drift;
    /api/schema/ and /api/docs/ speak the request's language."""

    def get_schema(self, request=None, public=False):
        if request is None:
            with translation.override("en"):
                return super().get_schema(request=request, public=public)
        return super().get_schema(request=request, public=public)
