"""Every write to a dossier. Views, the API, the admin and tasks call these and nothing else.

Each service runs in one transaction, locks the dossier row, checks the transition table and the
actor's permission, appends to the history and writes the audit log. A failed check raises
``TransitionError`` / ``PermissionDenied`` / ``ValidationError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.catalog.models import Procedure
from tinhso.core.actors import actor_system_name, actor_user
from tinhso.core.audit import audit_log_write
from tinhso.core.calendar import WorkingCalendar, get_calendar
from tinhso.core.events import emit_after_commit
from tinhso.core.uploads import CheckedFile, upload_check
from tinhso.dossiers.constants import (
    ACTIVE_STATUSES,
    ApplicantKind,
    Channel,
    Decision,
    Delivery,
    FileKind,
    Status,
    Timeliness,
)
from tinhso.dossiers.models import ApologyLetter, Dossier, DossierEvent, DossierFile, Rating
from tinhso.dossiers.signals import dossier_event
from tinhso.dossiers.workflow import (
    APPLICANT_ACTIONS_AT_DESK,
    ConflictError,
    Transition,
    TransitionError,
    transition_check,
)
from tinhso.org.models import Agency
from tinhso.org.selectors import officer_agency_id

# Actions that only the role named by the current step of the internal process may take.
ROLE_BOUND_ACTIONS = {
    "forward",
    "send_back",
    "finish",
    "request_supplement",
    "request_payment",
    "confirm_payment",
}


# --- dossier codes -------------------------------------------------------------------------------
def dossier_code_allocate(*, agency: Agency, day: dt.date) -> str:
    """The next code ``<agency code>-<YYMMDD>-<NNNN>`` of that agency on that day.

    One atomic upsert on the counter row: concurrent submissions queue on its lock, and a
    rolled-back submission rolls its number back too, so the sequence has no gaps.
    """
    table = "dossiers_dossiercounter"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [agency.pk, day],
        )
        (number,) = cursor.fetchone()
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"


# --- helpers -------------------------------------------------------------------------------------
def _local_now() -> dt.datetime:
    return timezone.localtime(timezone.now())


# Which agency an actor works for is decided once, in org (a system actor works for none).
_officer_agency_id = officer_agency_id


def step_agency_id(dossier: Dossier, index: int) -> int:
    step = dossier.steps[index]
    if step.get("agency_id"):
        return step["agency_id"]
    return dossier.receiving_agency_id if step.get("at_desk") else dossier.agency_id


def _authorize(dossier: Dossier, action: str, transition: Transition, actor) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in."))
    sees_all = actor.has_perm("dossiers.view_all_agencies")
    agency_id = _officer_agency_id(actor)
    if transition.permission is None:
        if dossier.applicant_id and dossier.applicant_id == actor.pk:
            return
        # At the desk an officer records the applicant's supplement or withdrawal request.
        if action in APPLICANT_ACTIONS_AT_DESK and actor.has_perm("dossiers.receive_dossier"):
            if sees_all or agency_id == dossier.receiving_agency_id:
                return
        raise PermissionDenied(_("Only the applicant may do this."))
    if not actor.has_perm(transition.permission):
        raise PermissionDenied(_("Your role does not allow this action."))
    if sees_all:
        return
    wanted = (
        dossier.receiving_agency_id if transition.where == "desk" else dossier.current_agency_id
    )
    if agency_id != wanted:
        raise PermissionDenied(_("This dossier is not handled by your agency."))
    if action in ROLE_BOUND_ACTIONS:
        step = dossier.current_step or (dossier.steps[0] if dossier.steps else None)
        if step and step.get("role_id") and not actor.groups.filter(pk=step["role_id"]).exists():
            raise PermissionDenied(_("This step is done by another role."))


def _lock(dossier: Dossier, expected_version: int | None) -> Dossier:
    locked = (
        Dossier.objects.select_for_update()
        .select_related("procedure_version", "receiving_agency", "agency", "current_agency")
        .get(pk=dossier.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _("Someone else has changed this dossier in the meantime. Reload it and try again.")
        )
    return locked


def _begin(
    dossier: Dossier, action: str, actor, expected_version: int | None
) -> tuple[Dossier, Transition]:
    """Lock the dossier, then check that ``action`` is legal now and that ``actor`` may take it."""
    dossier = _lock(dossier, expected_version)
    transition = transition_check(action, dossier.status)
    _authorize(dossier, action, transition, actor)
    return dossier, transition


def _close(dossier: Dossier, transition: Transition, action: str, actor, reason: str) -> Dossier:
    """End the dossier's life without a result (refused, withdrawn, stopped)."""
    from_status = dossier.status
    dossier.status = transition.target
    dossier.closed_at = _local_now()
    dossier.paused_at = None
    _save(dossier)
    _record(dossier, action=action, actor=actor, from_status=from_status, comment=reason)
    return dossier


def _store_files(
    dossier: Dossier,
    event: DossierEvent | None,
    files: Iterable[tuple[CheckedFile, dict]],
    actor,
) -> list[DossierFile]:
    stored = []
    for checked, meta in files:
        record = DossierFile(
            dossier=dossier,
            event=event,
            kind=meta.get("kind", FileKind.ATTACHMENT),
            document_id=meta.get("document_id"),
            document_name=meta.get("document_name", ""),
            original_name=checked.name,
            content_type=checked.content_type,
            extension=checked.extension,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor if actor and actor.is_authenticated else None,
        )
        record.file.save("upload", ContentFile(checked.content), save=False)
        record.save()
        stored.append(record)
    return stored


def files_check(uploads: Iterable, kind: str) -> list[tuple[CheckedFile, dict]]:
    """Check every upload before anything is written; ``uploads`` are files or (file, meta)."""
    checked = []
    for item in uploads or []:
        upload, meta = item if isinstance(item, tuple) else (item, {})
        checked.append((upload_check(upload), {"kind": kind, **meta}))
    return checked


def _record(
    dossier: Dossier,
    *,
    action: str,
    actor,
    from_status: int | None,
    comment: str = "",
    files: list[tuple[CheckedFile, dict]] | None = None,
    **data,
) -> DossierEvent:
    step = dossier.current_step
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        actor=actor_user(actor),
        actor_system=actor_system_name(actor),
        agency_id=dossier.current_agency_id,
        from_status=from_status,
        to_status=dossier.status,
        step_index=dossier.step_index if step else None,
        step_name=step["name"] if step else "",
        comment=comment,
        data=data,
    )
    if files:
        _store_files(dossier, event, files, actor)
    audit_log_write(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        from_status=from_status,
        to_status=dossier.status,
        **data,
    )
    emit_after_commit(
        dossier_event,
        sender=Dossier,
        event=str(action),
        dossier_id=dossier.pk,
        event_id=event.pk,
        from_status=from_status,
        to_status=dossier.status,
        actor_id=actor_user(actor).pk if actor_user(actor) else None,
        actor_system=actor_system_name(actor),
    )
    return event


def _save(dossier: Dossier) -> None:
    dossier.version += 1
    dossier.save()


def _enter_step(dossier: Dossier, index: int, cal: WorkingCalendar, now: dt.datetime) -> None:
    dossier.step_index = index
    dossier.current_agency_id = step_agency_id(dossier, index)
    step = dossier.steps[index]
    dossier.step_due_at = cal.add_working_days(now, Decimal(step["budget_days"]))


def _timeliness(finished: dt.datetime, due: dt.datetime | None) -> str:
    if due is None:
        return Timeliness.ON_TIME
    if finished > due:
        return Timeliness.LATE
    if timezone.localtime(finished).date() < timezone.localtime(due).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


# --- submission ----------------------------------------------------------------------------------
@transaction.atomic
def dossier_submit(
    *,
    procedure: Procedure,
    channel: int,
    actor,
    applicant_kind: str = ApplicantKind.CITIZEN,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    applicant_ward=None,
    organisation_name: str = "",
    summary: str = "",
    delivery: str = Delivery.DESK,
    documents: list | None = None,
    checklist: list[int] | None = None,
) -> Dossier:
    """Register a new dossier: online or by post it waits at the desk as "Mới đăng ký"; at the
    desk (``channel`` in person) the clerk receives it at once with ``checklist``.

    ``documents`` are uploads, or ``(upload, {"document_id": id})`` pairs naming the required
    document each one answers.
    """
    if not procedure.is_active or procedure.current_version_id is None:
        raise TransitionError(_("This procedure is not open for submissions."))
    if channel == Channel.ONLINE and procedure.online_level == Procedure.OnlineLevel.NONE:
        raise TransitionError(_("This procedure cannot be submitted online."))
    version = procedure.current_version
    known_docs = {doc["id"]: doc["name"] for doc in version.documents}
    checked = files_check(documents, FileKind.SUBMISSION)
    for _file, meta in checked:
        if meta.get("document_id") is not None:
            if meta["document_id"] not in known_docs:
                raise ValidationError(_("A file names a document this procedure does not ask for."))
            meta["document_name"] = known_docs[meta["document_id"]]
    if channel == Channel.ONLINE:
        given = {meta.get("document_id") for _f, meta in checked}
        missing = [
            doc["name"] for doc in version.documents if doc["required"] and doc["id"] not in given
        ]
        if missing:
            raise ValidationError(
                _("Please attach: %(documents)s.") % {"documents": "; ".join(missing)}
            )
    desk = procedure.agency.desk
    now = _local_now()
    # A person without an agency submits for themselves; an officer or a system actor for someone.
    is_citizen = actor_user(actor) is not None and officer_agency_id(actor) is None
    dossier = Dossier(
        code=dossier_code_allocate(agency=desk, day=now.date()),
        procedure=procedure,
        procedure_version=version,
        receiving_agency=desk,
        agency=procedure.agency,
        current_agency=desk,
        status=Status.NEW,
        channel=channel,
        applicant=actor if is_citizen else None,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number.strip(),
        applicant_phone=applicant_phone.strip(),
        applicant_email=applicant_email.strip(),
        applicant_address=applicant_address.strip(),
        applicant_ward=applicant_ward,
        organisation_name=organisation_name.strip(),
        summary=summary.strip(),
        delivery=delivery,
        submitted_at=now,
        fee_amount=sum(fee["amount"] for fee in version.snapshot.get("fees", [])),
    )
    # Check what the applicant typed; the relations were just read from the database.
    dossier.full_clean(
        exclude=[
            "code",
            "procedure",
            "procedure_version",
            "receiving_agency",
            "agency",
            "current_agency",
            "applicant",
            "applicant_ward",
        ]
    )
    dossier.save()
    _record(
        dossier, action="submit", actor=actor, from_status=None, files=checked, channel=int(channel)
    )
    if channel == Channel.IN_PERSON:
        dossier = dossier_receive(dossier=dossier, actor=actor, checklist=checklist or [])
    return dossier


# --- the desk ------------------------------------------------------------------------------------
@transaction.atomic
def dossier_receive(
    *,
    dossier: Dossier,
    actor,
    checklist: list[int] | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Receive a dossier after checking it against the required documents (form 01)."""
    dossier, transition = _begin(dossier, "receive", actor, expected_version)
    required = {doc["id"] for doc in dossier.procedure_version.documents if doc["required"]}
    checklist = list(checklist or [])
    missing = required - set(checklist)
    if missing:
        names = [d["name"] for d in dossier.procedure_version.documents if d["id"] in missing]
        raise ValidationError(
            _("The dossier lacks required documents: %(documents)s. Request a supplement instead.")
            % {"documents": "; ".join(names)}
        )
    cal = get_calendar()
    now = _local_now()
    from_status = dossier.status
    dossier.status = transition.target
    dossier.received_at = now
    dossier.due_at = cal.add_working_days(
        now, dossier.procedure_version.snapshot["processing_days"]
    )
    if dossier.steps:
        _enter_step(dossier, 0, cal, now)
    if actor and not dossier.assignee_id and hasattr(actor, "officer"):
        dossier.assignee = actor
    _save(dossier)
    _record(
        dossier, action="receive", actor=actor, from_status=from_status, checklist=sorted(checklist)
    )
    return dossier


@transaction.atomic
def dossier_refuse(
    *, dossier: Dossier, actor, reason: str, expected_version: int | None = None
) -> Dossier:
    """Refuse to receive a dossier, with the reason (form 03)."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for refusing the dossier."))
    dossier, transition = _begin(dossier, "refuse", actor, expected_version)
    return _close(dossier, transition, "refuse", actor, reason)


@transaction.atomic
def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor,
    reason: str,
    documents: list[str] | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to supplement the dossier (form 02); the clock stops."""
    if not reason.strip():
        raise ValidationError(_("Say what the applicant must supplement."))
    dossier, transition = _begin(dossier, "request_supplement", actor, expected_version)
    from_status = dossier.status
    dossier.status_before_pause = dossier.status
    dossier.status = transition.target
    dossier.paused_at = _local_now()
    dossier.supplement_count += 1
    _save(dossier)
    _record(
        dossier,
        action="request_supplement",
        actor=actor,
        from_status=from_status,
        comment=reason,
        documents=documents or [],
    )
    return dossier


def _resume_clock(dossier: Dossier, cal: WorkingCalendar, now: dt.datetime) -> float:
    """Push the deadlines back by the office time spent waiting for the applicant."""
    if dossier.paused_at is None:
        return 0.0
    paused = max(0.0, cal.working_seconds_between(dossier.paused_at, now))
    if dossier.due_at:
        dossier.due_at = cal.add_working_time(dossier.due_at, paused)
    if dossier.step_due_at:
        dossier.step_due_at = cal.add_working_time(dossier.step_due_at, paused)
    dossier.paused_at = None
    return paused


@transaction.atomic
def dossier_supplement(
    *,
    dossier: Dossier,
    actor,
    documents: list,
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The applicant hands in the requested documents; the clock runs again."""
    checked = files_check(documents, FileKind.SUPPLEMENT)
    if not checked:
        raise ValidationError(_("Attach at least one file."))
    dossier, transition = _begin(dossier, "supplement", actor, expected_version)
    from_status = dossier.status
    paused = _resume_clock(dossier, get_calendar(), _local_now())
    dossier.status = dossier.status_before_pause or Status.NEW
    dossier.status_before_pause = None
    _save(dossier)
    _record(
        dossier,
        action="supplement",
        actor=actor,
        from_status=from_status,
        comment=comment,
        files=checked,
        paused_seconds=round(paused),
    )
    return dossier


# --- processing ----------------------------------------------------------------------------------
def _officer_at(agency_id: int, user) -> bool:
    return _officer_agency_id(user) == agency_id


@transaction.atomic
def dossier_forward(
    *,
    dossier: Dossier,
    actor,
    comment: str = "",
    assignee=None,
    files: list | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Hand the dossier on to the next step of the internal process."""
    checked = files_check(files, FileKind.ATTACHMENT)
    dossier, transition = _begin(dossier, "forward", actor, expected_version)
    return _advance(dossier, actor, transition, "forward", comment, assignee, checked)


def _advance(dossier, actor, transition, action, comment, assignee, checked, **data) -> Dossier:
    from_step = dossier.step_index
    next_index = dossier.step_index + 1
    if next_index >= len(dossier.steps):
        raise TransitionError(_("This is the last step: finish the dossier instead."))
    now = _local_now()
    from_status = dossier.status
    dossier.status = transition.target
    _enter_step(dossier, next_index, get_calendar(), now)
    if assignee is not None and not _officer_at(dossier.current_agency_id, assignee):
        raise ValidationError(_("The officer chosen does not work at the next step's agency."))
    dossier.assignee = assignee
    _save(dossier)
    _record(
        dossier,
        action=action,
        actor=actor,
        from_status=from_status,
        comment=comment,
        files=checked,
        from_step=from_step,
        **data,
    )
    return dossier


@transaction.atomic
def dossier_send_back(
    *, dossier: Dossier, actor, to_step: int, comment: str, expected_version: int | None = None
) -> Dossier:
    """Return the dossier to an earlier step (for example for the specialist to redo)."""
    if not comment.strip():
        raise ValidationError(_("Say why the dossier goes back."))
    dossier, transition = _begin(dossier, "send_back", actor, expected_version)
    if not 0 <= to_step < dossier.step_index:
        raise TransitionError(_("Choose an earlier step."))
    from_status = dossier.status
    _enter_step(dossier, to_step, get_calendar(), _local_now())
    # Back to whoever handed the dossier on from that step.
    last = dossier.events.filter(data__from_step=to_step).order_by("-at", "-pk").first()
    dossier.assignee = last.actor if last else None
    _save(dossier)
    _record(
        dossier,
        action="send_back",
        actor=actor,
        from_status=from_status,
        comment=comment,
        to_step=to_step,
    )
    return dossier


@transaction.atomic
def dossier_reassign(
    *, dossier: Dossier, actor, assignee, comment: str = "", expected_version: int | None = None
) -> Dossier:
    dossier, transition = _begin(dossier, "reassign", actor, expected_version)
    if not _officer_at(dossier.current_agency_id, assignee):
        raise ValidationError(_("The officer chosen does not work at the agency handling it."))
    step = dossier.current_step
    if step and step.get("role_id") and not assignee.groups.filter(pk=step["role_id"]).exists():
        raise ValidationError(_("The officer chosen does not hold the role of this step."))
    dossier.assignee = assignee
    _save(dossier)
    _record(
        dossier,
        action="reassign",
        actor=actor,
        from_status=dossier.status,
        comment=comment,
        assignee_id=assignee.pk,
    )
    return dossier


@transaction.atomic
def dossier_approve(
    *, dossier: Dossier, actor, comment: str = "", expected_version: int | None = None
) -> Dossier:
    """The leader approves; the dossier goes on to the next step (issuing the result)."""
    dossier, transition = _begin(dossier, "approve", actor, expected_version)
    dossier.decision = Decision.APPROVED
    if dossier.step_index + 1 >= len(dossier.steps):
        return _finish(dossier, actor, "approve", comment, [])
    return _advance(dossier, actor, transition, "approve", comment, None, [])


@transaction.atomic
def dossier_reject(
    *, dossier: Dossier, actor, reason: str, expected_version: int | None = None
) -> Dossier:
    """The leader rejects the request; the written answer with the reason is the result."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the rejection."))
    dossier, _transition = _begin(dossier, "reject", actor, expected_version)
    dossier.decision = Decision.REJECTED
    return _finish(dossier, actor, "reject", reason, [])


def mark_finished(dossier: Dossier, at: dt.datetime, steps: list[dict]) -> None:
    """Set the fields of a finished dossier (also used by the demo seed to stay identical)."""
    dossier.status = Status.FINISHED
    dossier.finished_at = at
    dossier.timeliness = _timeliness(at, dossier.due_at)
    # The result goes back to the desk that received the dossier.
    desk_steps = [i for i, step in enumerate(steps) if step.get("at_desk")]
    if desk_steps and desk_steps[-1] > dossier.step_index:
        dossier.step_index = desk_steps[-1]
    dossier.current_agency_id = dossier.receiving_agency_id
    dossier.step_due_at = None
    dossier.assignee = None


def _finish(dossier, actor, action, comment, checked) -> Dossier:
    from_status = dossier.status
    mark_finished(dossier, _local_now(), dossier.steps)
    _save(dossier)
    _record(
        dossier,
        action=action,
        actor=actor,
        from_status=from_status,
        comment=comment,
        files=checked,
        timeliness=dossier.timeliness,
    )
    return dossier


@transaction.atomic
def dossier_finish(
    *,
    dossier: Dossier,
    actor,
    result_files: list,
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The result is ready: attach it and send the dossier to the desk to be returned."""
    checked = files_check(result_files, FileKind.RESULT)
    if not checked:
        raise ValidationError(_("Attach the result."))
    dossier, _transition = _begin(dossier, "finish", actor, expected_version)
    if not dossier.decision:
        dossier.decision = Decision.APPROVED
    return _finish(dossier, actor, "finish", comment, checked)


@transaction.atomic
def dossier_request_payment(
    *, dossier: Dossier, actor, amount: int, comment: str = "", expected_version: int | None = None
) -> Dossier:
    """Ask the applicant to pay a fee or financial obligation; the clock stops meanwhile."""
    if amount <= 0:
        raise ValidationError(_("Enter the amount to pay."))
    dossier, transition = _begin(dossier, "request_payment", actor, expected_version)
    from_status = dossier.status
    dossier.status_before_pause = dossier.status
    dossier.status = transition.target
    dossier.paused_at = _local_now()
    dossier.fee_amount = amount
    _save(dossier)
    _record(
        dossier,
        action="request_payment",
        actor=actor,
        from_status=from_status,
        comment=comment,
        amount=amount,
    )
    return dossier


@transaction.atomic
def dossier_confirm_payment(
    *, dossier: Dossier, actor, reference: str = "", expected_version: int | None = None
) -> Dossier:
    dossier, transition = _begin(dossier, "confirm_payment", actor, expected_version)
    from_status = dossier.status
    now = _local_now()
    paused = _resume_clock(dossier, get_calendar(), now)
    dossier.status = transition.target
    dossier.status_before_pause = None
    dossier.fee_paid_at = now
    _save(dossier)
    _record(
        dossier,
        action="confirm_payment",
        actor=actor,
        from_status=from_status,
        reference=reference,
        paused_seconds=round(paused),
    )
    return dossier


# --- ending --------------------------------------------------------------------------------------
@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier, actor, reason: str = "", expected_version: int | None = None
) -> Dossier:
    """Withdraw at the applicant's request (status 7)."""
    dossier, transition = _begin(dossier, "withdraw", actor, expected_version)
    return _close(dossier, transition, "withdraw", actor, reason)


@transaction.atomic
def dossier_stop(
    *, dossier: Dossier, actor, reason: str, expected_version: int | None = None
) -> Dossier:
    if not reason.strip():
        raise ValidationError(_("Give the reason for stopping."))
    dossier, transition = _begin(dossier, "stop", actor, expected_version)
    return _close(dossier, transition, "stop", actor, reason)


@transaction.atomic
def dossier_return_result(
    *,
    dossier: Dossier,
    actor,
    delivery: str,
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Hand the result to the applicant at the desk, online or by post (status 10)."""
    if delivery not in Delivery.values:
        raise ValidationError(_("Choose how the result is returned."))
    dossier, transition = _begin(dossier, "return_result", actor, expected_version)
    if delivery == Delivery.ONLINE and not dossier.files.filter(kind=FileKind.RESULT).exists():
        raise ValidationError(_("There is no electronic result to return online."))
    from_status = dossier.status
    dossier.status = transition.target
    dossier.delivery = delivery
    dossier.returned_at = _local_now()
    _save(dossier)
    _record(
        dossier,
        action="return_result",
        actor=actor,
        from_status=from_status,
        comment=comment,
        delivery=delivery,
    )
    return dossier


@transaction.atomic
def dossier_rate(*, dossier: Dossier, actor, score: int, comment: str = "") -> Rating:
    """The applicant rates the service once the result is returned."""
    dossier = _lock(dossier, None)
    if dossier.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the applicant may rate this dossier."))
    if dossier.status != Status.RETURNED:
        raise TransitionError(_("You can rate the service once the result is returned."))
    if not 1 <= int(score) <= 5:
        raise ValidationError(_("Choose a score from 1 to 5."))
    if Rating.objects.filter(dossier=dossier).exists():
        raise TransitionError(_("You have already rated this dossier."))
    rating = Rating.objects.create(dossier=dossier, score=int(score), comment=comment.strip())
    audit_log_write(actor=actor, action="dossier.rate", obj=dossier, score=int(score))
    return rating


# --- what an actor may do now ----------------------------------------------------------------
ACTION_SERVICES = {
    "receive": dossier_receive,
    "refuse": dossier_refuse,
    "request_supplement": dossier_request_supplement,
    "supplement": dossier_supplement,
    "forward": dossier_forward,
    "send_back": dossier_send_back,
    "reassign": dossier_reassign,
    "approve": dossier_approve,
    "reject": dossier_reject,
    "request_payment": dossier_request_payment,
    "confirm_payment": dossier_confirm_payment,
    "withdraw": dossier_withdraw,
    "stop": dossier_stop,
    "finish": dossier_finish,
    "return_result": dossier_return_result,
}


def dossier_act(*, dossier: Dossier, action: str, actor, **params) -> Dossier:
    """Run the service for ``action`` (a key of the transition table) with its parameters."""
    try:
        service = ACTION_SERVICES[action]
    except KeyError:
        raise TransitionError(_("Unknown action.")) from None
    return service(dossier=dossier, actor=actor, **params)


def dossier_allowed_actions(*, dossier: Dossier, actor) -> list[str]:
    """The actions ``actor`` may take on ``dossier`` now, in transition-table order."""
    allowed = []
    for action in ACTION_SERVICES:
        try:
            transition = transition_check(action, dossier.status)
            _authorize(dossier, action, transition, actor)
        except (TransitionError, PermissionDenied):
            continue
        if action == "forward" and dossier.step_index + 1 >= len(dossier.steps):
            continue
        if action == "send_back" and dossier.step_index == 0:
            continue
        allowed.append(action)
    return allowed


# --- apologies for overdue dossiers (form 04) --------------------------------------------------


def apology_propose_due(dossier: Dossier, *, now: dt.datetime | None = None) -> dt.datetime:
    """A new appointment for an overdue dossier: the working days left in the current step plus
    the budgets of the steps after it, rounded up to whole days, and at least one working day."""
    cal = get_calendar()
    now = now or _local_now()
    remaining = 0.0
    if dossier.step_due_at and dossier.step_due_at > now:
        remaining = cal.working_days_between(now, dossier.step_due_at)
    elif dossier.current_step is None and dossier.steps:
        remaining = float(Decimal(dossier.steps[-1]["budget_days"]))
    for step in dossier.steps[dossier.step_index + 1 :]:
        remaining += float(Decimal(step["budget_days"]))
    return cal.add_working_days(now, max(1, math.ceil(round(remaining, 6))))


@transaction.atomic
def apology_draft(*, dossier: Dossier, actor=None) -> ApologyLetter:
    """Draft the apology letter of an overdue dossier, proposing a new appointment.

    Idempotent: returns the open draft if there is one, or the issued letter whose new
    appointment has not passed yet (no second apology is due before then).
    """
    return _apology_draft(dossier, actor)[0]


def _apology_draft(dossier: Dossier, actor) -> tuple[ApologyLetter, bool]:
    dossier = _lock(dossier, None)
    if not dossier.is_overdue:
        raise TransitionError(_("This dossier is not overdue: no apology letter is needed."))
    letters = ApologyLetter.objects.select_for_update().filter(dossier=dossier)
    now = _local_now()
    existing = (
        letters.filter(status=ApologyLetter.Status.DRAFT).first()
        or letters.filter(status=ApologyLetter.Status.ISSUED, new_due_at__gt=now)
        .order_by("-issued_at")
        .first()
    )
    if existing:
        return existing, False
    letter = ApologyLetter.objects.create(
        dossier=dossier, new_due_at=apology_propose_due(dossier, now=now), drafted_at=now
    )
    audit_log_write(
        actor=actor,
        action="dossier.apology_draft",
        obj=dossier,
        letter_id=letter.pk,
        new_due_at=letter.new_due_at.isoformat(),
    )
    return letter, True


def _as_moment(value: dt.datetime | dt.date) -> dt.datetime:
    """A date given for an appointment means the end of office hours that day."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    close = get_calendar().office_close
    return timezone.make_aware(dt.datetime.combine(value, close))


@transaction.atomic
def apology_issue(
    *, letter: ApologyLetter, actor, reason: str, new_due_at: dt.datetime | dt.date
) -> ApologyLetter:
    """An officer of the agency handling the dossier issues the apology (form 04).

    The dossier's appointment (``due_at``) is not moved: the dossier stays late in the
    statistics; the new appointment is kept on the letter and in the history.
    """
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the delay."))
    if new_due_at is None:
        raise ValidationError(_("Choose the new appointment."))
    new_due_at = _as_moment(new_due_at)
    dossier = _lock(letter.dossier, None)
    letter = ApologyLetter.objects.select_for_update().get(pk=letter.pk)
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in."))
    if not actor.has_perm("dossiers.process_dossier"):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not actor.has_perm("dossiers.view_all_agencies") and (
        _officer_agency_id(actor) != dossier.current_agency_id
    ):
        raise PermissionDenied(_("This dossier is not handled by your agency."))
    if letter.status != ApologyLetter.Status.DRAFT:
        raise TransitionError(_("This apology letter has already been issued."))
    if dossier.status not in ACTIVE_STATUSES:
        raise TransitionError(_("This dossier is no longer being processed."))
    now = _local_now()
    if new_due_at <= now:
        raise ValidationError(_("The new appointment must be in the future."))
    letter.reason = reason.strip()
    letter.new_due_at = new_due_at
    letter.status = ApologyLetter.Status.ISSUED
    letter.issued_at = now
    letter.issued_by = actor
    letter.save()
    _record(
        dossier,
        action="apology",
        actor=actor,
        from_status=dossier.status,
        comment=letter.reason,
        letter_id=letter.pk,
        new_due_at=new_due_at.isoformat(),
    )
    return letter


def apologies_draft_overdue() -> int:
    """Draft an apology letter for every overdue dossier that needs one; how many were new."""
    now = timezone.now()
    drafted = 0
    overdue = Dossier.objects.filter(status__in=list(ACTIVE_STATUSES), due_at__lt=now)
    for dossier in overdue.order_by("due_at", "pk").iterator():
        try:
            with transaction.atomic():
                _letter, created = _apology_draft(dossier, None)
        except TransitionError:  # moved on (finished, paused) since the query
            continue
        drafted += created
    return drafted
