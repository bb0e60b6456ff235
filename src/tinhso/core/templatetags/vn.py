from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """8000 → "8.000 đ" (Vietnamese groups thousands with dots)."""
    try:
        return f"{int(amount):,} đ".replace(",", ".")
    except (TypeError, ValueError):
        return ""
