from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One due run of a scheduled job, claimed by the scheduler process that enqueued it.

    The unique (job, scheduled_for) pair is the lock: when two scheduler processes wake for the
    same run, the database lets exactly one insert the row and enqueue the task; the other's
    insert fails and it skips. This works on SQLite and PostgreSQL with nothing else running
    (no Redis), across hosts sharing the database, and leaves a history administrators read.
    """

    job = models.CharField(_("job"), max_length=200)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_result_id = models.CharField(_("task result"), max_length=64, blank=True)
    scheduler = models.CharField(_("scheduler process"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-scheduled_for", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "scheduled_for"], name="jobrun_once")]

    def __str__(self):
        return f"{self.job} @ {self.scheduled_for:%Y-%m-%d %H:%M}"
