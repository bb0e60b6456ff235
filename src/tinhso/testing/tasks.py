"""Tasks for tests of the worker itself (run by a real worker, so they live in the package)."""

import time

from django_tasks import TaskContext, task


@task(takes_context=True)
def pause_on_first_attempt(context: TaskContext, *, seconds: float) -> int:
    """Sleep ``seconds`` on the first attempt only (long enough for a test to kill the worker
    under it); returns the attempt number that finished."""
    if context.attempt == 1:
        time.sleep(seconds)
    return context.attempt
