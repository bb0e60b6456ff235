"""The catalogue in the Django admin.

Saving a procedure (after its documents, fees and steps) publishes a new frozen version when its
rules changed; dossiers keep the version they were received under. Procedures can be exported to
and imported from an Excel workbook (``tinhso.catalog.excel``).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhso.catalog.excel import (
    COLUMNS,
    CONTENT_TYPE,
    REQUIRED_KEYS,
    CatalogImportError,
    catalog_export_bytes,
    catalog_import,
)
from tinhso.catalog.models import (
    Fee,
    Field,
    NationalAgency,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from tinhso.catalog.national import (
    NationalImportError,
    national_catalog_import,
    national_records_read,
    report_lines,
)
from tinhso.catalog.selectors import procedure_search_words
from tinhso.catalog.services import procedure_version_publish
from tinhso.core.numbers import number
from tinhso.org.roles import ROLE_LABELS

IMPORT_MAX_BYTES = 10 * 1024 * 1024
NATIONAL_IMPORT_MAX_BYTES = 30 * 1024 * 1024
# Django's own auth catalogue "translates" the bare word "version" as "version".
VERSION_LABEL = pgettext_lazy("procedure version", "version")


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "procedure_count")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(procedure_count=Count("procedures"))

    @admin.display(description=_("procedures"), ordering="procedure_count")
    def procedure_count(self, obj):
        return obj.procedure_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # The field's name is part of its procedures' search text.
            for procedure in obj.procedures.all():
                procedure_version_publish(procedure=procedure, actor=request.user)


class _ProcedurePartInline:
    """Documents, fees and steps are part of the procedure: whoever may edit it may edit them."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalog.view_procedure") or request.user.has_perm(
            "catalog.change_procedure"
        )

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("catalog.change_procedure") or (
            obj is None and request.user.has_perm("catalog.add_procedure")
        )

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission


class RequiredDocumentInline(_ProcedurePartInline, admin.TabularInline):
    model = RequiredDocument
    fields = (
        "order",
        "case",
        "name",
        "forms",
        "originals",
        "copies",
        "is_required",
        "template",
        "note",
    )


class FeeInline(_ProcedurePartInline, admin.TabularInline):
    model = Fee
    fields = ("name", "amount", "channel", "note")


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(ROLE_LABELS.get(obj.name, obj.name))


class ProcessStepInline(_ProcedurePartInline, admin.TabularInline):
    model = ProcessStep
    fields = ("order", "name", "role", "agency", "at_desk", "budget_days")
    autocomplete_fields = ("agency",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["form_class"] = RoleChoiceField
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "role":  # roles are managed with the users, not from here
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return formfield


class ProcedureVersionInline(admin.TabularInline):
    """The frozen versions, newest first: read-only."""

    model = ProcedureVersion
    fields = ("version_number", "created_at", "processing_days", "dossier_count")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(dossier_count=Count("dossiers"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=VERSION_LABEL)
    def version_number(self, obj):
        return obj.number

    @admin.display(description=_("processing time (working days)"))
    def processing_days(self, obj):
        return number(obj.snapshot.get("processing_days"))  # "0,5", not the stored "0.5"

    @admin.display(description=_("dossiers received"))
    def dossier_count(self, obj):
        return obj.dossier_count


class ImportForm(forms.Form):
    workbook = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_workbook(self):
        return _size_checked(self.cleaned_data["workbook"], IMPORT_MAX_BYTES)


def _size_checked(upload, limit: int):
    """``upload``, unless it is larger than ``limit`` bytes (then a ``ValidationError``)."""
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)}
        )
    return upload


def _xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _export_name() -> str:
    return f"thu-tuc-hanh-chinh-{timezone.localdate():%Y%m%d}.xlsx"


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    change_list_template = "admin/catalog/procedure/change_list.html"
    list_display = (
        "code",
        "name",
        "field",
        "agency",
        "processing_time",
        "online_level",
        "is_active",
        "version_number",
    )
    list_filter = ("is_active", "at_communes", "online_level", "applicants", "field", "agency")
    list_select_related = ("field", "agency", "current_version")
    search_fields = ("code", "name")
    autocomplete_fields = ("agency",)
    readonly_fields = ("current_version", "national_code", "created_at", "updated_at")
    inlines = (RequiredDocumentInline, FeeInline, ProcessStepInline, ProcedureVersionInline)
    actions = ("export_selected",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "field",
                    "agency",
                    "at_communes",
                    "applicants",
                    "is_active",
                )
            },
        ),
        (
            _("How it is carried out"),
            {
                "fields": (
                    "processing_days",
                    "processing_time_text",
                    "online_level",
                    "accepts_in_person",
                    "accepts_postal",
                    "steps_description",
                    "requirements",
                    "result_description",
                    "legal_basis",
                    "keywords",
                )
            },
        ),
        (None, {"fields": ("current_version", "national_code", "created_at", "updated_at")}),
    )

    @admin.display(description=_("national record"))
    def national_code(self, obj):
        record = getattr(obj, "national_record", None) if obj.pk else None
        if record is None:
            return _("Not imported from the national database")
        text = _("%(code)s, imported %(when)s (the internal process is the province's own)") % {
            "code": record.code,
            "when": timezone.localtime(record.imported_at).strftime("%d/%m/%Y %H:%M"),
        }
        if settings.DEMO_MODE:
            text += " " + _(
                "Demo: the procedure is the real national one, but its internal process (steps, "
                "roles, time budgets) was generated for the demo."
            )
        return text

    @admin.display(description=_("version in force"), ordering="current_version__number")
    def version_number(self, obj):
        return obj.current_version.number if obj.current_version_id else None

    @admin.display(description=_("processing time (working days)"), ordering="processing_days")
    def processing_time(self, obj):
        return number(obj.processing_days)  # "0,5" and "10", not "10,0"

    def get_search_results(self, request, queryset, search_term):
        """Name or code as typed, or every word with or without diacritics."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = procedure_search_words(search_term)
        if words:
            folded = queryset
            for word in words:
                folded = folded.filter(search_text__contains=word)
            results = results | folded
        return results, may_have_duplicates

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        procedure = form.instance
        before = procedure.current_version_id
        version = procedure_version_publish(procedure=procedure, actor=request.user)
        procedure.refresh_from_db(fields=["current_version", "search_text"])
        if version.pk != before:
            messages.info(
                request,
                _(
                    "Version %(number)s of the procedure is now in force; dossiers already "
                    "received keep the version they were received under."
                )
                % {"number": version.number},
            )

    # --- Excel ---------------------------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_procedure_import",
            ),
            path(
                "import-national/",
                self.admin_site.admin_view(self.national_import_view),
                name="catalog_procedure_import_national",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_all_view),
                name="catalog_procedure_export",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Export the selected procedures to Excel"))
    def export_selected(self, request, queryset):
        return _xlsx_response(catalog_export_bytes(queryset), _export_name())

    def export_all_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return _xlsx_response(catalog_export_bytes(), _export_name())

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        errors = []
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = catalog_import(file=form.cleaned_data["workbook"], actor=request.user)
                except CatalogImportError as exc:
                    errors = exc.errors
                else:
                    messages.success(request, str(result))
                    return redirect(reverse("admin:catalog_procedure_changelist"))
        else:
            form = ImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import procedures from Excel"),
            "form": form,
            "errors": errors,
            "sheets": [
                {
                    "title": title,
                    "columns": [
                        {"key": key, "label": label, "required": key in REQUIRED_KEYS[title]}
                        for key, label in columns.items()
                    ],
                }
                for title, columns in COLUMNS.items()
            ],
            "export_url": reverse("admin:catalog_procedure_export"),
        }
        return TemplateResponse(request, "admin/catalog/procedure/import.html", context)

    def national_import_view(self, request):
        """Upload the national database export: a dry run shows the report, then apply."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report = None
        error = ""
        if request.method == "POST":
            form = NationalImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    records = national_records_read(form.cleaned_data["file"].read())
                    report = national_catalog_import(
                        records, dry_run=form.cleaned_data["dry_run"], actor=request.user
                    )
                except NationalImportError as exc:
                    error = str(exc)
                else:
                    if not report.dry_run:
                        messages.success(request, report_lines(report, limit=0)[0])
                        form = NationalImportForm()
        else:
            form = NationalImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import from the national procedure database"),
            "form": form,
            "report": report,
            "error": error,
        }
        return TemplateResponse(request, "admin/catalog/procedure/import_national.html", context)


class NationalImportForm(forms.Form):
    file = forms.FileField(
        label=_("National database export (.json or .json.gz)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.gz"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only show what would change (dry run)"), required=False, initial=True
    )

    def clean_file(self):
        return _size_checked(self.cleaned_data["file"], NATIONAL_IMPORT_MAX_BYTES)


@admin.register(NationalAgency)
class NationalAgencyAdmin(admin.ModelAdmin):
    """How the national database's agency names map to the province's agencies."""

    list_display = ("name", "agency")
    list_editable = ("agency",)
    list_filter = (("agency", admin.EmptyFieldListFilter),)
    search_fields = ("name",)
    autocomplete_fields = ("agency",)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    """Frozen snapshots: read-only."""

    list_display = ("procedure", "version_number", "created_at")
    list_select_related = ("procedure",)
    search_fields = ("procedure__code", "procedure__name")
    fields = readonly_fields = ("procedure", "version_number", "created_at", "snapshot")

    @admin.display(description=VERSION_LABEL, ordering="number")
    def version_number(self, obj):
        return obj.number

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
