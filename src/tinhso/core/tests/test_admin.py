import datetime as dt

import pytest
from django.urls import reverse

from tinhso.core.calendar import get_calendar
from tinhso.core.models import AuditLog, CalendarDay
from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.helpers import submit_online
from tinhso.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def let_in(user):
    user.is_staff = True
    user.save()
    return user


# --- the province's calendar ---------------------------------------------------------------------
def test_the_province_administrator_adds_a_make_up_saturday(client, world):
    client.force_login(let_in(world.admin))
    saturday = dt.date(2026, 3, 7)
    assert not get_calendar().is_working_day(saturday)

    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": "07/03/2026", "kind": CalendarDay.Kind.WORKING, "note": "Làm bù"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CalendarDay.objects.get().date == saturday
    assert get_calendar().is_working_day(saturday)
    listing = client.get(reverse("admin:core_calendarday_changelist"))
    assert "Thứ 7, 07/03/2026" in listing.content.decode()


def test_the_same_day_cannot_be_entered_twice(client, world):
    client.force_login(let_in(world.admin))
    CalendarDay.objects.create(date=dt.date(2026, 3, 4), kind=CalendarDay.Kind.DAY_OFF)
    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": "04/03/2026", "kind": CalendarDay.Kind.WORKING},
    )
    assert response.status_code == 200
    assert CalendarDay.objects.get().kind == CalendarDay.Kind.DAY_OFF


def test_a_clerk_cannot_change_the_calendar(client, world):
    client.force_login(let_in(world.clerk))
    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": "07/03/2026", "kind": CalendarDay.Kind.WORKING},
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


# --- the audit log -------------------------------------------------------------------------------
def test_the_audit_log_can_be_read_but_not_written(client, superuser, world):
    client.force_login(superuser)
    submit_online(world)
    entry = AuditLog.objects.first()
    assert client.get(reverse("admin:core_auditlog_changelist")).status_code == 200
    change = reverse("admin:core_auditlog_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change, {"action": "forged"}).status_code == 403
    assert client.get(reverse("admin:core_auditlog_add")).status_code == 403
    delete = reverse("admin:core_auditlog_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:core_auditlog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302}
    entry.refresh_from_db()
    assert entry.action != "forged"


# --- dossiers: read-only, scoped -----------------------------------------------------------------
def test_dossiers_are_read_only_in_the_admin(client, superuser, world):
    client.force_login(superuser)
    dossier = submit_online(world)
    change = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert "submit" in page.content.decode()  # the history inline
    assert client.post(change, {"status": Status.FINISHED}).status_code == 403
    assert client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
    delete = reverse("admin:dossiers_dossier_delete", args=[dossier.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW


def test_officers_see_only_their_agencys_dossiers_in_the_admin(client, world):
    ours = submit_online(world)  # received by the centre, implemented by justice
    theirs = submit_online(world, procedure=world.building_procedure)
    changelist = reverse("admin:dossiers_dossier_changelist")

    client.force_login(let_in(world.specialist))  # Sở Tư pháp
    listed = {d.pk for d in client.get(changelist).context["cl"].result_list}
    assert listed == {ours.pk}
    change = reverse("admin:dossiers_dossier_change", args=[theirs.pk])
    assert client.get(change).status_code == 302  # "does not exist" redirect

    client.force_login(let_in(world.admin))  # sees every agency
    listed = {d.pk for d in client.get(changelist).context["cl"].result_list}
    assert listed == set(Dossier.objects.values_list("pk", flat=True))


def test_dossiers_are_searched_by_code_only(client, superuser, world):
    client.force_login(superuser)
    dossier = submit_online(world)
    changelist = reverse("admin:dossiers_dossier_changelist")
    found = client.get(changelist, {"q": dossier.code}).context["cl"].result_list
    assert list(found) == [dossier]
    by_id_number = client.get(changelist, {"q": "092090001234"}).context["cl"].result_list
    assert list(by_id_number) == []
