from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tinhso.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from tinhso.org.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)
