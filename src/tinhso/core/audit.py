"""The audit log: one row per write, never edited. Personal data never goes in ``data``."""

from typing import Any

from django.db import models

from tinhso.core.actors import actor_system_name, actor_user
from tinhso.core.models import AuditLog


def audit_log_write(*, actor: Any, action: str, obj: models.Model, **data: Any) -> AuditLog:
    """Append one row: ``actor`` is a user, a ``SystemActor`` (stored by name) or ``None``;
    ``action`` is ``"<noun>.<verb>"``; ``data`` is JSON without personal data."""
    return AuditLog.objects.create(
        actor=actor_user(actor),
        actor_system=actor_system_name(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data=data,
    )
