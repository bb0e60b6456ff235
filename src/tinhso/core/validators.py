"""One rule per field, for every channel: the model fields, the forms, the API and the services
use these, never their own pattern.

People type numbers with spaces, dots or dashes ("0912 345 678", "092.090.001.234"): the
validators accept what the normalisers turn into a valid value, and services store the
normalised value.

- Identity or tax number of an applicant: a citizen identity number (CCCD, 12 digits), an old
  identity card number (CMND, 9 digits), or a tax number (10 digits; a branch's 13 written
  ``0123456789-001``).
- Personal identity number of an account: CCCD (12 digits) or CMND (9 digits).
- Vietnamese phone number: a mobile or landline number of the national numbering plan as the
  ``phonenumbers`` library (Google's libphonenumber metadata) knows it, stored in one canonical
  form, the national one without spaces: ``0900000001``, ``02838221234``. Any common notation
  reads the same: ``0900 000 001``, ``0900.000.001``, ``+84 900 000 001``, ``84900000001``,
  ``(+84) 900-000-001``, ``0084900000001``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

_SEPARATORS = re.compile(r"[\s.]+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]+")
# ASCII digits, separators and plus signs only: no letters (phonenumbers would read "1-800-FLOWERS"),
# no Arabic-Indic or full-width digits (no gateway delivers to them).
_PHONE_CHARACTERS = re.compile(r"[0-9 \t.\-()+]+")

# ASCII digits only (``\d`` would take Arabic-Indic or full-width digits, which no gateway or
# register reads and which would let one number be registered twice); whole value only.
ID_NUMBER = re.compile(r"[0-9]{12}|[0-9]{9}|[0-9]{10}(-[0-9]{3})?")
PERSONAL_ID = re.compile(r"[0-9]{12}|[0-9]{9}")
_PHONE_KINDS = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalise_id_number(value: str | None) -> str:
    """``"092 090.001 234"`` → ``"092090001234"``; a tax number keeps its branch dash."""
    return _SEPARATORS.sub("", value or "")


def _phone_canonical(value: str) -> str | None:
    """The canonical form of a valid Vietnamese mobile or landline number, else ``None``.
    (Premium and short numbers such as 1900…, extensions and letters are not a person's phone.)"""
    if not _PHONE_CHARACTERS.fullmatch(value):
        return None
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return None
    if (
        number.country_code == 84
        and not number.extension
        and phonenumbers.is_valid_number_for_region(number, "VN")
        and phonenumbers.number_type(number) in _PHONE_KINDS
    ):
        return f"0{number.national_number}"
    return None


def normalise_phone(value: str | None) -> str:
    """``"+84 912-345-678"`` → ``"0912345678"``. A value that is no valid number comes back with
    its separators removed, for ``validate_phone`` to refuse."""
    text = (value or "").strip()
    if not text:
        return ""
    return _phone_canonical(text) or _PHONE_SEPARATORS.sub("", text)


def _phone_valid(value: str) -> bool:
    return _phone_canonical(value.strip()) is not None


_SMS_KINDS = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def phone_takes_sms(value: str | None) -> bool:
    """Whether ``value`` is a valid Vietnamese mobile number, which a text message reaches (a
    landline such as 0292 3820 000 is a valid phone for a dossier's contact, but takes no SMS)."""
    canonical = _phone_canonical((value or "").strip())
    if canonical is None:
        return False
    return phonenumbers.number_type(phonenumbers.parse(canonical, "VN")) in _SMS_KINDS


@deconstructible
class PatternValidator:
    """Valid when the normalised value matches; blank values are left to ``required``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, value: str) -> None:
        valid, message, code = _RULES[self.name]
        if value and not valid(value):
            raise ValidationError(message, code=code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PatternValidator) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


def _matches(pattern: re.Pattern[str], normalise: Callable[[str], str]) -> Callable[[str], bool]:
    return lambda value: bool(pattern.fullmatch(normalise(value)))


_RULES = {
    "id_number": (
        _matches(ID_NUMBER, normalise_id_number),
        _(
            "Enter a citizen identity number (12 digits), an old identity card number (9 digits) "
            "or a tax number (10 digits, or 10-3 for a branch)."
        ),
        "invalid_id_number",
    ),
    "personal_id": (
        _matches(PERSONAL_ID, normalise_id_number),
        _("Enter a citizen identity number (12 digits) or an old identity card number (9 digits)."),
        "invalid_personal_id",
    ),
    "phone": (
        _phone_valid,
        _("Enter a Vietnamese phone number such as 0912345678."),
        "invalid_phone",
    ),
    "mobile": (
        phone_takes_sms,
        _(
            "Enter a mobile phone number such as 0912345678: we send codes by text message, "
            "which a landline cannot receive."
        ),
        "invalid_mobile",
    ),
}

validate_id_number = PatternValidator("id_number")
validate_personal_id = PatternValidator("personal_id")
validate_phone = PatternValidator("phone")
validate_mobile_phone = PatternValidator("mobile")


# Django's own messages that a person can meet in a form or the API and that its Vietnamese
# catalogue leaves untranslated: named here so that makemessages keeps core's translations.
NUL_MESSAGE = gettext_noop("Null characters are not allowed.")
DJANGO_UNTRANSLATED = (
    NUL_MESSAGE,
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: "
        "%(allowed_extensions)s."
    ),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
)
