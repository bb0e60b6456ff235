"""The second sign-in step for officers and administrators: the code, and enrolment the first
time (``tinhso.accounts.otp`` holds the logic)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from tinhso.accounts import otp
from tinhso.accounts.forms import AuthenticatorCodeForm
from tinhso.accounts.lockout import device_cookie_remember, lockout_message, signin_locked_seconds
from tinhso.accounts.views import _next_url


def _done(request):
    return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)


def _too_many(request):
    """Too many wrong codes in this sign-in: sign out, the password is asked again."""
    logout(request)
    messages.error(
        request, _("Too many wrong codes. Sign in again with your password, then enter a new code.")
    )
    return redirect(settings.LOGIN_URL)


def _wrong_code(request, form) -> bool:
    """Record a wrong code; ``True`` when the session must be signed out."""
    failures = otp.otp_session_failure(request)
    wait = otp.otp_wait_seconds(request.user)
    if wait:
        form.add_error(
            "code",
            ngettext(
                "The code is not correct. Wait %(seconds)d second before trying again.",
                "The code is not correct. Wait %(seconds)d seconds before trying again.",
                wait,
            )
            % {"seconds": wait},
        )
    else:
        form.add_error("code", _("The code is not correct. Enter the code your app shows now."))
    return failures >= settings.OTP_MAX_FAILURES


def _verified(request, device):
    """The code was right: the session is verified and the sign-in complete (device cookie)."""
    otp.otp_session_verify(request, device)
    device_cookie_remember(request, request.user)


def _locked(request, form) -> int:
    """Seconds the account is locked for this request (no device cookie vouches for it), with
    the error on ``form``; 0 when a code may be tried. A half-signed session opened before the
    lock gets no more tries than the sign-in page."""
    seconds = signin_locked_seconds(request, request.user)
    if seconds:
        form.add_error("code", lockout_message(seconds))
    return seconds


def _guard(request):
    """The answer for a request that has no business on these pages, or ``None``."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if not otp.second_factor_required(request.user) or otp.otp_verified(request.user):
        return _done(request)
    return None


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def verify(request):
    """Ask a signed-in officer or administrator for the code of their authenticator app (or a
    backup code)."""
    refused = _guard(request)
    if refused is not None:
        return refused
    if not otp.otp_has_device(request.user):
        return redirect(otp.second_factor_url(request.user, _next_url(request)))
    status = 200
    if request.method == "POST":
        form = AuthenticatorCodeForm(request.POST)
        if seconds := _locked(request, form):
            response = render(
                request,
                "accounts/otp_verify.html",
                {"form": form, "next": _next_url(request)},
                status=429,
            )
            response["Retry-After"] = str(seconds)
            return response
        if form.is_valid():
            device = otp.otp_verify(
                request=request, user=request.user, code=form.cleaned_data["code"]
            )
            if device is not None:
                _verified(request, device)
                return _done(request)
            if _wrong_code(request, form):
                return _too_many(request)
        status = 400
    else:
        form = AuthenticatorCodeForm()
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/otp_verify.html", context, status=status)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def enrol(request):
    """First sign-in of an officer or administrator: set up an authenticator app from a QR code
    (or the secret as text), confirm with a code, then see the backup codes once."""
    refused = _guard(request)
    if refused is not None:
        return refused
    user = request.user
    if otp.otp_has_device(user):
        return redirect(otp.second_factor_url(user, _next_url(request)))
    device = otp.totp_enrol_device(request)
    status = 200
    if request.method == "POST":
        form = AuthenticatorCodeForm(request.POST)
        if _locked(request, form):
            status = 429
        elif form.is_valid():
            enrolled = otp.totp_enrol_confirm(
                request=request, user=user, device=device, code=form.cleaned_data["code"]
            )
            if enrolled is not None:
                device, codes = enrolled
                _verified(request, device)
                messages.warning(
                    request,
                    _(
                        "A new authenticator app was set up for your account; a message says so "
                        "too. If it was not you, tell the administrator at once."
                    ),
                )
                return render(
                    request,
                    "accounts/otp_backup_codes.html",
                    {
                        "codes": codes,
                        "next": _next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL),
                    },
                )
            if _wrong_code(request, form):
                return _too_many(request)
            status = 400
        else:
            status = 400
    else:
        form = AuthenticatorCodeForm()
    context = {
        "form": form,
        "next": _next_url(request),
        "qr": otp.totp_qr_data_uri(device),
        "secret": otp.totp_secret_text(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/otp_enrol.html", context, status=status)
