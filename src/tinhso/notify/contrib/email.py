"""E-mail through Django's mail backend (the console in development)."""

from __future__ import annotations

from django.core.mail import send_mail

from tinhso.notify.channels import Channel, ChannelError, Message, SendResult, channels
from tinhso.notify.constants import ChannelKind


@channels.register("email")
class EmailChannel(Channel):
    kind = ChannelKind.EMAIL

    def send(self, message: Message) -> SendResult:
        try:
            send_mail(
                subject=message.subject,
                message=message.body,
                from_email=None,
                recipient_list=[message.address],
                fail_silently=False,
            )
        except Exception as error:  # the mail backend's own errors vary (SMTP, socket…)
            raise ChannelError(f"Mail backend error: {error.__class__.__name__}") from None
        return SendResult()
