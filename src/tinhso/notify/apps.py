from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "tinhso.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tinhso.notify import channels, tasks  # noqa: F401  (registers plugins and the schedule)
