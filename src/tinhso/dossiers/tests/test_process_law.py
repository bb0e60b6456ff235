"""The internal process is the law: whatever officers try, in whatever order, a dossier never
skips a step, no role acts outside its step, and form 05 names who really acted.

A property-based test (hypothesis) drives random sequences of actions by random officers, the
applicant, strangers and a system actor through ``services.dossier_act`` and checks every
accepted action against the process, then the whole history through form 05's step visits.
The examples after it pin the kinds found by hand (a specialist finishing at step 2 of 7, a
leader approving at the department head's step and again at the clerk's).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinhso.core.actors import system_actor
from tinhso.core.errors import TransitionError
from tinhso.core.models import AuditLog
from tinhso.dossiers import effects, services
from tinhso.dossiers.actions import OFFERED, SPECS, StepRule, Where
from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier, DossierEvent
from tinhso.dossiers.slips import step_passages, step_visits
from tinhso.dossiers.tests.helpers import checklist, submit_online, walk_to_processing
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db

ACTORS = [
    "clerk",
    "specialist",
    "head",
    "leader",
    "doc_clerk",
    "other_specialist",
    "ward_clerk",
    "admin",
    "citizen",
    "other_citizen",
    "gateway",
]
ADVANCING = {"forward", "approve", "finish", "reject", "send_back"}
# A payment gateway records payments as the desk would (``confirm_payment`` is desk work).
GATEWAY = system_actor(
    "payments:demo",
    "dossiers.process_dossier",
    "dossiers.receive_dossier",
    label="Cổng thanh toán",
)


def _actor(world, name):
    return GATEWAY if name == "gateway" else getattr(world, name)


def _params(world, dossier: Dossier, action: str, pick: int) -> dict:
    officers = [world.clerk, world.specialist, world.head, world.leader, world.doc_clerk]
    return {
        "receive": {"checklist": checklist(dossier)},
        "refuse": {"reason": "Không thuộc thẩm quyền"},
        "request_supplement": {"reason": "Bổ sung bản sao"},
        "supplement": {"files": [pdf_upload()]},
        "forward": {},
        "send_back": {"to_step": pick % max(1, dossier.step_index), "comment": "Làm lại"},
        "reassign": {"assignee": officers[pick % len(officers)]},
        "approve": {},
        "reject": {"reason": "Không đủ điều kiện"},
        "request_payment": {"amount": 100_000, "purpose": "Lệ phí", "pay_within_days": 5},
        "confirm_payment": {"amount": 100_000, "method": "cash", "reference": "BL0001"},
        "withdraw": {"reason": ""},
        "stop": {"reason": "Có văn bản tạm dừng"},
        "finish": {"files": [pdf_upload()]},
        "return_result": {"delivery": "desk"},
        "rate": {"score": 5},
    }[action]


def _holds(user, role_id) -> bool:
    return user.groups.filter(pk=role_id).exists()


def _check_accepted(world, before: Dossier, after: Dossier, action: str, actor) -> None:
    """One accepted action obeyed the process."""
    spec = SPECS[action]
    steps = before.steps
    index = before.step_index if before.status != Status.NEW else 0
    last = effects.result_index(steps)
    step = steps[index]
    if spec.where == Where.STEP and spec.role_bound and not getattr(actor, "is_system", False):
        assert _holds(actor, step["role_id"]), (action, actor, step["name"])
    if action in {"forward", "approve"}:
        assert after.step_index == before.step_index + 1 <= last, (action, before.step_index)
    if action == "send_back":
        assert after.step_index < before.step_index
    if action == "finish":
        assert index == last, "finished before the result step"
    if action in {"approve", "reject"}:
        assert services._role_decides(step["role_id"]), f"{action} at a step that does not decide"
    if after.status == Status.FINISHED and before.status != Status.FINISHED:
        assert action in {"finish", "reject"}
    if action not in ADVANCING | {"receive"} and action != "rate":
        assert after.step_index == before.step_index or before.status == Status.NEW


def _check_history(dossier: Dossier) -> None:
    """Form 05's step visits follow the process and name who really acted."""
    steps = dossier.steps
    visits = step_passages(dossier)
    back = effects.return_index(steps)
    for previous, visit in zip(visits, visits[1:], strict=False):
        moved = visit["index"] - previous["index"]
        assert moved == 1 or moved < 0 or visit["index"] == back, (previous["index"], visit)
    for visit in visits:
        if visit["done_at"] is None:
            continue
        event = visit["done_event"]
        assert visit["done_by"] == event.actor and visit["done_at"] == event.at
        if event.action in ADVANCING and event.actor is not None:
            role_id = steps[visit["index"]]["role_id"]
            assert _holds(event.actor, role_id), (event.action, visit["index"], event.actor)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(OFFERED), st.sampled_from(ACTORS), st.integers(0, 9)),
        min_size=1,
        max_size=40,
    )
)
def test_random_actions_never_skip_a_step_nor_leave_the_role_of_the_step(world, moves):
    dossier = submit_online(world)
    for action, who, pick in moves:
        before = Dossier.objects.get(pk=dossier.pk)
        actor = _actor(world, who)
        allowed = action in services.dossier_allowed_actions(dossier=before, actor=actor)
        try:
            services.dossier_act(
                dossier=before, action=action, actor=actor, **_params(world, before, action, pick)
            )
        except (TransitionError, PermissionDenied, ValidationError):
            after = Dossier.objects.get(pk=dossier.pk)
            assert after.version == before.version, "a refused action changed the dossier"
            # Offered actions may still fail on their parameters (e.g. the officer chosen).
            assert not allowed or action in {"reassign", "send_back", "receive"}
            continue
        after = Dossier.objects.get(pk=dossier.pk)
        assert allowed, f"{action} by {who} succeeded but was not offered"
        _check_accepted(world, before, after, action, actor)
    _check_history(Dossier.objects.get(pk=dossier.pk))


# --- the kinds found by hand --------------------------------------------------------------------
def _at_step(world, index: int) -> Dossier:
    """A dossier of the standard process (desk, specialist, head, leader, clerk, desk) at
    step ``index``, each step handed on by its own role."""
    dossier = walk_to_processing(world, submit_online(world))
    by_step = {1: world.specialist, 2: world.head, 3: world.leader}
    while dossier.step_index < index:
        actor = by_step[dossier.step_index]
        action = "approve" if dossier.step_index == 3 else "forward"
        dossier = services.dossier_act(dossier=dossier, action=action, actor=actor)
    return dossier


def test_a_specialist_cannot_finish_at_their_step(world):
    dossier = _at_step(world, 1)
    assert "finish" not in services.dossier_allowed_actions(dossier=dossier, actor=world.specialist)
    with pytest.raises(TransitionError):
        services.dossier_finish(dossier=dossier, actor=world.specialist, files=[pdf_upload()])
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING


def test_a_leader_cannot_approve_at_the_department_heads_step(world):
    dossier = _at_step(world, 2)
    allowed = services.dossier_allowed_actions(dossier=dossier, actor=world.leader)
    assert not {"approve", "reject", "forward", "finish"} & set(allowed)
    with pytest.raises(PermissionDenied):
        services.dossier_approve(dossier=dossier, actor=world.leader)


def test_the_leader_decides_and_cannot_approve_again_at_the_clerks_step(world):
    dossier = _at_step(world, 3)
    allowed = services.dossier_allowed_actions(dossier=dossier, actor=world.leader)
    assert {"approve", "reject"} <= set(allowed) and "forward" not in allowed
    dossier = services.dossier_approve(dossier=dossier, actor=world.leader)
    assert dossier.step_index == 4 and dossier.status == Status.PROCESSING
    with pytest.raises((PermissionDenied, TransitionError)):
        services.dossier_approve(dossier=dossier, actor=world.leader)
    dossier = services.dossier_finish(dossier=dossier, actor=world.doc_clerk, files=[pdf_upload()])
    assert dossier.status == Status.FINISHED
    passages = step_passages(dossier)
    assert [p["done_by"] for p in passages[1:5]] == [
        world.specialist,
        world.head,
        world.leader,
        world.doc_clerk,
    ]
    rows = step_visits(dossier)  # form 05
    names = [world.specialist, world.head, world.leader, world.doc_clerk]
    assert [row["done_by"] for row in rows[1:5]] == [u.display_name for u in names]


def test_forward_is_not_offered_at_the_result_step(world):
    dossier = _at_step(world, 4)
    allowed = services.dossier_allowed_actions(dossier=dossier, actor=world.doc_clerk)
    assert "finish" in allowed and "forward" not in allowed
    with pytest.raises(TransitionError):
        services.dossier_forward(dossier=dossier, actor=world.doc_clerk)


def test_every_spec_rule_names_a_rule_the_services_know():
    assert {spec.step_rule for spec in SPECS.values()} <= set(StepRule)


# --- the system actor -----------------------------------------------------------------------
def test_a_system_actor_confirms_a_payment_and_is_recorded_as_such(world):
    dossier = _at_step(world, 2)
    dossier = services.dossier_request_payment(
        dossier=dossier, actor=world.head, amount=50_000, purpose="Lệ phí", pay_within_days=5
    )
    dossier = services.dossier_confirm_payment(
        dossier=dossier, actor=GATEWAY, amount=50_000, method="bank_transfer", reference="VNP1"
    )
    assert dossier.status == Status.PROCESSING and dossier.step_index == 2
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-pk").first()
    assert event.action == "confirm_payment"
    assert event.actor is None and event.actor_system == "payments:demo"
    audit = AuditLog.objects.filter(action="dossier.confirm_payment").get()
    assert audit.actor is None and audit.actor_system == "payments:demo"


def test_a_system_actor_holds_only_its_own_permissions(world):
    dossier = _at_step(world, 3)
    with pytest.raises(PermissionDenied):
        services.dossier_approve(dossier=dossier, actor=GATEWAY)
    with pytest.raises(PermissionDenied):
        services.dossier_stop(dossier=dossier, actor=GATEWAY, reason="x")
    scheduler = system_actor("scheduler:test")
    assert services.dossier_allowed_actions(dossier=dossier, actor=scheduler) == []
