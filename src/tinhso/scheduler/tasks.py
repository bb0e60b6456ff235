"""The scheduler's own housekeeping: thin tasks on the schedule."""

from django.conf import settings
from django_tasks import task

from tinhso.scheduler.registry import cron


@cron(settings.SCHEDULE_TASK_RESULTS_PRUNE)
@task()
def task_results_prune() -> list[str]:
    """Delete finished task results older than TASK_RESULTS_KEEP_DAYS (run daily)."""
    from tinhso.scheduler import services

    return services.task_results_prune(keep_days=settings.TASK_RESULTS_KEEP_DAYS)


@cron(settings.SCHEDULE_TASKS_RECOVER)
@task()
def tasks_recover() -> dict[str, int]:
    """Put back in the queue the tasks left running by a worker that died (every minute)."""
    from tinhso.scheduler import services

    return services.tasks_recover_stale()
