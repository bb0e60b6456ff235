"""One brute-force limiter for every way in: django-axes, at ``authenticate()``.

``axes.backends.AxesStandaloneBackend`` comes first in ``AUTHENTICATION_BACKENDS`` and refuses a
locked account or address before any password is checked; axes records every failed
``authenticate()`` (Django's ``user_login_failed`` signal) in its database table, which every
server process shares. So the portal's sign-in page, the Django admin (whose sign-in is that
page), the API's token endpoint and any later way in that calls ``authenticate(request, ...)``
(an SSO callback checking a password, a new API) are limited together, with nothing to add.

Limits, per cool-off window (``SIGNIN_COOLOFF_MINUTES``, 15 by default):

- per account, ``SIGNIN_FAILURES_PER_ACCOUNT`` (5) failed sign-ins from any address: the
  account is named by ``account_key``, so ``0900 000 001``, ``+84900000001`` and the account's
  e-mail in capitals all count for the same account;
- per client address, ``SIGNIN_FAILURES_PER_ADDRESS`` (20) failed sign-ins on any accounts.

- per account, ``SIGNIN_DAILY_FAILURES`` (20) failed sign-ins in 24 hours from the first: beyond
  it the account stays locked for the rest of those 24 hours (``daily_*``), so one account gets
  at most 20 guesses a day, not 5 every 15 minutes (480).

Client addresses are grouped as the per-address limits see them (``core.ratelimit.client_network``):
an IPv6 client by its /64, which one host commonly has whole.

A lock ends ``SIGNIN_COOLOFF_MINUTES`` after the failure that caused it: failures while locked
are refused without being counted, so a stranger cannot make a lock last longer by going on
guessing. A success does not reset the counts (it would let anyone with one account of their
own reset their address's count between guesses).

**Device cookies** (OWASP, "Slow Down Online Guessing Attacks with Device Cookies") keep the
owner in while a stranger holds the account or the address locked: a successful sign-in
(``services.sign_in_complete``, after the second factor for officers) leaves a signed,
HttpOnly cookie naming the account and a random nonce (``device_cookie_remember``). A sign-in
to that account presenting it is not subject to the account's or the address's lock
(``device_trusted``, axes' ``AXES_WHITELIST_CALLABLE``), but each such cookie may fail
``SIGNIN_DEVICE_FAILURES`` (10) times in 24 hours, after which it is trusted no more. Without
a device cookie (a new phone, the API's token endpoint) the owner still has the password reset
by a code sent to their phone or e-mail, which unlocks the account (``lockout_reset``).
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from tinhso.accounts.selectors import login_canonical, user_for_login
from tinhso.core.api import API_PREFIX, error_json
from tinhso.core.ratelimit import client_network

_KEYS = "_tinhso_account_keys"


def account_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: what axes counts per account. ``user:<id>`` for an existing
    account, however it was named (user name, phone in any notation, e-mail in any case); for
    a login no account has, a keyed hash of its canonical form, so the table keeps no phone
    number or e-mail address someone typed."""
    login = (credentials or {}).get("username")
    if login is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        login = data.get("login") or data.get("username")
    if not login or not isinstance(login, str):
        return None
    memo = request.__dict__.setdefault(_KEYS, {}) if request is not None else {}
    if login not in memo:
        user = user_for_login(login)
        if user is not None:
            memo[login] = f"user:{user.pk}"
        else:
            digest = salted_hmac(
                "tinhso.accounts.lockout", login_canonical(login), algorithm="sha256"
            ).hexdigest()
            memo[login] = f"login:{digest[:32]}"
    return memo[login]


def client_ip_or_none(request: HttpRequest) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the address ``core.middleware.ClientAddressMiddleware``
    resolved (``X-Forwarded-For`` only behind ``TRUSTED_PROXIES``), an IPv6 one as its /64
    (``"2001:db8:1:2::"``): the per-address limit counts a host, not each of its addresses."""
    return client_network(request) or None


# --- device cookies ----------------------------------------------------------------------------
DEVICE_COOKIE = "tinhso_device"
_DEVICE_SALT = "tinhso.accounts.device"
_DAY = 24 * 60 * 60


def device_cookie_remember(request: HttpRequest, user: Any) -> None:
    """Mark ``request`` so that its response sets a new device cookie for ``user``
    (``accounts.middleware.DeviceCookieMiddleware``): ``{"u": <user id>, "n": <random nonce>}``
    signed with ``SECRET_KEY``. Called once a sign-in is complete (the second factor too)."""
    value = signing.dumps({"u": user.pk, "n": secrets.token_urlsafe(16)}, salt=_DEVICE_SALT)
    request._tinhso_device_cookie = value  # type: ignore[attr-defined]


def device_cookie_set(request: HttpRequest, response: HttpResponse) -> None:
    """Set the device cookie ``device_cookie_remember`` asked for, if any: HttpOnly, Secure
    on HTTPS, ``SameSite=Lax``, for ``SIGNIN_DEVICE_COOKIE_DAYS``."""
    value = getattr(request, "_tinhso_device_cookie", None)
    if value:
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=settings.SIGNIN_DEVICE_COOKIE_DAYS * _DAY,
            secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _device(request: HttpRequest | None) -> dict[str, Any] | None:
    """The valid device cookie of ``request`` (``{"u": …, "n": …}``), else ``None``."""
    value = getattr(request, "COOKIES", {}).get(DEVICE_COOKIE) if request is not None else None
    if not value:
        return None
    try:
        device = signing.loads(
            value, salt=_DEVICE_SALT, max_age=settings.SIGNIN_DEVICE_COOKIE_DAYS * _DAY
        )
    except signing.BadSignature:
        return None
    if not isinstance(device, dict) or not isinstance(device.get("n"), str):
        return None
    return device


def _device_failures_key(nonce: str) -> str:
    return f"tinhso:signin-device-failures:{nonce}"


def _device_for(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The nonce of ``request``'s device cookie when it names the account being signed in to
    and has failed fewer than ``SIGNIN_DEVICE_FAILURES`` times; else ``None``."""
    device = _device(request)
    if device is None or account_key(request, credentials) != f"user:{device.get('u')}":
        return None
    failures = cache.get(_device_failures_key(device["n"]), 0)
    return device["n"] if failures < settings.SIGNIN_DEVICE_FAILURES else None


def device_trusted(request: HttpRequest | None, credentials: dict[str, Any] | None) -> bool:
    """``AXES_WHITELIST_CALLABLE``: a sign-in to the account a valid, still-trusted device
    cookie names is not subject to the account's or the address's lock (its failures count
    against the cookie instead, ``AxesHandler.user_login_failed``)."""
    return _device_for(request, credentials) is not None


def _count(key: str) -> int:
    """Add one to the counter ``key`` (24 hours from its first count); returns the count."""
    cache.add(key, 0, _DAY)
    cache.add(f"{key}:start", timezone.now().timestamp(), _DAY)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _DAY)
        return 1


# --- the daily limit per account ---------------------------------------------------------------
def _daily_key(account: str) -> str:
    return f"tinhso:signin-daily:{account}"


def daily_ends(
    request: HttpRequest | None, credentials: dict[str, Any] | None
) -> dt.datetime | None:
    """When the account's daily lock ends (``SIGNIN_DAILY_FAILURES`` failures in the 24 hours
    from its first); ``None`` when it is not locked for the day."""
    account = account_key(request, credentials)
    if account is None:
        return None
    key = _daily_key(account)
    if cache.get(key, 0) < settings.SIGNIN_DAILY_FAILURES:
        return None
    start = cache.get(f"{key}:start") or timezone.now().timestamp()
    return dt.datetime.fromtimestamp(start, tz=dt.UTC) + dt.timedelta(days=1)


class AxesHandler(AxesDatabaseHandler):
    """Axes' database handler with its own limit for each lockout parameter
    (``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]``): ``SIGNIN_FAILURES_PER_ACCOUNT``
    for the account, ``SIGNIN_FAILURES_PER_ADDRESS`` for the client address."""

    def is_locked(self, request, credentials=None) -> bool:
        """Locked for the cool-off (axes' counts) or for the rest of the day (``daily_ends``)."""
        return bool(super().is_locked(request, credentials)) or (
            daily_ends(request, credentials) is not None
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        """Count a failure: against the device cookie when it is trusted for this account
        (and nothing else), else as axes does plus the account's daily count. A failure
        refused because of a lock is not counted anywhere."""
        if request is not None:
            AxesProxyHandler.update_request(request)
            nonce = _device_for(request, credentials)
            if nonce is not None:
                _count(_device_failures_key(nonce))
            elif not request.axes_locked_out:
                account = account_key(request, credentials)
                if account is not None:
                    _count(_daily_key(account))
        return super().user_login_failed(sender, credentials, request, **kwargs)

    @staticmethod
    def _limits() -> list[int]:
        return [settings.SIGNIN_FAILURES_PER_ACCOUNT, settings.SIGNIN_FAILURES_PER_ADDRESS]

    def get_failures(self, request, credentials=None) -> int:
        """The failures of the parameter nearest its limit, scaled to the account's limit
        (``AXES_FAILURE_LIMIT``), which axes compares them with: 20 failures of an address
        count as 5 when the limits are 5 and 20."""
        account_limit = settings.SIGNIN_FAILURES_PER_ACCOUNT
        worst = 0
        for attempts, limit in zip(
            self.get_user_attempts(request, credentials), self._limits(), strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, failures * account_limit // limit)
        return worst

    def lockout_ends(self, request, credentials=None) -> dt.datetime | None:
        """When the lock on this account or address ends; ``None`` when there is none."""
        cool_off = get_cool_off(request)
        if cool_off is None:
            return None
        ends = None
        for attempts, limit in zip(
            self.get_user_attempts(request, credentials), self._limits(), strict=True
        ):
            counted = 0
            rows = attempts.order_by("-attempt_time").values_list(
                "failures_since_start", "attempt_time"
            )
            for failures, attempt_time in rows:
                counted += failures
                if counted >= limit:  # locked until this row leaves the window
                    end = attempt_time + cool_off
                    ends = end if ends is None else max(ends, end)
                    break
        daily = daily_ends(request, credentials)
        if daily is not None:
            ends = daily if ends is None else max(ends, daily)
        return ends


def lockout_seconds(request: HttpRequest, login: str) -> int:
    """Seconds until the lock on this sign-in (its account or its address) ends; at least 1."""
    AxesProxyHandler.update_request(request)  # the address and time axes reads (once a request)
    handler = AxesProxyHandler.get_implementation()
    ends = handler.lockout_ends(request, {"username": login})
    if ends is None:
        return 1
    return max(1, math.ceil((ends - timezone.now()).total_seconds()))


def failures_left(request: HttpRequest, login: str) -> int | None:
    """How many more wrong passwords lock this sign-in (its account or its address, the nearer
    of the two), to warn before the lock; ``None`` when a trusted device cookie takes the
    failures instead (``device_trusted``)."""
    credentials = {"username": login}
    if device_trusted(request, credentials):
        return None
    AxesProxyHandler.update_request(request)
    failures = AxesProxyHandler.get_implementation().get_failures(request, credentials)
    return max(0, settings.SIGNIN_FAILURES_PER_ACCOUNT - failures)


def failures_left_message(left: int | None) -> str:
    """The warning after a wrong password when two tries or fewer remain; else ``""``."""
    if left is None or not 0 < left <= 2:
        return ""
    return ngettext(
        "After %(left)d more wrong try, signing in is paused for %(minutes)d minutes.",
        "After %(left)d more wrong tries, signing in is paused for %(minutes)d minutes.",
        left,
    ) % {"left": left, "minutes": settings.SIGNIN_COOLOFF_MINUTES}


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-ins for this account or from your connection. Try again in "
        "%(minutes)d minute, or set a new password with “Forgot your password?”.",
        "Too many failed sign-ins for this account or from your connection. Try again in "
        "%(minutes)d minutes, or set a new password with “Forgot your password?”.",
        minutes,
    ) % {"minutes": minutes}


def lockout_reset(user: Any) -> int:
    """Forget the failed sign-ins of ``user``'s account (after a password reset): the account
    is unlocked, for the day too; its addresses' counts are kept. Returns how many records
    were removed."""
    key = _daily_key(f"user:{user.pk}")
    cache.delete_many([key, f"{key}:start"])
    return int(AxesProxyHandler.reset_attempts(username=f"user:{user.pk}"))


def signin_locked_seconds(request: HttpRequest, user: Any) -> int:
    """Seconds until sign-ins to ``user``'s account are allowed again for this request (its
    device cookie, its address), 0 when they are now: what the second-factor step checks
    before it takes a code."""
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_allowed(request, credentials):
        return 0
    return lockout_seconds(request, user.get_username())


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``, for a way in that does not answer a lock itself: the JSON
    envelope under /api/, else the sign-in page; 429 with ``Retry-After`` either way. A view
    that already answered 429 (the sign-in page, the token endpoint) keeps its answer."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    login = str((credentials or {}).get("username") or "")
    seconds = lockout_seconds(request, login)
    message = lockout_message(seconds)
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = error_json("throttled", message, 429)
    else:
        from tinhso.accounts.forms import LoginForm

        form = LoginForm(request)
        response = render(
            request, "accounts/login.html", {"form": form, "locked": message}, status=429
        )
    response["Retry-After"] = str(seconds)
    return response
