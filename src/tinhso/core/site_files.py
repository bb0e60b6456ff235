"""The files browsers and crawlers ask for at the site's root: ``/favicon.ico`` (the icon of
the static files, ``tinhso/icons/favicon.ico``) and ``/robots.txt`` (the public pages may be
indexed; the back office, the API, sign-in and people's own pages may not)."""

from __future__ import annotations

import functools

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Everything under these is personal, for officers, or for machines.
ROBOTS_DISALLOW = (
    "/accounts/",
    "/admin/",
    "/api/",
    "/ho-so/",
    "/ho-so-cua-toi/",
    "/i18n/",
    "/notify/",
    "/office/",
    "/tai-khoan/",
    "/tra-cuu/",
)


@functools.cache
def _static_bytes(name: str) -> bytes | None:
    path = finders.find(name)
    if not path:
        return None
    with open(path, "rb") as handle:  # noqa: PTH123 - one small file, read once per process
        return handle.read()


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    data = _static_bytes("tinhso/icons/favicon.ico")
    if data is None:
        raise Http404
    return HttpResponse(data, content_type="image/x-icon")


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
