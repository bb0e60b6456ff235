"""Middleware of the whole site."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from tinhso.core.api import API_PREFIX, error_json


class RejectNulMiddleware:
    """Answer 400 to a query string carrying a NUL character.

    No legitimate link contains one, and PostgreSQL cannot compare text with it: without this a
    search for "%00" would fail deep in a query with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path:
            message = _("The address contains an invalid character.")
            # Machines (the API, gateway callbacks) read JSON; browsers ask for HTML.
            wants_html = "text/html" in request.META.get("HTTP_ACCEPT", "")
            if request.path.startswith(API_PREFIX) or not wants_html:
                return error_json("invalid", message, 400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in person (pages and API:
    they carry personal data) unless the view chose its own, so no shared cache or browser
    history keeps them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
