"""Template context from notify."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tinhso.core.outbox import outbox_followed


def demo_outbox(request: HttpRequest) -> dict[str, Any]:
    """``demo_outbox``: the messages the demo channel "sent" about the object this session
    follows (``core.outbox``), newest first, so the demo can be walked through without a
    phone. Empty unless ``NOTIFY_DEMO_IN_PAGE``; only deliveries of the ``demo`` plugin.
    Read lazily: pages that do not show it cost nothing."""

    def messages() -> list[dict[str, str]]:
        if not settings.NOTIFY_DEMO_IN_PAGE or not hasattr(request, "session"):
            return []
        followed = outbox_followed(request)
        if followed is None:
            return []
        from tinhso.notify.models import Delivery

        deliveries = (
            Delivery.objects.filter(object_type=followed[0], object_id=followed[1], backend="demo")
            .prefetch_related("demo_messages")
            .order_by("-created_at", "-pk")[:5]
        )
        rows = []
        for delivery in deliveries:
            # What the demo "phone" received: the log's own copy of a code is redacted once sent.
            received = next(iter(delivery.demo_messages.all()), None) or delivery
            rows.append(
                {
                    "channel": delivery.get_channel_display(),
                    "address": delivery.address_masked,
                    "subject": received.subject,
                    "body": received.body,
                }
            )
        return rows

    return {
        "demo_outbox": SimpleLazyObject(messages),
        "demo_outbox_on": settings.NOTIFY_DEMO_IN_PAGE,
    }
