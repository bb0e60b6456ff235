"""Numbers, money and durations the way people read them, in the active language.

Vietnamese groups thousands with "." and writes decimals with "," (200.000 đ, 0,5 ngày làm việc);
English with "," and "." (200,000 VND, 0.5 working days). The separators come from Django's
locale formats for the active language (``DECIMAL_SEPARATOR``, ``THOUSAND_SEPARATOR``), so pages,
PDF slips (rendered in Vietnamese) and messages (rendered in the recipient's language) agree.
Trailing zeros are never shown: a stored ``Decimal("0.50")`` is "0,5", ``Decimal("10.0")`` is "10".
Spreadsheets keep numbers as numbers with ``EXCEL_*`` number formats instead.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext, ngettext

# Excel number formats (Excel shows them with the reader's own separators). Durations need
# none: Excel's General format already shows 0.5 and 10 without trailing zeros.
EXCEL_INTEGER = "#,##0"
EXCEL_ONE_DECIMAL = "#,##0.0"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number(value: object, places: int | None = None) -> str:
    """``1234567.5`` → "1.234.567,5" (vi) / "1,234,567.5" (en).

    ``places`` rounds (half up) to at most that many decimals; trailing zeros are dropped either
    way. Accepts int, float, Decimal or a numeric string (snapshots keep "0.50"); anything else,
    ``None`` or "" gives "".
    """
    amount = _decimal(value)
    if amount is None:
        return ""
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.normalize()
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = str(formats.get_format("THOUSAND_SEPARATOR")).join(groups)
    if fraction:
        text += str(formats.get_format("DECIMAL_SEPARATOR")) + fraction
    return sign + text


def vnd(amount: object) -> str:
    """A sum of money in đồng: "200.000 đ" (vi) / "200,000 VND" (en); "" when not a number."""
    text = number(amount, places=0)
    if not text:
        return ""
    # Translators: a sum of money in Vietnamese đồng; Vietnamese writes "200.000 đ".
    return gettext("%(amount)s VND") % {"amount": text}


def working_days(value: object) -> str:
    """A duration in working days: "0,5 ngày làm việc" (vi), "1 working day" / "0.5 working
    days" (en); "" when not a number."""
    amount = _decimal(value)
    if amount is None:
        return ""
    count = 1 if amount == 1 else 2  # English: singular for exactly one day only
    return ngettext("%(days)s working day", "%(days)s working days", count) % {
        "days": number(amount)
    }
