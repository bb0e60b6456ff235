from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tinhso.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_delete
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tinhso.accounts.models import AuthenticatorApp
        from tinhso.accounts.tokens import revoke_tokens_on_authenticator_reset

        # Deleting through the admin's proxy sends the signal with the proxy as its sender.
        for sender in (TOTPDevice, AuthenticatorApp):
            post_delete.connect(
                revoke_tokens_on_authenticator_reset,
                sender=sender,
                dispatch_uid=f"accounts.revoke_tokens_on_authenticator_reset.{sender.__name__}",
            )


class AdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` (in ``INSTALLED_APPS`` under this name) with its site behind
    the site's own sign-in and second factor (``tinhso.accounts.admin_site``)."""

    default = False
    default_site = "tinhso.accounts.admin_site.AdminSite"
