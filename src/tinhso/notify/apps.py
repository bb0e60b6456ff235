from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "tinhso.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tinhso.notify import tasks  # noqa: F401  (puts its jobs on the schedule)
        from tinhso.notify.contrib import demo, email, esms, speedsms  # noqa: F401  (plugins)
