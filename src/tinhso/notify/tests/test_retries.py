import datetime as dt

import pytest
from django.utils import timezone

from tinhso.notify import tasks
from tinhso.notify.channels import Channel, ChannelError, Message, SendResult, channels
from tinhso.notify.constants import DeliveryStatus
from tinhso.notify.models import Delivery
from tinhso.notify.services import delivery_attempt, notification_send

pytestmark = pytest.mark.django_db


class Flaky(Channel):
    """Fails ``failures`` times, then sends."""

    failures = 0
    calls = 0

    def send(self, message):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ChannelError("gateway busy")
        return SendResult(provider_message_id="ok-1")


@pytest.fixture
def flaky(settings):
    channels.register("flaky")(Flaky)
    settings.NOTIFY_SMS_BACKEND = "flaky"
    Flaky.calls = 0
    yield Flaky
    channels.unregister("flaky")


def queue_one() -> Delivery:
    return notification_send(event="dossier.received", phone="0912345678", context={})[0]


def test_retries_with_backoff_then_gives_up(flaky):
    flaky.failures = 99
    delivery = queue_one()
    now = timezone.now()
    waits = []
    for _ in range(5):
        delivery = delivery_attempt(delivery_id=delivery.pk, now=now)
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - now).total_seconds()))
            # Not due before the wait is over.
            early = now + dt.timedelta(seconds=waits[-1] - 1)
            assert delivery_attempt(delivery_id=delivery.pk, now=early) is None
            now = delivery.next_attempt_at
    assert waits == [60, 300, 1800, 7200]
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert delivery.attempts == 5 and delivery.address == ""
    assert delivery.error == "gateway busy"
    assert delivery_attempt(delivery_id=delivery.pk, now=now + dt.timedelta(days=1)) is None


def test_the_periodic_task_sends_due_retries(flaky, time_machine):
    flaky.failures = 1
    delivery = queue_one()
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert tasks.deliveries_retry.call() == 0  # not due yet
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=61))
    assert tasks.deliveries_retry.call() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert delivery.provider_message_id == "ok-1" and delivery.error == ""


def test_a_permanent_error_gives_up_at_once(settings, gateway):
    settings.NOTIFY_SMS_BACKEND = "speedsms"  # no token configured
    delivery = delivery_attempt(delivery_id=queue_one().pk)
    assert delivery.status == DeliveryStatus.GAVE_UP and delivery.attempts == 1
    assert "not configured" in delivery.error
    assert gateway.requests == []


def test_a_crashing_plugin_is_retried(flaky, monkeypatch):
    def boom(self, message):
        raise RuntimeError("bug 0912345678")

    monkeypatch.setattr(Flaky, "send", boom)
    delivery = delivery_attempt(delivery_id=queue_one().pk)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "Plugin error: RuntimeError"


def test_a_delivery_sent_again_after_its_worker_died_shows_once(settings):
    """The worker died between the demo channel taking the message and the outcome being
    recorded: when the lease ends, the retry finds the message already taken."""
    from tinhso.notify.models import DemoMessage

    settings.NOTIFY_SMS_BACKEND = "demo"
    delivery = queue_one()
    now = timezone.now()
    message = Message(
        address=delivery.address, subject="", body=delivery.body, reference=str(delivery.uuid)
    )
    channels.get("demo").send(message)  # what the dead worker got through
    Delivery.objects.filter(pk=delivery.pk).update(attempts=1)  # its claim, then nothing
    later = now + dt.timedelta(seconds=settings.NOTIFY_SEND_LEASE_SECONDS + 1)
    delivery = delivery_attempt(delivery_id=delivery.pk, now=later)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert DemoMessage.objects.filter(delivery=delivery).count() == 1


@pytest.mark.django_db(transaction=True)  # as in the worker: no transaction around it
def test_the_outcome_of_a_sent_message_waits_for_the_database(flaky, monkeypatch, settings):
    """Recording that a message left must not be lost to a database restart: it would be
    sent again when the lease ends."""
    from django.db import OperationalError

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    flaky.failures = 0
    delivery = queue_one()
    save = Delivery.save
    failures = iter([OperationalError("the database system is shutting down")])

    def save_after_a_restart(self, *args, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Delivery, "save", save_after_a_restart)
    sent = delivery_attempt(delivery_id=delivery.pk)
    assert sent.status == DeliveryStatus.SENT and flaky.calls == 1
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
