"""What each action does to a dossier's fields: pure functions, no database, no checks.

The services (``services.py``) lock, check and authorise, then call these; the demo seed
(``demo/dossiers.py``) calls the very same functions on unsaved dossiers, so a seeded history is
what the services would have written (``demo/tests/test_replay.py`` proves it). Each effect
changes the given ``Dossier`` in memory and returns the data to record on the history event.
Moments are aware datetimes; budgets and processing times are working days.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tinhso.core.calendar import WorkingCalendar
from tinhso.dossiers.constants import Decision, Status, Timeliness
from tinhso.dossiers.models import Dossier

S = Status


# --- the internal process -------------------------------------------------------------------
def step_agency_id(dossier: Dossier, index: int) -> int:
    """The agency doing step ``index``: its own agency, the desk, or the implementing agency."""
    step = dossier.steps[index]
    if step.get("agency_id"):
        return int(step["agency_id"])
    return dossier.receiving_agency_id if step.get("at_desk") else dossier.agency_id


def result_index(steps: list[dict[str, Any]]) -> int:
    """The step where the result is made: the last step that is not a trailing desk step (the
    desk steps after it only hand the result back); the last step if every step is at the
    desk; -1 for a procedure without steps."""
    for index in range(len(steps) - 1, -1, -1):
        if not steps[index].get("at_desk"):
            return index
    return len(steps) - 1


def return_index(steps: list[dict[str, Any]]) -> int | None:
    """The desk step where the result is handed back, if the process has one after the result
    step."""
    last = result_index(steps)
    desk = [i for i, step in enumerate(steps) if step.get("at_desk") and i > last]
    return desk[-1] if desk else None


def enter_step(dossier: Dossier, index: int, cal: WorkingCalendar, now: dt.datetime) -> None:
    """Move the dossier to step ``index``: its agency, and the step's own deadline."""
    dossier.step_index = index
    dossier.current_agency_id = step_agency_id(dossier, index)
    step = dossier.steps[index]
    dossier.step_due_at = cal.add_working_days(now, Decimal(step["budget_days"]))


def resume_clock(dossier: Dossier, cal: WorkingCalendar, now: dt.datetime) -> float:
    """Push the deadlines back by the office time spent waiting for the applicant; the
    seconds of office time paused."""
    if dossier.paused_at is None:
        return 0.0
    paused = max(0.0, cal.working_seconds_between(dossier.paused_at, now))
    if dossier.due_at:
        dossier.due_at = cal.add_working_time(dossier.due_at, paused)
    if dossier.original_due_at:
        dossier.original_due_at = cal.add_working_time(dossier.original_due_at, paused)
    if dossier.new_due_at:
        dossier.new_due_at = dossier.due_at
    if dossier.step_due_at:
        dossier.step_due_at = cal.add_working_time(dossier.step_due_at, paused)
    dossier.paused_at = None
    return paused


def timeliness(finished: dt.datetime, due: dt.datetime | None) -> str:
    """Early (a day or more before the appointment), on time, or late."""
    if due is None:
        return Timeliness.ON_TIME
    if finished > due:
        return Timeliness.LATE
    if timezone.localtime(finished).date() < timezone.localtime(due).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


# --- the effects, one per action ------------------------------------------------------------
def receive(
    dossier: Dossier, *, at: dt.datetime, cal: WorkingCalendar, checklist: list[int], clerk: Any
) -> dict[str, Any]:
    """Received (form 01): the appointment counts from now; the first step begins."""
    dossier.status = S.RECEIVED
    dossier.received_at = at
    dossier.due_at = dossier.original_due_at = cal.add_working_days(
        at, Decimal(dossier.procedure_version.snapshot["processing_days"])
    )
    if dossier.steps:
        enter_step(dossier, 0, cal, at)
    if clerk is not None and not dossier.assignee_id:
        dossier.assignee = clerk
    return {"checklist": sorted(checklist)}


def close(dossier: Dossier, *, at: dt.datetime, status: int) -> dict[str, Any]:
    """Refused, withdrawn or stopped: the dossier's life ends without a result."""
    dossier.status = status
    dossier.closed_at = at
    dossier.paused_at = None
    return {}


def pause(dossier: Dossier, *, at: dt.datetime, status: int) -> None:
    """Waiting for the applicant (supplement or payment): the clock stops."""
    dossier.status_before_pause = dossier.status
    dossier.status = status
    dossier.paused_at = at


def request_supplement(
    dossier: Dossier, *, at: dt.datetime, document_names: list[str]
) -> dict[str, Any]:
    pause(dossier, at=at, status=S.SUPPLEMENT_REQUESTED)
    dossier.supplement_count += 1
    return {"document_names": list(document_names)}


def supplement(dossier: Dossier, *, at: dt.datetime, cal: WorkingCalendar) -> dict[str, Any]:
    """The applicant supplemented: the clock runs again from where it stopped."""
    paused = resume_clock(dossier, cal, at)
    dossier.status = dossier.status_before_pause or S.NEW
    dossier.status_before_pause = None
    return {"paused_seconds": round(paused)}


def advance(
    dossier: Dossier, *, at: dt.datetime, cal: WorkingCalendar, assignee: Any
) -> dict[str, Any]:
    """On to the next step (forward, or approve at a deciding step)."""
    from_step = dossier.step_index
    dossier.status = S.PROCESSING
    enter_step(dossier, from_step + 1, cal, at)
    dossier.assignee = assignee
    return {"from_step": from_step}


def send_back(
    dossier: Dossier, *, at: dt.datetime, cal: WorkingCalendar, to_step: int, assignee: Any
) -> dict[str, Any]:
    """Back to an earlier step, to whoever handed the dossier on from it."""
    enter_step(dossier, to_step, cal, at)
    dossier.assignee = assignee
    return {"to_step": to_step}


def reassign(dossier: Dossier, *, assignee: Any) -> dict[str, Any]:
    dossier.assignee = assignee
    return {"assignee_id": assignee.pk}


def finish(dossier: Dossier, *, at: dt.datetime, decision: str) -> dict[str, Any]:
    """The result is ready (or the request rejected): the dossier goes to the desk's return
    step, and its timeliness against the appointment of form 01 is fixed (an apology's new
    date does not make a late dossier on time)."""
    dossier.decision = decision
    dossier.status = S.FINISHED
    dossier.finished_at = at
    dossier.timeliness = timeliness(at, dossier.original_due_at or dossier.due_at)
    back = return_index(dossier.steps)
    if back is not None:
        dossier.step_index = back
    dossier.current_agency_id = dossier.receiving_agency_id
    dossier.step_due_at = None
    dossier.assignee = None
    return {"timeliness": dossier.timeliness}


def request_payment(
    dossier: Dossier,
    *,
    at: dt.datetime,
    amount: int,
    purpose: str,
    pay_at: str,
    bank_details: str,
    pay_by: dt.datetime,
) -> dict[str, Any]:
    """Waiting for the applicant to pay ``amount`` VND (what for, how and where, by when): the
    clock stops, and the amount requested replaces the procedure's standard fee."""
    pause(dossier, at=at, status=S.FINANCIAL_OBLIGATION)
    dossier.fee_amount = amount
    return {
        "amount": amount,
        "purpose": purpose,
        "pay_at": pay_at,
        "bank_details": bank_details,
        "pay_by": pay_by.isoformat(),
    }


def confirm_payment(
    dossier: Dossier,
    *,
    at: dt.datetime,
    cal: WorkingCalendar,
    amount: int,
    method: str,
    reference: str,
) -> dict[str, Any]:
    """The desk recorded the payment (or a gateway confirmed it): the clock runs again."""
    paused = resume_clock(dossier, cal, at)
    dossier.status = S.PROCESSING
    dossier.status_before_pause = None
    dossier.fee_paid_at = at
    return {
        "amount": amount,
        "method": method,
        "reference": reference,
        "paused_seconds": round(paused),
    }


def return_result(dossier: Dossier, *, at: dt.datetime, delivery: str) -> dict[str, Any]:
    dossier.status = S.RETURNED
    dossier.delivery = delivery
    dossier.returned_at = at
    return {"delivery": delivery}


APPROVED, REJECTED = Decision.APPROVED, Decision.REJECTED
