from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tinhso.core.admin import FoldedSearchMixin
from tinhso.org.models import Agency, Officer, Ward
from tinhso.org.roles import ROLE_LABELS


@admin.register(Ward)
class WardAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Loaded from the vietnam-provinces package: read-only here."""

    list_display = ("code", "name", "division_type", "province_code")
    list_filter = ("division_type", "province_code")
    search_fields = ("name", "=code")
    folded_search_fields = ("search_text",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "served_by",
            "ward",
            "address",
            "phone",
            "email",
            "valid_from",
            "valid_to",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            if data.get("parent") == self.instance:
                self.add_error("parent", _("An agency cannot be its own parent."))
            ancestor = data.get("parent")
            seen = set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.instance.pk:
                    self.add_error("parent", _("This would make the agency its own ancestor."))
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        desk = data.get("served_by")
        if desk is not None and desk.served_by_id is not None:
            self.add_error("served_by", _("Choose an agency that runs its own one-stop desk."))
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", _("The end date is before the start date."))
        return data


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = AgencyForm
    list_display = (
        "code",
        "name",
        "kind",
        "parent",
        "served_by",
        "ward",
        "valid_from",
        "valid_to",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    list_select_related = ("parent", "served_by", "ward")
    search_fields = ("code", "name", "short_name")
    folded_search_fields = ("search_text",)
    autocomplete_fields = ("parent", "served_by", "ward")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "parent", "served_by")}),
        (_("Contact"), {"fields": ("ward", "address", "phone", "email")}),
        (_("Validity"), {"fields": ("valid_from", "valid_to", "is_active")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )


@admin.register(Officer)
class OfficerAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("user", "agency", "title", "roles")
    list_filter = ("user__groups", "agency")
    list_select_related = ("user", "agency")
    search_fields = ("user__username", "user__full_name", "agency__name", "agency__code")
    folded_search_fields = ("user__search_text", "agency__search_text")
    ordering = ("user__name_sort", "pk")
    autocomplete_fields = ("user", "agency")
    readonly_fields = ("roles", "created_at", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        names = sorted(group.name for group in obj.user.groups.all())
        return ", ".join(str(ROLE_LABELS.get(name, name)) for name in names)
