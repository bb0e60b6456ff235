import datetime as dt

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tinhso.scheduler.registry import jobs
from tinhso.scheduler.tasks import task_results_prune

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def noop() -> None:
    pass


def _result(status: str, finished_days_ago: float | None, queue: str = "default") -> str:
    """A stored task result in ``status``, finished ``finished_days_ago`` days ago."""
    result = noop.using(queue_name=queue).enqueue()
    finished = (
        timezone.now() - dt.timedelta(days=finished_days_ago)
        if finished_days_ago is not None
        else None
    )
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return str(result.id)


def test_task_results_prune_is_scheduled_daily():
    job = jobs["tinhso.scheduler.tasks.task_results_prune"]
    assert job.expression == "15 3 * * *"
    start = dt.datetime(2026, 11, 2, 4, 0, tzinfo=dt.UTC)
    first = job.next_run(start)
    assert job.next_run(first) - first == dt.timedelta(days=1)


def test_finished_results_older_than_the_setting_are_pruned(settings):
    settings.TASKS = {"default": {**DATABASE_TASKS["default"], "QUEUES": ["default", "mail"]}}
    settings.TASK_RESULTS_KEEP_DAYS = 7
    old_success = _result("SUCCESSFUL", 8)
    old_failure = _result("FAILED", 30)
    old_other_queue = _result("SUCCESSFUL", 8, queue="mail")
    recent_success = _result("SUCCESSFUL", 6)
    recent_failure = _result("FAILED", 1)
    waiting = _result("READY", None)
    running = _result("RUNNING", None)

    assert task_results_prune.call() == ["default"]

    kept = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert kept == {recent_success, recent_failure, waiting, running}
    assert not kept & {old_success, old_failure, old_other_queue}


def test_the_setting_decides_the_age(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_RESULTS_KEEP_DAYS = 2
    _result("SUCCESSFUL", 3)
    one_day = _result("SUCCESSFUL", 1)
    task_results_prune.call()
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {one_day}


def test_nothing_to_prune_without_a_database_backend(settings):
    # The test settings run tasks at once and store no results (ImmediateBackend).
    assert task_results_prune.call() == []
