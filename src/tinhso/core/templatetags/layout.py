"""Tags of the site's layout (``base.html``)."""

import functools

from django import template
from django.urls import get_script_prefix, reverse

from tinhso.core.error_pages import language_next as _language_next

register = template.Library()


@register.simple_tag(takes_context=True)
def language_next(context) -> str:
    """Where the language menu returns to (``core.error_pages.language_next``): a page that can
    be opened again, never an address that takes only a form."""
    request = context.get("request")
    return _language_next(request) if request is not None else "/"


@functools.lru_cache(maxsize=512)
def _reverse(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def link(name: str) -> str:
    """``{% link "portal:home" %}``: ``{% url %}`` for a route without arguments, resolved once
    per process (and script prefix). The layout names ten of them on every page; resolving
    each again was a tenth of the tracking page's time (bench/RESULTS.md, issue 7)."""
    return _reverse(name, get_script_prefix())
