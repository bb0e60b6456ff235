from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulerConfig(AppConfig):
    name = "tinhso.scheduler"
    label = "scheduler"
    verbose_name = _("Scheduled work")

    def ready(self) -> None:
        from tinhso.scheduler import tasks  # noqa: F401  (puts its housekeeping on the schedule)
