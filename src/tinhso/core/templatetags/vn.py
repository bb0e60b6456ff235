"""Numbers, money and durations in the active language (``core.numbers``):
``{{ fee.amount|vnd }}`` → "200.000 đ", ``{{ procedure.processing_days|working_days }}`` →
"0,5 ngày làm việc", ``{{ rate|number:1 }}`` → "95,5"."""

from django import template

from tinhso.core import numbers

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """8000 → "8.000 đ" (vi) / "8,000 VND" (en); "" when not a number."""
    return numbers.vnd(amount)


@register.filter
def number(value, places=None) -> str:
    """1234.5 → "1.234,5" (vi) / "1,234.5" (en), at most ``places`` decimals, no trailing
    zeros."""
    try:
        places = int(places) if places is not None else None
    except (TypeError, ValueError):
        places = None
    return numbers.number(value, places)


@register.filter
def working_days(value) -> str:
    """Decimal("0.50") → "0,5 ngày làm việc" (vi) / "0.5 working days" (en)."""
    return numbers.working_days(value)
