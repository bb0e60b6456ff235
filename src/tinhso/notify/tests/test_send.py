import logging

import pytest

from tinhso.notify.constants import DeliveryStatus
from tinhso.notify.models import Delivery, DemoMessage, NotificationTemplate
from tinhso.notify.services import notification_send, preference_set
from tinhso.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "0912345678"
EMAIL = "nguyen.an@gmail.com"


@pytest.fixture
def person():
    return UserFactory(username="an", phone=PHONE, email=EMAIL)


def send(event="dossier.received", **kwargs):
    kwargs.setdefault("context", {"code": "HS-1", "tracking_url": "http://x/t"})
    return notification_send(event=event, **kwargs)


def test_sends_on_every_channel_of_the_person(person, on_commit, mailoutbox):
    with on_commit():
        deliveries = send(recipient_user=person)
    assert sorted(d.channel for d in deliveries) == ["email", "sms"]
    sms = Delivery.objects.get(channel="sms")
    email = Delivery.objects.get(channel="email")
    # SMS through the demo plugin (delivered at once, recorded), e-mail through Django's mail.
    assert sms.status == DeliveryStatus.DELIVERED and sms.backend == "demo"
    assert email.status == DeliveryStatus.SENT and email.backend == "email"
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert mailoutbox[0].subject == "Hồ sơ HS-1 đã được tiếp nhận"
    demo = DemoMessage.objects.get()
    assert demo.address_masked == "09******78" and "HS-1" in demo.body
    # Once sent, only the masked address is kept.
    assert {d.address_masked for d in Delivery.objects.all()} == {"09******78", "n***@gmail.com"}
    assert set(Delivery.objects.values_list("address", flat=True)) == {""}


def test_nothing_leaves_before_the_commit(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(recipient_user=person)
    assert len(callbacks) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.QUEUED}
    assert not DemoMessage.objects.exists()


def test_opt_out_is_respected(person):
    preference_set(user=person, opted_out_events=["dossier.received"])
    assert send(recipient_user=person) == []
    assert not Delivery.objects.exists()


def test_channel_switches_are_respected(person):
    preference_set(user=person, sms_enabled=False)
    assert [d.channel for d in send(recipient_user=person)] == ["email"]


def test_legally_required_messages_ignore_the_opt_out_and_the_switches(person):
    assert NotificationTemplate.objects.get(event="dossier.apology").legally_required
    preference_set(
        user=person, sms_enabled=False, email_enabled=False, opted_out_events=["dossier.apology"]
    )
    deliveries = send("dossier.apology", recipient_user=person)
    assert sorted(d.channel for d in deliveries) == ["email", "sms"]


def test_the_persons_language_is_used(person):
    preference_set(user=person, language="en")
    delivery = send(recipient_user=person, email="x@example.vn")[0]
    assert delivery.language == "en"
    assert Delivery.objects.get(channel="email").subject == "Dossier HS-1 has been received"


def test_a_person_without_an_account(on_commit):
    with on_commit():
        deliveries = send(phone=PHONE)
    assert [d.channel for d in deliveries] == ["sms"]
    assert deliveries[0].recipient is None


def test_once_key_sends_once(person):
    assert len(send(recipient_user=person, once_key="k:1")) == 2
    assert send(recipient_user=person, once_key="k:1") == []
    assert Delivery.objects.count() == 2


def test_an_inactive_or_unknown_template_sends_nothing(person):
    NotificationTemplate.objects.filter(event="dossier.received").update(active=False)
    assert send(recipient_user=person) == []
    assert send("no.such.event", recipient_user=person) == []


def test_no_phone_or_email_in_log_lines(person, on_commit, caplog, settings, gateway):
    caplog.set_level(logging.DEBUG)
    settings.NOTIFY_SMS_BACKEND = "esms"
    settings.NOTIFY_ESMS_API_KEY = settings.NOTIFY_ESMS_SECRET_KEY = "k"
    gateway.answer("esms_send_auth_failed.json")
    with on_commit():
        send(recipient_user=person)
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "09******78" in text  # the log does name the (masked) recipient
    assert PHONE not in text and EMAIL not in text
    assert PHONE not in Delivery.objects.get(channel="sms").error


def test_the_service_never_stores_an_opt_out_of_a_legally_required_message(db):
    from tinhso.notify.models import NotificationTemplate
    from tinhso.notify.services import preference_set
    from tinhso.testing.factories import UserFactory

    required = NotificationTemplate.objects.filter(legally_required=True).first()
    optional = NotificationTemplate.objects.filter(legally_required=False).first()
    assert required and optional
    preference = preference_set(
        user=UserFactory(), opted_out_events=[required.event, optional.event]
    )
    assert preference.opted_out_events == [optional.event]
