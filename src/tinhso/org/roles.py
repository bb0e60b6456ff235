"""The default roles: groups of Django permissions, created after every migrate.

Code checks permissions (``user.has_perm("dossiers.receive_dossier")``), never these names; an
administrator may build other groups from the same permissions.
"""

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

_OFFICE = ["dossiers.view_dossier"]
ROLE_PERMISSIONS = {
    ONE_STOP_CLERK: _OFFICE
    + ["dossiers.receive_dossier", "dossiers.process_dossier", "dossiers.return_result"],
    SPECIALIST: _OFFICE + ["dossiers.process_dossier"],
    DEPARTMENT_HEAD: _OFFICE
    + ["dossiers.process_dossier", "dossiers.assign_dossier", "dossiers.view_statistics"],
    AGENCY_LEADER: _OFFICE
    + [
        "dossiers.process_dossier",
        "dossiers.approve_dossier",
        "dossiers.assign_dossier",
        "dossiers.stop_dossier",
        "dossiers.view_statistics",
    ],
    DOCUMENT_CLERK: _OFFICE + ["dossiers.process_dossier", "dossiers.return_result"],
    PROVINCE_ADMIN: _OFFICE
    + [
        "dossiers.receive_dossier",
        "dossiers.process_dossier",
        "dossiers.approve_dossier",
        "dossiers.assign_dossier",
        "dossiers.stop_dossier",
        "dossiers.return_result",
        "dossiers.view_statistics",
        "dossiers.view_all_agencies",
        "catalog.add_procedure",
        "catalog.change_procedure",
        "catalog.view_procedure",
        "org.view_agency",
        "org.change_agency",
        "core.add_calendarday",
        "core.change_calendarday",
        "core.delete_calendarday",
        "core.view_calendarday",
    ],
}


def sync_roles(**kwargs) -> None:
    """Create the default groups and give them their permissions (idempotent)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    for app_config in apps.get_app_configs():  # permissions of apps migrated after this one
        create_permissions(app_config, verbosity=0, using=using)
    for name, perms in ROLE_PERMISSIONS.items():
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
