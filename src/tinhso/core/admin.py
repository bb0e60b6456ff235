from typing import Any

from django.contrib import admin
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import AnnouncedDay, AnnouncedYear, AuditLog, CalendarDay
from tinhso.core.text import folded_q


class FoldedSearchMixin:
    """The admin's search box also finds by folded words (ADR 8): every word of the query, with
    or without diacritics, in any case, however its tones were placed or its letters composed,
    must occur in one of ``folded_search_fields`` (``FoldedTextField``s, joins allowed). The
    ``search_fields`` still match as Django's admin does."""

    folded_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        match = folded_q(search_term, *self.folded_search_fields)
        if match is not None:
            results = results | queryset.filter(match)
        return results, may_have_duplicates


def _weekday_date(day) -> str:
    return date_format(day, "l, d/m/Y")  # "Thứ 7, 07/03/2026": weekends stand out


# Source addresses typed without a scheme are read as https (Django 6's default).
_URL_HTTPS: dict[type[models.Field], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class AnnouncedDayInline(admin.TabularInline):
    model = AnnouncedDay
    formfield_overrides = _URL_HTTPS
    fields = ("date", "kind", "name", "source", "source_url")
    extra = 0


@admin.register(AnnouncedYear)
class AnnouncedYearAdmin(admin.ModelAdmin):
    """The Government's announced schedule, a year per page with its days and their sources.
    It comes before the ``holidays`` package's rules (``core.calendar``)."""

    list_display = ("year", "complete", "day_count")
    inlines = [AnnouncedDayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_day_count=models.Count("days"))

    @admin.display(description=_("number of days"), ordering="_day_count")
    def day_count(self, obj):
        return obj._day_count


@admin.register(AnnouncedDay)
class AnnouncedDayAdmin(admin.ModelAdmin):
    """Every announced day in one list, to search by name or by the source document."""

    list_display = ("day", "kind", "name", "source")
    formfield_overrides = _URL_HTTPS
    list_filter = ("year", "kind")
    list_select_related = ("year",)
    date_hierarchy = "date"
    search_fields = ("name", "source")
    ordering = ("-date",)

    @admin.display(description=AnnouncedDay._meta.get_field("date").verbose_name, ordering="date")
    def day(self, obj):
        return _weekday_date(obj.date)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The province's own extra days off and make-up working days (on top of the announced
    schedule and the ``holidays`` package)."""

    list_display = ("day", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("note",)
    ordering = ("-date",)

    @admin.display(description=CalendarDay._meta.get_field("date").verbose_name, ordering="date")
    def day(self, obj):
        return _weekday_date(obj.date)


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
