"""The scheduler: periodic Django tasks declared with ``@cron`` beside the task itself.

    from tinhso.scheduler import cron

    @cron("0 6 * * *")  # every day at 06:00, province time
    @task()
    def apologies_draft_overdue(): ...

``manage.py run_scheduler`` (started by ``make demo`` beside ``run_worker``) enqueues each task
when it is due; the worker runs it. See ``registry.py`` and ``services.py``.
"""

from tinhso.scheduler.registry import cron, jobs

__all__ = ["cron", "jobs"]
