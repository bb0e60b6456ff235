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

A lock ends ``SIGNIN_COOLOFF_MINUTES`` after the failure that caused it: failures while locked
are refused without being counted, so a stranger cannot make a lock last longer by going on
guessing. They can lock it again once it ends (5 guesses every 15 minutes keep an account
locked): that is the price of a per-account limit. The owner always has a way in the stranger
has not: a password reset by a code sent to their phone or e-mail unlocks the account
(``lockout_reset``) and signs them in. A success does not reset the counts (it would let anyone
with one account of their own reset their address's count between guesses).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from tinhso.accounts.selectors import login_canonical, user_for_login
from tinhso.core.api import API_PREFIX, error_json

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
    resolved (``X-Forwarded-For`` only behind ``TRUSTED_PROXIES``)."""
    return request.META.get("REMOTE_ADDR") or None


class AxesHandler(AxesDatabaseHandler):
    """Axes' database handler with its own limit for each lockout parameter
    (``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]``): ``SIGNIN_FAILURES_PER_ACCOUNT``
    for the account, ``SIGNIN_FAILURES_PER_ADDRESS`` for the client address."""

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
        return ends


def lockout_seconds(request: HttpRequest, login: str) -> int:
    """Seconds until the lock on this sign-in (its account or its address) ends; at least 1."""
    AxesProxyHandler.update_request(request)  # the address and time axes reads (once a request)
    handler = AxesProxyHandler.get_implementation()
    ends = handler.lockout_ends(request, {"username": login})
    if ends is None:
        return 1
    return max(1, math.ceil((ends - timezone.now()).total_seconds()))


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
    is unlocked; its addresses' counts are kept. Returns how many records were removed."""
    return int(AxesProxyHandler.reset_attempts(username=f"user:{user.pk}"))


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
