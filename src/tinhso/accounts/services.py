"""Every write of accounts: finishing a sign-in, registering with a code, setting a new password
with a code.

Codes prove that a person holds a phone number or an e-mail address. They are 6 digits, sent by
SMS to a phone or by e-mail to an address (the same page takes them: it works when the mail is
read on another device, and no secret travels in a link), valid ``ACCOUNT_CODE_MINUTES``, dead
after ``ACCOUNT_CODE_ATTEMPTS`` wrong tries, and kept only as an HMAC keyed with ``SECRET_KEY``.
Messages go through the ``account_message`` event (``accounts.signals``), which ``notify`` sends.

Registration and the reset request answer the same whether or not an account has the phone or
e-mail: the caller shows "we sent a code to …" either way. A code for a taken number is never
sent (its owner is told that someone tried instead); a reset for an unknown address sends
nothing. Both still leave a row, so the next page behaves the same.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tinhso.accounts import tasks
from tinhso.accounts.lockout import device_cookie_remember, lockout_reset
from tinhso.accounts.models import User, VerificationCode
from tinhso.accounts.otp import second_factor_step
from tinhso.accounts.selectors import login_canonical, user_with_address
from tinhso.accounts.signals import account_message
from tinhso.core.audit import audit_log_write
from tinhso.core.events import emit_after_commit
from tinhso.core.ratelimit import rate_limit_count
from tinhso.core.validators import normalise_phone

# The backend that checked the password (the limiter before it checks none).
PASSWORD_BACKEND = "tinhso.accounts.backends.PhoneOrEmailBackend"  # noqa: S105
_CODE_SALT = "tinhso.accounts.VerificationCode"

CODE_EXPIRED = _(
    "This code has expired or was tried too many times. Start again to get a new code."
)


# --- signing in --------------------------------------------------------------------------------
def sign_in_complete(request: HttpRequest, user: User, *, next_url: str = "") -> str:
    """Start the session of ``user``, whose password (or code) was checked; returns where to
    go next: the second factor's step for officers and administrators (``accounts.otp``), else
    ``next_url`` or the home page. Every way in through a page ends here: the sign-in page (and
    so the admin's), a confirmed registration, a password reset. A complete sign-in leaves a
    device cookie (``accounts.lockout``; officers' after their code, ``otp_views``)."""
    auth_login(request, user, backend=PASSWORD_BACKEND)
    second_step = second_factor_step(request, next_url)
    if second_step is not None:
        return str(second_step["Location"])  # the device cookie comes after the code
    device_cookie_remember(request, user)
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


# --- codes -------------------------------------------------------------------------------------
def _code_hash(code: str) -> str:
    return salted_hmac(_CODE_SALT, code, algorithm="sha256").hexdigest()


def _code_check(*, code_id: int, purpose: str, code: str) -> VerificationCode:
    """Count one try of ``code`` (the count is committed even when it is wrong) and return the
    row when the code is right. Raises ``ValidationError`` when it is wrong, expired or spent."""
    wrong = None
    with transaction.atomic():
        row = (
            VerificationCode.objects.select_for_update().filter(pk=code_id, purpose=purpose).first()
        )
        if (
            row is None
            or row.expires_at <= timezone.now()
            or row.attempts >= settings.ACCOUNT_CODE_ATTEMPTS
        ):
            raise ValidationError(CODE_EXPIRED, code="code_expired")
        row.attempts += 1
        row.save(update_fields=["attempts"])
        if not constant_time_compare(_code_hash(code.strip()), row.code_hash):
            wrong = settings.ACCOUNT_CODE_ATTEMPTS - row.attempts
    if wrong == 0:
        raise ValidationError(CODE_EXPIRED, code="code_expired")
    if wrong is not None:
        raise ValidationError(
            ngettext(
                "The code is not correct. You can try %(left)d more time.",
                "The code is not correct. You can try %(left)d more times.",
                wrong,
            )
            % {"left": wrong},
            code="code_wrong",
        )
    return row


def _code_take(row: VerificationCode) -> VerificationCode:
    """Lock the row of a right code and spend it (one use, even by two requests at once)."""
    locked = VerificationCode.objects.select_for_update().filter(pk=row.pk).first()
    if locked is None:
        raise ValidationError(CODE_EXPIRED, code="code_expired")
    locked.delete()
    return row


def _send(*, event: str, address: str, context: dict[str, Any], row: Any, language: str) -> None:
    """A message to exactly one address (a phone or an e-mail), not to the account's others."""
    emit_after_commit(
        account_message,
        sender=VerificationCode,
        event=event,
        user=None,
        phone="" if "@" in address else address,
        email=address if "@" in address else "",
        context=context,
        object=row,
        language=language,
    )


def _site_link(name: str) -> str:
    return settings.SITE_URL + reverse(name)


def code_destination(*, phone: str, email: str) -> str:
    """Where a registration's code goes: the phone when there is one, else the e-mail."""
    return normalise_phone(phone) or email.strip()


# --- registration ------------------------------------------------------------------------------
def _unsent_hash() -> str:
    """The hash of a code nobody is sent: what a row holds until its code goes out."""
    return _code_hash(secrets.token_hex(16))


def _message_allowed(*, address: str, user: User | None) -> bool:
    """Count one message about a code to ``address`` (and to ``user``'s account, all its
    channels together); ``False`` when a daily cap is reached, then nothing is sent:
    ``ACCOUNT_CODES_PER_DESTINATION`` per phone or e-mail, ``ACCOUNT_CODES_PER_ACCOUNT`` per
    account (codes and "someone tried to register" notices alike)."""
    allowed = not rate_limit_count(
        group="account-code-day",
        value=login_canonical(address),
        rate=settings.ACCOUNT_CODES_PER_DESTINATION,
    )
    if user is not None:
        allowed = (
            not rate_limit_count(
                group="account-code-account",
                value=f"user:{user.pk}",
                rate=settings.ACCOUNT_CODES_PER_ACCOUNT,
            )
            and allowed
        )
    return allowed


def signup_start(
    *,
    full_name: str,
    phone: str,
    email: str,
    national_id: str,
    password: str,
    language: str = "vi",
) -> VerificationCode:
    """Begin a registration: keep what was typed (the password hashed) and hand the sending to
    a background task (``signup_deliver``): the request does the same work whether or not the
    phone or e-mail has an account, and the caller cannot tell, and must not.
    Raises nothing; validation is the form's."""
    phone, email = normalise_phone(phone), email.strip()
    with transaction.atomic():
        now = timezone.now()
        VerificationCode.objects.filter(expires_at__lt=now).delete()
        row = VerificationCode.objects.create(
            purpose=VerificationCode.Purpose.SIGNUP,
            code_hash=_unsent_hash(),
            data={
                "full_name": full_name.strip(),
                "phone": phone,
                "email": email,
                "national_id": national_id,
                "password": make_password(password),
                "language": language,
            },
            expires_at=now + dt.timedelta(minutes=settings.ACCOUNT_CODE_MINUTES),
        )
        transaction.on_commit(lambda: tasks.signup_deliver.enqueue(code_id=row.pk))
    return row


def signup_deliver(*, code_id: int) -> None:
    """The background half of ``signup_start``: send the code to the phone, or to the e-mail
    when there is no phone. When the phone or the e-mail already has an account, no code is
    sent: the account's owner is told on that address instead ("someone tried to register; if
    it was you, sign in or reset your password"). Every message counts against the daily caps
    of its address and account (``_message_allowed``). Raises nothing."""
    row = VerificationCode.objects.filter(
        pk=code_id, purpose=VerificationCode.Purpose.SIGNUP
    ).first()
    if row is None:
        return
    data, language = row.data, row.data.get("language", "vi")
    phone, email = data.get("phone", ""), data.get("email", "")
    taken = False
    for address in (phone, email):
        owner = user_with_address(address) if address else None
        if owner is None:
            continue
        taken = True
        # The owner's own address as the account has it.
        own = owner.email if "@" in address else owner.phone
        if not _message_allowed(address=own, user=owner):
            continue
        _send(
            event="account.signup_taken",
            address=own,
            context={
                "login_url": _site_link("accounts:login"),
                "reset_url": _site_link("accounts:password_reset"),
            },
            row=row,
            language=language,
        )
    destination = code_destination(phone=phone, email=email)
    if taken or not _message_allowed(address=destination, user=None):
        return
    code = f"{secrets.randbelow(10**6):06d}"
    VerificationCode.objects.filter(pk=row.pk).update(code_hash=_code_hash(code))
    _send(
        event="account.signup_code",
        address=destination,
        context={"code": code, "minutes": settings.ACCOUNT_CODE_MINUTES},
        row=row,
        language=language,
    )


def signup_confirm(*, code_id: int, code: str) -> User:
    """Finish a registration with the code that was sent: create the account (active) and
    return it. Raises ``ValidationError`` for a wrong, expired or spent code; also when the
    phone or e-mail got an account meanwhile (the message is the expired one: nothing about
    that account is told)."""
    row = _code_check(code_id=code_id, purpose=VerificationCode.Purpose.SIGNUP, code=code)
    with transaction.atomic():
        data = _code_take(row).data
        user = User(
            # The user name is internal: people sign in with their phone or e-mail.
            username=f"c-{secrets.token_hex(8)}",
            full_name=data["full_name"],
            phone=data["phone"],
            email=data["email"],
            national_id=data["national_id"],
            password=data["password"],
        )
        try:
            with transaction.atomic():
                user.full_clean(exclude=["password"])
                user.save()
        except (IntegrityError, ValidationError):
            raise ValidationError(CODE_EXPIRED, code="code_expired") from None
        audit_log_write(actor=user, action="account.register", obj=user)
    return user


# --- password reset ----------------------------------------------------------------------------
def password_reset_start(*, address: str, language: str = "vi") -> VerificationCode:
    """Begin a reset for ``address`` (a phone in any notation, or an e-mail): a row that the
    next page takes the code for, and a background task (``password_reset_deliver``) that
    looks the account up and sends. The request does the same work for any address, so
    neither its answer nor its time tells whether an account has it."""
    address = normalise_phone(address) if "@" not in address else address.strip()
    with transaction.atomic():
        now = timezone.now()
        VerificationCode.objects.filter(expires_at__lt=now).delete()
        row = VerificationCode.objects.create(
            purpose=VerificationCode.Purpose.PASSWORD_RESET,
            code_hash=_unsent_hash(),
            data={"language": language, "login": address},
            expires_at=now + dt.timedelta(minutes=settings.ACCOUNT_CODE_MINUTES),
        )
        transaction.on_commit(lambda: tasks.password_reset_deliver.enqueue(code_id=row.pk))
    return row


def password_reset_deliver(*, code_id: int) -> None:
    """The background half of ``password_reset_start``: when an active account has the
    address typed, a new code goes to that account's own stored phone or e-mail (never the
    text typed), within the daily caps of the address and the account (``_message_allowed``,
    all channels together); otherwise nothing is sent and the row's code stays unknown to
    anyone. The typed address is forgotten either way. Raises nothing."""
    row = VerificationCode.objects.filter(
        pk=code_id, purpose=VerificationCode.Purpose.PASSWORD_RESET
    ).first()
    if row is None:
        return
    data = dict(row.data)
    address = data.pop("login", "")
    user = user_with_address(address) if address else None
    if user is not None and not user.is_active:
        user = None
    own = "" if user is None else (user.email if "@" in address else user.phone)
    if user is None or not own or not _message_allowed(address=own, user=user):
        VerificationCode.objects.filter(pk=row.pk).update(data=data)
        return
    code = f"{secrets.randbelow(10**6):06d}"
    VerificationCode.objects.filter(pk=row.pk).update(
        user=user, code_hash=_code_hash(code), data=data
    )
    _send(
        event="account.password_reset_code",
        address=own,
        context={"code": code, "minutes": settings.ACCOUNT_CODE_MINUTES},
        row=row,
        language=data.get("language", "vi"),
    )


def password_reset_complete(*, code_id: int, code: str, password: str) -> User:
    """Set ``password`` on the account the code was sent for. Every other session of the
    account ends (Django checks a hash of the password on each request), the account's failed
    sign-ins are forgotten (unlocked), and the owner is told on all their addresses. Raises
    ``ValidationError`` for a wrong, expired or spent code, or a password the validators
    refuse (the code then stays usable)."""
    row = _code_check(code_id=code_id, purpose=VerificationCode.Purpose.PASSWORD_RESET, code=code)
    user = row.user
    if user is None:  # a code for an address no account has is never sent, so never right
        raise ValidationError(CODE_EXPIRED, code="code_expired")
    password_validation.validate_password(password, user)
    with transaction.atomic():
        _code_take(row)
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_log_write(actor=user, action="account.password_reset", obj=user)
        emit_after_commit(
            account_message,
            sender=VerificationCode,
            event="account.password_changed",
            user=user,
            phone="",
            email="",
            context={
                "changed_at": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
                "reset_url": _site_link("accounts:password_reset"),
            },
            object=user,
            language=row.data.get("language", "vi"),
        )
    lockout_reset(user)
    return user
