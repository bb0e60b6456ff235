"""PostgreSQL restarts under running workers, and a worker is killed in the middle of a task.

Its own cluster (``tinhso.testing.postgres``: initdb in a temporary folder, a free port; never
the shared server), migrated, with real worker processes (``manage.py run_worker``) and a fast
stand-in for the scheduler's every-minute recovery jobs. 200 notification deliveries (demo
channel) are queued; PostgreSQL is restarted with ``-m fast`` and then ``-m immediate`` while they
are sent, and a worker is killed with SIGKILL while it runs a task. The same number of
deliveries without restarts is the baseline, in the same run. Every delivery must be sent
exactly once, the killed worker's task must come back and finish, and the other worker must
have ridden out both restarts without exiting. Runs in the PostgreSQL stage of CI.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tinhso.testing.postgres import TempCluster, postgres_bindir

ROOT = Path(__file__).resolve().parents[4]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DELIVERIES = 200
PAUSE = 15  # seconds the task to be killed sleeps; TASK_RUNNING_TIMEOUT_SECONDS is 16

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="runs in the PostgreSQL stage of .ci/run"
    ),
    pytest.mark.skipif(postgres_bindir() is None, reason="PostgreSQL's binaries are missing"),
]


class Site:
    """Processes against the cluster; their output in one log."""

    def __init__(self, database_url: str, log: Path):
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DATABASE_URL": database_url,
            "NOTIFY_EMAIL_BACKEND": "demo",
            "NOTIFY_SMS_BACKEND": "demo",
            # Short enough for a test; production: 5 min and 15 min.
            "NOTIFY_SEND_LEASE_SECONDS": "3",
            "TASK_RUNNING_TIMEOUT_SECONDS": str(PAUSE + 1),
            "TASK_MAX_ATTEMPTS": "3",
            "LOG_LEVEL": "WARNING",
        }
        self.log = log.open("a")
        self.processes: list[subprocess.Popen] = []

    def run(self, *args: str) -> str:
        return subprocess.run(  # noqa: S603
            [PYTHON, *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def start(self, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603
            [PYTHON, *args], cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def worker(self, name: str) -> subprocess.Popen:
        return self.start(
            "manage.py", "run_worker", "--queue-name=*", "--interval=0.2", "--no-startup-delay",
            f"--worker-id={name}",
        )  # fmt: skip

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def _query(url: str, sql: str, *params):
    """One query on the cluster, from the test: None while it is restarting."""
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            return conn.execute(sql, params).fetchall()
    except psycopg.OperationalError:
        return None


def _wait(url: str, sql: str, until, *, timeout: float, params=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = _query(url, sql, *params)
        if rows is not None and until(rows):
            return rows
        time.sleep(0.1)
    raise AssertionError(f"not reached within {timeout} s: {sql} -> {_query(url, sql, *params)}")


DELIVERED = "SELECT count(*) FROM notify_delivery WHERE status IN ('delivered', 'sent')"
TASK = "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s"


def test_deliveries_survive_postgresql_restarts_and_a_killed_worker(tmp_path):
    cluster = TempCluster()
    site = None
    try:
        cluster.start()
        url = f"{cluster.url}/tinhso_restart"
        site = Site(url, tmp_path / "site.log")
        site.run("manage.py", "createdb")
        site.run("manage.py", "migrate", "--noinput", "-v", "0")
        driver = ("-m", "tinhso.testing.restart_driver")
        workers = {name: site.worker(name) for name in ("one", "two")}
        site.start(*driver, "scheduler", "1")

        # The baseline, in the same run: the same number of deliveries, nothing restarted.
        started = time.monotonic()
        site.run(*driver, "deliveries", str(DELIVERIES))
        _wait(url, DELIVERED, lambda rows: rows[0][0] == DELIVERIES, timeout=40)
        baseline = time.monotonic() - started

        # One worker takes a long task: it will be killed under it.
        pause_id = site.run(*driver, "pause", str(PAUSE)).strip()
        rows = _wait(
            url, TASK, lambda rows: rows[0][0] == "RUNNING", timeout=20, params=(pause_id,)
        )
        victim = rows[0][1][0]
        survivor = next(name for name in workers if name != victim)

        started = time.monotonic()
        site.run(*driver, "deliveries", str(DELIVERIES))
        total = 2 * DELIVERIES
        _wait(url, DELIVERED, lambda rows: rows[0][0] >= DELIVERIES + 10, timeout=20)
        cluster.restart("fast")
        assert _query(url, TASK, pause_id)[0][0] == "RUNNING"  # still in the middle of it
        workers[victim].send_signal(signal.SIGKILL)
        workers[victim].wait()
        site.worker(f"{victim}-again")  # as serve.sh or systemd would
        sent_at_first = _query(url, DELIVERED)[0][0]
        _wait(url, DELIVERED, lambda rows: rows[0][0] >= sent_at_first + 20, timeout=20)
        sent_at_second = _query(url, DELIVERED)[0][0]
        cluster.restart("immediate")

        _wait(url, DELIVERED, lambda rows: rows[0][0] == total, timeout=40)
        drained = time.monotonic() - started
        _wait(url, TASK, lambda rows: rows[0][0] == "SUCCESSFUL", timeout=30, params=(pause_id,))

        # Both restarts hit the stream of deliveries in the middle.
        assert sent_at_first < total and sent_at_second < total
        # Sent exactly once each: one message in the demo outbox per delivery, none pending.
        per_delivery = _query(
            url,
            "SELECT d.id, count(m.id) FROM notify_delivery d "
            "LEFT JOIN notify_demomessage m ON m.delivery_id = d.id GROUP BY d.id",
        )
        assert len(per_delivery) == total
        assert {count for _id, count in per_delivery} == {1}
        # The killed worker's task came back (audited) and finished on its second attempt.
        _status, worker_ids = _query(url, TASK, pause_id)[0]
        assert worker_ids[0] == victim and len(worker_ids) == 2
        audit = _query(
            url,
            "SELECT actor_system, data->>'reason' FROM core_auditlog "
            "WHERE action = 'task.requeued' AND object_id = %s",
            pause_id,
        )
        assert len(audit) == 1 and audit[0][0] == "scheduler:tasks"
        assert "Still running after 16 s" in audit[0][1]
        assert not _query(
            url, "SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        )
        # The other worker rode out both restarts in its own process.
        assert workers[survivor].poll() is None
        requeued = _query(url, "SELECT count(*) FROM core_auditlog WHERE action LIKE 'task.%%'")
        sys.stdout.write(
            f"\n{DELIVERIES} deliveries: {baseline:.1f} s without restarts; through 2 PostgreSQL "
            f"restarts and a SIGKILL, all sent once in {drained:.1f} s "
            f"({drained / baseline:.2f}×); tasks put back: {requeued[0][0]}\n"
        )
    finally:
        if site is not None:
            site.stop()
        cluster.remove()
