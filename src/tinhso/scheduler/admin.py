"""The schedule in the admin: the jobs with their next run on top of the runs already made."""

from django.contrib import admin

from tinhso.scheduler.models import JobRun
from tinhso.scheduler.selectors import task_queue_stats
from tinhso.scheduler.services import schedule_list


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "scheduled_for", "enqueued_at", "scheduler", "task_result_id")
    list_filter = ("job",)
    date_hierarchy = "scheduled_for"
    readonly_fields = list_display
    change_list_template = "admin/scheduler/jobrun/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "schedule": schedule_list(),
            "queue": task_queue_stats(),
        }
        return super().changelist_view(request, extra_context=extra_context)
