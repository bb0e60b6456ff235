"""The demo outbox on the page.

In the demo no message leaves for real (notify's ``demo`` channel sends nothing), yet a
registration or a password reset needs the code that was sent. So a view may point this
browser session at the object a message was just sent about (``outbox_follow``); where
``NOTIFY_DEMO_IN_PAGE`` is on, ``notify``'s context processor then offers the demo copies of
the messages about that object as ``demo_outbox``, and the page shows them, labelled as demo.
Only messages that went to the demo channel are ever shown, and the setting is off by default
as soon as a real ``SECRET_KEY`` is set: never in production.
"""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

SESSION_KEY = "core.demo_outbox"


def outbox_follow(request: HttpRequest, obj: models.Model) -> None:
    """Show this session the demo messages sent about ``obj``."""
    request.session[SESSION_KEY] = [obj._meta.label_lower, str(obj.pk)]


def outbox_followed(request: HttpRequest) -> tuple[str, str] | None:
    """``(object_type, object_id)`` this session follows, if any."""
    value = request.session.get(SESSION_KEY)
    if not (isinstance(value, list) and len(value) == 2):
        return None
    return str(value[0]), str(value[1])


def outbox_forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
