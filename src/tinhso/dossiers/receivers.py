"""Listeners of the dossier's own domain events (connected in ``DossiersConfig.ready``)."""

from typing import Any

from django.dispatch import receiver

from tinhso.dossiers.signals import dossier_event


@receiver(dossier_event, dispatch_uid="dossiers.notify_applicant")
def notify_applicant(sender: Any, *, dossier_id: int, event: str, **kwargs: Any) -> None:
    """Tell the applicant what happened, through the task worker."""
    from tinhso.dossiers.tasks import dossier_notify

    dossier_notify.enqueue(dossier_id=dossier_id, action=event)
