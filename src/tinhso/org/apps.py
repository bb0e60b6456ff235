from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tinhso.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from tinhso.accounts.otp import second_factor_rule
        from tinhso.org.roles import sync_roles
        from tinhso.org.selectors import officer_agency_id

        post_migrate.connect(sync_roles, sender=self)
        # Officers sign in with a second factor (accounts cannot ask org who is one).
        second_factor_rule(lambda user: officer_agency_id(user) is not None)
