"""The default roles: groups of Django permissions, created after every migrate.

Code checks permissions (``user.has_perm("dossiers.receive_dossier")``), never these names; an
administrator may build other groups from the same permissions. Org holds the role names and the
sync; each app says what its part of each role is in its own ``permissions.py``.
"""

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

ONE_STOP_CLERK = "one_stop_clerk"
SPECIALIST = "specialist"
DEPARTMENT_HEAD = "department_head"
AGENCY_LEADER = "agency_leader"
DOCUMENT_CLERK = "document_clerk"
PROVINCE_ADMIN = "province_admin"

ROLE_LABELS = {
    ONE_STOP_CLERK: _("One-stop clerk"),
    SPECIALIST: _("Specialist"),
    DEPARTMENT_HEAD: _("Department head"),
    AGENCY_LEADER: _("Agency leader"),
    DOCUMENT_CLERK: _("Document clerk"),
    PROVINCE_ADMIN: _("Province administrator"),
}


def role_permissions() -> dict[str, list[str]]:
    """Each default role's permissions, gathered from the apps: an app contributes what its
    roles may do in a ``permissions.py`` holding ``ROLE_PERMISSIONS`` (role name → permission
    names), so org knows the roles and no app's permissions."""
    wanted: dict[str, list[str]] = {name: [] for name in ROLE_LABELS}
    for app_config in apps.get_app_configs():
        # Only the project's apps: a library's ``permissions`` module means something else.
        if not app_config.name.startswith("tinhso.") or not module_has_submodule(
            app_config.module, "permissions"
        ):
            continue
        module = import_module(f"{app_config.name}.permissions")
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            if role not in wanted:
                raise ImproperlyConfigured(
                    f"{app_config.name}.permissions names an unknown role {role!r}."
                )
            wanted[role].extend(perm for perm in perms if perm not in wanted[role])
    return wanted


def sync_roles(**kwargs) -> None:
    """Create the default groups and give them their permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    for app_config in apps.get_app_configs():  # permissions of apps migrated after this one
        create_permissions(app_config, verbosity=0, using=using)
    for name, perms in role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        wanted: list[Permission] = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.add(*wanted)
