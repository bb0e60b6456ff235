"""One declarative spec per dossier action: the single source of what an action is.

Everything else is derived from ``SPECS``: the transition table (``TRANSITIONS``), the checks
of who may act where (``services``), the API's parameters and the allowed-actions answer
(``dossiers.api``), the office's action forms (``office.forms``), and the portal's timeline
labels, public comments and slip links (``portal.views``). Adding an action is one entry here
plus its service in ``services.py`` and its effect in ``effects.py``.

Legal basis: the one-stop-shop rules (Decree 61/2018 as amended by Decree 107/2021, arts. 18–21;
Circular 01/2018/TT-VPCP), and the national status codes 1–10 (``constants.Status``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.workflow import Transition, TransitionTable
from tinhso.dossiers.constants import Status

if TYPE_CHECKING:
    # A plain or a lazy (gettext_lazy) string, as the stubs type form and field labels.
    from django_stubs_ext import StrOrPromise

S = Status


class Action(models.TextChoices):
    """Every action recorded in a dossier's history (``DossierEvent.action``)."""

    SUBMIT = "submit", _("Submit")
    RECEIVE = "receive", _("Receive")
    REFUSE = "refuse", _("Refuse")
    REQUEST_SUPPLEMENT = "request_supplement", _("Request a supplement")
    SUPPLEMENT = "supplement", _("Supplement")
    FORWARD = "forward", _("Forward")
    SEND_BACK = "send_back", _("Return to a step")
    REASSIGN = "reassign", _("Reassign")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REQUEST_PAYMENT = "request_payment", _("Request a financial obligation")
    CONFIRM_PAYMENT = "confirm_payment", _("Confirm payment")
    WITHDRAW = "withdraw", _("Withdraw")
    STOP = "stop", _("Stop processing")
    FINISH = "finish", _("Finish")
    RETURN_RESULT = "return_result", _("Return the result")
    APOLOGY = "apology", _("Apologise for the delay")
    RATE = "rate", _("Rate the service")


class Where(models.TextChoices):
    """Whose agency acts: the desk that received the dossier, the agency of the current step of
    the internal process, or the applicant (an officer may record it at the desk for them)."""

    DESK = "desk", _("At the receiving desk")
    STEP = "step", _("At the current step")
    APPLICANT = "applicant", _("The applicant")


class StepRule(models.TextChoices):
    """Where in the internal process an action is offered (``services`` checks it).

    The *result step* is the last step that is not a trailing desk step (the desk steps after it
    only return the result); a *deciding step* is one whose role holds
    ``dossiers.approve_dossier`` (the competent leader).
    """

    ANY = "any", _("Any step")
    BEFORE_RESULT = "before_result", _("A step before the result step that does not decide")
    DECIDING_BEFORE_RESULT = "deciding_before_result", _("A deciding step before the result step")
    DECIDING = "deciding", _("A deciding step")
    RESULT = "result", _("The result step")
    AFTER_FIRST = "after_first", _("Any step but the first")


class ParamKind(models.TextChoices):
    """What a parameter holds: one meaning each, whatever the action."""

    COMMENT = "comment", _("Free text, optional")
    REASON = "reason", _("Free text, required")
    FILES = "files", _("Uploaded files (PDF, JPEG, PNG)")
    CHECKLIST = "checklist", _("Ids of the required documents checked")
    DOCUMENT_NAMES = "document_names", _("Names of required documents")
    OFFICER_NEXT = "officer_next", _("An officer of the next step")
    OFFICER_CURRENT = "officer_current", _("An officer of the current step")
    EARLIER_STEP = "earlier_step", _("Index of an earlier step")
    AMOUNT = "amount", _("An amount in VND")
    PURPOSE = "purpose", _("What a payment is for, shown to the public")
    PAY_AT = "pay_at", _("How and where to pay, shown to the public")
    BANK_DETAILS = "bank_details", _("Bank account to pay into, optional")
    WORKING_DAYS = "working_days", _("A number of working days")
    DATE = "date", _("A date (YYYY-MM-DD)")
    PAYMENT_METHOD = "payment_method", _("How the payment was made")
    REFERENCE = "reference", _("A receipt or transaction number")
    DELIVERY = "delivery", _("How the result is returned")
    SCORE = "score", _("A score from 1 to 5")


@dataclass(frozen=True)
class Param:
    """One parameter: its name in the API, the office form and the service alike."""

    name: str
    kind: ParamKind
    required: bool
    label: StrOrPromise


@dataclass(frozen=True)
class ActionSpec:
    """Everything about one action.

    - ``transition``: the statuses it starts from and the one it leads to (``None``: no status
      change, e.g. ``submit``, ``apology``, ``rate``, which have their own services).
    - ``permission``: the Django permission it needs (``None``: the applicant's own action).
    - ``where``, ``role_bound``, ``step_rule``: which agency, whether only the role named by the
      current step may act, and where in the process it is offered.
    - ``params``: its parameters; ``officer_label`` / ``citizen_label``: what officers and the
      applicant read; ``public_comment``: whether the applicant sees its comment; ``slip``: the
      form (01–05) the applicant may download after it; ``careful``: ends or refuses something.
    - ``basis``: the legal source.
    """

    action: Action
    transition: Transition[int] | None
    permission: str | None
    where: Where
    role_bound: bool
    step_rule: StepRule
    params: tuple[Param, ...]
    officer_label: StrOrPromise
    citizen_label: StrOrPromise
    public_comment: bool = False
    slip: str | None = None
    careful: bool = False
    recorded_at_desk: bool = False
    basis: str = ""

    @property
    def is_transition(self) -> bool:
        return self.transition is not None

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params if p.required)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


def _t(sources: set[int], target: int | None, basis: str = "") -> Transition[int]:
    return Transition(frozenset(sources), target, basis)


COMMENT = Param("comment", ParamKind.COMMENT, False, _("Comment (optional)"))
FILES_OPTIONAL = Param("files", ParamKind.FILES, False, _("Attachments (PDF, JPEG or PNG)"))
P, K = Param, ParamKind

_SPECS: list[ActionSpec] = [
    ActionSpec(
        Action.SUBMIT,
        None,
        None,
        Where.APPLICANT,
        False,
        StepRule.ANY,
        (),
        _("Submitted"),
        _("Dossier submitted"),
        basis="Decree 61/2018 art. 15",
    ),
    # Decree 61/2018 art. 19: the desk checks the dossier against the required documents and
    # receives it (form 01), asks for it to be completed (form 02) or refuses it (form 03).
    ActionSpec(
        Action.RECEIVE,
        _t({S.NEW}, S.RECEIVED),
        "dossiers.receive_dossier",
        Where.DESK,
        False,
        StepRule.ANY,
        (P("checklist", K.CHECKLIST, False, _("Documents checked")),),
        _("Receive"),
        _("Received at the one-stop desk"),
        slip="01",
        basis="Decree 61/2018 art. 19(2)(a)",
    ),
    ActionSpec(
        Action.REFUSE,
        _t({S.NEW}, S.REFUSED),
        "dossiers.receive_dossier",
        Where.DESK,
        False,
        StepRule.ANY,
        (P("reason", K.REASON, True, _("Reason for refusing")),),
        _("Refuse"),
        _("Not received"),
        public_comment=True,
        slip="03",
        careful=True,
        basis="Decree 61/2018 art. 19(2)(c)",
    ),
    # Art. 19(2)(b) and art. 20: a supplement, before or during processing; the time waiting
    # for the applicant is not counted.
    ActionSpec(
        Action.REQUEST_SUPPLEMENT,
        _t({S.NEW, S.RECEIVED, S.PROCESSING}, S.SUPPLEMENT_REQUESTED),
        "dossiers.process_dossier",
        Where.STEP,
        True,
        StepRule.ANY,
        (
            P("reason", K.REASON, True, _("What the applicant must supplement")),
            P("document_names", K.DOCUMENT_NAMES, False, _("Documents to supplement")),
        ),
        _("Request a supplement"),
        _("Supplement requested"),
        public_comment=True,
        slip="02",
        basis="Decree 61/2018 art. 19(2)(b), art. 20",
    ),
    ActionSpec(
        Action.SUPPLEMENT,
        _t({S.SUPPLEMENT_REQUESTED}, None),
        None,
        Where.APPLICANT,
        False,
        StepRule.ANY,
        (P("files", K.FILES, True, _("Supplemented documents (PDF, JPEG or PNG)")), COMMENT),
        _("Supplement"),
        _("Supplement handed in"),
        public_comment=True,
        recorded_at_desk=True,
        basis="Decree 61/2018 art. 19(2)(b)",
    ),
    # Art. 20: the dossier moves along the internal process (quy trình nội bộ), step by step.
    ActionSpec(
        Action.FORWARD,
        _t({S.RECEIVED, S.PROCESSING}, S.PROCESSING),
        "dossiers.process_dossier",
        Where.STEP,
        True,
        StepRule.BEFORE_RESULT,
        (
            COMMENT,
            P("assignee", K.OFFICER_NEXT, False, _("Assign to")),
            FILES_OPTIONAL,
        ),
        _("Forward"),
        _("Moved on to the next step"),
        basis="Decree 61/2018 art. 20",
    ),
    ActionSpec(
        Action.SEND_BACK,
        _t({S.PROCESSING}, S.PROCESSING),
        "dossiers.process_dossier",
        Where.STEP,
        True,
        StepRule.AFTER_FIRST,
        (
            P("to_step", K.EARLIER_STEP, True, _("Back to step")),
            P("comment", K.REASON, True, _("Reason")),
        ),
        _("Return to a step"),
        _("Returned to an earlier step for review"),
        careful=True,
        basis="Decree 61/2018 art. 20",
    ),
    ActionSpec(
        Action.REASSIGN,
        _t({S.RECEIVED, S.PROCESSING, S.FINANCIAL_OBLIGATION}, None),
        "dossiers.assign_dossier",
        Where.STEP,
        False,
        StepRule.ANY,
        (P("assignee", K.OFFICER_CURRENT, True, _("Assign to")), COMMENT),
        _("Reassign"),
        _("Handed to another officer of the agency"),
        basis="Decree 61/2018 art. 20",
    ),
    # The competent leader decides, at the deciding step of the process.
    ActionSpec(
        Action.APPROVE,
        _t({S.PROCESSING}, S.PROCESSING),
        "dossiers.approve_dossier",
        Where.STEP,
        True,
        StepRule.DECIDING_BEFORE_RESULT,
        (COMMENT,),
        _("Approve"),
        _("Approved"),
        basis="Decree 61/2018 art. 20",
    ),
    ActionSpec(
        Action.REJECT,
        _t({S.PROCESSING}, S.FINISHED),
        "dossiers.approve_dossier",
        Where.STEP,
        True,
        StepRule.DECIDING,
        (P("reason", K.REASON, True, _("Reason for the rejection")),),
        _("Reject"),
        _("Request rejected"),
        public_comment=True,
        careful=True,
        basis="Decree 61/2018 art. 20(3)",
    ),
    # Fees and financial obligations (e.g. land use levy): the applicant is told the amount, what
    # it is for, how, where and by when to pay; the time to pay is not counted.
    ActionSpec(
        Action.REQUEST_PAYMENT,
        _t({S.PROCESSING}, S.FINANCIAL_OBLIGATION),
        "dossiers.process_dossier",
        Where.STEP,
        True,
        StepRule.ANY,
        (
            P("amount", K.AMOUNT, True, _("Amount (VND)")),
            P("purpose", K.PURPOSE, True, _("What it is for")),
            P("pay_at", K.PAY_AT, False, _("How and where to pay")),
            P("bank_details", K.BANK_DETAILS, False, _("Bank transfer details (optional)")),
            P("pay_within_days", K.WORKING_DAYS, False, _("Pay within (working days)")),
            P("pay_by", K.DATE, False, _("Or pay by (date)")),
            COMMENT,
        ),
        _("Request a financial obligation"),
        _("Payment requested"),
        public_comment=True,
        basis="Decree 61/2018 art. 20; status 6 of the national portal",
    ),
    # Until online payment arrives the receiving desk takes the money (or sees the transfer)
    # and records it with its receipt; a payment gateway confirms as a system actor.
    ActionSpec(
        Action.CONFIRM_PAYMENT,
        _t({S.FINANCIAL_OBLIGATION}, S.PROCESSING),
        "dossiers.receive_dossier",
        Where.DESK,
        False,
        StepRule.ANY,
        (
            P("amount", K.AMOUNT, True, _("Amount received (VND)")),
            P("method", K.PAYMENT_METHOD, True, _("Paid by")),
            P("reference", K.REFERENCE, True, _("Receipt or transaction number")),
            COMMENT,
        ),
        _("Record the payment"),
        _("Payment received"),
        basis="Decree 61/2018 art. 20",
    ),
    # The applicant may withdraw before the result is issued.
    ActionSpec(
        Action.WITHDRAW,
        _t(
            {S.NEW, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION},
            S.WITHDRAWN,
        ),
        None,
        Where.APPLICANT,
        False,
        StepRule.ANY,
        (P("reason", K.COMMENT, False, _("The applicant's reason")),),
        _("Withdraw"),
        _("Withdrawn at the applicant's request"),
        public_comment=True,
        careful=True,
        recorded_at_desk=True,
        basis="Decree 61/2018 art. 18; status 7 of the national portal",
    ),
    # Processing stopped (e.g. the applicant never supplemented, or a court decision).
    ActionSpec(
        Action.STOP,
        _t(
            {S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION},
            S.STOPPED,
        ),
        "dossiers.stop_dossier",
        Where.STEP,
        False,
        StepRule.ANY,
        (P("reason", K.REASON, True, _("Reason for stopping")),),
        _("Stop processing"),
        _("Processing stopped"),
        public_comment=True,
        careful=True,
        basis="Status 8 of the national portal",
    ),
    # The result is ready (NgayKetThucXuLy), only at the result step, and goes to the desk.
    ActionSpec(
        Action.FINISH,
        _t({S.PROCESSING}, S.FINISHED),
        "dossiers.process_dossier",
        Where.STEP,
        True,
        StepRule.RESULT,
        (P("files", K.FILES, True, _("Result (PDF, JPEG or PNG)")), COMMENT),
        _("Finish"),
        _("Result ready"),
        basis="Decree 61/2018 art. 20; status 9 of the national portal",
    ),
    # Art. 21: the desk returns the result (NgayTra) at the desk, online or by post.
    ActionSpec(
        Action.RETURN_RESULT,
        _t({S.FINISHED}, S.RETURNED),
        "dossiers.return_result",
        Where.DESK,
        False,
        StepRule.ANY,
        (P("delivery", K.DELIVERY, True, _("How the result is returned")), COMMENT),
        _("Return the result"),
        _("Result returned"),
        public_comment=True,
        basis="Decree 61/2018 art. 21",
    ),
    # Form 04: the agency apologises for an overdue dossier and gives a new appointment.
    ActionSpec(
        Action.APOLOGY,
        None,
        "dossiers.process_dossier",
        Where.STEP,
        False,
        StepRule.ANY,
        (),
        _("Apologise for the delay"),
        _("Apology and new appointment"),
        public_comment=True,
        slip="04",
        basis="Decree 61/2018 art. 20(4)(b) as amended; form 04, Circular 01/2018/TT-VPCP",
    ),
    ActionSpec(
        Action.RATE,
        None,
        None,
        Where.APPLICANT,
        False,
        StepRule.ANY,
        (P("score", K.SCORE, True, _("Score")), COMMENT),
        _("Rate the service"),
        _("Service rated"),
        basis="Decision 766/QĐ-TTg (satisfaction index)",
    ),
]

SPECS: dict[str, ActionSpec] = {spec.action.value: spec for spec in _SPECS}
assert set(SPECS) == set(Action.values), "every Action has exactly one spec"

# The state machine, derived from the specs (checked by every service).
TRANSITIONS: TransitionTable[int] = TransitionTable(
    {name: spec.transition for name, spec in SPECS.items() if spec.transition is not None},
    state_label=lambda status: str(Status(status).label),
    action_label=lambda action: str(SPECS[action].officer_label),
)

# Actions an actor may be offered on an existing dossier (``allowed_actions``), in order.
OFFERED: tuple[str, ...] = tuple(name for name in TRANSITIONS) + (Action.RATE.value,)


def spec_get(action: str) -> ActionSpec | None:
    return SPECS.get(action)
