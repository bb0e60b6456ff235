from django.contrib import admin
from django.utils.formats import date_format

from tinhso.core.models import AuditLog, CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The province's own extra days off and make-up working days (on top of the national
    calendar of the ``holidays`` package)."""

    list_display = ("day", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("note",)
    ordering = ("-date",)

    @admin.display(description=CalendarDay._meta.get_field("date").verbose_name, ordering="date")
    def day(self, obj):
        return date_format(obj.date, "l, d/m/Y")  # "Thứ 7, 07/03/2026": weekends stand out


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Append-only: anyone allowed may read it, nobody may add, change or delete a row."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    list_select_related = ("actor",)
    search_fields = ("=object_id", "object_repr", "action")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
