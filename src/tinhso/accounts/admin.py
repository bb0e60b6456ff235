from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Citizen"), {"fields": ("full_name", "phone", "national_id", "vneid_subject")}),
    )
    list_display = ("username", "full_name", "email", "is_staff")
    search_fields = ("username", "full_name", "email", "phone")
