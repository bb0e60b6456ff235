import pytest
from django.urls import reverse

from tinhso.org.models import Agency, Ward
from tinhso.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def ward(db):
    return Ward.objects.create(
        code=31117, name="Phường Ninh Kiều", division_type="phường", province_code=92
    )


def agency_data(agency: Agency, **changes) -> dict:
    data = {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "parent": agency.parent_id or "",
        "served_by": agency.served_by_id or "",
        "ward": agency.ward_id or "",
        "address": "",
        "phone": "",
        "email": "",
        "valid_from": "",
        "valid_to": "",
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_agency_pages_open_and_search_by_code_or_name(client, superuser, world):
    client.force_login(superuser)
    changelist = reverse("admin:org_agency_changelist")
    found = client.get(changelist, {"q": "000.00.02.H30"}).context["cl"].result_list
    assert list(found) == [world.justice]
    found = client.get(changelist, {"q": "Xây dựng"}).context["cl"].result_list
    assert list(found) == [world.building]
    for url in [
        reverse("admin:org_agency_add"),
        reverse("admin:org_agency_change", args=[world.justice.pk]),
        reverse("admin:org_officer_changelist"),
        reverse("admin:org_officer_change", args=[world.specialist.officer.pk]),
        reverse("admin:org_ward_changelist"),
    ]:
        assert client.get(url).status_code == 200, url


def test_an_agency_gets_its_desk_ward_and_validity(client, superuser, world, ward):
    client.force_login(superuser)
    url = reverse("admin:org_agency_change", args=[world.building.pk])
    response = client.post(
        url,
        agency_data(
            world.building,
            parent=world.center.pk,
            ward=ward.pk,
            valid_from="01/07/2025",
            valid_to="31/12/2026",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.building.refresh_from_db()
    assert world.building.parent == world.center
    assert world.building.desk == world.center
    assert world.building.ward == ward
    assert str(world.building.valid_to) == "2026-12-31"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"served_by": "self-desk"}, "served_by"),  # a desk that is itself served elsewhere
        ({"parent": "self"}, "parent"),
        ({"valid_from": "01/01/2026", "valid_to": "31/12/2025"}, "valid_to"),
        ({"code": "H30-SO-TU-PHAP"}, "code"),
    ],
)
def test_bad_agency_changes_are_refused(client, superuser, world, changes, field):
    client.force_login(superuser)
    changes = dict(changes)
    if changes.get("served_by") == "self-desk":
        changes["served_by"] = world.building.pk  # building is served by the centre
    if changes.get("parent") == "self":
        changes["parent"] = world.justice.pk
    url = reverse("admin:org_agency_change", args=[world.justice.pk])
    response = client.post(url, agency_data(world.justice, **changes))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    world.justice.refresh_from_db()
    assert world.justice.served_by == world.center and world.justice.parent is None


def test_a_parent_loop_is_refused(client, superuser, world):
    client.force_login(superuser)
    Agency.objects.filter(pk=world.building.pk).update(parent=world.justice)
    url = reverse("admin:org_agency_change", args=[world.justice.pk])
    response = client.post(url, agency_data(world.justice, parent=world.building.pk))
    assert "parent" in response.context["adminform"].form.errors


def test_officers_list_their_roles(client, superuser, world):
    client.force_login(superuser)
    page = client.get(reverse("admin:org_officer_changelist"), {"q": "specialist_b"})
    assert list(page.context["cl"].result_list) == [world.other_specialist.officer]
    assert "Chuyên viên" in page.content.decode()


def test_wards_are_read_only(client, superuser, ward):
    client.force_login(superuser)
    change = reverse("admin:org_ward_change", args=[ward.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change, {"name": "Đổi tên"}).status_code == 403
    assert client.get(reverse("admin:org_ward_add")).status_code == 403
    ward.refresh_from_db()
    assert ward.name == "Phường Ninh Kiều"
    found = client.get(reverse("admin:org_ward_changelist"), {"q": "ninh kiều"})
    assert list(found.context["cl"].result_list) == [ward]
