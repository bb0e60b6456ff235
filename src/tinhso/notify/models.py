"""Templates per event, each person's channel choices, the delivery log and the demo outbox."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.notify.constants import ChannelKind, DeliveryStatus, Event


class NotificationTemplate(models.Model):
    """What is said for one event, in Vietnamese and English (Django template syntax).

    Rendered with a context dict given by the sender (``code``, ``procedure``, ``tracking_url``…)
    as plain text: nothing is HTML-escaped. ``sms_*`` is the short text for SMS; when empty the
    body is sent. A ``legally_required`` message goes out even to a person who opted out.
    """

    event = models.CharField(_("event"), max_length=64, unique=True, choices=Event.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    legally_required = models.BooleanField(
        _("legally required"),
        default=False,
        help_text=_("The law requires this message: people cannot opt out of it."),
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "The message carries a secret (a verification code): its text is kept only until "
            "it is sent or given up, then its digits are hidden, and the delivery log never "
            "shows it."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    subject_vi = models.CharField(_("subject (Vietnamese)"), max_length=200)
    body_vi = models.TextField(_("body (Vietnamese)"))
    sms_vi = models.CharField(_("SMS (Vietnamese)"), max_length=320, blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("body (English)"), blank=True)
    sms_en = models.CharField(_("SMS (English)"), max_length=320, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        ordering = ["event"]

    def __str__(self):
        return self.event


class ChannelPreference(models.Model):
    """A person's choices: which channels, which language, which events they opted out of
    (legally required messages are sent anyway)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(_("by e-mail"), default=True)
    sms_enabled = models.BooleanField(_("by SMS"), default=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    opted_out_events = models.JSONField(_("opted out of"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def channel_enabled(self, kind: str) -> bool:
        return self.email_enabled if kind == ChannelKind.EMAIL else self.sms_enabled


class Delivery(models.Model):
    """One message to one address on one channel, and what became of it.

    The real address is kept in ``address`` only while the message may still be sent (queued or
    waiting for a retry) and is blanked as soon as it is sent or given up: the log keeps the
    masked form (``09******78``, ``n***@gmail.com``) for searching and reading. ``address`` is
    never written to log lines, shown in the admin, nor part of ``str()``; an encrypted column
    would add a key to manage for a value that lives minutes, so it is not encrypted. The same
    holds for the text of a ``sensitive`` message (a verification code): once sent or given up,
    its digits are replaced (``services.delivery_redact``), and the admin never shows it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ChannelKind.choices)
    backend = models.CharField(_("plugin"), max_length=32)
    address = models.CharField(max_length=254, blank=True, editable=False)
    address_masked = models.CharField(_("address"), max_length=254, db_index=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    once_key = models.CharField(max_length=120, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=64, blank=True)
    provider_status = models.CharField(_("provider status"), max_length=32, blank=True)
    error = models.TextField(_("error"), blank=True)
    # From the template: the text carries a secret (notify.services.delivery_redact).
    sensitive = models.BooleanField(_("sensitive"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["backend", "provider_message_id"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["once_key", "channel"],
                condition=~models.Q(once_key=""),
                name="delivery_once_per_key",
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.address_masked} ({self.channel})"


class DemoMessage(models.Model):
    """What the ``demo`` channel would have sent (it sends nothing): read it in the admin."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="demo_messages", null=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ChannelKind.choices)
    address_masked = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo message")
        verbose_name_plural = _("demo messages (not sent)")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.address_masked}: {self.subject or self.body[:40]}"
