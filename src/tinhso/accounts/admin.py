from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.models import ApiToken, AuthenticatorApp, BackupCodeSet, User
from tinhso.accounts.scopes import scope_choices
from tinhso.accounts.tokens import token_issue, token_max_days, token_revoke
from tinhso.core.admin import FoldedSearchMixin
from tinhso.core.validators import normalise_phone, validate_phone


class AccountChangeForm(UserChangeForm):
    """The phone in any notation ("+84 (0) 912 345 678"), stored in its one form."""

    phone = forms.CharField(
        label=_("phone number"), max_length=20, required=False, validators=[validate_phone]
    )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


@admin.register(User)
class UserAdmin(FoldedSearchMixin, BaseUserAdmin):
    form = AccountChangeForm
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Citizen"), {"fields": ("full_name", "phone", "national_id", "vneid_subject")}),
    )
    list_display = ("username", "full_name", "email", "is_staff")
    search_fields = ("username", "full_name", "email", "phone")
    folded_search_fields = ("search_text",)


class ApiTokenAddForm(forms.ModelForm):
    """An administrator issues an integration token for someone: named, with scopes."""

    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=scope_choices, widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(
        label=_("lifetime in days"),
        min_value=1,
        help_text=_("At most API_INTEGRATION_TOKEN_TTL_DAYS."),
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = token_max_days(ApiToken.Kind.INTEGRATION)
        self.fields["days"].max_value = longest
        self.fields["days"].initial = longest
        self.fields["days"].validators.append(MaxValueValidator(longest))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's API tokens: list, issue integration tokens (the key is shown once), revoke.
    Tokens are never edited or deleted: a revoked token stays listed with why."""

    list_display = (
        "name",
        "user",
        "kind",
        "scopes",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "revoked_reason",
    )
    # Nothing of a token changes once issued but whether it is revoked (the action below).
    readonly_fields = list_display
    list_filter = ("kind", "revoked_reason", "expires_at")
    search_fields = ("name", "prefix", "user__username", "user__full_name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    actions = ["revoke"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["user", "name", "scopes", "days"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            token, key = token_issue(
                user=form.cleaned_data["user"],
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=ApiToken.Kind.INTEGRATION,
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:  # the form checked the same; a race at most
            raise PermissionDenied(str(error)) from None
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        request._issued_key = key

    def response_add(self, request, obj, post_url_continue=None):
        """Show the key once, on this page (never in a message, which may travel in a cookie)."""
        key = getattr(request, "_issued_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "key": key,
            "title": _("The new token"),
        }
        response = TemplateResponse(request, "admin/accounts/apitoken/issued.html", context)
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token, actor=request.user, reason=ApiToken.Revoked.ADMIN)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# django-otp registers its devices with English labels and every field editable (the secret key
# included). The admin shows them as the proxies below instead: who has enrolled, when the
# device was last used, and deleting one resets it (the owner enrols again at the next sign-in
# and loses their API tokens: ``tokens.revoke_tokens_on_authenticator_reset``).
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


class DeviceAdmin(admin.ModelAdmin):
    list_display = ("owner", "device_name", "is_confirmed", "created", "last_used")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name", "user__email")
    fields = ("owner", "device_name", "is_confirmed", "created", "last_used")
    readonly_fields = fields

    @admin.display(description=_("owner"), ordering="user__username")
    def owner(self, obj):
        return obj.user

    @admin.display(description=_("name"))
    def device_name(self, obj):
        return obj.name

    @admin.display(description=_("confirmed"), boolean=True)
    def is_confirmed(self, obj):
        return obj.confirmed

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    def has_add_permission(self, request):
        return False  # a person enrols their own authenticator, after signing in

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(DeviceAdmin):
    pass


@admin.register(BackupCodeSet)
class BackupCodeSetAdmin(DeviceAdmin):
    pass
