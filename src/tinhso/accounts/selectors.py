"""Reads of accounts: which account a typed login or address names."""

from __future__ import annotations

from django.db.models import Q

from tinhso.accounts.models import User
from tinhso.core.validators import normalise_phone


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
    e-mail address in any case; ``None`` when none does."""
    login = (login or "").strip()
    if not login:
        return None
    canonical = login_canonical(login)
    match = Q(username=login) | Q(email__iexact=login) & ~Q(email="")
    if canonical.isdigit():
        match |= Q(phone=canonical)
    return User.objects.filter(match).order_by("pk").first()


def user_with_address(address: str) -> User | None:
    """The account, active or not, that has this phone (canonical) or e-mail address (in any
    case); ``None`` when no account has it."""
    match = Q(email__iexact=address) if "@" in address else Q(phone=address)
    return User.objects.filter(match).order_by("pk").first()
