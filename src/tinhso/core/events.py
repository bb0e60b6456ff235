"""Domain events: what a service tells the rest of the platform after its transaction commits.

The pattern of Amsterdam Signals: each app declares Django signals for its events in
``<app>/signals.py`` and its services send them with ``emit_after_commit``; listeners in other
apps (``receivers.py``, connected in ``AppConfig.ready``) react: send a notification, refresh a
counter, index for search. Nothing but the event is hard-wired into the write path, and a
listener that fails is logged and never undoes the write.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger("tinhso.events")


def emit_after_commit(signal: Signal, sender: Any, **payload: Any) -> None:
    """Send ``signal`` once the current transaction commits (at once outside one).

    Listeners run with ``send_robust``: an exception in one is logged (without the payload,
    which may name people) and the others still run.
    """

    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **payload):
            if isinstance(result, Exception):
                logger.error(
                    "Listener %s of %s failed: %r",
                    getattr(receiver, "__qualname__", receiver),
                    payload.get("event", sender),
                    result,
                    exc_info=result,
                )

    transaction.on_commit(send)
