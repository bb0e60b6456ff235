"""The demo channel: needs no credentials, sends nothing, shows in the admin what would go out."""

from __future__ import annotations

from tinhso.core.privacy import mask_address
from tinhso.notify.channels import Channel, Message, SendResult, channels
from tinhso.notify.constants import ChannelKind


@channels.register("demo")
class DemoChannel(Channel):
    """Sends nothing: stores the message for the admin. Works for SMS and e-mail alike."""

    kind = ChannelKind.SMS

    def send(self, message: Message) -> SendResult:
        from tinhso.notify.models import Delivery, DemoMessage

        delivery = (
            Delivery.objects.filter(uuid=message.reference).first() if message.reference else None
        )
        # Like a gateway that takes an idempotency key (eSMS's RequestId): a delivery sent
        # again after its worker died between sending and recording is shown once.
        earlier = delivery and DemoMessage.objects.filter(delivery=delivery).first()
        if earlier:
            return SendResult(provider_message_id=f"demo-{earlier.pk}", delivered=True)
        demo = DemoMessage.objects.create(
            delivery=delivery,
            channel=delivery.channel if delivery else self.kind,
            address_masked=mask_address(message.address),
            subject=message.subject,
            body=message.body,
        )
        return SendResult(provider_message_id=f"demo-{demo.pk}", delivered=True)
