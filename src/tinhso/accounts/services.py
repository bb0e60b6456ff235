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

from tinhso.accounts.lockout import device_cookie_remember, lockout_reset
from tinhso.accounts.models import User, VerificationCode
from tinhso.accounts.otp import second_factor_step
from tinhso.accounts.selectors import user_with_address
from tinhso.accounts.signals import account_message
from tinhso.core.audit import audit_log_write
from tinhso.core.events import emit_after_commit
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


def _code_issue(
    *, purpose: str, user: User | None = None, data: dict[str, Any] | None = None
) -> tuple[VerificationCode, str]:
    now = timezone.now()
    VerificationCode.objects.filter(expires_at__lt=now).delete()
    code = f"{secrets.randbelow(10**6):06d}"
    row = VerificationCode.objects.create(
        purpose=purpose,
        user=user,
        code_hash=_code_hash(code),
        data=data or {},
        expires_at=now + dt.timedelta(minutes=settings.ACCOUNT_CODE_MINUTES),
    )
    return row, code


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
@transaction.atomic
def signup_start(
    *,
    full_name: str,
    phone: str,
    email: str,
    national_id: str,
    password: str,
    language: str = "vi",
) -> VerificationCode:
    """Begin a registration: keep what was typed (the password hashed) and send a code to the
    phone, or to the e-mail when there is no phone. When the phone or the e-mail already has
    an account, no code is sent: the account's owner is told by a message on that address
    instead ("someone tried to register; if it was you, sign in or reset your password"). The
    answer is the same row either way: the caller cannot tell, and must not.
    Raises nothing; validation is the form's."""
    phone, email = normalise_phone(phone), email.strip()
    row, code = _code_issue(
        purpose=VerificationCode.Purpose.SIGNUP,
        data={
            "full_name": full_name.strip(),
            "phone": phone,
            "email": email,
            "national_id": national_id,
            "password": make_password(password),
            "language": language,
        },
    )
    taken = False
    for address in (phone, email):
        owner = user_with_address(address) if address else None
        if owner is None:
            continue
        taken = True
        _send(
            event="account.signup_taken",
            # The owner's own address as the account has it.
            address=owner.email if "@" in address else owner.phone,
            context={
                "login_url": _site_link("accounts:login"),
                "reset_url": _site_link("accounts:password_reset"),
            },
            row=row,
            language=language,
        )
    if not taken:
        _send(
            event="account.signup_code",
            address=code_destination(phone=phone, email=email),
            context={"code": code, "minutes": settings.ACCOUNT_CODE_MINUTES},
            row=row,
            language=language,
        )
    return row


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
@transaction.atomic
def password_reset_start(*, address: str, language: str = "vi") -> VerificationCode:
    """Send a code to set a new password to ``address`` (a phone in any notation, or an
    e-mail), when an active account has it; for any other address nothing is sent, and the
    row returned is the same kind, so the caller answers the same."""
    address = normalise_phone(address) if "@" not in address else address.strip()
    user = user_with_address(address)
    if user is not None and not user.is_active:
        user = None
    row, code = _code_issue(
        purpose=VerificationCode.Purpose.PASSWORD_RESET, user=user, data={"language": language}
    )
    if user is not None:
        _send(
            event="account.password_reset_code",
            # The account's own address as it is stored, never the one typed: a look-alike
            # that matched must not receive the code.
            address=user.email if "@" in address else user.phone,
            context={"code": code, "minutes": settings.ACCOUNT_CODE_MINUTES},
            row=row,
            language=language,
        )
    return row


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
