"""The site's error pages: in the layout (``base.html``), in the visitor's language, each with a
way on (the start, the page before, and an officer's work queue).

- ``error_page(request, status, **context)``: renders ``<status>.html`` (400, 403, 404, 405, 500
  …) with ``back_url`` (the page the visitor came from, when it is on this site) added.
- ``ErrorPageMiddleware``: answers that views return with no body (``require_POST``'s bare 405,
  Django's other ``HttpResponseNotAllowed``) become the page, or the API's JSON envelope under
  /api/ (``core.api``).
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


def same_site_referer(request: HttpRequest) -> str | None:
    """The path (and query) of the ``Referer`` when it is a page of this site, else None.

    Only this host and scheme: an error page never links back to another site. The Referrer-Policy
    (``same-origin``, Django's default) sends it on every navigation inside the site.
    """
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return None
    try:
        host = request.get_host()
    except Exception:  # noqa: BLE001 - a refused Host (DisallowedHost) has no page to go back to
        return None
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def language_next(request: HttpRequest) -> str:
    """Where the language menu sends the visitor back to: this page when it was reached by GET;
    for a page shown in answer to a form, the page that showed the form (the ``Referer``), or
    the start. Never the address the form was posted to, which may take only a POST."""
    if request.method in GET_METHODS:
        return request.get_full_path()
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
