"""Every write to a dossier. Views, the API, the admin and tasks call these and nothing else.

Each service runs in one transaction, locks the dossier row, checks the transition table and the
actor's permission, appends to the history and writes the audit log. A failed check raises
``TransitionError`` / ``PermissionDenied`` / ``ValidationError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tinhso.catalog.models import Procedure
from tinhso.catalog.selectors import implementing_agency_get
from tinhso.core.actors import actor_system_name, actor_user, is_system
from tinhso.core.audit import audit_log_write
from tinhso.core.calendar import get_calendar
from tinhso.core.errors import ConflictError, IdempotencyKeyReused, TransitionError
from tinhso.core.events import emit_after_commit
from tinhso.core.files import files_atomic, files_tracked, stored_file_track
from tinhso.core.numbers import vnd
from tinhso.core.uploads import CheckedFile, upload_check
from tinhso.core.validators import normalise_id_number, normalise_phone
from tinhso.core.workflow import allowed_actions, row_lock
from tinhso.dossiers import effects
from tinhso.dossiers.actions import OFFERED, SPECS, TRANSITIONS, Action, ActionSpec, StepRule, Where
from tinhso.dossiers.constants import (
    ACTIVE_STATUSES,
    ApplicantKind,
    Channel,
    Decision,
    Delivery,
    FileKind,
    PaymentMethod,
    Status,
)
from tinhso.dossiers.effects import step_agency_id
from tinhso.dossiers.models import (
    ApologyLetter,
    Dossier,
    DossierEvent,
    DossierFile,
    IdempotencyKey,
    Rating,
)
from tinhso.dossiers.signals import dossier_event
from tinhso.org.models import Agency
from tinhso.org.selectors import officer_acts_for, officer_agency_id, officer_sees_all

__all__ = ["ConflictError", "TransitionError", "step_agency_id"]

# The largest amount a dossier holds (VND; ``Dossier.fee_amount`` is a 32-bit column).
MAX_AMOUNT = 2_147_483_647


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


def _require(text: str, message: Any) -> None:
    if not (text or "").strip():
        raise ValidationError(message)


def _check(dossier: Dossier, action: str, actor: Any) -> ActionSpec:
    """Is ``action`` legal now and may ``actor`` take it? ``TransitionError`` or
    ``PermissionDenied`` if not. The internal process is the law: an action bound to the step's
    role is taken only by that role, and each step offers only its own actions (forward before
    the result step, approve or reject at the deciding step, finish at the result step)."""
    spec = SPECS[action]
    TRANSITIONS.check(action, dossier.status)
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in."))
    if spec.permission is None:
        _check_applicant(dossier, spec, actor)
        return spec
    if not actor.has_perm(spec.permission):
        raise PermissionDenied(_("Your role does not allow this action."))
    system = is_system(actor)
    if not system and not officer_sees_all(actor):
        wanted = (
            dossier.receiving_agency_id if spec.where == Where.DESK else dossier.current_agency_id
        )
        if not officer_acts_for(actor, wanted):
            raise PermissionDenied(_("This dossier is not handled by your agency."))
    if spec.where == Where.STEP and dossier.steps:
        _check_step(dossier, spec, actor, system)
    return spec


def _check_applicant(dossier: Dossier, spec: ActionSpec, actor: Any) -> None:
    if dossier.applicant_id and dossier.applicant_id == actor.pk:
        return
    # At the desk an officer records the applicant's supplement or withdrawal request.
    if spec.recorded_at_desk and actor.has_perm("dossiers.receive_dossier"):
        if officer_sees_all(actor) or (officer_acts_for(actor, dossier.receiving_agency_id)):
            return
    raise PermissionDenied(_("Only the applicant may do this."))


def _check_step(dossier: Dossier, spec: ActionSpec, actor: Any, system: bool) -> None:
    steps = dossier.steps
    index = dossier.step_index if dossier.status != Status.NEW else 0
    index = min(index, len(steps) - 1)
    step = steps[index]
    role_id = step.get("role_id")
    if spec.role_bound and role_id and not system and not _holds_role(actor, role_id):
        raise PermissionDenied(_("This step is done by another role."))
    rule = spec.step_rule
    if rule == StepRule.ANY:
        return
    last = effects.result_index(steps)
    if rule == StepRule.AFTER_FIRST:
        if index == 0:
            raise TransitionError(_("The dossier is at the first step: there is no step before."))
        return
    if rule == StepRule.RESULT:
        if index != last:
            raise TransitionError(
                _("The result is made at the step “%(step)s”: forward the dossier there.")
                % {"step": steps[last]["name"]}
            )
        return
    deciding = _role_decides(role_id)
    if rule == StepRule.BEFORE_RESULT:
        if index >= last:
            raise TransitionError(_("This is the result step: finish the dossier instead."))
        if deciding:
            raise TransitionError(_("This step decides: approve or reject the request."))
    elif rule in (StepRule.DECIDING, StepRule.DECIDING_BEFORE_RESULT):
        if not deciding:
            raise TransitionError(_("The request is decided at the leader's step, not this one."))
        if rule == StepRule.DECIDING_BEFORE_RESULT and index >= last:
            raise TransitionError(_("This is the result step: attach the result and finish."))


def _role_decides(role_id: int | None) -> bool:
    """Whether the role of a step decides the request (holds ``dossiers.approve_dossier``)."""
    if not role_id:
        return False
    return bool(
        Permission.objects.filter(
            group=role_id, content_type__app_label="dossiers", codename="approve_dossier"
        ).exists()
    )


def _lock(dossier: Dossier, expected_version: int | None) -> Dossier:
    locked = row_lock(
        Dossier.objects.select_related(
            "procedure_version", "receiving_agency", "agency", "current_agency"
        ),
        dossier.pk,
        expected_version=expected_version,
        message=_(
            "Someone else has changed this dossier in the meantime. Reload it and try again."
        ),
    )
    locked._locked_status = locked.status  # type: ignore[attr-defined]
    return locked


def _begin(dossier: Dossier, action: str, actor: Any, expected_version: int | None) -> Dossier:
    """Lock the dossier, then check that ``action`` is legal now and ``actor`` may take it."""
    dossier = _lock(dossier, expected_version)
    _check(dossier, action, actor)
    return dossier


def _apply(
    dossier: Dossier,
    action: Action,
    actor: Any,
    data: dict[str, Any],
    *,
    comment: str = "",
    files: list[tuple[CheckedFile, dict[str, Any]]] | None = None,
) -> Dossier:
    """Save what the effect changed (one more version) and record it in the history."""
    from_status = _from_status(dossier)
    _save(dossier)
    _record(
        dossier,
        action=action,
        actor=actor,
        from_status=from_status,
        comment=comment,
        files=files,
        **data,
    )
    return dossier


def _from_status(dossier: Dossier) -> int | None:
    """The status the dossier had when it was locked (effects change it in memory)."""
    return getattr(dossier, "_locked_status", dossier.status)


def _close(dossier: Dossier, action: Action, actor: Any, reason: str) -> Dossier:
    """End the dossier's life without a result (refused, withdrawn, stopped)."""
    target = TRANSITIONS.get(action).target
    assert target is not None
    data = effects.close(dossier, at=_local_now(), status=target)
    return _apply(dossier, action, actor, data, comment=reason)


def _store_files(
    dossier: Dossier,
    event: DossierEvent | None,
    files: Iterable[tuple[CheckedFile, dict[str, Any]]],
    actor: Any,
) -> list[DossierFile]:
    """Store checked files of the dossier under their SHA-256. A service that calls this runs in
    ``files_atomic`` (``tinhso.core.files``) so that the files go if its transaction rolls back."""
    stored: list[DossierFile] = []
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
        try:
            record.file.save("upload", ContentFile(checked.content), save=False)
            # The service's files_atomic deletes it if the write rolls back.
            stored_file_track(record.file.storage, str(record.file.name))
            record.save()
        except BaseException:
            # Also when no files_atomic is open: the rows go with the failed write, so must these.
            for done in [*stored, record]:
                if done.file.name:
                    done.file.storage.delete(done.file.name)
            raise
        stored.append(record)
    return stored


def document_name_short(name: str) -> str:
    """A required document's name as a file records it: national names run to thousands of
    characters, ``DossierFile.document_name`` keeps 500 (cut with "…")."""
    limit = DossierFile._meta.get_field("document_name").max_length or 500
    return name if len(name) <= limit else name[: limit - 1] + "…"


def files_check(
    uploads: Iterable[Any] | None, kind: str
) -> list[tuple[CheckedFile, dict[str, Any]]]:
    """Check every upload before anything is written; ``uploads`` are files or (file, meta)."""
    checked: list[tuple[CheckedFile, dict[str, Any]]] = []
    for item in uploads or []:
        upload, meta = item if isinstance(item, tuple) else (item, {})
        checked.append((upload_check(upload), {"kind": kind, **meta}))
    return checked


def _record(
    dossier: Dossier,
    *,
    files: list[tuple[CheckedFile, dict[str, Any]]] | None = None,
    **kwargs: Any,
) -> DossierEvent:
    """Append the history entry, store its files and write the audit row. Files stored outside a
    ``files_atomic`` service are still deleted if recording fails."""
    if files and not files_tracked():
        with files_atomic():
            return _record_event(dossier, files=files, **kwargs)
    return _record_event(dossier, files=files, **kwargs)


def _record_event(
    dossier: Dossier,
    *,
    action: str,
    actor: Any,
    from_status: int | None,
    comment: str = "",
    files: list[tuple[CheckedFile, dict[str, Any]]] | None = None,
    **data: Any,
) -> DossierEvent:
    action = getattr(action, "value", action)
    step = dossier.current_step
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        actor=actor_user(actor),
        actor_system=actor_system_name(actor),
        # The agency of the officer who acted (none for the applicant or a system actor), not
        # the agency the dossier went to: ``step_name`` says where it is now.
        agency_id=officer_agency_id(actor_user(actor)),
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


# --- submission ----------------------------------------------------------------------------------
@files_atomic
def dossier_submit(
    *,
    procedure: Procedure,
    channel: int,
    actor: Any,
    applicant_kind: str = ApplicantKind.CITIZEN,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    applicant_ward: Any = None,
    organisation_name: str = "",
    summary: str = "",
    delivery: str = Delivery.DESK,
    documents: list[Any] | None = None,
    checklist: list[int] | None = None,
    agency: Any = None,
    ward: Any = None,
) -> Dossier:
    """Register a new dossier: online or by post it waits at the desk as "Mới đăng ký"; at the
    desk (``channel`` in person) the clerk receives it at once with ``checklist``.

    ``agency`` (an Agency or its code) or ``ward`` (a Ward or its code) chooses the implementing
    agency of a procedure the communes carry out (``catalog.selectors.implementing_agency_get``:
    ``ValidationError`` on ``agency`` for a ward outside the province or without a People's
    Committee); the dossier's code and desk are that agency's.

    ``documents`` are uploads, or ``(upload, {"document_id": id})`` pairs naming the required
    document each one answers.
    """
    version = procedure.current_version if procedure.current_version_id else None
    if not procedure.is_active or version is None:
        raise TransitionError(_("This procedure is not open for submissions."))
    if channel == Channel.ONLINE and procedure.online_level == Procedure.OnlineLevel.NONE:
        raise TransitionError(_("This procedure cannot be submitted online."))
    known_docs = {doc["id"]: doc["name"] for doc in version.documents}
    checked = files_check(documents, FileKind.SUBMISSION)
    for _file, meta in checked:
        if meta.get("document_id") is not None:
            if meta["document_id"] not in known_docs:
                raise ValidationError(_("A file names a document this procedure does not ask for."))
            meta["document_name"] = document_name_short(known_docs[meta["document_id"]])
    if channel == Channel.ONLINE:
        given = {meta.get("document_id") for _f, meta in checked}
        missing = [
            doc["name"] for doc in version.documents if doc["required"] and doc["id"] not in given
        ]
        if missing:
            raise ValidationError(
                _("Please attach: %(documents)s.") % {"documents": "; ".join(missing)}
            )
    implementer = implementing_agency_get(procedure, agency=agency, ward=ward)
    desk = implementer.desk
    now = _local_now()
    # A person without an agency submits for themselves; an officer or a system actor for someone.
    is_citizen = actor_user(actor) is not None and officer_agency_id(actor) is None
    dossier = Dossier(
        code=dossier_code_allocate(agency=desk, day=now.date()),
        procedure=procedure,
        procedure_version=version,
        receiving_agency=desk,
        agency=implementer,
        current_agency=desk,
        status=Status.NEW,
        channel=channel,
        applicant=actor if is_citizen else None,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name.strip(),
        applicant_id_number=normalise_id_number(applicant_id_number),
        applicant_phone=normalise_phone(applicant_phone),
        applicant_email=applicant_email.strip(),
        applicant_address=applicant_address.strip(),
        applicant_ward=applicant_ward,
        organisation_name=organisation_name.strip(),
        summary=summary.strip(),
        delivery=delivery,
        submitted_at=now,
        fee_amount=sum(
            fee["amount"]
            for fee in version.snapshot.get("fees", [])
            if fee.get("channel") in (None, int(channel))
        ),
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


class _KeyTaken(Exception):
    """The idempotency key is already stored: answer with what it names."""


def dossier_submit_idempotent(
    *, key: str, request_hash: str, actor: Any, **submit: Any
) -> tuple[Dossier, bool]:
    """``dossier_submit`` at most once per (``actor``, ``key``): a retry of the same request
    (same ``request_hash``) returns the dossier the first attempt created, with ``True`` (a
    replay); the same key with another request raises ``IdempotencyKeyReused``. Without a key
    it simply submits. The key is stored in the submission's transaction, so a failed attempt
    leaves the key free (and, like any submission, no file behind).
    """
    if not key:
        return dossier_submit(actor=actor, **submit), False
    try:
        dossier = _dossier_submit_keyed(key=key, request_hash=request_hash, actor=actor, **submit)
        return dossier, False
    except (_KeyTaken, IntegrityError):
        stored = (
            IdempotencyKey.objects.filter(user=actor, key=key)
            .values_list("request_hash", "dossier_id")
            .first()
        )
        if stored is None:
            raise
    if stored[0] != request_hash:
        raise IdempotencyKeyReused(
            _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new submission."
            )
        )
    return Dossier.objects.select_related("procedure", "receiving_agency").get(pk=stored[1]), True


@files_atomic
def _dossier_submit_keyed(*, key: str, request_hash: str, actor: Any, **submit: Any) -> Dossier:
    # Submissions of one user with a key queue on the user's row, so a retry sent while the
    # first attempt is still running sees its key once that commits.
    list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk"))
    if IdempotencyKey.objects.filter(user=actor, key=key).exists():
        raise _KeyTaken
    dossier = dossier_submit(actor=actor, **submit)
    # The lock makes a duplicate impossible here; should one happen anyway, the IntegrityError
    # rolls the whole submission back (its files too) and the caller gets the replay.
    IdempotencyKey.objects.create(user=actor, key=key, request_hash=request_hash, dossier=dossier)
    return dossier


# --- the desk ------------------------------------------------------------------------------------
@files_atomic
def dossier_receive(
    *,
    dossier: Dossier,
    actor: Any,
    checklist: list[int] | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Receive a dossier after checking it against the required documents (form 01)."""
    dossier = _begin(dossier, Action.RECEIVE, actor, expected_version)
    documents = dossier.procedure_version.documents
    required = {doc["id"] for doc in documents if doc["required"]}
    # Only the procedure's own documents, each once: the list is bounded by the procedure.
    known = {doc["id"] for doc in documents}
    checklist = sorted({item for item in (checklist or []) if item in known})
    missing = required - set(checklist)
    if missing:
        names = [d["name"] for d in dossier.procedure_version.documents if d["id"] in missing]
        raise ValidationError(
            _(
                "Tick each required document you received in the checklist; not ticked: "
                "%(documents)s. If the applicant did not hand one in, request a supplement "
                "instead of receiving the dossier."
            )
            % {"documents": "; ".join(names)},
            code="checklist",
        )
    clerk = actor_user(actor) if hasattr(actor_user(actor), "officer") else None
    return _apply(
        dossier,
        Action.RECEIVE,
        actor,
        effects.receive(
            dossier, at=_local_now(), cal=get_calendar(), checklist=checklist, clerk=clerk
        ),
    )


@files_atomic
def dossier_refuse(
    *, dossier: Dossier, actor: Any, reason: str, expected_version: int | None = None
) -> Dossier:
    """Refuse to receive a dossier, with the reason (form 03)."""
    _require(reason, _("Give the reason for refusing the dossier."))
    dossier = _begin(dossier, Action.REFUSE, actor, expected_version)
    return _close(dossier, Action.REFUSE, actor, reason)


@files_atomic
def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: Any,
    reason: str,
    document_names: list[str] | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to supplement the dossier (form 02); the clock stops.

    ``document_names``: names of the procedure's required documents to hand in again."""
    _require(reason, _("Say what the applicant must supplement."))
    dossier = _begin(dossier, Action.REQUEST_SUPPLEMENT, actor, expected_version)
    known = {doc["name"] for doc in dossier.procedure_version.documents}
    # Each required document once, in the order given: the list is bounded by the procedure.
    names = list(dict.fromkeys(name for name in (document_names or []) if name))
    if set(names) - known:
        raise ValidationError(_("Choose documents this procedure asks for."))
    data = effects.request_supplement(dossier, at=_local_now(), document_names=names)
    return _apply(dossier, Action.REQUEST_SUPPLEMENT, actor, data, comment=reason)


@files_atomic
def dossier_supplement(
    *,
    dossier: Dossier,
    actor: Any,
    files: list[Any],
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The applicant hands in the requested documents; the clock runs again."""
    checked = files_check(files, FileKind.SUPPLEMENT)
    if not checked:
        raise ValidationError(_("Attach at least one file."))
    dossier = _begin(dossier, Action.SUPPLEMENT, actor, expected_version)
    data = effects.supplement(dossier, at=_local_now(), cal=get_calendar())
    return _apply(dossier, Action.SUPPLEMENT, actor, data, comment=comment, files=checked)


# --- processing ----------------------------------------------------------------------------------
def _holds_role(user: Any, role_id: int) -> bool:
    return bool(user.groups.filter(pk=role_id).exists())


@files_atomic
def dossier_forward(
    *,
    dossier: Dossier,
    actor: Any,
    comment: str = "",
    assignee: Any = None,
    files: list[Any] | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Hand the dossier on to the next step of the internal process."""
    checked = files_check(files, FileKind.ATTACHMENT)
    dossier = _begin(dossier, Action.FORWARD, actor, expected_version)
    return _advance(dossier, Action.FORWARD, actor, comment, assignee, checked)


def _advance(
    dossier: Dossier,
    action: Action,
    actor: Any,
    comment: str,
    assignee: Any,
    checked: list[tuple[CheckedFile, dict[str, Any]]],
) -> Dossier:
    following = dossier.step_index + 1
    if assignee is not None:
        if not officer_acts_for(assignee, effects.step_agency_id(dossier, following)):
            raise ValidationError(_("The officer chosen does not work at the next step's agency."))
        role_id = dossier.steps[following].get("role_id")
        if role_id and not _holds_role(assignee, role_id):
            raise ValidationError(_("The officer chosen does not hold the role of the next step."))
    data = effects.advance(dossier, at=_local_now(), cal=get_calendar(), assignee=assignee)
    return _apply(dossier, action, actor, data, comment=comment, files=checked)


@files_atomic
def dossier_send_back(
    *,
    dossier: Dossier,
    actor: Any,
    to_step: int,
    comment: str,
    expected_version: int | None = None,
) -> Dossier:
    """Return the dossier to an earlier step (for example for the specialist to redo)."""
    _require(comment, _("Say why the dossier goes back."))
    dossier = _begin(dossier, Action.SEND_BACK, actor, expected_version)
    if not 0 <= to_step < dossier.step_index:
        raise TransitionError(_("Choose an earlier step."))
    # Back to whoever handed the dossier on from that step.
    last = dossier.events.filter(data__from_step=to_step).order_by("-at", "-pk").first()
    data = effects.send_back(
        dossier,
        at=_local_now(),
        cal=get_calendar(),
        to_step=to_step,
        assignee=last.actor if last else None,
    )
    return _apply(dossier, Action.SEND_BACK, actor, data, comment=comment)


@files_atomic
def dossier_reassign(
    *,
    dossier: Dossier,
    actor: Any,
    assignee: Any,
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Give the dossier to another officer of the agency and role of its current step."""
    dossier = _begin(dossier, Action.REASSIGN, actor, expected_version)
    if assignee is None or not officer_acts_for(assignee, dossier.current_agency_id):
        raise ValidationError(_("The officer chosen does not work at the agency handling it."))
    step = dossier.current_step
    if step and step.get("role_id") and not _holds_role(assignee, step["role_id"]):
        raise ValidationError(_("The officer chosen does not hold the role of this step."))
    data = effects.reassign(dossier, assignee=assignee)
    return _apply(dossier, Action.REASSIGN, actor, data, comment=comment)


@files_atomic
def dossier_approve(
    *, dossier: Dossier, actor: Any, comment: str = "", expected_version: int | None = None
) -> Dossier:
    """The competent leader approves at the deciding step; the dossier goes on to the next
    step (issuing the result). Approval never finishes a dossier: the result step does."""
    dossier = _begin(dossier, Action.APPROVE, actor, expected_version)
    dossier.decision = Decision.APPROVED
    return _advance(dossier, Action.APPROVE, actor, comment, None, [])


@files_atomic
def dossier_reject(
    *, dossier: Dossier, actor: Any, reason: str, expected_version: int | None = None
) -> Dossier:
    """The leader rejects the request at the deciding step; the written answer with the reason
    is the result, and the dossier goes to the desk to be returned."""
    _require(reason, _("Give the reason for the rejection."))
    dossier = _begin(dossier, Action.REJECT, actor, expected_version)
    data = effects.finish(dossier, at=_local_now(), decision=Decision.REJECTED)
    return _apply(dossier, Action.REJECT, actor, data, comment=reason)


@files_atomic
def dossier_finish(
    *,
    dossier: Dossier,
    actor: Any,
    files: list[Any],
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The result is ready, at the result step only: attach it and send the dossier to the
    desk to be returned."""
    checked = files_check(files, FileKind.RESULT)
    if not checked:
        raise ValidationError(_("Attach the result."))
    dossier = _begin(dossier, Action.FINISH, actor, expected_version)
    data = effects.finish(dossier, at=_local_now(), decision=dossier.decision or Decision.APPROVED)
    return _apply(dossier, Action.FINISH, actor, data, comment=comment, files=checked)


# Days an applicant is given to pay when the officer names neither a number of days nor a date.
PAY_WITHIN_DAYS_MAX = 60


def _payment_deadline(
    now: dt.datetime, pay_within_days: int | None, pay_by: dt.datetime | dt.date | str | None
) -> dt.datetime:
    """The moment by which to pay: the end of office hours on ``pay_by`` (a date, a moment or
    its ISO text), else on the day ``pay_within_days`` working days from ``now`` end (the
    working-time calendar). ``ValidationError`` if neither is given, or the date has passed."""
    if pay_by:
        if isinstance(pay_by, str):
            try:
                pay_by = (dt.date if len(pay_by) == 10 else dt.datetime).fromisoformat(pay_by)
            except ValueError:
                raise ValidationError(_("Enter a valid date to pay by.")) from None
        moment = _as_moment(pay_by)
        if moment <= now:
            raise ValidationError(_("The date to pay by must be in the future."))
        return moment
    if pay_within_days is None:
        raise ValidationError(_("Say by when to pay: a number of working days or a date."))
    if not isinstance(pay_within_days, int) or not 1 <= pay_within_days <= PAY_WITHIN_DAYS_MAX:
        raise ValidationError(
            _("Give from 1 to %(days)s working days to pay.") % {"days": PAY_WITHIN_DAYS_MAX}
        )
    last = get_calendar().add_working_days(now, pay_within_days)
    return _as_moment(timezone.localtime(last).date())


def desk_payment_place(dossier: Dossier) -> str:
    """Where to pay when the officer does not say: the receiving desk, with its address."""
    desk = dossier.receiving_agency
    where = ", ".join(part for part in (desk.name, desk.address) if part)
    return _("At the one-stop desk: %(desk)s.") % {"desk": where}


@files_atomic
def dossier_request_payment(
    *,
    dossier: Dossier,
    actor: Any,
    amount: int,
    purpose: str,
    pay_at: str = "",
    bank_details: str = "",
    pay_within_days: int | None = None,
    pay_by: dt.datetime | dt.date | str | None = None,
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to pay a fee or financial obligation; the clock stops.

    ``amount`` in VND (it replaces the procedure's standard fee on the dossier), ``purpose``
    what it is for, ``pay_at`` how and where to pay (by default the receiving desk and its
    address), ``bank_details`` an account to transfer to (optional), and the deadline as
    ``pay_within_days`` working days or a date ``pay_by``. All of it is public: the tracking
    page shows it. ``ValidationError`` when one is missing or out of range.
    """
    if not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise ValidationError(_("Enter the amount to pay."))
    _require(purpose, _("Say what the payment is for."))
    dossier = _begin(dossier, Action.REQUEST_PAYMENT, actor, expected_version)
    now = _local_now()
    data = effects.request_payment(
        dossier,
        at=now,
        amount=amount,
        purpose=purpose.strip(),
        pay_at=(pay_at or "").strip() or desk_payment_place(dossier),
        bank_details=(bank_details or "").strip(),
        pay_by=_payment_deadline(now, pay_within_days, pay_by),
    )
    return _apply(dossier, Action.REQUEST_PAYMENT, actor, data, comment=comment)


@files_atomic
def dossier_confirm_payment(
    *,
    dossier: Dossier,
    actor: Any,
    amount: int,
    method: str,
    reference: str,
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Record the payment of the amount requested: the receiving desk (until online payment
    arrives) or the payment gateway as a system actor. ``amount`` in VND, at least the amount
    requested; ``method`` a ``PaymentMethod``; ``reference`` the receipt or transaction
    number. The clock runs again."""
    if method not in PaymentMethod.values:
        raise ValidationError(_("Choose how the payment was made."))
    _require(reference, _("Enter the receipt or transaction number."))
    if not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise ValidationError(_("Enter the amount received."))
    dossier = _begin(dossier, Action.CONFIRM_PAYMENT, actor, expected_version)
    if amount < dossier.fee_amount:
        raise ValidationError(
            _("The amount received is less than the amount requested (%(amount)s).")
            % {"amount": vnd(dossier.fee_amount)}
        )
    data = effects.confirm_payment(
        dossier,
        at=_local_now(),
        cal=get_calendar(),
        amount=amount,
        method=method,
        reference=reference.strip(),
    )
    return _apply(dossier, Action.CONFIRM_PAYMENT, actor, data, comment=comment)


# --- ending --------------------------------------------------------------------------------------
@files_atomic
def dossier_withdraw(
    *, dossier: Dossier, actor: Any, reason: str = "", expected_version: int | None = None
) -> Dossier:
    """Withdraw at the applicant's request (status 7)."""
    dossier = _begin(dossier, Action.WITHDRAW, actor, expected_version)
    return _close(dossier, Action.WITHDRAW, actor, reason)


@files_atomic
def dossier_stop(
    *, dossier: Dossier, actor: Any, reason: str, expected_version: int | None = None
) -> Dossier:
    """Stop processing (status 8), with the reason."""
    _require(reason, _("Give the reason for stopping."))
    dossier = _begin(dossier, Action.STOP, actor, expected_version)
    return _close(dossier, Action.STOP, actor, reason)


@files_atomic
def dossier_return_result(
    *,
    dossier: Dossier,
    actor: Any,
    delivery: str,
    comment: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Hand the result to the applicant at the desk, online or by post (status 10)."""
    if delivery not in Delivery.values:
        raise ValidationError(_("Choose how the result is returned."))
    dossier = _begin(dossier, Action.RETURN_RESULT, actor, expected_version)
    if delivery == Delivery.ONLINE and not dossier.files.filter(kind=FileKind.RESULT).exists():
        raise ValidationError(_("There is no electronic result to return online."))
    data = effects.return_result(dossier, at=_local_now(), delivery=delivery)
    return _apply(dossier, Action.RETURN_RESULT, actor, data, comment=comment)


@files_atomic
def dossier_rate(
    *,
    dossier: Dossier,
    actor: Any,
    score: int,
    comment: str = "",
    expected_version: int | None = None,
) -> Rating:
    """The applicant rates the service (1–5) once the result is returned; once only."""
    dossier = _lock(dossier, expected_version)
    _rate_check(dossier, actor)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(_("Choose a score from 1 to 5."))
    rating = Rating.objects.create(dossier=dossier, score=score, comment=(comment or "").strip())
    audit_log_write(actor=actor, action="dossier.rate", obj=dossier, score=score)
    return rating


def _rate_check(dossier: Dossier, actor: Any) -> None:
    if actor_user(actor) is None or dossier.applicant_id != actor.pk:
        raise PermissionDenied(_("Only the applicant may rate this dossier."))
    if dossier.status != Status.RETURNED:
        raise TransitionError(_("You can rate the service once the result is returned."))
    if Rating.objects.filter(dossier=dossier).exists():
        raise TransitionError(_("You have already rated this dossier."))


# --- what an actor may do now ----------------------------------------------------------------
ACTION_SERVICES: dict[str, Callable[..., Any]] = {
    Action.RECEIVE: dossier_receive,
    Action.REFUSE: dossier_refuse,
    Action.REQUEST_SUPPLEMENT: dossier_request_supplement,
    Action.SUPPLEMENT: dossier_supplement,
    Action.FORWARD: dossier_forward,
    Action.SEND_BACK: dossier_send_back,
    Action.REASSIGN: dossier_reassign,
    Action.APPROVE: dossier_approve,
    Action.REJECT: dossier_reject,
    Action.REQUEST_PAYMENT: dossier_request_payment,
    Action.CONFIRM_PAYMENT: dossier_confirm_payment,
    Action.WITHDRAW: dossier_withdraw,
    Action.STOP: dossier_stop,
    Action.FINISH: dossier_finish,
    Action.RETURN_RESULT: dossier_return_result,
    Action.RATE: dossier_rate,
}
assert set(ACTION_SERVICES) == set(OFFERED), "every offered action has its service"


def dossier_act(*, dossier: Dossier, action: str, actor: Any, **params: Any) -> Any:
    """Run the service of ``action`` (an ``Action`` value) with its parameters (the spec's
    names, plus ``expected_version``)."""
    try:
        service = ACTION_SERVICES[action]
    except KeyError:
        raise TransitionError(_("Unknown action.")) from None
    return service(dossier=dossier, actor=actor, **params)


def dossier_allowed_actions(*, dossier: Dossier, actor: Any) -> list[str]:
    """The actions ``actor`` may take on ``dossier`` now, in spec order: the very checks the
    services run (status, permission, agency, the step's role and place in the process)."""

    def guard(action: str) -> None:
        if action == Action.RATE:
            _rate_check(dossier, actor)
        else:
            _check(dossier, action, actor)

    return allowed_actions(OFFERED, guard)


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
def apology_draft(*, dossier: Dossier, actor: Any = None) -> ApologyLetter:
    """Draft the apology letter of an overdue dossier, proposing a new appointment.

    Idempotent: returns the open draft if there is one, or the issued letter whose new
    appointment has not passed yet (no second apology is due before then).
    """
    return _apology_draft(dossier, actor)[0]


def _apology_draft(dossier: Dossier, actor: Any) -> tuple[ApologyLetter, bool]:
    dossier = _lock(dossier, None)
    letters = ApologyLetter.objects.select_for_update().filter(dossier=dossier)
    now = _local_now()
    in_force = (
        letters.filter(status=ApologyLetter.Status.ISSUED, new_due_at__gt=now)
        .order_by("-issued_at")
        .first()
    )
    if in_force and dossier.status in ACTIVE_STATUSES:
        return in_force, False
    if not dossier.is_overdue:
        raise TransitionError(_("This dossier is not overdue: no apology letter is needed."))
    existing = letters.filter(status=ApologyLetter.Status.DRAFT).first()
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
    *, letter: ApologyLetter, actor: Any, reason: str, new_due_at: dt.datetime | dt.date
) -> ApologyLetter:
    """An officer of the agency handling the dossier issues the apology (form 04).

    The new date becomes the dossier's appointment (``due_at``, and ``new_due_at`` says it was
    moved): the tracking page, the API, the work queue and the portal go by it. The statistics
    keep judging the dossier against ``original_due_at``, so it stays late there. The
    applicant is told (``dossier.apology`` message).
    """
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the delay."))
    if new_due_at is None:
        raise ValidationError(_("Choose the new appointment."))
    new_due_at = _as_moment(new_due_at)
    dossier = _lock(letter.dossier, None)
    letter = ApologyLetter.objects.select_for_update().get(pk=letter.pk)
    _apology_check_actor(dossier, actor)
    if letter.status != ApologyLetter.Status.DRAFT:
        raise TransitionError(_("This apology letter has already been issued."))
    if dossier.status not in ACTIVE_STATUSES:
        raise TransitionError(_("This dossier is no longer being processed."))
    now = _local_now()
    _apology_check_due(dossier, new_due_at, now)
    letter.reason = reason.strip()
    letter.new_due_at = new_due_at
    letter.status = ApologyLetter.Status.ISSUED
    letter.issued_at = now
    letter.issued_by = actor
    letter.save()
    dossier.due_at = dossier.new_due_at = new_due_at
    _save(dossier)
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


@transaction.atomic
def apology_draft_issue(
    *, dossier: Dossier, actor: Any, reason: str, new_due_at: dt.datetime | dt.date
) -> ApologyLetter:
    """Draft (or reuse the open draft) and issue the apology letter of ``dossier`` in one
    transaction, for an officer's page. The actor's role and agency are checked before anything
    is written, and a refused issue (``PermissionDenied``, ``TransitionError``,
    ``ValidationError``: see ``apology_issue``) leaves no letter and no audit entry."""
    _apology_check_actor(dossier, actor)
    letter = apology_draft(dossier=dossier, actor=actor)
    return apology_issue(letter=letter, actor=actor, reason=reason, new_due_at=new_due_at)


def _apology_check_actor(dossier: Dossier, actor: Any) -> None:
    """``PermissionDenied`` unless ``actor`` may process dossiers for the dossier's agency."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in."))
    if not actor.has_perm("dossiers.process_dossier"):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not officer_sees_all(actor) and (not officer_acts_for(actor, dossier.current_agency_id)):
        raise PermissionDenied(_("This dossier is not handled by your agency."))


def _apology_check_due(dossier: Dossier, new_due_at: dt.datetime, now: dt.datetime) -> None:
    """The new appointment of an apology: after now and after the current appointment, and at
    most ``settings.APOLOGY_MAX_DAYS`` calendar days (90 by default) after today, ending at the
    close of office hours that day. ``ValidationError`` (Vietnamese message) otherwise. The
    bound keeps a typo (the year 9999) from becoming the applicant's appointment; a longer
    delay takes a further apology when this appointment passes."""
    if new_due_at <= now:
        raise ValidationError(_("The new appointment must be in the future."))
    if dossier.due_at and new_due_at <= dossier.due_at:
        raise ValidationError(_("The new appointment must be after the current appointment."))
    days = settings.APOLOGY_MAX_DAYS
    latest = _as_moment(now.date() + dt.timedelta(days=days))
    if new_due_at > latest:
        raise ValidationError(
            ngettext(
                "The new appointment can be at most %(days)d day from today.",
                "The new appointment can be at most %(days)d days from today.",
                days,
            )
            % {"days": days}
        )


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
