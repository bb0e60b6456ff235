"""The installed third-party apps under Vietnamese names in the admin.

``INSTALLED_APPS`` lists these configurations instead of the packages' own, which name their
apps in English ("Axes", "Otp_Totp", "Tasks Database Backend") without a translation. Only the
``verbose_name`` changes: labels, models and migrations stay the packages'. The packages' own
gettext strings (axes' field names, django-tasks' columns) are translated in the project
catalogue, ``src/tinhso/locale/vi``.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in protection")


class AuthenticatorConfig(TOTPConfig):
    verbose_name = _("Authenticator apps (django-otp)")


class BackupCodesConfig(StaticConfig):
    verbose_name = _("Backup codes (django-otp)")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]
