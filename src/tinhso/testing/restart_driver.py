"""What the database-restart test (scheduler/tests/test_database_restart.py) runs in processes
of their own against its own cluster (``DATABASE_URL``)::

    python -m tinhso.testing.restart_driver deliveries 200   # queue 200 deliveries (demo channel)
    python -m tinhso.testing.restart_driver pause 30         # a task that sleeps on attempt 1
    python -m tinhso.testing.restart_driver scheduler 1      # the recovery jobs every second

``scheduler`` stands in for ``run_scheduler``, whose crontab runs them every minute: it enqueues
``tasks_recover`` and notify's ``deliveries_retry`` every N seconds, riding out the restarts.
"""

from __future__ import annotations

import os
import sys
import time


def main(command: str, value: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
    import django

    django.setup()
    from django import db

    if command == "deliveries":
        from tinhso.notify.services import notification_send

        for number in range(int(value) // 2):  # one SMS and one e-mail each
            notification_send(
                event="dossier.received",
                phone=f"09{number:08d}",
                email=f"nguoi{number}@example.vn",
                context={"code": f"T-{number}", "procedure": "Thử", "applicant_name": "Thử"},
            )
    elif command == "pause":
        from tinhso.testing.tasks import pause_on_first_attempt

        print(pause_on_first_attempt.enqueue(seconds=float(value)).id)
    elif command == "scheduler":
        from tinhso.notify.tasks import deliveries_retry
        from tinhso.scheduler.tasks import tasks_recover
        from tinhso.scheduler.worker import connections_drop

        while True:
            try:
                tasks_recover.enqueue()
                deliveries_retry.enqueue()
            except db.DatabaseError:
                connections_drop()
            time.sleep(float(value))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
