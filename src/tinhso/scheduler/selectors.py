"""Reads of the background work: the task queue's depth and age (the admin, /healthz, and
later the operations center)."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Case, Count, F, Min, Q, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max


class QueueStats(TypedDict):
    ready: int  # tasks that may run now
    oldest_ready_seconds: float | None  # how long the longest-waiting of them has waited
    scheduled: int  # tasks waiting for a later run_after
    running: int
    oldest_running_seconds: float | None  # how long the longest-running one has run
    failed_24h: int  # tasks that failed in the last 24 hours


def task_queue_stats(*, now: dt.datetime | None = None) -> QueueStats:
    """The task queue (django-tasks-db's ``DBTaskResult``, every queue and backend) at ``now``:
    counts, and ages in seconds (``None`` when there is no such task). Two queries; no task's
    arguments or result (they may carry personal data) are read."""
    now = now or timezone.now()
    never = get_date_max()  # django-tasks-db's run_after for "as soon as possible"
    ready = Q(status=TaskResultStatus.READY) & (Q(run_after=never) | Q(run_after__lte=now))
    counts = DBTaskResult.objects.aggregate(
        ready=Count("pk", filter=ready),
        scheduled=Count("pk", filter=Q(status=TaskResultStatus.READY) & ~ready),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed_24h=Count(
            "pk",
            filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - dt.timedelta(hours=24)),
        ),
        oldest_running=Min("started_at", filter=Q(status=TaskResultStatus.RUNNING)),
    )
    # A task waits from when it was enqueued, or from its run_after when that came later.
    waiting_since = (
        DBTaskResult.objects.filter(ready)
        .annotate(
            since=Case(
                When(run_after=never, then=F("enqueued_at")),
                default=Greatest("enqueued_at", "run_after"),
            )
        )
        .aggregate(oldest=Min("since"))["oldest"]
    )

    def age(since: dt.datetime | None) -> float | None:
        return None if since is None else round(max(0.0, (now - since).total_seconds()), 1)

    return {
        "ready": counts["ready"],
        "oldest_ready_seconds": age(waiting_since),
        "scheduled": counts["scheduled"],
        "running": counts["running"],
        "oldest_running_seconds": age(counts["oldest_running"]),
        "failed_24h": counts["failed_24h"],
    }
