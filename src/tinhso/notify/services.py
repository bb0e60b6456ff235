"""Every write of notifications: send for an event, attempt a delivery, record a report.

``notification_send`` decides who gets what on which channel and writes ``Delivery`` rows; the
task worker sends them after commit (``tasks.delivery_send``). A failed attempt is retried
after ``NOTIFY_RETRY_DELAYS`` (1 min, 5 min, 30 min, 2 h), then the delivery is given up;
``tasks.deliveries_retry`` (every minute on the scheduler) picks up the due retries.
Log lines name deliveries by id and masked address only.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connections,
    models,
    transaction,
)
from django.db.models import F
from django.template import Context, Template
from django.utils import timezone, translation

from tinhso.core.audit import audit_log_write
from tinhso.core.privacy import mask_address, redact
from tinhso.core.validators import phone_takes_sms
from tinhso.notify.channels import ChannelError, Message, channel_for, channels
from tinhso.notify.constants import PENDING_STATUSES, ChannelKind, DeliveryStatus
from tinhso.notify.models import ChannelPreference, Delivery, NotificationTemplate

logger = logging.getLogger("tinhso.notify")


def _send_lease() -> dt.timedelta:
    """How long a worker may hold a delivery it is sending before another may try it again
    (``NOTIFY_SEND_LEASE_SECONDS``): longer than any gateway takes to answer."""
    return dt.timedelta(seconds=settings.NOTIFY_SEND_LEASE_SECONDS)


def _render(source: str, context: Mapping[str, Any]) -> str:
    return Template(source).render(Context(dict(context), autoescape=False)).strip()


def template_render(
    template: NotificationTemplate, context: Mapping[str, Any], language: str
) -> tuple[str, str, str]:
    """``(subject, body, sms)`` in ``language`` (Vietnamese where English is missing)."""
    english = language == "en" and bool(template.body_en.strip())
    subject = template.subject_en if english and template.subject_en else template.subject_vi
    body = template.body_en if english else template.body_vi
    sms = (template.sms_en if english else template.sms_vi) or body
    # Lazy translations in the context (status labels…) render in the message's language.
    with translation.override("en" if english else "vi"):
        return _render(subject, context), _render(body, context), _render(sms, context)


def _preference(user: Any) -> ChannelPreference:
    if user is None or user.pk is None:
        return ChannelPreference()
    return ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)


@transaction.atomic
def notification_send(
    *,
    event: str,
    recipient_user: Any = None,
    phone: str = "",
    email: str = "",
    context: Mapping[str, Any],
    object: models.Model | None = None,  # noqa: A002  (the name callers read best)
    language: str = "vi",
    once_key: str = "",
) -> list[Delivery]:
    """Queue the message for ``event`` to a person on each of their channels.

    Addresses default to the user's phone and e-mail. A person's opt-out of the event and
    their channel switches are respected unless the template is legally required (then every
    known address is used). With ``once_key`` a second call with the same key sends nothing
    (e.g. one reminder per dossier per day). Returns the deliveries created.
    """
    template = NotificationTemplate.objects.filter(event=event, active=True).first()
    if template is None:
        logger.warning("No active notification template for %s: nothing sent.", event)
        return []
    preference = _preference(recipient_user)
    if recipient_user is not None:
        phone = phone or getattr(recipient_user, "phone", "") or ""
        email = email or getattr(recipient_user, "email", "") or ""
        if preference.pk:
            language = preference.language or language
    if not template.legally_required and event in (preference.opted_out_events or []):
        logger.info("Recipient opted out of %s: nothing sent.", event)
        return []
    # A landline is a contact number, but no text message reaches it.
    sms_to = phone.strip() if phone_takes_sms(phone) else ""
    addresses = {ChannelKind.SMS: sms_to, ChannelKind.EMAIL: email.strip()}
    known = [kind for kind, address in addresses.items() if address]
    chosen = [kind for kind in known if preference.channel_enabled(kind)]
    if template.legally_required and not chosen:
        chosen = known  # the law wins over the person's switches
    subject, body, sms = template_render(template, context, language)
    now = timezone.now()
    deliveries = []
    for kind in chosen:
        plugin = channel_for(kind)
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    event=event,
                    recipient=recipient_user if getattr(recipient_user, "pk", None) else None,
                    channel=kind,
                    backend=plugin.identifier,
                    address=addresses[kind],
                    address_masked=mask_address(addresses[kind]),
                    language=language,
                    subject=subject[:200] if kind == ChannelKind.EMAIL else "",
                    body=body if kind == ChannelKind.EMAIL else sms,
                    sensitive=template.sensitive,
                    object_type=object._meta.label_lower if object is not None else "",
                    object_id=str(object.pk) if object is not None else "",
                    once_key=once_key,
                    next_attempt_at=now,
                )
        except IntegrityError:  # already sent under this once_key
            continue
        deliveries.append(delivery)
        logger.info(
            "Delivery %s queued: %s to %s by %s",
            delivery.pk,
            event,
            delivery.address_masked,
            delivery.backend,
        )
    if deliveries:
        ids = [delivery.pk for delivery in deliveries]
        # Robust: after the commit a failure to enqueue (the database going away) is logged and
        # never turns the committed write into an error; the rows wait for the sweep.
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return deliveries


def _enqueue(ids: list[int]) -> None:
    from tinhso.notify.tasks import delivery_send

    for delivery_id in ids:
        delivery_send.enqueue(delivery_id=delivery_id)


def _retry_delays() -> list[int]:
    return [int(seconds) for seconds in settings.NOTIFY_RETRY_DELAYS]


def delivery_attempt(*, delivery_id: int, now: dt.datetime | None = None) -> Delivery | None:
    """Try to send one delivery if it is due; record the outcome. Safe to call twice: a
    delivery is claimed with a conditional update (a lease), and the gateway is called outside
    any transaction so no row stays locked while it answers."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=PENDING_STATUSES, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + _send_lease(), updated_at=now)
    if not claimed:
        return None
    delivery = Delivery.objects.get(pk=delivery_id)
    message = Message(
        address=delivery.address,
        subject=delivery.subject,
        body=delivery.body,
        reference=str(delivery.uuid),
    )
    try:
        result = channels.get(delivery.backend).send(message)
    except ChannelError as error:
        return _attempt_failed(delivery, redact(str(error), delivery.address), error.retry, now)
    except (OperationalError, InterfaceError):
        # Our database went away under a plugin that uses it (the demo channel): the worker
        # puts the task back; the lease keeps the delivery until then.
        raise
    except Exception as error:  # a plugin bug must not lose the message: retry it
        logger.exception("Delivery %s: plugin %s crashed", delivery.pk, delivery.backend)
        return _attempt_failed(delivery, f"Plugin error: {error.__class__.__name__}", True, now)
    delivery.status = DeliveryStatus.DELIVERED if result.delivered else DeliveryStatus.SENT
    delivery.provider_message_id = result.provider_message_id[:64]
    delivery.sent_at = now
    delivery.delivered_at = now if result.delivered else None
    delivery.next_attempt_at = None
    delivery.error = ""
    delivery.address = ""  # no longer needed: keep only the mask
    delivery_redact(delivery)
    _outcome_save(delivery)
    logger.info(
        "Delivery %s %s to %s by %s (attempt %s)",
        delivery.pk,
        delivery.status,
        delivery.address_masked,
        delivery.backend,
        delivery.attempts,
    )
    return delivery


def _outcome_save(delivery: Delivery, *, patience: float | None = None) -> None:
    """Record what the gateway did with a delivery, waiting for the database if it went away
    meanwhile (a restart): once a message has left, losing its outcome would send it again
    when the lease ends. Waits at most ``patience`` seconds (half the lease), then raises."""
    patience = _send_lease().total_seconds() / 2 if patience is None else patience
    deadline = time.monotonic() + patience
    pause = 0.2
    while True:
        try:
            delivery.save()
            return
        except (OperationalError, InterfaceError):
            if time.monotonic() + pause > deadline or transaction.get_connection().in_atomic_block:
                raise  # out of patience, or inside a transaction that is lost anyway
            logger.warning("Delivery %s: database unavailable, outcome kept", delivery.pk)
            for connection in connections.all(initialized_only=True):
                try:
                    connection.close()
                except DatabaseError:
                    connection.connection = None
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


# Runs of digits in a sensitive message: the codes (6 digits); the few other numbers of those
# templates ("10 minutes") are shorter.
_SECRET_DIGITS = re.compile(r"\d{4,}")
REDACTED = "••••••"


def delivery_redact(delivery: Delivery) -> None:
    """Hide the secret in a ``sensitive`` delivery's text once it is no longer needed (sent or
    given up): every run of four or more digits becomes ``••••••``, in the subject and the body.
    Changes ``delivery`` in memory; the caller saves it. Nothing for other deliveries."""
    if delivery.sensitive:
        delivery.subject = _SECRET_DIGITS.sub(REDACTED, delivery.subject)
        delivery.body = _SECRET_DIGITS.sub(REDACTED, delivery.body)


def _attempt_failed(delivery: Delivery, error: str, retry: bool, now: dt.datetime) -> Delivery:
    delays = _retry_delays()
    delivery.error = error[:1000]
    if retry and delivery.attempts <= len(delays):
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = now + dt.timedelta(seconds=delays[delivery.attempts - 1])
    else:
        delivery.status = DeliveryStatus.GAVE_UP
        delivery.next_attempt_at = None
        delivery.address = ""
        delivery_redact(delivery)
    delivery.save()
    logger.warning(
        "Delivery %s to %s by %s failed (attempt %s, %s): %s",
        delivery.pk,
        delivery.address_masked,
        delivery.backend,
        delivery.attempts,
        delivery.status,
        delivery.error,
    )
    return delivery


def deliveries_retry_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Attempt every delivery whose (next) attempt is due; how many were attempted."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status__in=PENDING_STATUSES, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(delivery_attempt(delivery_id=pk, now=now) is not None for pk in ids)


@transaction.atomic
def delivery_report_record(
    *, backend: str, provider_message_id: str, delivered: bool | None, provider_status: str
) -> Delivery | None:
    """A gateway's delivery report: ``delivered`` True/False, or None while still on its way.
    Returns ``None`` when no delivery of that plugin has that message id (nothing changes)."""
    if not provider_message_id:
        return None
    delivery = (
        Delivery.objects.select_for_update()
        .filter(backend=backend, provider_message_id=provider_message_id)
        .first()
    )
    if delivery is None:
        return None
    delivery.provider_status = provider_status[:32]
    if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.DELIVERED):
        if delivered is True:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = delivery.delivered_at or timezone.now()
            delivery.error = ""
        elif delivered is False and delivery.status != DeliveryStatus.DELIVERED:
            # Refused by the operator after the gateway took it: sending again could
            # duplicate the message, so it is not retried.
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            delivery.error = f"{backend} reported status {provider_status}"
    delivery.save()
    logger.info(
        "Delivery %s report from %s: %s (%s)",
        delivery.pk,
        backend,
        provider_status,
        delivery.status,
    )
    return delivery


@transaction.atomic
def preference_set(
    *,
    user: Any,
    email_enabled: bool | None = None,
    sms_enabled: bool | None = None,
    language: str | None = None,
    opted_out_events: list[str] | None = None,
) -> ChannelPreference:
    """Change a person's notification choices."""
    preference, _created = ChannelPreference.objects.select_for_update().get_or_create(user=user)
    if email_enabled is not None:
        preference.email_enabled = email_enabled
    if sms_enabled is not None:
        preference.sms_enabled = sms_enabled
    if language is not None:
        preference.language = language
    if opted_out_events is not None:
        # Nobody opts out of a legally required message, whatever the caller sends.
        required = set(
            NotificationTemplate.objects.filter(legally_required=True).values_list(
                "event", flat=True
            )
        )
        preference.opted_out_events = sorted(set(opted_out_events) - required)
    preference.save()
    audit_log_write(
        actor=user,
        action="notification_preference.set",
        obj=preference,
        email_enabled=preference.email_enabled,
        sms_enabled=preference.sms_enabled,
        language=preference.language,
        opted_out_events=preference.opted_out_events,
    )
    return preference
