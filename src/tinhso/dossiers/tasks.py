"""Background work for dossiers: thin tasks that call services or send messages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django_tasks import task

from tinhso.core.numbers import number
from tinhso.scheduler import cron

# The dossier's history action → the notification event sent to the applicant.
APPLICANT_EVENTS = {
    "receive": "dossier.received",
    "request_supplement": "dossier.supplement_requested",
    "request_payment": "dossier.payment_requested",
    "finish": "dossier.result_ready",
    "reject": "dossier.result_ready",
    "apology": "dossier.apology",
}
# Actions whose comment is written for the applicant (the reason, what to bring, the fee note).
PUBLIC_COMMENT_ACTIONS = {"request_supplement", "request_payment", "reject", "apology"}


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def applicant_event(action: str, to_status: int | None) -> str | None:
    """The notification event for a history action, or ``None`` (nothing to tell)."""
    return APPLICANT_EVENTS.get(action)


@task()
def dossier_notify(*, dossier_id: int, action: str, event_id: int | None = None) -> int:
    """Tell the applicant what happened to their dossier, on their channels (``notify``).
    Returns how many deliveries were queued."""
    from tinhso.dossiers.constants import Status
    from tinhso.dossiers.models import Dossier, DossierEvent
    from tinhso.dossiers.selectors import dossier_tracking_url
    from tinhso.notify.services import notification_send

    dossier = Dossier.objects.select_related("procedure", "applicant").filter(pk=dossier_id).first()
    history = DossierEvent.objects.filter(pk=event_id).first() if event_id else None
    if dossier is None:
        return 0
    event = applicant_event(action, history.to_status if history else dossier.status)
    if event is None:
        return 0
    data = history.data if history else {}
    context = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "applicant_name": dossier.applicant_name,
        "status": Status(dossier.status).label,
        "tracking_url": dossier_tracking_url(dossier),
        "due_at": _when(dossier.due_at),
        # Formatted when the message is rendered, in its language: "200.000" / "200,000".
        "fee_amount": lazy(number, str)(dossier.fee_amount) if dossier.fee_amount else "",
        "comment": history.comment if history and action in PUBLIC_COMMENT_ACTIONS else "",
        "new_due_at": _when(dt.datetime.fromisoformat(data["new_due_at"]))
        if data.get("new_due_at")
        else "",
    }
    if action == "request_payment":  # the amount requested, what for, how, where, by when
        context.update(
            fee_amount=lazy(number, str)(data.get("amount") or dossier.fee_amount),
            purpose=data.get("purpose", ""),
            pay_at=data.get("pay_at", ""),
            bank_details=data.get("bank_details", ""),
            pay_by=_when(dt.datetime.fromisoformat(data["pay_by"])) if data.get("pay_by") else "",
        )
    deliveries = notification_send(
        event=event,
        recipient_user=dossier.applicant,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        context=context,
        object=dossier,
    )
    return len(deliveries)


@cron(settings.SCHEDULE_APOLOGIES)
@task()
def apologies_draft_overdue() -> int:
    """Draft apology letters (form 04) for the overdue dossiers; run daily."""
    from tinhso.dossiers import services

    return services.apologies_draft_overdue()


@cron(settings.SCHEDULE_DUE_SOON)
@task()
def due_soon_remind() -> int:
    """Remind each assignee of their dossiers due within DUE_SOON_WORKING_DAYS (once a day)."""
    from tinhso.core.calendar import get_calendar
    from tinhso.dossiers.constants import ACTIVE_STATUSES
    from tinhso.dossiers.models import Dossier
    from tinhso.notify.services import notification_send

    now = timezone.now()
    soon = get_calendar().add_working_days(now, settings.DUE_SOON_WORKING_DAYS)
    due = Dossier.objects.select_related("procedure", "assignee").filter(
        status__in=list(ACTIVE_STATUSES), due_at__gt=now, due_at__lte=soon, assignee__isnull=False
    )
    today = timezone.localdate(now).isoformat()
    sent = 0
    for dossier in due.order_by("due_at", "pk").iterator():
        officer = dossier.assignee
        assert officer is not None  # filtered above
        sent += bool(
            notification_send(
                event="dossier.due_soon",
                recipient_user=officer,
                context={
                    "code": dossier.code,
                    "procedure": dossier.procedure.name,
                    "due_at": _when(dossier.due_at),
                    "officer_name": officer.full_name or officer.get_username(),
                    "office_url": settings.SITE_URL
                    + reverse("office:dossier", kwargs={"pk": dossier.pk}),
                },
                object=dossier,
                once_key=f"dossier.due_soon:{dossier.pk}:{officer.pk}:{today}",
            )
        )
    return sent
