"""Every action form through the dossier page, once, plus conflicts and clear errors."""

import pytest
from django.urls import reverse

from tinhso.dossiers import services
from tinhso.dossiers.constants import Delivery, FileKind, Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing
from tinhso.testing.files import fake_pdf_upload, pdf_upload

pytestmark = pytest.mark.django_db


def act(client, dossier, action, **data):
    dossier.refresh_from_db()
    payload = {f"{action}-expected_version": dossier.version}
    payload.update({f"{action}-{key}": value for key, value in data.items()})
    return client.post(reverse("office:dossier_action", args=[dossier.pk, action]), payload)


def page(client, dossier):
    return client.get(reverse("office:dossier", args=[dossier.pk])).content.decode()


def fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def test_receive_with_the_checklist(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    body = page(client, dossier)
    assert 'id="action-receive"' in body and "Giấy chứng sinh" in body
    response = act(client, dossier, "receive", checklist=checklist(dossier))
    assert response.status_code == 302
    assert fresh(dossier).status == Status.RECEIVED


def test_receive_without_every_required_document_is_a_clear_error(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    response = act(client, dossier, "receive", checklist=checklist(dossier)[:1])
    assert response.status_code == 400
    assert "Giấy chứng sinh" in response.content.decode()
    assert fresh(dossier).status == Status.NEW


def test_refuse(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    assert act(client, dossier, "refuse", reason="Không thuộc thẩm quyền").status_code == 302
    assert fresh(dossier).status == Status.REFUSED


def test_refuse_without_a_reason_keeps_the_dossier(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    response = act(client, dossier, "refuse", reason="")
    assert response.status_code == 400
    assert fresh(dossier).status == Status.NEW


def test_request_supplement_then_record_it_at_the_desk(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    response = act(
        client,
        dossier,
        "request_supplement",
        reason="Thiếu chữ ký",
        document_names=["Giấy chứng sinh"],
    )
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.supplement_count == 1
    event = dossier.events.last()
    assert event.data["document_names"] == ["Giấy chứng sinh"]
    response = act(client, dossier, "supplement", files=pdf_upload("bo-sung.pdf"), comment="")
    assert response.status_code == 302
    assert fresh(dossier).status == Status.NEW


def test_forward_with_an_assignee_of_the_next_step(client, world):
    dossier = submit_online(world)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    client.force_login(world.clerk)
    body = page(client, dossier)
    assert world.specialist.display_name in body
    assert world.head.display_name not in body.split('id="action-forward"')[1].split("</form>")[0]
    response = act(
        client, dossier, "forward", comment="Chuyển thẩm định", assignee=world.specialist.pk
    )
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert (dossier.status, dossier.step_index, dossier.assignee) == (
        Status.PROCESSING,
        1,
        world.specialist,
    )


def test_send_back(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    client.force_login(world.head)
    response = act(client, dossier, "send_back", to_step=1, comment="Thẩm định lại")
    assert response.status_code == 302
    assert fresh(dossier).step_index == 1


def test_reassign(client, world):
    from tinhso.org import roles
    from tinhso.testing.factories import officer_create

    second = officer_create(username="specialist2", agency=world.justice, role=roles.SPECIALIST)
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.leader)
    response = act(client, dossier, "reassign", assignee=second.pk, comment="")
    assert response.status_code == 302
    assert fresh(dossier).assignee == second


def _at_leader(world):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    return services.dossier_forward(dossier=dossier, actor=world.head)


def test_approve(client, world):
    dossier = _at_leader(world)
    client.force_login(world.leader)
    assert act(client, dossier, "approve", comment="Đồng ý").status_code == 302
    dossier = fresh(dossier)
    assert dossier.decision == "approved" and dossier.step_index == 4


def test_reject(client, world):
    dossier = _at_leader(world)
    client.force_login(world.leader)
    assert act(client, dossier, "reject", reason="Không đủ điều kiện").status_code == 302
    dossier = fresh(dossier)
    assert (dossier.status, dossier.decision) == (Status.FINISHED, "rejected")


def test_request_and_confirm_payment(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.specialist)
    request = {"amount": 50000, "purpose": "Lệ phí", "pay_within_days": 5, "comment": ""}
    assert act(client, dossier, "request_payment", **request).status_code == 302
    dossier = fresh(dossier)
    assert (dossier.status, dossier.fee_amount) == (Status.FINANCIAL_OBLIGATION, 50000)
    paid = {"amount": 50000, "method": "cash", "reference": "BL-001"}
    # The desk records it, not the specialist who asked.
    assert act(client, dossier, "confirm_payment", **paid).status_code == 400
    client.force_login(world.clerk)
    assert act(client, dossier, "confirm_payment", **paid).status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.PROCESSING and dossier.fee_paid_at


def test_stop(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.leader)
    assert act(client, dossier, "stop", reason="Theo quyết định của tòa").status_code == 302
    assert fresh(dossier).status == Status.STOPPED


def test_finish_with_a_result_file_then_return_it(client, world):
    dossier = _at_leader(world)
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    client.force_login(world.doc_clerk)
    response = act(client, dossier, "finish", files=pdf_upload("ket-qua.pdf"), comment="")
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.status == Status.FINISHED
    assert dossier.files.filter(kind=FileKind.RESULT).count() == 1
    client.force_login(world.clerk)
    response = act(client, dossier, "return_result", delivery=Delivery.DESK, comment="")
    assert response.status_code == 302
    assert fresh(dossier).status == Status.RETURNED


def test_finish_with_a_fake_pdf_is_refused_clearly(client, world):
    dossier = _at_leader(world)
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    client.force_login(world.doc_clerk)
    response = act(client, dossier, "finish", files=fake_pdf_upload(), comment="")
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert fresh(dossier).status == Status.PROCESSING


def test_withdraw_on_the_applicants_request(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = fresh(dossier)
    # Back at the desk the clerk records the applicant's withdrawal.
    client.force_login(world.clerk)
    assert act(client, dossier, "withdraw", reason="Công dân xin rút").status_code == 302
    assert fresh(dossier).status == Status.WITHDRAWN


def test_a_stale_form_shows_the_conflict_and_changes_nothing(client, world):
    dossier = submit_online(world)
    client.force_login(world.clerk)
    stale_version = dossier.version
    services.dossier_request_supplement(dossier=dossier, actor=world.clerk, reason="Thiếu giấy")
    services.dossier_supplement(dossier=fresh(dossier), actor=world.citizen, files=[pdf_upload()])
    before = fresh(dossier)
    response = client.post(
        reverse("office:dossier_action", args=[dossier.pk, "refuse"]),
        {"refuse-expected_version": stale_version, "refuse-reason": "Sai"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Someone else has changed this dossier" in response.content.decode() or (
        "Người khác đã thay đổi hồ sơ này" in response.content.decode()
    )
    after = fresh(dossier)
    assert (after.status, after.version) == (before.status, before.version) == (Status.NEW, 3)


def test_an_action_the_role_may_not_take_is_a_clear_error_not_a_500(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.head)  # the step belongs to the specialist
    response = act(client, dossier, "forward", comment="")
    assert response.status_code == 400
    dossier = fresh(dossier)
    assert dossier.step_index == 1


def test_the_page_offers_only_the_allowed_actions(client, world):
    dossier = walk_to_processing(world, submit_online(world))
    client.force_login(world.specialist)
    body = page(client, dossier)
    assert 'id="action-forward"' in body
    assert 'id="action-approve"' not in body
    assert 'id="action-receive"' not in body
