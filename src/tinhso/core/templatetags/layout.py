"""Tags of the site's layout (``base.html``)."""

from django import template

from tinhso.core.error_pages import language_next as _language_next

register = template.Library()


@register.simple_tag(takes_context=True)
def language_next(context) -> str:
    """Where the language menu returns to (``core.error_pages.language_next``): a page that can
    be opened again, never an address that takes only a form."""
    request = context.get("request")
    return _language_next(request) if request is not None else "/"
