"""SpeedSMS.vn brandname SMS (INTEGRATIONS.md: ``POST /index.php/sms/send``)."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings

from tinhso.notify.channels import Channel, ChannelError, Message, SendResult, channels
from tinhso.notify.constants import ChannelKind
from tinhso.notify.http import HttpError, post_json


@channels.register("speedsms")
class SpeedSmsChannel(Channel):
    """SpeedSMS.vn (``POST /index.php/sms/send``, HTTP Basic ``<token>:x``).

    Answer ``{"status": "success", "code": "00", "data": {"tranId": …, "invalidPhone": []}}``
    or ``{"status": "error", "code": …, "message": …}``. A number listed in ``invalidPhone``
    will never work: no retry.
    """

    kind = ChannelKind.SMS

    def send(self, message: Message) -> SendResult:
        token = settings.NOTIFY_SPEEDSMS_TOKEN
        if not token:
            raise ChannelError("SpeedSMS is not configured (NOTIFY_SPEEDSMS_TOKEN).", retry=False)
        auth = base64.b64encode(f"{token}:x".encode()).decode()
        payload = {
            "to": [message.address],
            "content": message.body,
            "sms_type": settings.NOTIFY_SPEEDSMS_SMS_TYPE,
            "sender": settings.NOTIFY_SPEEDSMS_SENDER,
        }
        try:
            answer = post_json(
                settings.NOTIFY_SPEEDSMS_URL, payload, headers={"Authorization": f"Basic {auth}"}
            )
        except HttpError as error:
            raise ChannelError(f"SpeedSMS: {error}") from None
        data: dict[str, Any] = answer["data"] if isinstance(answer.get("data"), dict) else {}
        invalid = data.get("invalidPhone") or answer.get("invalidPhone") or []
        if answer.get("status") == "success" and data.get("tranId") and not invalid:
            return SendResult(provider_message_id=str(data["tranId"]))
        if invalid:
            raise ChannelError("SpeedSMS: the phone number is invalid.", retry=False)
        code = str(answer.get("code", "?"))
        detail = str(answer.get("message") or "")[:200]
        raise ChannelError(f"SpeedSMS refused the message: code {code} {detail}".strip())
