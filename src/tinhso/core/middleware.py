"""Middleware of the whole site."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from python_ipware import IpWare

from tinhso.core.api import API_PREFIX, SAFE_METHODS, answers_json, error_json
from tinhso.core.error_pages import error_page
from tinhso.core.text import nfc_querydict

# Where the address of the connection's other end (a proxy, or the client itself) is kept once
# REMOTE_ADDR holds the client's.
PEER_ADDR = "TINHSO_PEER_ADDR"


@functools.lru_cache(maxsize=8)
def _ipware(proxies: tuple[str, ...]) -> IpWare:
    # A bad entry fails loudly here, on the first request, rather than trusting anything.
    return IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_list=list(proxies))


def client_address(meta: Mapping[str, Any], trusted_proxies: tuple[str, ...] = ()) -> str:
    """The client's address: the connection's peer (``REMOTE_ADDR``), unless the peer is the
    proxy nearest the site in ``trusted_proxies``; then the address those proxies put in
    ``X-Forwarded-For`` in front of themselves.

    ``trusted_proxies`` lists the proxies in front of the site, one entry per hop, the one
    nearest the site last; each is an address or a CIDR network (``"127.0.0.1"``,
    ``"10.0.0.0/29"``). The header's left part is whatever the client sent and is never read.
    python-ipware checks the chain: the peer is appended to the header as its last hop, and the
    trailing hops must match the list in order.
    """
    peer = str(meta.get("REMOTE_ADDR") or "")
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    if not trusted_proxies or not peer or not forwarded:
        return peer
    chain = {"HTTP_X_FORWARDED_FOR": f"{forwarded}, {peer}"}
    address, trusted = _ipware(trusted_proxies).get_client_ip(chain, strict=False)
    return str(address) if address is not None and trusted else peer


@functools.lru_cache(maxsize=8)
def _nearest_proxy(proxies: tuple[str, ...]) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(proxies[-1].strip(), strict=False)


def forwarded_https(meta: Mapping[str, Any], trusted_proxies: tuple[str, ...] = ()) -> bool:
    """Whether the request reached the site over https through a trusted proxy: the peer
    (``REMOTE_ADDR``, before it is replaced) is the proxy nearest the site in
    ``trusted_proxies`` and it says ``X-Forwarded-Proto: https``. From anyone else the header
    means nothing (anyone can send it)."""
    proto = str(meta.get("HTTP_X_FORWARDED_PROTO") or "").split(",")[-1].strip().lower()
    peer = str(meta.get("REMOTE_ADDR") or "")
    if proto != "https" or not trusted_proxies or not peer:
        return False
    try:
        return ipaddress.ip_address(peer) in _nearest_proxy(trusted_proxies)
    except ValueError:
        return False


class ClientAddressMiddleware:
    """Resolve the client's address once for the whole site and put it in ``REMOTE_ADDR``, where
    the sign-in limiter (django-axes), the rate limits (``core.ratelimit``, django-ratelimit) and
    DRF's throttles (``NUM_PROXIES = 0``) read it; the peer stays in ``TINHSO_PEER_ADDR``.

    ``X-Forwarded-For`` is read only from the proxies the operator lists in ``TRUSTED_PROXIES``
    (empty by default: the header is never trusted, since anyone can send it). So is
    ``X-Forwarded-Proto``: from the nearest listed proxy, ``https`` makes the request secure for
    Django (``wsgi.url_scheme``: ``request.is_secure()``, HSTS, absolute links, CSRF's strict
    Referer check); from anyone else the header is removed, so nothing later can read it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        proxies = tuple(settings.TRUSTED_PROXIES)
        meta[PEER_ADDR] = meta.get("REMOTE_ADDR", "")
        if forwarded_https(meta, proxies):
            meta["wsgi.url_scheme"] = "https"
        meta.pop("HTTP_X_FORWARDED_PROTO", None)
        meta["REMOTE_ADDR"] = client_address(meta, proxies)
        return self.get_response(request)


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
            # The API answers JSON; a page answers the site's 400 page, whoever asks (issue 7).
            if answers_json(request):
                return error_json("invalid", message, 400)
            return error_page(request, 400, message=message)
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in person (pages and API:
    they carry personal data) unless the view chose its own, so no shared cache or browser
    history keeps them. Under /api/ also on every answer to a write or to a request with
    credentials (``Authorization``): the token endpoints answer anonymous sign-ins with a key."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        api_private = request.path_info.startswith(API_PREFIX) and (
            request.method not in SAFE_METHODS or "HTTP_AUTHORIZATION" in request.META
        )
        if signed_in or api_private:
            response["Cache-Control"] = "private, no-store"
        return response


class _NFCPostMixin:
    """Parses the form body as Django does, then puts it in NFC (still lazily: a view that never
    reads ``request.POST``, a webhook reading ``request.body``, parses nothing)."""

    def _load_post_and_files(self):
        super()._load_post_and_files()  # type: ignore[misc]
        self._post = nfc_querydict(self._post)


@functools.cache
def _nfc_request_class(cls: type) -> type:
    return type(f"NFC{cls.__name__}", (_NFCPostMixin, cls), {})


class TextNormalizationMiddleware:
    """Every text a request brings in, in NFC (ADR 8): the query string (``request.GET``, which
    DRF's ``query_params`` is) at once, the form body (``request.POST``) when it is parsed. The
    API's bodies are put in NFC by its parsers (``core.parsers``), which DRF uses instead; a view
    that reads a raw JSON body (a gateway's callback) passes it through ``text.nfc_data``. What is
    stored is in NFC anyway (``core.signals``); this makes look-ups and searches agree with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = nfc_querydict(request.GET)
        if not isinstance(request, _NFCPostMixin):
            request.__class__ = _nfc_request_class(type(request))
        return self.get_response(request)
