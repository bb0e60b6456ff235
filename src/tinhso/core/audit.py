"""The audit log: one row per write, never edited. Personal data never goes in ``data``."""

from django.db import models

from tinhso.core.models import AuditLog


def audit_log_write(*, actor, action: str, obj: models.Model, **data) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data=data,
    )
