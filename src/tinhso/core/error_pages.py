"""The site's error pages: in the layout (``base.html``), in the visitor's language, each with a
way on (the start, the page before, and an officer's work queue).

- ``error_page(request, status, **context)``: renders ``<status>.html`` (400, 403, 404, 405, 500
  …) with ``back_url`` (the page the visitor came from, when it is on this site) added.
- ``ErrorPageMiddleware``: answers that views return with no body (``require_POST``'s bare 405,
  Django's other ``HttpResponseNotAllowed``) become the page, or the API's JSON envelope under
  /api/ (``core.api``).
- ``local_path(candidate, request)``: ``candidate`` (a ``Referer``, a ``next`` parameter, this
  page's own address) as a path on this site, or None: the one rule for every "back"/"next" link.
- ``language_next(request)``: where the language menu returns to. A page shown in answer to a
  form (a POST) has an address that may only take a POST: returning there after the switch
  would be a 405 (issue 7), so the switch goes back to the page that showed the form.

The handlers ``handler400/403/404/500`` (``core.api``) call ``error_page`` outside /api/.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)

GET_METHODS = frozenset({"GET", "HEAD"})


def local_path(candidate: str | None, request: HttpRequest) -> str | None:
    """``candidate`` as a path (and query) on this site, or None when it could lead elsewhere.

    Accepted: ``/path?query`` or ``http(s)://<this host>/path?query`` (reduced to the path).
    Refused: another host or scheme, a relative path, a path starting with ``//`` or ``/\\``
    (browsers read both as another host: ``//evil.com/x``), any backslash, any control character
    (C0, DEL; browsers drop tabs and newlines, so ``/\t/evil.com`` is ``//evil.com``). The result
    is checked again with Django's ``url_has_allowed_host_and_scheme`` (OWASP "Unvalidated
    redirects and forwards").
    """
    if not candidate or "\\" in candidate or _has_control(candidate):
        return None
    try:
        host = request.get_host()
    except Exception:  # noqa: BLE001 - a refused Host (DisallowedHost) has no page to go back to
        return None
    allowed = {host}
    secure = request.is_secure()
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed, require_https=secure):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        return None
    result = f"{path}?{parts.query}" if parts.query else path
    if not url_has_allowed_host_and_scheme(result, allowed_hosts=allowed, require_https=secure):
        return None
    return result


def _has_control(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def same_site_referer(request: HttpRequest) -> str | None:
    """The path (and query) of the ``Referer`` when it is a page of this site, else None.

    Only this host and scheme, and only a path that cannot be read as another host
    (``local_path``): an error page never links back to another site. The Referrer-Policy
    (``same-origin``, Django's default) sends it on every navigation inside the site.
    """
    return local_path(request.META.get("HTTP_REFERER", ""), request)


def language_next(request: HttpRequest) -> str:
    """Where the language menu sends the visitor back to: this page when it was reached by GET;
    for a page shown in answer to a form, the page that showed the form (the ``Referer``), or
    the start. Never the address the form was posted to, which may take only a POST."""
    if request.method in GET_METHODS:
        return local_path(request.get_full_path(), request) or "/"
    referer = same_site_referer(request)
    if referer is not None and urlsplit(referer).path != request.path:
        return referer
    return "/"


def error_page(
    request: HttpRequest, status: int, *, template: str | None = None, **context
) -> HttpResponse:
    """The page ``<status>.html`` (or ``template``) in the site's layout; ``back_url`` is the page
    the visitor came from when it is on this site and not the failing page itself."""
    back = same_site_referer(request)
    if back is not None and back == request.get_full_path():
        back = None
    context.setdefault("back_url", back)
    context.setdefault("request_path", request.path)
    return HttpResponse(
        loader.render_to_string(template or f"{status}.html", context, request=request),
        status=status,
    )


def server_error_page(request: HttpRequest) -> HttpResponse:
    """The 500 page in the layout; if the layout itself fails (a context processor that needs
    what just broke), the plain page ``500_plain.html`` without the request, so a server error
    is never a bare text answer."""
    try:
        return error_page(request, 500)
    except Exception:
        logger.exception("The 500 page failed in the layout; answering the plain one")
        return HttpResponse(loader.render_to_string("500_plain.html"), status=500)


class ErrorPageMiddleware:
    """A 405 (or other 4xx) that a view returns with no body becomes the site's page with its way
    on, or the API's JSON envelope under /api/; the ``Allow`` header is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False):
            return response
        if response.content:
            return response
        from tinhso.core.api import answers_json, error_json, method_not_allowed_message

        page: HttpResponse
        if answers_json(request):
            page = error_json(
                "method_not_allowed", method_not_allowed_message(request.method or "GET"), 405
            )
        else:
            page = error_page(request, 405, method=request.method)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent from an expired page (``403_csrf.html``), in the
    layout, saying that nothing was saved; under /api/ the JSON envelope."""
    from tinhso.core.api import answers_json, error_json

    if answers_json(request):
        from rest_framework import exceptions

        return error_json("permission_denied", exceptions.PermissionDenied.default_detail, 403)
    return error_page(request, 403, template="403_csrf.html")
