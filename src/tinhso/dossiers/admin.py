"""Dossiers in the admin: read-only. Dossiers change only through ``tinhso.dossiers.services``.

Officers who reach the admin see only their agency's dossiers (the same selector as the office),
and dossiers are searched by code only, so that no personal data ends up in a URL.
"""

from django.contrib import admin

from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile
from tinhso.dossiers.selectors import dossier_list_for_officer


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DossierEventInline(_ReadOnly, admin.TabularInline):
    model = DossierEvent
    fields = ("at", "action", "actor", "agency", "from_status", "to_status", "step_name", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "agency")


class DossierFileInline(_ReadOnly, admin.TabularInline):
    model = DossierFile
    fields = ("kind", "document_name", "size", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Dossier)
class DossierAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "code",
        "procedure",
        "status",
        "channel",
        "receiving_agency",
        "current_agency",
        "submitted_at",
        "due_at",
        "timeliness",
    )
    list_filter = ("status", "channel", "timeliness", "receiving_agency")
    list_select_related = ("procedure", "receiving_agency", "current_agency")
    search_fields = ("=code",)
    date_hierarchy = "submitted_at"
    inlines = (DossierEventInline, DossierFileInline)

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Dossier._meta.fields]

    def get_queryset(self, request):
        if request.user.is_superuser:
            return super().get_queryset(request)
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=dossier_list_for_officer(request.user).values("pk"))
        )
