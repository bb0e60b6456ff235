from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from tinhso.accounts.forms import LoginForm, RegisterForm
from tinhso.accounts.otp import second_factor_step
from tinhso.core.audit import audit_log_write
from tinhso.core.ratelimit import client_ip, rate_limit_hit
from tinhso.core.text import fold


def _rate_per_ip() -> str:
    """Failed sign-ins (and registrations) allowed per client address in a window."""
    return getattr(settings, "LOGIN_RATE_LIMIT_IP", "20/10m")


def _rate_per_login() -> str:
    """Failed sign-ins allowed per login name (phone or e-mail) in a window."""
    return getattr(settings, "LOGIN_RATE_LIMIT_LOGIN", "5/10m")


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _login_keys(request, login: str) -> list[tuple[str, str]]:
    keys = [(f"login-ip:{client_ip(request)}", _rate_per_ip())]
    if login:
        keys.append((f"login-name:{fold(login)}", _rate_per_login()))
    return keys


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    status = 200
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        keys = _login_keys(request, request.POST.get("login", "").strip())
        if any(rate_limit_hit(key, rate, increment=False) for key, rate in keys):
            form = LoginForm(request, initial={"login": request.POST.get("login", "")})
            form.limited = True
            status = 429
        elif form.is_valid():
            auth_login(request, form.user)
            # Officers and administrators give a code from their authenticator app next.
            second_step = second_factor_step(request, _next_url(request))
            return second_step or redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
        else:
            for key, rate in keys:
                rate_limit_hit(key, rate)
    else:
        form = LoginForm(request)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _next_url(request), "limited": getattr(form, "limited", False)},
        status=status,
    )


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def register(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if request.method == "POST":
        if rate_limit_hit(f"register-ip:{client_ip(request)}", _rate_per_ip()):
            form = RegisterForm(request.POST)
            form.is_valid()
            return render(
                request, "accounts/register.html", {"form": form, "limited": True}, status=429
            )
        form = RegisterForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    user = form.save()
                    audit_log_write(actor=user, action="account.register", obj=user)
            except (IntegrityError, ValidationError):
                # Someone registered the same phone or e-mail a moment ago.
                form.add_error(
                    None, _("An account with this phone number or e-mail address already exists.")
                )
            else:
                auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                messages.success(request, _("Welcome! Your account has been created."))
                return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    else:
        form = RegisterForm()
    return render(request, "accounts/register.html", {"form": form, "next": _next_url(request)})


logout = auth_views.LogoutView.as_view()
