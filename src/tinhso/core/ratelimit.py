"""Rate limits on django-ratelimit, counted in the default cache that every server process shares
(``core.cache``: the database when no Redis is configured, Redis when ``REDIS_URL`` is set).

Rates are written ``"<count>/<period>"`` where the period is ``s``, ``m``, ``h`` or ``d``,
optionally with a number: ``"30/m"``, ``"5/15m"``, ``"1000/d"``. Each key counts in fixed windows
of the period (django-ratelimit staggers the windows' start per key).

    if wait := rate_limit_hit(request, group="track", rate=settings.TRACKING_RATE_LIMIT):
        return too_many_requests(request, wait)

or as a decorator on a view:

    @ratelimit(rate="30/m", key="ip", methods=("POST",))
    def view(request): ...

Keys are ``"ip"`` (the client's address as ``ClientAddressMiddleware`` resolved it; IPv6 by
/64), ``"user"``, or a function ``(group, request) -> str``. django-ratelimit hashes the cache
key, so a key made from a phone number or an e-mail address keeps no personal data in the cache.
"""

from __future__ import annotations

import functools
import ipaddress
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

Key = str | Callable[[str, HttpRequest], str]
Rate = str | Callable[[], str]


def _hit_in_one_statement(request: HttpRequest, *, group: str, rate: str, key: Key) -> int | None:
    """``rate_limit_hit`` on a cache that counts a hit in one statement (``core.cache.
    CounterCache.hit``), with django-ratelimit's own key, window and rule (over the limit when
    the count passes it); ``None`` where it does not apply (another cache, another kind of key),
    and django-ratelimit's ``add`` then ``incr`` count instead."""
    from django.conf import settings
    from django.core.cache import caches
    from django_ratelimit import ALL
    from django_ratelimit import core as ratelimit_core

    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    if not hasattr(cache, "hit") or not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    if callable(key):
        value = key(group, request)
    elif key in ratelimit_core._SIMPLE_KEYS:
        value = ratelimit_core._SIMPLE_KEYS[key](request)
    else:
        return None
    limit, period = ratelimit_core._split_rate(rate)
    window = ratelimit_core._get_window(value, period)
    cache_key = ratelimit_core._make_cache_key(group, window, rate, value, ALL)
    count = cache.hit(cache_key, period + ratelimit_core.EXPIRATION_FUDGE)
    if count <= limit:
        return 0
    return max(1, int(window - time.time()))


def rate_limit_hit(request: HttpRequest, *, group: str, rate: str, key: Key = "ip") -> int:
    """Count one hit of ``key`` in ``group``; 0 while within ``rate``, else the seconds until the
    window ends (for ``Retry-After``)."""
    wait = _hit_in_one_statement(request, group=group, rate=rate, key=key)
    if wait is not None:
        return wait
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))


def rate_limit_count(*, group: str, value: str, rate: str) -> int:
    """``rate_limit_hit`` outside a request (a background task): count one hit of ``value`` in
    ``group``; 0 while within ``rate``, else the seconds until the window ends."""
    usage = get_usage(
        None, group=group, key=lambda group, request: value, rate=rate, increment=True
    )
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))


def client_network(request: HttpRequest) -> str:
    """What a per-address limit counts: the client's IPv4 address, or for IPv6 the first
    address of its /64 (``"2001:db8:1:2::"``), since one host commonly holds a whole /64;
    ``""`` when there is no address. django-ratelimit's ``"ip"`` key groups the same way
    (``RATELIMIT_IPV6_MASK = 64``)."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def client_ip(request: HttpRequest) -> str:
    """The client's address, as ``core.middleware.ClientAddressMiddleware`` resolved it (from
    ``X-Forwarded-For`` only behind the proxies in ``TRUSTED_PROXIES``)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many_requests(request: HttpRequest | None = None, wait: int = 60) -> HttpResponse:
    response = HttpResponse(
        "Too many requests. Please wait a minute and try again.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


def ratelimit(
    *,
    rate: Rate,
    key: Key = "ip",
    group: str | None = None,
    methods: tuple[str, ...] | None = None,
    response: Callable[[HttpRequest, int], HttpResponse] = too_many_requests,
):
    """Decorate a view: over the limit it answers ``response(request, wait)`` (429) instead.

    ``rate`` may be a callable so that it is read from settings at request time.
    """

    def decorator(view):
        name = group or f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                current = rate() if callable(rate) else rate
                if wait := rate_limit_hit(request, group=name, rate=current, key=key):
                    return response(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
