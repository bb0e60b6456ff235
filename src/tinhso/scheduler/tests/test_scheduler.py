import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks import task

from tinhso.scheduler.models import JobRun
from tinhso.scheduler.registry import Job, jobs
from tinhso.scheduler.services import Scheduler, job_run_claim, job_runs_prune, schedule_list

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
RUNS: list[str] = []


@task()
def ping() -> None:
    RUNS.append("ping")


@pytest.fixture
def every_minute(monkeypatch):
    job = Job(name="tests.ping", expression="* * * * *", task=ping)
    monkeypatch.setattr("tinhso.scheduler.services.jobs", {job.name: job})
    RUNS.clear()
    return job


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.moment = now

    def __call__(self) -> dt.datetime:
        return self.moment


def test_the_platform_schedule():
    assert {
        "tinhso.dossiers.tasks.apologies_draft_overdue",
        "tinhso.dossiers.tasks.due_soon_remind",
        "tinhso.notify.tasks.deliveries_retry",
    } <= set(jobs)
    assert jobs["tinhso.notify.tasks.deliveries_retry"].expression == "* * * * *"
    apologies = jobs["tinhso.dossiers.tasks.apologies_draft_overdue"]
    start = dt.datetime(2026, 11, 2, 7, 0, tzinfo=TZ)
    assert apologies.next_run(start) == dt.datetime(2026, 11, 3, 6, 30, tzinfo=TZ)


@pytest.mark.django_db
def test_a_due_job_runs_once_with_two_schedulers(every_minute):
    clock = Clock(dt.datetime(2026, 11, 2, 8, 0, 30, tzinfo=TZ))
    first, second = Scheduler(now=clock), Scheduler(now=clock)
    assert first.tick() + second.tick() == 0  # nothing due before 08:01
    clock.moment = dt.datetime(2026, 11, 2, 8, 1, 0, 200_000, tzinfo=TZ)
    assert first.tick() + second.tick() == 1
    assert RUNS == ["ping"]
    run = JobRun.objects.get()
    assert (run.job, run.scheduled_for) == ("tests.ping", dt.datetime(2026, 11, 2, 8, 1, tzinfo=TZ))
    clock.moment += dt.timedelta(minutes=1)
    assert second.tick() + first.tick() == 1
    assert RUNS == ["ping", "ping"] and JobRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_racing_for_one_run(every_minute):
    """Two threads with their own database connections claim the same run at once.

    PostgreSQL only: SQLite's in-memory test database is shared between threads in a mode that
    answers "table is locked" at once instead of waiting (a file database, as in production,
    waits its busy timeout); on SQLite the test above proves the claim one after the other.
    """
    if connection.vendor == "sqlite":
        pytest.skip("needs a database that lets two connections wait on each other")
    due = dt.datetime(2026, 11, 2, 8, 1, tzinfo=TZ)
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def scheduler_process():
        try:
            barrier.wait()
            results.append(job_run_claim(job=every_minute, scheduled_for=due))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert RUNS == ["ping"] and JobRun.objects.count() == 1


@pytest.mark.django_db
def test_a_scheduler_that_slept_long_runs_once_and_moves_on(every_minute):
    clock = Clock(dt.datetime(2026, 11, 2, 8, 0, 30, tzinfo=TZ))
    scheduler = Scheduler(now=clock)
    clock.moment = dt.datetime(2026, 11, 2, 9, 30, 10, tzinfo=TZ)
    assert scheduler.tick() == 1  # the run it was waiting for; the missed ones are not made up
    assert scheduler.next_runs["tests.ping"] == dt.datetime(2026, 11, 2, 9, 31, tzinfo=TZ)
    assert 0 < scheduler.seconds_to_next() <= 50


@pytest.mark.django_db
def test_the_schedule_is_shown_to_administrators(admin_client, every_minute):
    job_run_claim(job=every_minute, scheduled_for=dt.datetime(2026, 11, 2, 8, 1, tzinfo=TZ))
    rows = {row["name"]: row for row in schedule_list()}
    assert rows["tests.ping"]["last_run"].scheduled_for.minute == 1
    response = admin_client.get(reverse("admin:scheduler_jobrun_changelist"))
    assert response.status_code == 200
    assert b"tests.ping" in response.content and b"* * * * *" in response.content


@pytest.mark.django_db
def test_old_runs_are_pruned(every_minute):
    for minute in (1, 2):
        job_run_claim(
            job=every_minute, scheduled_for=dt.datetime(2026, 11, 2, 8, minute, tzinfo=TZ)
        )
    assert job_runs_prune(before=dt.datetime(2026, 11, 2, 8, 2, tzinfo=TZ)) == 1
    assert JobRun.objects.get().scheduled_for.minute == 2
