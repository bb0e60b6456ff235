"""The default roles, gathered from each app's contribution."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from tinhso.org import roles
from tinhso.org.roles import role_permissions, sync_roles

# The roles as they were when org/roles.py listed every app's permissions itself: gathering them
# from the apps must give exactly these groups.
_OFFICE = {"dossiers.view_dossier"}
EXPECTED = {
    roles.ONE_STOP_CLERK: _OFFICE
    | {"dossiers.receive_dossier", "dossiers.process_dossier", "dossiers.return_result"},
    roles.SPECIALIST: _OFFICE | {"dossiers.process_dossier"},
    roles.DEPARTMENT_HEAD: _OFFICE
    | {"dossiers.process_dossier", "dossiers.assign_dossier", "dossiers.view_statistics"},
    roles.AGENCY_LEADER: _OFFICE
    | {
        "dossiers.process_dossier",
        "dossiers.approve_dossier",
        "dossiers.assign_dossier",
        "dossiers.stop_dossier",
        "dossiers.view_statistics",
    },
    roles.DOCUMENT_CLERK: _OFFICE | {"dossiers.process_dossier", "dossiers.return_result"},
    roles.PROVINCE_ADMIN: _OFFICE
    | {
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
        "core.add_announcedyear",
        "core.change_announcedyear",
        "core.delete_announcedyear",
        "core.view_announcedyear",
        "core.add_announcedday",
        "core.change_announcedday",
        "core.delete_announcedday",
        "core.view_announcedday",
    },
}


def _group_perms(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_gathered_table_is_the_old_one():
    assert {role: set(perms) for role, perms in role_permissions().items()} == EXPECTED


@pytest.mark.django_db
def test_the_groups_after_migrate_hold_exactly_those_permissions():
    sync_roles()  # idempotent: the test database already ran it after migrating
    for role, perms in EXPECTED.items():
        assert _group_perms(role) == perms, role


def test_an_app_naming_an_unknown_role_is_refused(monkeypatch):
    from tinhso.catalog import permissions

    monkeypatch.setattr(permissions, "ROLE_PERMISSIONS", {"janitor": ["catalog.view_procedure"]})
    with pytest.raises(ImproperlyConfigured, match="janitor"):
        role_permissions()
