"""Notification channel plugins (``core.plugins.Registry``): how a rendered message leaves.

- ``email``: Django's mail backend (the console in development).
- ``esms``, ``speedsms``: the Vietnamese SMS brandname gateways, through their documented HTTP
  APIs (docs/INTEGRATIONS: eSMS ``SendMultipleMessage_V4_post_json``, SpeedSMS
  ``/index.php/sms/send``); credentials come from settings.
- ``demo``: sends nothing and records what would have gone out (admin → Demo messages).

E-mail goes through ``NOTIFY_EMAIL_BACKEND`` (default ``email``) and SMS through
``NOTIFY_SMS_BACKEND`` (default ``demo``). A plugin raises ``ChannelError`` when a message did
not leave; ``retry=False`` means trying again cannot help (bad number, nothing configured).
Plugins never put the address in an error text or a log line. Each lives in
``notify/contrib/<name>.py`` (the open-forms layout) and registers itself on import.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from tinhso.core.plugins import Registry
from tinhso.notify.constants import ChannelKind


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
