"""Notification channel plugins (``core.plugins.Registry``): how a rendered message leaves.

- ``email``: Django's mail backend (the console in development).
- ``esms``, ``speedsms``: the Vietnamese SMS brandname gateways, through their documented HTTP
  APIs (docs/INTEGRATIONS: eSMS ``SendMultipleMessage_V4_post_json``, SpeedSMS
  ``/index.php/sms/send``); credentials come from settings.
- ``demo``: sends nothing and records what would have gone out (admin → Demo messages).

E-mail goes through ``NOTIFY_EMAIL_BACKEND`` (default ``email``) and SMS through
``NOTIFY_SMS_BACKEND`` (default ``demo``). A plugin raises ``ChannelError`` when a message did
not leave; ``retry=False`` means trying again cannot help (bad number, nothing configured).
Plugins never put the address in an error text or a log line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from tinhso.core.plugins import Registry
from tinhso.notify.constants import ChannelKind
from tinhso.notify.http import HttpError, post_json
from tinhso.notify.privacy import mask_address


@dataclass(frozen=True)
class Message:
    address: str
    body: str
    subject: str = ""
    # The delivery's UUID: the request id at the gateway, never personal data.
    reference: str = ""


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str = ""
    # True when the plugin knows the message arrived (no delivery report will follow).
    delivered: bool = False


class ChannelError(Exception):
    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


class Channel:
    """A way to send a message. ``kind`` says which address it needs."""

    identifier: str = ""
    kind: str = ChannelKind.SMS

    def send(self, message: Message) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError


channels: Registry[Channel] = Registry("notification channel")


def channel_for(kind: str) -> Channel:
    """The active plugin for a kind of address, as settings choose it."""
    name = (
        settings.NOTIFY_EMAIL_BACKEND if kind == ChannelKind.EMAIL else settings.NOTIFY_SMS_BACKEND
    )
    return channels.active(name)


def callback_token(provider: str) -> str:
    """The secret in a gateway's delivery-report URL: ``NOTIFY_<PROVIDER>_CALLBACK_TOKEN``, or
    derived from ``SECRET_KEY`` so that callbacks work with nothing else configured. With the
    public default ``SECRET_KEY`` anyone could compute it, so then there is none (``""``) and
    every report is refused until the operator sets a secret key or a token."""
    configured = getattr(settings, f"NOTIFY_{provider.upper()}_CALLBACK_TOKEN", "")
    if configured:
        return str(configured)
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"tinhso.notify.callback:{provider}".encode(), hashlib.sha256).hexdigest()[
        :40
    ]


def callback_url(provider: str) -> str:
    """Where the gateway posts delivery reports; ``""`` while no secret token can be made."""
    token = callback_token(provider)
    if not token:
        return ""
    return settings.SITE_URL + reverse(f"notify:{provider}_report", kwargs={"token": token})


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


@channels.register("demo")
class DemoChannel(Channel):
    """Sends nothing: stores the message for the admin. Works for SMS and e-mail alike."""

    kind = ChannelKind.SMS

    def send(self, message: Message) -> SendResult:
        from tinhso.notify.models import Delivery, DemoMessage

        delivery = (
            Delivery.objects.filter(uuid=message.reference).first() if message.reference else None
        )
        demo = DemoMessage.objects.create(
            delivery=delivery,
            channel=delivery.channel if delivery else self.kind,
            address_masked=mask_address(message.address),
            subject=message.subject,
            body=message.body,
        )
        return SendResult(provider_message_id=f"demo-{demo.pk}", delivered=True)


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
