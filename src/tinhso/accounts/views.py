"""Signing in, registering with a code, setting a new password with a code.

Every password check goes through ``authenticate()``, where django-axes limits failed sign-ins
per account and per client address (``accounts.lockout``); every session starts in
``services.sign_in_complete``. Registration and the reset request answer the same whether or
not an account has the phone or e-mail typed (``services``). Nothing personal goes in a URL:
the pending code's id and the masked address it went to stay in the session.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from tinhso.accounts import services
from tinhso.accounts.forms import (
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegisterForm,
)
from tinhso.accounts.selectors import login_canonical
from tinhso.core.audit import audit_log_write
from tinhso.core.error_pages import local_path
from tinhso.core.outbox import outbox_follow, outbox_forget
from tinhso.core.privacy import mask_address
from tinhso.core.ratelimit import rate_limit_hit

SIGNUP = "accounts.signup"
RESET = "accounts.reset"


def _next_url(request) -> str:
    """The ``next`` parameter when it is a path on this site (``core.error_pages.local_path``:
    no other host, no ``//`` or ``/\\``, no backslash or control character), else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return local_path(candidate, request) or ""


def _language(request) -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    status = 200
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            # Officers and administrators give a code from their authenticator app next.
            next_url = _next_url(request)
            return redirect(services.sign_in_complete(request, form.user, next_url=next_url))
        status = 429 if form.locked_seconds else 200
    else:
        form = LoginForm(request)
    response = render(
        request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status
    )
    if form.locked_seconds:
        response["Retry-After"] = str(form.locked_seconds)
    return response


def _too_many(request, template: str, context: dict, wait: int, message: str):
    response = render(request, template, {**context, "limited": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _address_key(address: str, group: str, request) -> str:
    return login_canonical(address)


def _request_limited(request, *addresses: str) -> tuple[int, str]:
    """Registrations and reset requests: per client address, and per phone or e-mail typed,
    every one that may receive a message (no one can flood a stranger's phone, nor send a
    victim's e-mail "someone tried to register" notices behind a fresh phone). The same for a
    taken and a free address: no account is looked up here (daily caps per account are the
    background task's, ``services._message_allowed``)."""
    wait = rate_limit_hit(
        request, group="account-request", rate=settings.ACCOUNT_REQUEST_RATE_LIMIT
    )
    if wait:
        return wait, _("Too many attempts from your connection. Please wait a few minutes.")
    for address in filter(None, addresses):
        wait = max(
            wait,
            rate_limit_hit(
                request,
                group="account-code",
                rate=settings.ACCOUNT_CODE_RATE_LIMIT,
                key=functools.partial(_address_key, address),
            ),
        )
    if wait:
        return wait, _(
            "Several codes were sent to this phone number or e-mail address a moment ago. "
            "Please wait a few minutes, then try again."
        )
    return 0, ""


def _code_page(request, form, pending: dict, *, title: str, button: str, again: str):
    """The page that takes a code sent to ``pending["to"]`` (masked); 400 with the errors."""
    return render(
        request,
        "accounts/code.html",
        {
            "form": form,
            "to": pending["to"],
            "title": title,
            "button": button,
            "again_url": reverse(again),
        },
        status=400 if form.errors else 200,
    )


# --- registration ------------------------------------------------------------------------------
@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def register(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"next": _next_url(request)}
    if request.method == "POST":
        form = RegisterForm(request.POST)
        context["form"] = form
        if form.is_valid():
            data = form.cleaned_data
            destination = services.code_destination(phone=data["phone"], email=data["email"])
            wait, message = _request_limited(request, data["phone"], data["email"])
            if wait:
                return _too_many(request, "accounts/register.html", context, wait, message)
            row = services.signup_start(
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                national_id=data["national_id"],
                password=data["password1"],
                language=_language(request),
            )
            request.session[SIGNUP] = {
                "id": row.pk,
                "to": mask_address(destination),
                "next": context["next"],
            }
            outbox_follow(request, row)
            return redirect("accounts:register_confirm")
    else:
        context["form"] = RegisterForm()
    return render(request, "accounts/register.html", context)


@csrf_protect
@never_cache
def register_confirm(request):
    pending = request.session.get(SIGNUP)
    if not pending:
        return redirect("accounts:register")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.signup_confirm(code_id=pending["id"], code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[SIGNUP]
            outbox_forget(request)
            next_url = services.sign_in_complete(request, user, next_url=pending.get("next", ""))
            messages.success(request, _("Welcome! Your account has been created."))
            return redirect(next_url)
    return _code_page(
        request,
        form,
        pending,
        title=_("Confirm your phone number or e-mail"),
        button=_("Create the account"),
        again="accounts:register",
    )


# --- password reset ----------------------------------------------------------------------------
@csrf_protect
@never_cache
def password_reset(request):
    context = {}
    if request.method == "POST":
        form = PasswordResetRequestForm(request.POST)
        context["form"] = form
        if form.is_valid():
            address = form.cleaned_data["login"]
            wait, message = _request_limited(request, address)
            if wait:
                return _too_many(request, "accounts/password_reset.html", context, wait, message)
            row = services.password_reset_start(address=address, language=_language(request))
            request.session[RESET] = {"id": row.pk, "to": mask_address(address)}
            outbox_follow(request, row)
            return redirect("accounts:password_reset_confirm")
    else:
        context["form"] = PasswordResetRequestForm()
    return render(request, "accounts/password_reset.html", context)


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def password_reset_confirm(request):
    pending = request.session.get(RESET)
    if not pending:
        return redirect("accounts:password_reset")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_reset_complete(
                code_id=pending["id"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            field = "code" if getattr(error, "code", "") in {"code_wrong", "code_expired"} else None
            form.add_error(field or "password1", error)
        else:
            request.session.pop(RESET, None)
            outbox_forget(request)
            next_url = services.sign_in_complete(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect(next_url)
    return _code_page(
        request,
        form,
        pending,
        title=_("Set a new password"),
        button=_("Save the new password"),
        again="accounts:password_reset",
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@csrf_protect
@never_cache
def account(request):
    """The person's own account: their name (editable), how they sign in, a new password
    (the current one is checked as a sign-in is, and a change ends their other sessions and
    API tokens), and the way to their dossiers, notifications and access tokens."""
    user = request.user
    profile = ProfileForm(instance=user, prefix="profile")
    password = PasswordChangeForm(user, request=request, prefix="password")
    if request.method == "POST" and "profile-full_name" in request.POST:
        profile = ProfileForm(request.POST, instance=user, prefix="profile")
        if profile.is_valid():
            with transaction.atomic():
                profile.save()
                audit_log_write(actor=user, action="account.update", obj=user, fields=["full_name"])
            messages.success(request, _("Your name has been saved."))
            return redirect("accounts:account")
    elif request.method == "POST":
        password = PasswordChangeForm(user, request.POST, request=request, prefix="password")
        if password.is_valid():
            with transaction.atomic():
                password.save()
                audit_log_write(actor=user, action="account.password_change", obj=user)
            update_session_auth_hash(request, user)  # this session stays signed in
            messages.success(
                request,
                _(
                    "Your password has been changed. Your other sessions and your API access "
                    "tokens have been ended."
                ),
            )
            return redirect("accounts:account")
    # A lock answers 429, as the sign-in page does (django-axes keeps a view's own 429).
    locked = password.is_bound and password.has_error("old_password", code="locked")
    return render(
        request,
        "accounts/account.html",
        {"profile_form": profile, "password_form": password},
        status=429 if locked else 200,
    )


logout = auth_views.LogoutView.as_view()
