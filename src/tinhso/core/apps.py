from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tinhso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from tinhso.core import (
            checks,  # noqa: F401  (registers the system checks)
            signals,
        )

        post_migrate.connect(cache_table_ensure, sender=self)
        # Every model's text in NFC, for every way in (ADR 8).
        pre_save.connect(signals.text_normalize_on_save, dispatch_uid="core.text_nfc")
        post_save.connect(signals.derived_text_after_partial_save, dispatch_uid="core.text_derived")

        from tinhso.core.calendar import calendar_days_changed

        # The working calendar caches these tables; any change drops the cached copy.
        for model in ("CalendarDay", "AnnouncedYear", "AnnouncedDay"):
            sender = self.get_model(model)
            post_save.connect(calendar_days_changed, sender=sender, dispatch_uid=f"cal-{model}")
            post_delete.connect(calendar_days_changed, sender=sender, dispatch_uid=f"cal-{model}")


def cache_table_ensure(using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    """Create the shared cache's table (``core.cache``) after every migrate, so rate limits are
    shared by every server process with nothing else to run; with Redis there is none to make."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
