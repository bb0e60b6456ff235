"""eSMS.vn brandname SMS (INTEGRATIONS.md: ``SendMultipleMessage_V4_post_json``)."""

from __future__ import annotations

from django.conf import settings

from tinhso.notify.channels import (
    Channel,
    ChannelError,
    Message,
    SendResult,
    callback_url,
    channels,
)
from tinhso.notify.constants import ChannelKind
from tinhso.notify.http import HttpError, post_json


def _unicode(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text)


@channels.register("esms")
class EsmsChannel(Channel):
    """eSMS.vn brandname SMS (``SendMultipleMessage_V4_post_json``).

    Answer ``{"CodeResult": "100", "SMSID": …}`` means accepted; any other code is an error
    (101 authentication failed, 103 balance too low, 104 brandname not registered…). The
    delivery report comes later as a GET to ``CallbackUrl`` (``views.esms_report``).
    """

    kind = ChannelKind.SMS

    def send(self, message: Message) -> SendResult:
        if not (settings.NOTIFY_ESMS_API_KEY and settings.NOTIFY_ESMS_SECRET_KEY):
            raise ChannelError("eSMS is not configured (NOTIFY_ESMS_API_KEY).", retry=False)
        payload = {
            "ApiKey": settings.NOTIFY_ESMS_API_KEY,
            "SecretKey": settings.NOTIFY_ESMS_SECRET_KEY,
            "Phone": message.address,
            "Content": message.body,
            "Brandname": settings.NOTIFY_ESMS_BRANDNAME,
            "SmsType": settings.NOTIFY_ESMS_SMS_TYPE,
            "IsUnicode": "1" if _unicode(message.body) else "0",
            "Sandbox": "1" if settings.NOTIFY_ESMS_SANDBOX else "0",
            "RequestId": message.reference,
        }
        if url := callback_url("esms"):
            payload["CallbackUrl"] = url
        try:
            answer = post_json(settings.NOTIFY_ESMS_URL, payload)
        except HttpError as error:
            raise ChannelError(f"eSMS: {error}") from None
        code = str(answer.get("CodeResult", ""))
        if code == "100" and answer.get("SMSID"):
            return SendResult(provider_message_id=str(answer["SMSID"]))
        detail = str(answer.get("ErrorMessage") or "")[:200]
        raise ChannelError(f"eSMS refused the message: CodeResult {code or '?'} {detail}".strip())
