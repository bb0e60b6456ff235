"""A small fixed-window rate limiter on the Django cache (LocMem by default, Redis in production).

Rates are written ``"<count>/<period>"`` where the period is ``s``, ``m``, ``h`` or ``d``,
optionally with a number: ``"30/m"``, ``"5/15m"``, ``"1000/d"``.

    if rate_limit_hit(f"track:{client_ip(request)}", settings.TRACKING_RATE_LIMIT):
        return too_many_requests()

or as a decorator on a view:

    @ratelimit(rate="30/m", key=ip_key, methods=("POST",))
    def view(request): ...

Keys are hashed, so a key made from a phone number or an e-mail address keeps no personal data
in the cache.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def rate_parse(rate: str) -> tuple[int, int]:
    """``"30/m"`` → ``(30, 60)``: at most 30 hits in a window of 60 seconds."""
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"Bad rate {rate!r}: write it like '30/m' or '5/15m'.")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNITS[unit]


def _cache_key(key: str, period: int, now: float) -> str:
    window = int(now // period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"rl:{digest}:{period}:{window}"


def rate_limit_hit(key: str, rate: str, *, increment: bool = True) -> bool:
    """Count one hit for ``key`` and say whether it is over ``rate``.

    With ``increment=False`` only look: whether the key is already over its limit.
    """
    limit, period = rate_parse(rate)
    cache_key = _cache_key(key, period, time.time())
    if not increment:
        return (cache.get(cache_key) or 0) >= limit
    # add() is atomic and does nothing if the key exists; incr() is atomic on Redis.
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    return count > limit


def rate_limit_reset(key: str, rate: str) -> None:
    _limit, period = rate_parse(rate)
    cache.delete(_cache_key(key, period, time.time()))


def client_ip(request: HttpRequest) -> str:
    """The client's address as the server saw it.

    Behind a reverse proxy, configure the proxy to set REMOTE_ADDR (e.g. granian's
    ``--respect-proxy-headers`` or a middleware trusting only the proxy), never trust a
    client-supplied X-Forwarded-For here.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ip_key(request: HttpRequest) -> str:
    return f"ip:{client_ip(request)}"


def too_many_requests(request: HttpRequest | None = None) -> HttpResponse:
    return HttpResponse(
        "Too many requests. Please wait a minute and try again.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )


def ratelimit(
    *,
    rate: str | Callable[[], str],
    key: Callable[[HttpRequest], str] = ip_key,
    group: str | None = None,
    methods: tuple[str, ...] | None = None,
    response: Callable[[HttpRequest], HttpResponse] = too_many_requests,
):
    """Decorate a view: over the limit it answers ``response(request)`` (429) instead.

    ``rate`` may be a callable so that it is read from settings at request time.
    """

    def decorator(view):
        name = group or f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                current = rate() if callable(rate) else rate
                if rate_limit_hit(f"{name}:{key(request)}", current):
                    return response(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
