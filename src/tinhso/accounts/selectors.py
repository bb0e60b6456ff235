"""Reads of accounts: which account a typed login or address names.

E-mail addresses match in one exact form only (``email_canonical``): the typed address
lower-cased by Python, compared with the stored one lower-cased by the database. Never
``email__iexact``: the database's ``UPPER()`` folds look-alikes together (``UPPER('ı') = 'I'``,
``'ſ'`` → ``'S'``, the Kelvin sign ``K`` → ``'K'``), so ``nguyenvanan@gmaıl.com`` matched
``nguyenvanan@gmail.com``. An address that NFKC would change (fullwidth letters, ``ſ``, ``K``)
matches no account at all.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from tinhso.accounts.models import User
from tinhso.core.validators import normalise_phone


def email_canonical(address: str) -> str:
    """The one form an e-mail address is matched in: trimmed and lower-cased with
    ``str.lower()``; ``""`` (matches nothing) when NFKC would change it, i.e. it holds
    compatibility characters that only look like others (``ſ``, ``K``, ``ａ``)."""
    address = (address or "").strip()
    if not address or unicodedata.normalize("NFKC", address) != address:
        return ""
    return address.lower()


def _email_match(address: str) -> Q | None:
    canonical = email_canonical(address)
    if not canonical:
        return None
    return Q(email_lower=canonical) & ~Q(email="")


def _users() -> QuerySet[User]:
    return User.objects.annotate(email_lower=Lower("email"))


def login_canonical(login: str) -> str:
    """One form for every way the same login can be typed: a phone number in its stored form
    (``"+84 900 000 001"`` → ``"0900000001"``), anything else trimmed and lower-cased (e-mail
    addresses are case-insensitive)."""
    login = (login or "").strip()
    phone = normalise_phone(login)
    if phone.startswith("0") and phone.isdigit():
        return phone
    return login.lower()


def user_for_login(login: str) -> User | None:
    """The account a sign-in names: by user name (officers), phone number in any notation, or
    e-mail address in any case (``email_canonical``); ``None`` when none does."""
    login = (login or "").strip()
    if not login:
        return None
    canonical = login_canonical(login)
    match = Q(username=login)
    if (email := _email_match(login)) is not None:
        match |= email
    if canonical.isdigit():
        match |= Q(phone=canonical)
    user: User | None = _users().filter(match).order_by("pk").first()
    return user


def user_with_address(address: str) -> User | None:
    """The account, active or not, that has this phone (canonical) or e-mail address (in any
    case, ``email_canonical``); ``None`` when no account has it."""
    if "@" in address:
        match = _email_match(address)
        if match is None:
            return None
    else:
        match = Q(phone=normalise_phone(address))
    user: User | None = _users().filter(match).order_by("pk").first()
    return user
