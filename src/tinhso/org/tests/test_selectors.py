"""Officer scoping: which agency a user acts for and which agencies' work they see."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tinhso.catalog.selectors import procedure_list_for_officer
from tinhso.core.actors import system_actor
from tinhso.org import selectors


def test_officer_agency_id_for_each_kind_of_actor(world):
    assert selectors.officer_agency_id(world.specialist) == world.justice.pk
    assert selectors.officer_agency_id(world.clerk) == world.center.pk
    assert selectors.officer_agency_id(world.citizen) is None
    assert selectors.officer_agency_id(AnonymousUser()) is None
    assert selectors.officer_agency_id(None) is None
    # A system actor (a gateway, a scheduled job) works for no agency, whatever it may do.
    robot = system_actor("scheduler:test", "dossiers.view_all_agencies")
    assert selectors.officer_agency_id(robot) is None
    assert selectors.officer_sees_all(robot)
    assert not selectors.officer_acts_for(robot, world.justice.pk)


def test_only_province_administrators_see_all(world):
    assert selectors.officer_sees_all(world.admin)
    for user in (world.clerk, world.specialist, world.leader, world.citizen, AnonymousUser()):
        assert not selectors.officer_sees_all(user)
    assert not selectors.officer_sees_all(None)


def test_officer_acts_for_their_own_agency_only(world):
    assert selectors.officer_acts_for(world.specialist, world.justice.pk)
    assert not selectors.officer_acts_for(world.specialist, world.building.pk)
    assert not selectors.officer_acts_for(world.citizen, None)


def test_agencies_visible_to(world):
    everything = {world.center, world.justice, world.building, world.ward}
    assert set(selectors.agencies_visible_to(world.admin)) == everything
    # The desk sees the agencies it serves; a department sees only itself.
    assert set(selectors.agencies_visible_to(world.clerk)) == {
        world.center,
        world.justice,
        world.building,
    }
    assert set(selectors.agencies_visible_to(world.specialist)) == {world.justice}
    assert not selectors.agencies_visible_to(world.citizen).exists()


def test_desk_agencies_for(world):
    # The centre's desk receives for the departments it serves and for itself.
    assert set(selectors.desk_agencies_for(world.clerk)) == {
        world.center,
        world.justice,
        world.building,
    }
    # A department served by the centre has no desk of its own.
    assert not selectors.desk_agencies_for(world.specialist).exists()
    assert set(selectors.desk_agencies_for(world.ward_clerk)) == {world.ward}
    assert not selectors.desk_agencies_for(world.citizen).exists()


@pytest.mark.parametrize(
    ("who", "desk_only", "expected"),
    [
        ("clerk", True, {"procedure", "building_procedure"}),
        ("specialist", True, set()),
        ("specialist", False, {"procedure"}),
        ("other_specialist", False, {"building_procedure"}),
        ("ward_clerk", False, set()),
        ("citizen", False, set()),
        ("admin", True, {"procedure", "building_procedure"}),
    ],
)
def test_procedures_for_an_officer_follow_their_scope(world, who, desk_only, expected):
    got = set(procedure_list_for_officer(getattr(world, who), desk_only=desk_only))
    assert got == {getattr(world, name) for name in expected}
