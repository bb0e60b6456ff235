from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "tinhso.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tinhso.notify import (
            receivers,  # noqa: F401  (sends what other apps ask for)
            tasks,  # noqa: F401  (puts its jobs on the schedule)
        )
        from tinhso.notify.contrib import demo, email, esms, speedsms  # noqa: F401  (plugins)

        post_migrate.connect(templates_ensure, sender=self)


def templates_ensure(using: str = "default", **kwargs: Any) -> None:
    """Create the default template of every event that has none (never changes an edited one).

    After every migrate, and after a database flush (which also sends ``post_migrate``), so the
    platform always has a message for each event."""
    from tinhso.notify.defaults import DEFAULT_TEMPLATES
    from tinhso.notify.models import NotificationTemplate

    for values in DEFAULT_TEMPLATES:
        values = dict(values)
        NotificationTemplate.objects.using(using).get_or_create(
            event=values.pop("event"), defaults=values
        )
