"""Listeners of the dossier's own domain events (connected in ``DossiersConfig.ready``)."""

from typing import Any

from django.dispatch import receiver

from tinhso.dossiers.signals import dossier_event
from tinhso.dossiers.tasks import applicant_event, dossier_notify


@receiver(dossier_event, dispatch_uid="dossiers.notify_applicant")
def notify_applicant(
    sender: Any, *, dossier_id: int, event: str, event_id: int, to_status: int, **kwargs: Any
) -> None:
    """Tell the applicant what happened (``notify``, through the task worker), for the
    actions that concern them."""
    if applicant_event(event, to_status) is None:
        return
    dossier_notify.enqueue(dossier_id=dossier_id, action=event, event_id=event_id)
