import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tinhso.dossiers import services
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing

pytestmark = pytest.mark.django_db


def codes(response):
    return {d.code for d in response.context["dossiers"]}


def counts(response):
    return {tab["name"]: tab["count"] for tab in response.context["tabs"]}


def get(client, **params):
    response = client.get(reverse("office:queue"), params)
    assert response.status_code == 200
    return response


@pytest.fixture
def dossiers(world):
    """new: waiting at the desk; mine: received, assigned to the clerk; at_justice: with the
    specialist; building: the other department's."""
    new = submit_online(world)
    mine = submit_online(world)
    mine = services.dossier_receive(dossier=mine, actor=world.clerk, checklist=checklist(mine))
    at_justice = walk_to_processing(world, submit_online(world))
    at_justice = services.dossier_reassign(
        dossier=at_justice, actor=world.leader, assignee=world.specialist
    )
    building = submit_online(world, procedure=world.building_procedure)
    return {"new": new, "mine": mine, "at_justice": at_justice, "building": building}


def test_each_tab_returns_the_right_dossiers(client, world, dossiers):
    d = {key: value.code for key, value in dossiers.items()}
    client.force_login(world.clerk)
    assert codes(get(client, tab="mine")) == {d["mine"]}
    assert codes(get(client, tab="agency")) == {d["new"], d["mine"], d["building"]}
    assert codes(get(client, tab="all")) == set(d.values())
    response = get(client)
    assert counts(response) == {"mine": 1, "agency": 3, "due_soon": 0, "overdue": 0, "all": 4}

    client.force_login(world.specialist)
    assert codes(get(client, tab="mine")) == {d["at_justice"]}
    assert codes(get(client, tab="agency")) == {d["at_justice"]}
    # Justice implements three of them; the building department's dossier is not its business.
    assert codes(get(client, tab="all")) == {d["new"], d["mine"], d["at_justice"]}

    client.force_login(world.other_specialist)
    assert codes(get(client, tab="all")) == {d["building"]}
    assert codes(get(client, tab="agency")) == set()

    client.force_login(world.admin)
    assert codes(get(client, tab="all")) == set(d.values())
    # Every open dossier of the province, nearest appointment first, new ones (none yet) last.
    order = [x.code for x in get(client, tab="agency").context["dossiers"]]
    assert set(order[:2]) == {d["mine"], d["at_justice"]}
    assert set(order[2:]) == {d["new"], d["building"]}


def test_due_soon_and_overdue(client, world, dossiers):
    d = {key: value.code for key, value in dossiers.items()}
    due = dossiers["mine"].due_at  # both received the same day: same appointment
    client.force_login(world.clerk)
    with time_machine.travel(due - dt.timedelta(hours=2), tick=False):
        response = get(client, tab="due_soon")
        assert codes(response) == {d["mine"], d["at_justice"]}
        assert "badge-soon" in response.content.decode()
        assert codes(get(client, tab="overdue")) == set()
    with time_machine.travel(due + dt.timedelta(hours=1), tick=False):
        response = get(client, tab="overdue")
        assert codes(response) == {d["mine"], d["at_justice"]}
        assert "badge-late" in response.content.decode()
        assert codes(get(client, tab="due_soon")) == set()


def test_search_and_filters(client, world, dossiers):
    d = {key: value.code for key, value in dossiers.items()}
    client.force_login(world.admin)
    assert codes(get(client, tab="all", q=d["mine"])) == {d["mine"]}
    assert codes(get(client, tab="all", q=d["mine"].lower())) == {d["mine"]}  # a code prefix
    assert codes(get(client, tab="all", q=d["mine"][-4:])) == {d["mine"]}  # part of a code
    assert codes(get(client, tab="all", q="giấy phép xây")) == {d["building"]}
    assert codes(get(client, tab="all", q="Nguyễn Văn An")) == set(d.values())
    assert codes(get(client, tab="all", status=4)) == {d["at_justice"]}
    assert codes(get(client, tab="all", procedure=world.building_procedure.pk)) == {d["building"]}
    assert codes(get(client, tab="all", field=world.procedure.field_id)) == set(d.values())
    today = timezone.localdate()
    received = {d["mine"], d["at_justice"]}
    assert codes(get(client, tab="all", received_from=today.isoformat())) == received
    assert codes(get(client, tab="all", received_to=str(today - dt.timedelta(days=1)))) == set()
    # The counts follow the filters.
    assert counts(get(client, tab="all", status=4))["all"] == 1
    # A bad date is shown as an error, not a 500.
    response = get(client, tab="all", received_from="31/02/2026", status=4)
    assert response.context["filters"].errors
    assert codes(response) == {d["at_justice"]}  # the valid filters still apply


def test_rows_show_step_assignee_and_link(client, world, dossiers):
    client.force_login(world.specialist)
    body = get(client, tab="agency").content.decode()
    assert "Thẩm định hồ sơ" in body
    assert world.specialist.display_name in body
    assert reverse("office:dossier", args=[dossiers["at_justice"].pk]) in body


def test_pagination_by_fifty(client, world):
    for _ in range(51):
        submit_online(world)
    client.force_login(world.clerk)
    first = get(client, tab="all")
    assert len(first.context["dossiers"]) == 50 and first.context["next_url"]
    second = client.get(reverse("office:queue") + first.context["next_url"])
    assert len(second.context["dossiers"]) == 1 and not second.context["next_url"]
    assert not codes(first) & codes(second)


def test_the_queue_needs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(3):
        walk_to_processing(world, submit_online(world))
    client.force_login(world.admin)
    get(client, tab="all")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(18) as few:
        get(client, tab="all")
    for _ in range(12):
        walk_to_processing(world, submit_online(world))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = get(client, tab="all")
    assert len(response.context["dossiers"]) == 15
