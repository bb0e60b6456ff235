import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.core.errors import ConflictError, TransitionError
from tinhso.core.models import AuditLog
from tinhso.dossiers import services
from tinhso.dossiers.actions import TRANSITIONS
from tinhso.dossiers.constants import Delivery, FileKind, Status, Timeliness
from tinhso.dossiers.models import Dossier, DossierEvent
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db


def test_online_submission_waits_at_the_desk_with_a_code(world):
    dossier = submit_online(world)
    assert dossier.status == Status.NEW
    assert dossier.receiving_agency == world.center
    assert dossier.code.startswith("000.00.01.H30-")
    assert dossier.code.endswith("-0001")
    assert dossier.files.filter(kind=FileKind.SUBMISSION).count() == 2
    assert dossier.events.get().action == "submit"


def test_the_whole_happy_path_through_every_step(world):
    dossier = submit_online(world)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    assert dossier.status == Status.RECEIVED and dossier.due_at is not None
    dossier = services.dossier_forward(
        dossier=dossier, actor=world.clerk, assignee=world.specialist
    )
    assert (dossier.status, dossier.step_index, dossier.current_agency) == (
        Status.PROCESSING,
        1,
        world.justice,
    )
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = services.dossier_forward(dossier=dossier, actor=world.head)
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    assert dossier.step_index == 4
    dossier = services.dossier_finish(
        dossier=dossier, actor=world.doc_clerk, files=[pdf_upload("ket-qua.pdf")]
    )
    assert dossier.status == Status.FINISHED
    assert dossier.current_agency == world.center
    assert dossier.timeliness in {Timeliness.EARLY, Timeliness.ON_TIME}
    dossier = services.dossier_return_result(
        dossier=dossier, actor=world.clerk, delivery=Delivery.ONLINE
    )
    assert dossier.status == Status.RETURNED
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == [
        "submit",
        "receive",
        "forward",
        "forward",
        "forward",
        "approve",
        "finish",
        "return_result",
    ]
    assert AuditLog.objects.filter(
        object_type="dossiers.dossier", object_id=str(dossier.pk)
    ).count() == len(actions)


def test_refuse_needs_a_reason_and_closes_the_dossier(world):
    dossier = submit_online(world)
    with pytest.raises(ValidationError):
        services.dossier_refuse(dossier=dossier, actor=world.clerk, reason="  ")
    dossier = services.dossier_refuse(dossier=dossier, actor=world.clerk, reason="Sai thủ tục")
    assert dossier.status == Status.REFUSED and dossier.closed_at


def test_supplement_stops_the_clock_and_returns_to_the_previous_status(world, settings):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = (
        services.dossier_forward(dossier=dossier, actor=world.specialist) if False else dossier
    )
    dossier = services.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, reason="Thiếu bản sao CCCD"
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.supplement_count == 1
    dossier = services.dossier_supplement(
        dossier=dossier, actor=world.citizen, files=[pdf_upload("cccd.pdf")]
    )
    assert dossier.status == Status.PROCESSING
    assert dossier.paused_at is None
    assert dossier.files.filter(kind=FileKind.SUPPLEMENT).count() == 1


def test_send_back_reassign_payment_withdraw_stop_and_reject(world):
    dossier = walk_to_processing(world, submit_online(world))
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = services.dossier_send_back(
        dossier=dossier, actor=world.head, to_step=1, comment="Thẩm định lại"
    )
    assert dossier.step_index == 1 and dossier.assignee == world.specialist
    dossier = services.dossier_reassign(
        dossier=dossier, actor=world.head, assignee=world.specialist
    )
    dossier = services.dossier_request_payment(
        dossier=dossier, actor=world.specialist, amount=50000, purpose="Lệ phí", pay_within_days=5
    )
    assert dossier.status == Status.FINANCIAL_OBLIGATION
    dossier = services.dossier_confirm_payment(
        dossier=dossier, actor=world.clerk, amount=50000, method="cash", reference="BL1"
    )
    assert dossier.status == Status.PROCESSING and dossier.fee_paid_at
    dossier = services.dossier_forward(dossier=dossier, actor=world.specialist)
    dossier = services.dossier_forward(dossier=dossier, actor=world.head)
    dossier = services.dossier_reject(
        dossier=dossier, actor=world.leader, reason="Không đủ điều kiện"
    )
    assert dossier.status == Status.FINISHED and dossier.decision == "rejected"

    other = walk_to_processing(world, submit_online(world))
    other = services.dossier_withdraw(dossier=other, actor=world.citizen, reason="Nộp nhầm")
    assert other.status == Status.WITHDRAWN

    third = walk_to_processing(world, submit_online(world))
    third = services.dossier_stop(dossier=third, actor=world.admin, reason="Theo quyết định")
    assert third.status == Status.STOPPED


def test_every_transition_is_rejected_from_every_other_status(world):
    dossier = submit_online(world)
    for action, transition in TRANSITIONS.transitions.items():
        for status in Status:
            if status in transition.sources:
                continue
            Dossier.objects.filter(pk=dossier.pk).update(status=status)
            before = DossierEvent.objects.count()
            with pytest.raises(TransitionError):
                _act(world, action, Dossier.objects.get(pk=dossier.pk))
            assert DossierEvent.objects.count() == before, (action, status)


def _act(world, action, dossier):
    calls = {
        "receive": lambda: services.dossier_receive(
            dossier=dossier, actor=world.admin, checklist=checklist(dossier)
        ),
        "refuse": lambda: services.dossier_refuse(dossier=dossier, actor=world.admin, reason="x"),
        "request_supplement": lambda: services.dossier_request_supplement(
            dossier=dossier, actor=world.admin, reason="x"
        ),
        "supplement": lambda: services.dossier_supplement(
            dossier=dossier, actor=world.citizen, files=[pdf_upload()]
        ),
        "forward": lambda: services.dossier_forward(dossier=dossier, actor=world.admin),
        "send_back": lambda: services.dossier_send_back(
            dossier=dossier, actor=world.admin, to_step=0, comment="x"
        ),
        "reassign": lambda: services.dossier_reassign(
            dossier=dossier, actor=world.admin, assignee=world.clerk
        ),
        "approve": lambda: services.dossier_approve(dossier=dossier, actor=world.admin),
        "reject": lambda: services.dossier_reject(dossier=dossier, actor=world.admin, reason="x"),
        "request_payment": lambda: services.dossier_request_payment(
            dossier=dossier, actor=world.admin, amount=1000, purpose="x", pay_within_days=5
        ),
        "confirm_payment": lambda: services.dossier_confirm_payment(
            dossier=dossier, actor=world.admin, amount=1000, method="cash", reference="x"
        ),
        "withdraw": lambda: services.dossier_withdraw(dossier=dossier, actor=world.citizen),
        "stop": lambda: services.dossier_stop(dossier=dossier, actor=world.admin, reason="x"),
        "finish": lambda: services.dossier_finish(
            dossier=dossier, actor=world.admin, files=[pdf_upload()]
        ),
        "return_result": lambda: services.dossier_return_result(
            dossier=dossier, actor=world.admin, delivery="desk"
        ),
    }
    assert set(calls) == set(TRANSITIONS)
    return calls[action]()


def test_a_stale_action_is_refused_and_changes_nothing(world):
    dossier = submit_online(world)
    seen_version = dossier.version
    services.dossier_receive(dossier=dossier, actor=world.clerk, checklist=checklist(dossier))
    with pytest.raises(ConflictError):
        services.dossier_refuse(
            dossier=dossier, actor=world.clerk, reason="x", expected_version=seen_version
        )
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


def test_officers_of_another_agency_cannot_act(world):
    dossier = walk_to_processing(world, submit_online(world))
    with pytest.raises(PermissionDenied):
        services.dossier_forward(dossier=dossier, actor=world.other_specialist)
    with pytest.raises(PermissionDenied):
        services.dossier_receive(dossier=submit_online(world), actor=world.ward_clerk, checklist=[])
    with pytest.raises(PermissionDenied):  # right agency, wrong role for the step
        services.dossier_forward(dossier=dossier, actor=world.leader)
    with pytest.raises(PermissionDenied):
        services.dossier_withdraw(dossier=dossier, actor=world.other_citizen)


def test_receive_requires_every_required_document_on_the_checklist(world):
    dossier = submit_online(world)
    with pytest.raises(ValidationError):
        services.dossier_receive(dossier=dossier, actor=world.clerk, checklist=[])
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW


def test_allowed_actions_follow_status_role_and_agency(world):
    dossier = submit_online(world)
    assert services.dossier_allowed_actions(dossier=dossier, actor=world.clerk) == [
        "receive",
        "refuse",
        "request_supplement",
        "withdraw",
    ]
    assert services.dossier_allowed_actions(dossier=dossier, actor=world.other_specialist) == []
    assert services.dossier_allowed_actions(dossier=dossier, actor=world.citizen) == ["withdraw"]
    dossier = walk_to_processing(world, dossier)
    assert "forward" in services.dossier_allowed_actions(dossier=dossier, actor=world.specialist)
    # The desk may still record the applicant's withdrawal, nothing else.
    assert services.dossier_allowed_actions(dossier=dossier, actor=world.clerk) == ["withdraw"]
