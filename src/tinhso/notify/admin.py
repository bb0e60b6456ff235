"""Notifications in the admin: templates to edit, preferences, the delivery log, the demo outbox.

The log is searched by event, object id, provider message id or the masked address; the real
address is never shown here and cannot be searched for.
"""

from django import forms
from django.contrib import admin
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from tinhso.notify.models import ChannelPreference, Delivery, DemoMessage, NotificationTemplate

HIDDEN = _("Hidden: this message carries a verification code.")
TEMPLATE_FIELDS = ("subject_vi", "body_vi", "sms_vi", "subject_en", "body_en", "sms_en")


class NotificationTemplateForm(forms.ModelForm):
    class Meta:
        model = NotificationTemplate
        fields = (
            "event",
            "description",
            "legally_required",
            "sensitive",
            "active",
            *TEMPLATE_FIELDS,
        )

    def clean(self):
        data = super().clean()
        for name in TEMPLATE_FIELDS:
            try:
                Template(data.get(name) or "")
            except TemplateSyntaxError as error:
                self.add_error(name, _("Template error: %(error)s") % {"error": error})
        return data


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ("event", "subject_vi", "legally_required", "active", "updated_at")
    list_filter = ("legally_required", "active")
    search_fields = ("event", "subject_vi", "subject_en")
    fieldsets = (
        (None, {"fields": ("event", "description", "legally_required", "sensitive", "active")}),
        (_("Vietnamese"), {"fields": ("subject_vi", "body_vi", "sms_vi")}),
        (_("English"), {"fields": ("subject_en", "body_en", "sms_en")}),
    )


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "sms_enabled", "language")
    list_filter = ("email_enabled", "sms_enabled", "language")
    raw_id_fields = ("user",)
    search_fields = ("user__username",)


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "created_at",
        "event",
        "address_masked",
        "channel",
        "backend",
        "status",
        "attempts",
        "next_attempt_at",
        "object_type",
        "object_id",
    )
    list_filter = ("status", "channel", "backend", "event", "object_type")
    search_fields = ("event", "=object_id", "=provider_message_id", "address_masked", "=uuid")
    date_hierarchy = "created_at"
    fields = (
        "uuid",
        "event",
        "recipient",
        "channel",
        "backend",
        "address_masked",
        "language",
        "subject_shown",
        "body_shown",
        "object_type",
        "object_id",
        "status",
        "attempts",
        "next_attempt_at",
        "provider_message_id",
        "provider_status",
        "error",
        "created_at",
        "sent_at",
        "delivered_at",
    )
    readonly_fields = fields
    list_select_related = ("recipient",)

    @admin.display(description=_("subject"))
    def subject_shown(self, obj):
        return HIDDEN if obj.sensitive else obj.subject

    @admin.display(description=_("message"))
    def body_shown(self, obj):
        """A sensitive message (a verification code) is never shown, even before it is sent."""
        return HIDDEN if obj.sensitive else obj.body


@admin.register(DemoMessage)
class DemoMessageAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "channel", "address_masked", "subject", "body")
    list_filter = ("channel",)
    search_fields = ("address_masked", "subject")
    fields = ("created_at", "channel", "address_masked", "subject", "body", "delivery")
    readonly_fields = fields
