"""The task worker that rides out a database restart (``manage.py run_worker``).

django-tasks-db's own ``db_worker`` exits on the first database error that is not a lock (a
restart, a failover, a dropped connection), and when the error hits while a task runs, the task
stays ``RUNNING`` forever: its failure could not be recorded either. ``ResilientWorker`` is that
worker's loop, started again in-process: it drops the broken connections (Django reconnects on
the next query), waits with a growing pause while the database is away, and puts the task it
was running back in the queue as soon as the database answers again
(``services.task_result_requeue``: counted, capped, audited).

A worker killed outright (``kill -9``, the machine) cannot do that: ``scripts/serve.sh`` and the
systemd unit start it again, and the scheduled ``tasks_recover`` puts its task back after
``TASK_RUNNING_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("tinhso.scheduler")

# What a database going away raises: the server closed the connection, refused a new one, or
# the connection object is already closed.
DB_GONE = (OperationalError, InterfaceError)


class TaskInterrupted(Exception):
    """The database went away while a task ran, so its outcome could not be recorded."""

    def __init__(self, task_id: str) -> None:
        super().__init__(task_id)
        self.task_id = task_id


def connections_drop() -> None:
    """Close every database connection of this thread, broken or not."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None  # the socket is gone already: forget it


class ResilientWorker(Worker):
    """``db_worker``'s ``Worker``, started again in-process when the database goes away."""

    # Seconds between attempts while the database is away: doubling up to the cap.
    first_pause = 0.5
    max_pause = 5.0

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except DB_GONE as error:
            # db_worker records a task's failure, and gives up when that fails too.
            raise TaskInterrupted(str(db_task_result.pk)) from error

    def run(self) -> None:
        from tinhso.scheduler.services import task_result_requeue

        pause = self.first_pause
        interrupted: str | None = None
        last_failure = 0.0
        while self.running:
            try:
                if interrupted is not None:
                    task_result_requeue(
                        task_id=interrupted, reason="The database went away while it ran."
                    )
                    interrupted = None
                super().run()
                return  # --batch or --max-tasks reached
            except TaskInterrupted as error:
                interrupted = error.task_id
                cause = error.__cause__
            except DB_GONE as error:
                cause = error
            if time.monotonic() - last_failure > 60:
                pause = self.first_pause  # a new outage: start with a short pause again
            last_failure = time.monotonic()
            logger.warning(
                "Worker %s: database unavailable (%s); retrying in %.1f s.",
                self.worker_id,
                str(cause).strip().split("\n")[0][:200],
                pause,
            )
            connections_drop()
            time.sleep(pause)
            pause = min(pause * 2, self.max_pause)
