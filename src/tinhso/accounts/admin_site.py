"""The Django admin behind the site's own sign-in: no admin login page of its own (it would
skip the limiter and the second factor), and no admin page for a session that has not given
the second factor."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from tinhso.accounts.otp import second_factor_url, session_allowed
from tinhso.core.error_pages import local_path


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and session_allowed(request.user)

    def login(self, request, extra_context=None):
        """The site's sign-in page (with its limiter and second factor) instead of the admin's
        own; a signed-in person who may not use the admin gets 403, not a sign-in loop."""
        next_url = local_path(request.GET.get("next"), request) or reverse(
            "admin:index", current_app=self.name
        )
        user = request.user
        if user.is_authenticated:
            if not session_allowed(user):
                return redirect(second_factor_url(user, next_url))
            raise PermissionDenied
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
