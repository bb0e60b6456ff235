"""What a new officer found confusing in the office, each kept as a test."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tinhso.dossiers import services
from tinhso.dossiers.tests.helpers import submit_online, walk_to_processing
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db


def _page(client, dossier) -> str:
    return client.get(reverse("office:dossier", args=[dossier.pk])).content.decode()


def test_the_history_names_who_acted_with_their_agency_then_where_the_dossier_went(client, world):
    dossier = walk_to_processing(world, submit_online(world))  # the clerk forwards
    client.force_login(world.specialist)
    body = _page(client, dossier)
    clerk = f"{world.clerk.display_name} ({world.center.name})"
    assert clerk in body
    assert "Đang ở: Thẩm định hồ sơ · Sở Tư pháp" in body


def test_the_apology_date_field_shows_the_proposed_date(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.specialist)
    with time_machine.travel(dossier.due_at + dt.timedelta(hours=1), tick=False):
        body = _page(client, dossier)
    value = re.search(r'name="apology-new_due_on"[^>]*value="([^"]*)"', body)
    assert value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.group(1)), "a date input reads ISO"


def test_the_return_step_is_current_not_done_while_the_result_waits(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    for actor in (world.specialist, world.head):
        dossier = services.dossier_forward(dossier=dossier, actor=actor)
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    dossier = services.dossier_finish(dossier=dossier, actor=world.doc_clerk, files=[pdf_upload()])
    client.force_login(world.clerk)
    body = _page(client, dossier)
    last = body.rsplit('<li class="', 1)[1]
    assert last.startswith("current") and "Trả kết quả" in last


def test_an_officer_who_hands_the_dossier_to_another_agency_lands_on_the_queue(client, world):
    """A step done by another agency (e.g. the police's check): once that agency hands the
    dossier back, its officer no longer sees it and must not land on a 404."""
    dossier = submit_online(world)
    version = dossier.procedure_version
    version.snapshot["steps"][2]["agency_id"] = world.building.pk
    version.snapshot["steps"][2]["role_id"] = version.snapshot["steps"][1]["role_id"]
    version.save()
    dossier = walk_to_processing(world, dossier)
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    assert dossier.current_agency_id == world.building.pk
    client.force_login(world.other_specialist)
    response = client.post(
        reverse("office:dossier_action", args=[dossier.pk, "forward"]),
        {"forward-expected_version": dossier.version},
    )
    assert response.status_code == 302 and response["Location"] == reverse("office:queue")
    dossier.refresh_from_db()
    assert dossier.step_index == 3 and dossier.current_agency_id == world.justice.pk


def test_fees_are_grouped_in_thousands(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = services.dossier_request_payment(
        dossier=dossier, actor=world.head, amount=200_000, purpose="Lệ phí", pay_within_days=5
    )
    client.force_login(world.head)
    assert "200.000 đ" in _page(client, dossier)


def test_an_action_not_offered_says_why_instead_of_pointing_to_a_missing_form(client, world):
    dossier = walk_to_processing(world, submit_online(world))  # at the specialist's step
    client.force_login(world.leader)
    response = client.post(
        reverse("office:dossier_action", args=[dossier.pk, "approve"]),
        {"approve-expected_version": dossier.version},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "xem biểu mẫu bên dưới" not in body
    assert "Bước này do vai trò khác thực hiện" in body
