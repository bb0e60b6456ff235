"""Background work for notifications: thin tasks that call the services."""

from django_tasks import task

from tinhso.scheduler import cron


@task()
def delivery_send(*, delivery_id: int) -> None:
    """Send one queued delivery (enqueued after the commit that created it)."""
    from tinhso.notify.services import delivery_attempt

    delivery_attempt(delivery_id=delivery_id)


@cron("* * * * *")
@task()
def deliveries_retry() -> int:
    """Send the deliveries whose retry is due (and any the worker missed)."""
    from tinhso.notify.services import deliveries_retry_due

    return deliveries_retry_due()
