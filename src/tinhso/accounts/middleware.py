"""Middleware for officers' and administrators' sessions: the second factor and the idle
timeout (``tinhso.accounts.otp`` says who they are).

Both come after django-otp's ``OTPMiddleware`` (which tells whether the session is verified)
and Django's ``MessageMiddleware``.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import ngettext

from tinhso.accounts.lockout import device_cookie_set
from tinhso.accounts.otp import (
    idle_timeout_seconds,
    second_factor_required,
    second_factor_url,
    session_allowed,
)
from tinhso.core.api import API_PREFIX, error_json
from tinhso.core.error_pages import local_path, same_site_referer

# What a session that still owes the second factor may open: signing in and out, the code
# steps, the language switch. The API refuses such a session itself (SessionAuthentication).
OPEN_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp_verify",
    "accounts:otp_enrol",
    "set_language",
}
OPEN_PREFIXES = (API_PREFIX, "/static/")
SEEN_SESSION_KEY = "officer_seen_at"
# The idle clock is written to the session at most this often (not on every request).
SEEN_RESOLUTION = 60


def _url_name(request) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    return match.view_name


class SecondFactorMiddleware:
    """Send a signed-in officer or administrator whose session has not given the second factor
    to the verification (or enrolment) step, from every page but the sign-in pages, the Django
    admin included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not session_allowed(user)
            and not request.path_info.startswith(OPEN_PREFIXES)
            and _url_name(request) not in OPEN_URL_NAMES
        ):
            next_url = request.get_full_path() if request.method == "GET" else ""
            return redirect(second_factor_url(user, next_url))
        return self.get_response(request)


def _came_from(request) -> str:
    """Where to return after signing in again: this page for a GET, else the page the form
    was on (when it is on this site); never a path that could lead elsewhere
    (``core.error_pages.local_path``)."""
    if request.method == "GET":
        return local_path(request.get_full_path(), request) or ""
    return same_site_referer(request) or ""


class OfficerIdleTimeoutMiddleware:
    """Sign out an officer or administrator after ``OFFICER_IDLE_TIMEOUT_MINUTES`` without a
    request, and send them to the sign-in page with a message, then back where they were.
    Citizens keep the normal session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        limit = idle_timeout_seconds()
        if limit and user is not None and user.is_authenticated and second_factor_required(user):
            now = int(time.time())
            seen = request.session.get(SEEN_SESSION_KEY)
            if seen is not None and now - int(seen) > limit:
                return self._signed_out(request, limit)
            if seen is None or now - int(seen) >= SEEN_RESOLUTION:
                request.session[SEEN_SESSION_KEY] = now
        return self.get_response(request)

    def _signed_out(self, request, limit: int):
        minutes = limit // 60
        message = ngettext(
            "You were signed out after %(minutes)d minute without activity. Sign in again to "
            "continue where you were.",
            "You were signed out after %(minutes)d minutes without activity. Sign in again to "
            "continue where you were.",
            minutes,
        ) % {"minutes": minutes}
        came_from = _came_from(request)
        logout(request)
        if request.path_info.startswith(API_PREFIX):
            return error_json("not_authenticated", message, 401)
        messages.info(request, message)
        login_url = reverse(settings.LOGIN_URL)
        return redirect(f"{login_url}?{urlencode({'next': came_from})}" if came_from else login_url)


class DeviceCookieMiddleware:
    """Sets the device cookie a completed sign-in asked for (``accounts.lockout``): every way
    in through a page ends in ``services.sign_in_complete`` or the second-factor step, which
    returns a URL, not a response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        device_cookie_set(request, response)
        return response
