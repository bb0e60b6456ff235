from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tinhso.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from tinhso.accounts.otp import second_factor_rule
        from tinhso.org.models import Agency
        from tinhso.org.roles import sync_roles
        from tinhso.org.selectors import officer_agency_id, province_desk_code_forget

        post_migrate.connect(sync_roles, sender=self)
        post_save.connect(province_desk_code_forget, sender=Agency)
        post_delete.connect(province_desk_code_forget, sender=Agency)
        # Officers sign in with a second factor (accounts cannot ask org who is one).
        second_factor_rule(lambda user: officer_agency_id(user) is not None)
