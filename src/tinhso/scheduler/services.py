"""Running the schedule: claim a due run in the database, then enqueue its task.

Every scheduler process computes the same run times from the same crontab lines, so a run is
named by (job, scheduled time). ``job_run_claim`` inserts that pair under a unique constraint
and enqueues the task in the same transaction: with two schedulers (two hosts, or a restart
overlapping the old process) a due job is enqueued once. Runs missed while no scheduler was
running are not made up: the next one is the next due time after start.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any

from django import db
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tinhso.core.actors import system_actor
from tinhso.core.audit import audit_log_write
from tinhso.scheduler.models import JobRun
from tinhso.scheduler.registry import Job, jobs

logger = logging.getLogger("tinhso.scheduler")


def scheduler_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def job_run_claim(*, job: Job, scheduled_for: dt.datetime, scheduler: str = "") -> bool:
    """Enqueue ``job`` for its run at ``scheduled_for`` unless another scheduler already did.
    True when this call enqueued it."""
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                job=job.name, scheduled_for=scheduled_for, scheduler=scheduler
            )
            result = job.task.enqueue()
            run.task_result_id = str(getattr(result, "id", ""))[:64]
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        logger.info("Job %s at %s already enqueued by another scheduler.", job.name, scheduled_for)
        return False
    logger.info("Job %s enqueued for %s.", job.name, scheduled_for)
    return True


class Scheduler:
    """The loop of one scheduler process: sleep until the next due run, claim, repeat."""

    def __init__(self, *, now: Callable[[], dt.datetime] = timezone.now) -> None:
        self.now = now
        self.name = scheduler_name()
        start = now()
        self.next_runs: dict[str, dt.datetime | None] = {
            name: job.next_run(start - dt.timedelta(seconds=1)) for name, job in jobs.items()
        }

    def tick(self) -> int:
        """Claim every run that is due now; how many this process enqueued."""
        now = self.now()
        enqueued = 0
        for name, due in self.next_runs.items():
            job = jobs[name]
            while due is not None and due <= now:
                enqueued += job_run_claim(job=job, scheduled_for=due, scheduler=self.name)
                due = job.next_run(max(due, now - dt.timedelta(seconds=1)))
            self.next_runs[name] = due
        return enqueued

    def seconds_to_next(self) -> float:
        upcoming = [due for due in self.next_runs.values() if due is not None]
        if not upcoming:
            return 60.0
        return max(0.0, min(60.0, (min(upcoming) - self.now()).total_seconds()))

    def run_forever(self) -> None:  # pragma: no cover - exercised by make demo
        logger.info("Scheduler %s started with %s jobs.", self.name, len(self.next_runs))
        pruned = 0.0
        while True:
            try:
                self.tick()
                if time.monotonic() - pruned > 3600:
                    job_runs_prune(before=self.now() - KEEP_RUNS)
                    pruned = time.monotonic()
            except DatabaseError as error:
                # The database restarted or is unreachable: drop the broken connection, wait,
                # and claim the runs still due on the next tick (claims are idempotent).
                logger.warning(
                    "Scheduler %s: database unavailable (%s); retrying.", self.name, error
                )
                db.close_old_connections()
                db.connection.close()
                time.sleep(5)
                continue
            time.sleep(self.seconds_to_next() + 0.05)


# How long the record of past runs is kept (an every-minute job leaves 1,440 rows a day).
KEEP_RUNS = dt.timedelta(days=30)


def job_runs_prune(*, before: dt.datetime) -> int:
    """Forget the runs scheduled before ``before``; how many were deleted."""
    return JobRun.objects.filter(scheduled_for__lt=before).delete()[0]


def task_results_prune(*, keep_days: int) -> list[str]:
    """Delete the finished (successful or failed) task results older than ``keep_days`` days,
    in every database task backend, with django-tasks-db's own ``prune_db_task_results``.
    Results still queued or running are kept. Returns the aliases of the backends pruned."""
    pruned = []
    for alias in settings.TASKS:
        if not isinstance(task_backends[alias], DatabaseBackend):
            continue  # results kept elsewhere (or not at all): nothing of ours to prune
        call_command(
            "prune_db_task_results",
            f"--backend={alias}",
            "--queue-name=*",
            f"--min-age-days={keep_days}",
            verbosity=0,
        )
        pruned.append(alias)
    logger.info("Pruned task results older than %s days in %s.", keep_days, pruned or "nothing")
    return pruned


def schedule_list(*, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The schedule for administrators: each job, its crontab line, next and last run."""
    now = now or timezone.now()
    last: dict[str, JobRun] = {}
    for run in JobRun.objects.filter(job__in=list(jobs)).order_by("job", "-scheduled_for"):
        last.setdefault(run.job, run)
    return [
        {
            "name": job.name,
            "expression": job.expression,
            "description": job.description,
            "next_run": job.next_run(now),
            "last_run": last.get(job.name),
        }
        for job in sorted(jobs.values(), key=lambda job: job.name)
    ]


# --- tasks left running by a worker that died ----------------------------------------------------
# Who puts them back, in the audit log.
TASKS_ACTOR = system_actor("scheduler:tasks", label="Task recovery")


class TaskAbandoned(Exception):  # noqa: N818  (the name shown as the failed task's error)
    """The error recorded on a task given up after ``TASK_MAX_ATTEMPTS`` runs that never
    finished (its worker died or lost the database each time)."""


def task_result_requeue(*, task_id: str, reason: str, now: dt.datetime | None = None) -> str:
    """Put a task that is ``RUNNING`` but whose worker is gone back in the queue (``READY``),
    or mark it ``FAILED`` with ``reason`` once it has been started ``TASK_MAX_ATTEMPTS`` times
    (each start appends the worker's id to ``worker_ids``, so that count is its attempts).

    Returns ``"requeued"``, ``"failed"``, or ``""`` when the task is no longer running (it
    finished meanwhile, or another call already put it back). Tasks should be idempotent: one
    put back may have done part of its work (notify's deliveries are: each is claimed with a
    lease and sent once, see ``notify.services.delivery_attempt``)."""
    now = now or timezone.now()
    task = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).first()
    if task is None:
        return ""
    attempts = len(task.worker_ids or [])
    running = DBTaskResult.objects.filter(
        pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
    )
    with transaction.atomic():
        if attempts >= settings.TASK_MAX_ATTEMPTS:
            outcome = "failed"
            changed = running.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}",
                traceback=f"{TaskAbandoned.__name__}: {reason} Started {attempts} times; given up.",
            )
        else:
            outcome = "requeued"
            changed = running.update(status=TaskResultStatus.READY, started_at=None)
        if not changed:
            return ""
        audit_log_write(
            actor=TASKS_ACTOR,
            action=f"task.{outcome}",
            obj=task,
            task=task.task_path,
            attempts=attempts,
            reason=reason,
        )
    log = logger.error if outcome == "failed" else logger.warning
    log("Task %s (%s) %s after %s attempts: %s", task.pk, task.task_path, outcome, attempts, reason)
    return outcome


def tasks_recover_stale(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Put back (or give up) every task ``RUNNING`` for longer than
    ``TASK_RUNNING_TIMEOUT_SECONDS``: its worker died (``kill -9``, the machine) or lost it.
    A task that really runs longer than that would be run twice: keep long work in steps.
    Returns how many were requeued and failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.TASK_RUNNING_TIMEOUT_SECONDS)
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    counts = {"requeued": 0, "failed": 0}
    reason = f"Still running after {settings.TASK_RUNNING_TIMEOUT_SECONDS} s: its worker is gone."
    for task_id in stale.values_list("pk", flat=True):
        outcome = task_result_requeue(task_id=str(task_id), reason=reason, now=now)
        if outcome:
            counts[outcome] += 1
    return counts
