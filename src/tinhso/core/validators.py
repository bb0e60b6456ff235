"""One rule per field, for every channel: the model fields, the forms, the API and the services
use these, never their own pattern.

People type numbers with spaces, dots or dashes ("0912 345 678", "092.090.001.234"): the
validators accept what the normalisers turn into a valid value, and services store the
normalised value.

- Identity or tax number of an applicant: a citizen identity number (CCCD, 12 digits), an old
  identity card number (CMND, 9 digits), or a tax number (10 digits; a branch's 13 written
  ``0123456789-001``).
- Personal identity number of an account: CCCD (12 digits) or CMND (9 digits).
- Vietnamese phone number: a mobile ``0`` + 3/5/7/8/9 + 8 digits, or a landline ``02`` + 9 digits
  (the 2017–2018 numbering plan); ``+84``/``84`` is read as the leading ``0``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.]+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]+")

# ASCII digits only (``\d`` would take Arabic-Indic or full-width digits, which no gateway or
# register reads and which would let one number be registered twice); whole value only.
ID_NUMBER = re.compile(r"[0-9]{12}|[0-9]{9}|[0-9]{10}(-[0-9]{3})?")
PERSONAL_ID = re.compile(r"[0-9]{12}|[0-9]{9}")
PHONE = re.compile(r"0[35789][0-9]{8}|02[0-9]{9}")


def normalise_id_number(value: str | None) -> str:
    """``"092 090.001 234"`` → ``"092090001234"``; a tax number keeps its branch dash."""
    return _SEPARATORS.sub("", value or "")


def normalise_phone(value: str | None) -> str:
    """``"+84 912-345-678"`` → ``"0912345678"``."""
    phone = _PHONE_SEPARATORS.sub("", value or "")
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) in (11, 12):
        phone = "0" + phone[2:]
    return phone


@deconstructible
class PatternValidator:
    """Valid when the normalised value matches; blank values are left to ``required``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, value: str) -> None:
        pattern, normalise, message, code = _RULES[self.name]
        if value and not pattern.fullmatch(normalise(value)):
            raise ValidationError(message, code=code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PatternValidator) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


_RULES = {
    "id_number": (
        ID_NUMBER,
        normalise_id_number,
        _(
            "Enter a citizen identity number (12 digits), an old identity card number (9 digits) "
            "or a tax number (10 digits, or 10-3 for a branch)."
        ),
        "invalid_id_number",
    ),
    "personal_id": (
        PERSONAL_ID,
        normalise_id_number,
        _("Enter a citizen identity number (12 digits) or an old identity card number (9 digits)."),
        "invalid_personal_id",
    ),
    "phone": (
        PHONE,
        normalise_phone,
        _("Enter a Vietnamese phone number such as 0912345678."),
        "invalid_phone",
    ),
}

validate_id_number = PatternValidator("id_number")
validate_personal_id = PatternValidator("personal_id")
validate_phone = PatternValidator("phone")
