"""Listeners to other apps' domain events: the messages they ask for (ARCHITECTURE: accounts
sits below notify, so it announces and notify sends)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from tinhso.accounts.signals import account_message
from tinhso.notify.services import notification_send


@receiver(account_message, dispatch_uid="tinhso.notify.account_message")
def account_message_send(
    sender: Any,
    *,
    event: str,
    context: dict[str, Any],
    user: Any = None,
    phone: str = "",
    email: str = "",
    object: Any = None,  # noqa: A002
    language: str = "vi",
    **kwargs: Any,
) -> None:
    """A code, a warning or a confirmation about an account: to the one address given, or to
    every address of ``user`` when none is."""
    notification_send(
        event=event,
        recipient_user=user,
        phone=phone,
        email=email,
        context=context,
        object=object,
        language=language,
    )
