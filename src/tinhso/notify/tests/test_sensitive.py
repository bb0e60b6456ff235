"""Messages that carry a verification code: the code is kept only until the message is sent or
given up, and the delivery log in the admin never shows it."""

import pytest
from django.urls import reverse

from tinhso.accounts.signals import account_message
from tinhso.notify.channels import ChannelError
from tinhso.notify.constants import DeliveryStatus
from tinhso.notify.models import Delivery, NotificationTemplate
from tinhso.notify.services import delivery_attempt, notification_send

pytestmark = pytest.mark.django_db

CODE = "428613"
CONTEXT = {"code": CODE, "minutes": 10}


def codes_sent(**addresses) -> list[Delivery]:
    """What accounts asks for: its event, sent by notify's receiver."""
    account_message.send(
        sender=None,
        event="account.password_reset_code",
        user=None,
        context=CONTEXT,
        object=None,
        language="vi",
        **{"phone": "", "email": "", **addresses},
    )
    return list(Delivery.objects.filter(event="account.password_reset_code"))


def test_the_code_templates_are_sensitive_and_the_others_not():
    sensitive = set(
        NotificationTemplate.objects.filter(sensitive=True).values_list("event", flat=True)
    )
    assert sensitive == {"account.signup_code", "account.password_reset_code"}


def test_the_code_is_kept_until_sent_then_redacted():
    deliveries = codes_sent(phone="0912345678", email="an@example.vn")
    assert len(deliveries) == 2 and all(d.sensitive for d in deliveries)
    assert all(CODE in d.body for d in deliveries)  # needed until it is sent
    for delivery in deliveries:
        sent = delivery_attempt(delivery_id=delivery.pk)
        assert sent.status in {DeliveryStatus.SENT, DeliveryStatus.DELIVERED}
    for delivery in Delivery.objects.filter(pk__in=[d.pk for d in deliveries]):
        assert CODE not in delivery.body and CODE not in delivery.subject
        assert "••••••" in delivery.body
        assert "10" in delivery.body  # the rest of the message stays readable


def test_the_code_is_redacted_when_the_message_is_given_up(settings, monkeypatch):
    from tinhso.notify.contrib.demo import DemoChannel

    settings.NOTIFY_RETRY_DELAYS = []

    def refuse(self, message):
        raise ChannelError("gateway down", retry=False)

    monkeypatch.setattr(DemoChannel, "send", refuse)
    (delivery,) = codes_sent(phone="0912345678")
    given_up = delivery_attempt(delivery_id=delivery.pk)
    assert given_up.status == DeliveryStatus.GAVE_UP
    given_up.refresh_from_db()
    assert CODE not in given_up.body


def test_the_admin_never_shows_the_code(admin_client):
    (delivery,) = codes_sent(phone="0912345678")
    page = admin_client.get(reverse("admin:notify_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert CODE.encode() not in page.content  # not even while it waits to be sent
    listing = admin_client.get(reverse("admin:notify_delivery_changelist"))
    assert CODE.encode() not in listing.content


def test_other_messages_keep_their_text(admin_client):
    (delivery,) = notification_send(
        event="dossier.received", phone="0912345678", context={"code": "HS-2026-1234"}
    )
    delivery = delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert "HS-2026-1234" in delivery.body
    page = admin_client.get(reverse("admin:notify_delivery_change", args=[delivery.pk]))
    assert b"HS-2026-1234" in page.content
