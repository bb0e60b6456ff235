import pytest
from django.core.exceptions import ImproperlyConfigured

from tinhso.notify.channels import Channel, SendResult, channel_for, channels
from tinhso.notify.constants import DeliveryStatus
from tinhso.notify.services import delivery_attempt, notification_send

pytestmark = pytest.mark.django_db


class Pigeon(Channel):
    sent: list = []

    def send(self, message):
        self.sent.append(message)
        return SendResult(provider_message_id="coo-1", delivered=True)


@pytest.fixture
def pigeon():
    channels.register("pigeon")(Pigeon)
    Pigeon.sent = []
    yield Pigeon
    channels.unregister("pigeon")


def test_the_builtin_plugins_are_registered():
    assert {"demo", "email", "esms", "speedsms"} <= set(channels.names())


def test_a_second_plugin_is_chosen_by_settings(pigeon, settings):
    assert "pigeon" in channels
    settings.NOTIFY_SMS_BACKEND = "pigeon"
    assert isinstance(channel_for("sms"), Pigeon)
    delivery = notification_send(event="dossier.received", phone="0912345678", context={})[0]
    assert delivery.backend == "pigeon"
    delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [m.address for m in pigeon.sent] == ["0912345678"]


def test_an_unknown_plugin_is_a_configuration_error(settings):
    settings.NOTIFY_SMS_BACKEND = "nope"
    with pytest.raises(ImproperlyConfigured, match="known: demo, email, esms, speedsms"):
        channel_for("sms")


def test_with_nothing_configured_no_message_reaches_the_console_log():
    """Messages name people: until an operator configures mail, e-mails go to the demo channel
    (shown in the admin), not to Django's console backend (the server's log)."""
    import os

    if "NOTIFY_EMAIL_BACKEND" in os.environ:
        return
    from tinhso import settings as defaults

    assert defaults.NOTIFY_EMAIL_BACKEND == "demo" and defaults.NOTIFY_SMS_BACKEND == "demo"
