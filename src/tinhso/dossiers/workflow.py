"""The dossier state machine: which action may move a dossier from which status to which.

Checked in one place (``transition_check``) by every service in ``services.py``. Legal basis:
the one-stop-shop rules (Decree 61/2018 as amended by Decree 107/2021; Circular 01/2018/TT-VPCP)
and the national status codes 1–10 of the national public-service portal.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tinhso.core.errors import ConflictError, TransitionError
from tinhso.dossiers.constants import Status

__all__ = ["ConflictError", "TransitionError", "TRANSITIONS", "transition_check"]

S = Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[int]
    target: int | None  # None: decided by the service (e.g. back to the status before a pause)
    permission: str | None  # None: the applicant's own action
    where: str  # "desk": the receiving desk acts; "step": the agency of the current step acts
    label: str


def _t(sources, target, permission, where, label) -> Transition:
    return Transition(frozenset(sources), target, permission, where, label)


TRANSITIONS: dict[str, Transition] = {
    # Decree 61/2018 art. 19: the desk checks the dossier against the required documents and
    # receives it (form 01), asks for it to be completed (form 02) or refuses it (form 03).
    "receive": _t({S.NEW}, S.RECEIVED, "dossiers.receive_dossier", "desk", _("Receive")),
    "refuse": _t({S.NEW}, S.REFUSED, "dossiers.receive_dossier", "desk", _("Refuse")),
    # Art. 19(2)(b) and art. 20: ask for a supplement, before or during processing; the time
    # waiting for the applicant is not counted.
    "request_supplement": _t(
        {S.NEW, S.RECEIVED, S.PROCESSING},
        S.SUPPLEMENT_REQUESTED,
        "dossiers.process_dossier",
        "step",
        _("Request a supplement"),
    ),
    "supplement": _t({S.SUPPLEMENT_REQUESTED}, None, None, "applicant", _("Supplement")),
    # Art. 20: the dossier moves along the internal process (quy trình nội bộ), step by step.
    "forward": _t(
        {S.RECEIVED, S.PROCESSING}, S.PROCESSING, "dossiers.process_dossier", "step", _("Forward")
    ),
    "send_back": _t(
        {S.PROCESSING}, S.PROCESSING, "dossiers.process_dossier", "step", _("Return to a step")
    ),
    "reassign": _t(
        {S.RECEIVED, S.PROCESSING, S.FINANCIAL_OBLIGATION},
        None,
        "dossiers.assign_dossier",
        "step",
        _("Reassign"),
    ),
    # The competent leader decides.
    "approve": _t({S.PROCESSING}, S.PROCESSING, "dossiers.approve_dossier", "step", _("Approve")),
    "reject": _t({S.PROCESSING}, S.FINISHED, "dossiers.approve_dossier", "step", _("Reject")),
    # Fees and financial obligations (e.g. land use levy): time to pay is not counted.
    "request_payment": _t(
        {S.PROCESSING},
        S.FINANCIAL_OBLIGATION,
        "dossiers.process_dossier",
        "step",
        _("Request a financial obligation"),
    ),
    "confirm_payment": _t(
        {S.FINANCIAL_OBLIGATION},
        S.PROCESSING,
        "dossiers.process_dossier",
        "step",
        _("Confirm payment"),
    ),
    # Art. 18(7)-style withdrawal: the applicant may withdraw before the result is issued.
    "withdraw": _t(
        {S.NEW, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION},
        S.WITHDRAWN,
        None,
        "applicant",
        _("Withdraw"),
    ),
    # Processing stopped (e.g. the applicant never supplemented, or a court decision).
    "stop": _t(
        {S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION},
        S.STOPPED,
        "dossiers.stop_dossier",
        "step",
        _("Stop processing"),
    ),
    # The result is ready (NgayKetThucXuLy) and goes to the desk to be returned.
    "finish": _t({S.PROCESSING}, S.FINISHED, "dossiers.process_dossier", "step", _("Finish")),
    # Art. 21: the desk returns the result (NgayTra) at the desk, online or by post.
    "return_result": _t(
        {S.FINISHED}, S.RETURNED, "dossiers.return_result", "desk", _("Return the result")
    ),
}

# Actions an officer may also record at the desk on the applicant's behalf.
APPLICANT_ACTIONS_AT_DESK = {"supplement", "withdraw"}


def transition_get(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise TransitionError(_("Unknown action.")) from None


def transition_check(action: str, status: int) -> Transition:
    transition = transition_get(action)
    if status not in transition.sources:
        raise TransitionError(
            _("A dossier that is “%(status)s” cannot be given the action “%(action)s”.")
            % {"status": Status(status).label, "action": transition.label}
        )
    return transition
