"""Which tasks run when. ``@cron(expression)`` puts a django-tasks ``Task`` on the schedule.

Expressions are crontab lines (minute hour day month weekday) read by APScheduler's
``CronTrigger`` in the province's time zone. Jobs are declared in each app's ``tasks.py``,
which the app imports in ``AppConfig.ready``, so the schedule is complete once Django is set up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings


@dataclass(frozen=True)
class Job:
    name: str  # the task's dotted path: stable, unique, shown to administrators
    expression: str
    task: Any  # a django_tasks Task

    @cached_property
    def trigger(self) -> CronTrigger:
        return CronTrigger.from_crontab(self.expression, timezone=settings.TIME_ZONE)

    def next_run(self, after: dt.datetime) -> dt.datetime | None:
        """The first run strictly after ``after``."""
        return self.trigger.get_next_fire_time(None, after + dt.timedelta(microseconds=1))

    @property
    def description(self) -> str:
        doc = (getattr(self.task, "func", None) and self.task.func.__doc__) or ""
        return doc.strip().split("\n")[0]


jobs: dict[str, Job] = {}


def cron(expression: str):
    """Decorate a django-tasks ``Task`` (put ``@cron`` above ``@task()``) to run it on a
    schedule. The expression is checked at import time."""

    def decorator(task):
        name = task.module_path
        CronTrigger.from_crontab(expression)  # fail early on a typo
        jobs[name] = Job(name=name, expression=expression, task=task)
        return task

    return decorator
