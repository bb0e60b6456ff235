"""The second factor for officers and administrators: TOTP codes (django-otp), backup codes.

Who needs it (``second_factor_required``): staff, superusers, and whoever a rule registered by
an app above ``accounts`` names (``org`` registers "has an officer record"). After the password
the sign-in page sends them to the verification step (``second_factor_step``), or, the first
time, to enrolment: a QR code and the secret for an authenticator app, confirmed by a code,
then ten single-use backup codes shown once. A session is verified when django-otp's
``otp_device_id`` is in it; until then ``SecondFactorMiddleware`` lets it reach only the
sign-in, verification and sign-out pages, and the API refuses it.

Every wrong code sends Django's ``user_login_failed`` signal (the sign-in limiter counts it),
counts toward django-otp's per-device back-off (1, 2, 4, 8… seconds between tries) and, after
``OTP_MAX_FAILURES`` in one session, signs the session out.
"""

from __future__ import annotations

import time
from base64 import b32encode
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from tinhso.accounts.signals import account_message
from tinhso.core.audit import audit_log_write
from tinhso.core.events import emit_after_commit

BACKUP_CODES = 10
ENROL_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
FAILURES_SESSION_KEY = "otp_failures"

_RULES: list[Callable[[Any], bool]] = []


def second_factor_rule(rule: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """Register ``rule(user) -> bool``: users it names need the second factor too. Apps above
    ``accounts`` register theirs in ``AppConfig.ready`` (``accounts`` cannot import them)."""
    if rule not in _RULES:
        _RULES.append(rule)
    return rule


def second_factor_required(user: Any) -> bool:
    """Whether ``user`` must give a code after the password: staff, superusers and what the
    registered rules name. ``False`` for anonymous users and system actors."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not getattr(user, "pk", None)
    ):
        return False
    cached = getattr(user, "_second_factor_required", None)
    if cached is None:
        cached = bool(user.is_staff or user.is_superuser or any(rule(user) for rule in _RULES))
        user._second_factor_required = cached
    return cached


def otp_verified(user: Any) -> bool:
    """Whether ``user``'s session passed the second factor (django-otp's ``OTPMiddleware``
    sets ``is_verified``)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def session_allowed(user: Any) -> bool:
    """Whether a signed-in ``user``'s session may be used beyond the sign-in pages."""
    return not second_factor_required(user) or otp_verified(user)


def otp_has_device(user: Any) -> bool:
    """Whether ``user`` finished enrolment (has a confirmed TOTP device)."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_factor_url(user: Any, next_url: str = "") -> str:
    """Where ``user`` gives their code: verification, or enrolment the first time."""
    name = "accounts:otp_verify" if otp_has_device(user) else "accounts:otp_enrol"
    return _with_next(name, next_url)


def second_factor_step(request: HttpRequest, next_url: str = "") -> HttpResponse | None:
    """Called right after the password was accepted: the redirect to the second step when the
    user needs it, else ``None``."""
    if not second_factor_required(request.user):
        return None
    request.session.pop(FAILURES_SESSION_KEY, None)
    return redirect(second_factor_url(request.user, next_url))


# --- verification ------------------------------------------------------------------------------
def _normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def otp_verify(*, request: HttpRequest | None, user: Any, code: str) -> Device | None:
    """The device that accepts ``code`` (six digits: the authenticator app; otherwise a backup
    code, used up), or ``None``; a refusal is reported to the sign-in limiter."""
    code = _normalise(code)
    if code and len(code) <= 16:
        model: type[Device] = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
        for device in model.objects.filter(user=user, confirmed=True):
            if verify_token(user, device.persistent_id, code):
                return device
    otp_failed(request=request, user=user)
    return None


def otp_failed(*, request: HttpRequest | None, user: Any) -> None:
    """Report a wrong code like a wrong password: Django's ``user_login_failed`` signal, which
    the sign-in limiter counts per account and address."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )


def otp_wait_seconds(user: Any) -> int:
    """Seconds before ``user``'s authenticator may be tried again after wrong codes (0: now)."""
    wait = 0
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            wait = max(wait, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return wait


def otp_session_verify(request: HttpRequest, device: Device) -> None:
    """Mark the session verified by ``device`` and give it a new key (its rights grew)."""
    otp_login(request, device)
    request.session.pop(FAILURES_SESSION_KEY, None)
    request.session.cycle_key()


def otp_session_failure(request: HttpRequest) -> int:
    """Count one wrong code in this session; returns the count so far."""
    failures = int(request.session.get(FAILURES_SESSION_KEY, 0)) + 1
    request.session[FAILURES_SESSION_KEY] = failures
    return failures


def otp_session_is_verified(session: Any) -> bool:
    return bool(session.get(DEVICE_ID_SESSION_KEY))


# --- enrolment ---------------------------------------------------------------------------------
# The secret being set up lives in the session that asked for it, never in the database until
# its code is given: another session (someone else who knows the password) gets another secret,
# and nothing is left for a later enrolment to reuse. Its age is bounded too.
ENROL_SESSION_KEY = "otp_enrol"
ENROL_MAX_AGE = 15 * 60  # seconds a secret shown on the page stays valid


def totp_enrol_device(request: HttpRequest) -> TOTPDevice:
    """The authenticator the signed-in user is setting up in this session: an unsaved
    ``TOTPDevice`` with a new random secret, the same one on every visit of this session for
    ``ENROL_MAX_AGE`` seconds (a reload keeps a scanned QR code valid), then a new one."""
    pending = request.session.get(ENROL_SESSION_KEY) or {}
    now = int(time.time())
    key = pending.get("key")
    if (
        not key
        or pending.get("user") != request.user.pk
        or now - pending.get("at", 0) > (ENROL_MAX_AGE)
    ):
        key = random_hex(20)
        request.session[ENROL_SESSION_KEY] = {"key": key, "user": request.user.pk, "at": now}
    return TOTPDevice(user=request.user, name=ENROL_DEVICE_NAME, key=key, confirmed=False)


def _totp_step_matching(device: TOTPDevice, code: str) -> int | None:
    """The time step at which ``device`` gives ``code`` (within its tolerance), or ``None``."""
    if not (code.isdigit() and len(code) == device.digits):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    current = totp.t()
    for step in range(current - device.tolerance, current + device.tolerance + 1):
        if hotp(device.bin_key, step, digits=device.digits) == int(code):
            return step
    return None


@transaction.atomic
def totp_enrol_confirm(
    *, request: HttpRequest, user: Any, device: TOTPDevice, code: str
) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the session's ``device`` (``totp_enrol_device``) with a code from the app: only
    then is it saved, confirmed, replacing any earlier authenticator and any unconfirmed one;
    new backup codes replace the old ones. Returns the saved device and the codes (shown once);
    ``None`` for a wrong code (reported like ``otp_verify``) or a secret this session no longer
    holds. The owner is told (``account_message``: ``account.otp_enrolled``)."""
    pending = request.session.get(ENROL_SESSION_KEY) or {}
    step = _totp_step_matching(device, _normalise(code))
    if step is None or pending.get("key") != device.key:
        otp_failed(request=request, user=user)
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device.pk = None
    device.confirmed = True
    device.last_t = step  # the code just given cannot be used again to sign in
    device.save()
    request.session.pop(ENROL_SESSION_KEY, None)
    codes = backup_codes_renew(user=user)
    audit_log_write(actor=user, action="account.otp_enrol", obj=user, device=device.pk)
    emit_after_commit(
        account_message,
        sender=TOTPDevice,
        event="account.otp_enrolled",
        user=user,
        phone="",
        email="",
        context={"enrolled_at": timezone.localtime().strftime("%H:%M %d/%m/%Y")},
        object=user,
        language=getattr(request, "LANGUAGE_CODE", "vi") or "vi",
    )
    return device, codes


def backup_codes_renew(*, user: Any) -> list[str]:
    """Replace ``user``'s backup codes with ``BACKUP_CODES`` new ones and return them."""
    StaticDevice.objects.filter(user=user).exclude(name=BACKUP_DEVICE_NAME).delete()
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` link as a QR code in an SVG data URI (for an ``<img>``: no script,
    nothing inline that the Content-Security-Policy forbids)."""
    qr = segno.make(device.config_url, error="m")
    return str(qr.svg_data_uri(scale=5, border=2))


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code ``device`` accepts at ``at`` (Unix time, now by default), with leading zeros.

    For the demo's ``otp_code`` command and the tests; people read it from their app."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def totp_next_code(device: TOTPDevice) -> str:
    """A code ``device`` accepts now and has not accepted before: the current one, or the next
    step's when the current one was used (the device allows one step of tolerance); waits for
    the clock when both were used."""
    device.refresh_from_db()
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        current = totp.t()
        step = max(current, device.last_t + 1)
        if step <= current + device.tolerance:
            return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        time.sleep(0.5)


def idle_timeout_seconds() -> int:
    return max(0, int(settings.OFFICER_IDLE_TIMEOUT_MINUTES) * 60)
