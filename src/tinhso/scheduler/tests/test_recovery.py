"""Tasks left running by a dead worker come back; the queue's depth and age are visible."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tinhso.core.models import AuditLog
from tinhso.scheduler.registry import jobs
from tinhso.scheduler.selectors import task_queue_stats
from tinhso.scheduler.services import task_result_requeue, tasks_recover_stale
from tinhso.scheduler.tasks import tasks_recover

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def noop() -> None:
    pass


def _task(status="READY", *, started_ago=None, attempts=0, **fields) -> DBTaskResult:
    result = noop.enqueue()
    now = timezone.now()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status,
        started_at=now - dt.timedelta(seconds=started_ago) if started_ago is not None else None,
        worker_ids=[f"w{i}" for i in range(attempts)],
        **fields,
    )
    return DBTaskResult.objects.get(pk=result.id)


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_RUNNING_TIMEOUT_SECONDS = 900
    settings.TASK_MAX_ATTEMPTS = 3


def test_a_task_running_past_the_timeout_is_put_back_and_audited():
    stale = _task("RUNNING", started_ago=901, attempts=1)
    fresh = _task("RUNNING", started_ago=899, attempts=1)
    done = _task("SUCCESSFUL", started_ago=5000, attempts=1)

    assert tasks_recover_stale() == {"requeued": 1, "failed": 0}

    stale.refresh_from_db()
    assert stale.status == "READY" and stale.started_at is None
    assert stale.worker_ids == ["w0"]  # the attempts so far stay counted
    fresh.refresh_from_db()
    done.refresh_from_db()
    assert (fresh.status, done.status) == ("RUNNING", "SUCCESSFUL")
    entry = AuditLog.objects.get(action="task.requeued")
    assert entry.actor is None and entry.actor_system == "scheduler:tasks"
    assert entry.object_id == str(stale.pk)
    assert entry.data["task"].endswith("test_recovery.noop") and entry.data["attempts"] == 1


def test_a_task_started_too_often_is_given_up_with_a_reason():
    worn = _task("RUNNING", started_ago=1000, attempts=3)

    assert tasks_recover_stale() == {"requeued": 0, "failed": 1}

    worn.refresh_from_db()
    assert worn.status == "FAILED" and worn.finished_at is not None
    assert worn.exception_class_path == "tinhso.scheduler.services.TaskAbandoned"
    assert "Started 3 times" in worn.traceback
    error = worn.task_result.errors[0]
    assert error.exception_class.__name__ == "TaskAbandoned"
    assert AuditLog.objects.filter(action="task.failed", object_id=str(worn.pk)).exists()


def test_a_task_that_finished_meanwhile_is_left_alone():
    finished = _task("SUCCESSFUL", started_ago=1000, attempts=1)
    assert task_result_requeue(task_id=str(finished.pk), reason="test") == ""
    finished.refresh_from_db()
    assert finished.status == "SUCCESSFUL" and not AuditLog.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker manages its own connection
def test_a_requeued_task_runs_again_and_its_attempt_is_counted():
    stale = _task("RUNNING", started_ago=1000, attempts=1)
    tasks_recover_stale()
    from django.core.management import call_command

    call_command("run_worker", "--batch", "--no-startup-delay", "--queue-name=*", verbosity=0)
    stale.refresh_from_db()
    assert stale.status == "SUCCESSFUL" and len(stale.worker_ids) == 2


def test_recovery_is_on_the_schedule_every_minute():
    job = jobs["tinhso.scheduler.tasks.tasks_recover"]
    assert job.expression == "* * * * *"
    _task("RUNNING", started_ago=1000, attempts=1)
    assert tasks_recover.call() == {"requeued": 1, "failed": 0}


def test_queue_stats_count_and_age_without_reading_arguments():
    now = timezone.now()
    _task(enqueued_at=now - dt.timedelta(seconds=120))
    _task(enqueued_at=now - dt.timedelta(seconds=30))
    _task(run_after=now + dt.timedelta(hours=1))  # not yet due
    _task(  # due since 10 s, though enqueued an hour ago
        enqueued_at=now - dt.timedelta(hours=1), run_after=now - dt.timedelta(seconds=10)
    )
    _task("RUNNING", started_ago=45, attempts=1)
    _task("FAILED", finished_at=now - dt.timedelta(hours=2))
    _task("FAILED", finished_at=now - dt.timedelta(hours=30))

    stats = task_queue_stats(now=now)

    assert stats == {
        "ready": 3,
        "oldest_ready_seconds": pytest.approx(120, abs=1),
        "scheduled": 1,
        "running": 1,
        "oldest_running_seconds": pytest.approx(45, abs=1),
        "failed_24h": 1,
    }


def test_an_empty_queue_has_no_ages():
    stats = task_queue_stats()
    assert stats["ready"] == stats["running"] == 0
    assert stats["oldest_ready_seconds"] is None and stats["oldest_running_seconds"] is None


def test_healthz_tells_anyone_the_database_is_up_and_only_the_monitor_the_queue(client, settings):
    settings.HEALTH_TOKEN = "monitor-secret"
    _task()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    wrong = client.get("/healthz", HTTP_AUTHORIZATION="Bearer nope")
    assert "tasks" not in wrong.json()
    monitor = client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitor-secret")
    assert monitor.json()["tasks"]["ready"] == 1


def test_healthz_shows_no_queue_when_no_token_is_configured(client, settings):
    settings.HEALTH_TOKEN = ""
    response = client.get("/healthz", HTTP_AUTHORIZATION="Bearer ")
    assert "tasks" not in response.json()


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["database"] == "unavailable"


def test_the_admin_shows_the_queue(client, world):
    _task()
    client.force_login(world.admin)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    response = client.get("/admin/scheduler/jobrun/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert 'id="task-queue"' in response.content.decode()
