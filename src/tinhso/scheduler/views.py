"""/healthz: is the site able to serve, and is its background work keeping up?"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tinhso.scheduler.selectors import task_queue_stats


def _monitor(request: HttpRequest) -> bool:
    """Whether the caller sent ``Authorization: Bearer <HEALTH_TOKEN>``."""
    token = settings.HEALTH_TOKEN
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """``{"status": "ok", "database": "ok"}`` (200) or ``"unavailable"`` (503 with
    ``Retry-After``) for load balancers and uptime probes, to anyone: one ``SELECT 1``.

    With ``Authorization: Bearer <HEALTH_TOKEN>`` it adds ``"tasks"``: the queue's figures of
    ``selectors.task_queue_stats`` (counts and ages in seconds; nothing about any person).
    They stay behind the token because they tell an outsider how loaded the site is and cost
    a count over the task table, which a crawler must not be able to repeat at will."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        payload: dict = {"status": "ok", "database": "ok"}
        if _monitor(request):
            payload["tasks"] = task_queue_stats()
    except DatabaseError:
        response = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
        response["Retry-After"] = "5"
        return response
    return JsonResponse(payload)
