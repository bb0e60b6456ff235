"""The seeded dossiers must look exactly like what the services produce: replay each seeded
history through ``tinhso.dossiers.services`` at the same moments, by the same actors, and
compare every field and every event."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tinhso.core.models import AuditLog
from tinhso.dossiers import services
from tinhso.dossiers.actions import SPECS, ParamKind
from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import Dossier
from tinhso.testing.files import pdf_upload

pytestmark = pytest.mark.django_db

FIELDS = [
    "status",
    "status_before_pause",
    "channel",
    "step_index",
    "receiving_agency_id",
    "agency_id",
    "current_agency_id",
    "assignee_id",
    "applicant_id",
    "applicant_kind",
    "delivery",
    "submitted_at",
    "received_at",
    "due_at",
    "original_due_at",
    "new_due_at",
    "step_due_at",
    "paused_at",
    "finished_at",
    "returned_at",
    "closed_at",
    "supplement_count",
    "decision",
    "timeliness",
    "fee_amount",
    "fee_paid_at",
    "version",
    "procedure_version_id",
]


def _event_tuple(event):
    files = sorted(f.kind for f in event.files.all())
    return (
        event.at,
        event.action,
        event.actor_id,
        event.agency_id,
        event.from_status,
        event.to_status,
        event.step_index,
        event.step_name,
        event.comment,
        event.data,
        files,
    )


def _params(event, seeded: Dossier, *, last_advance: bool) -> dict:
    """The service's parameters for a seeded event, read through the action's spec."""
    params = {}
    for param in SPECS[event.action].params:
        if param.kind in {ParamKind.REASON, ParamKind.COMMENT}:
            params[param.name] = event.comment
        elif param.kind == ParamKind.FILES:
            params[param.name] = [pdf_upload() for _f in event.files.all()]
        elif param.kind == ParamKind.OFFICER_NEXT:
            # The assignee is only visible while the dossier stays at the next step.
            stays = last_advance and seeded.step_index == event.step_index
            params[param.name] = seeded.assignee if stays else None
        elif param.name in event.data:
            params[param.name] = event.data[param.name]
    return params


def replay(seeded: Dossier) -> Dossier:
    events = list(seeded.events.order_by("at", "pk"))
    advances = [i for i, e in enumerate(events) if e.action in {"forward", "approve"}]
    dossier = None
    for index, event in enumerate(events):
        with time_machine.travel(event.at, tick=False):
            actor = event.actor
            if event.action == "submit":
                docs = seeded.procedure_version.documents
                dossier = services.dossier_submit(
                    procedure=seeded.procedure,
                    channel=seeded.channel,
                    actor=actor,
                    applicant_kind=seeded.applicant_kind,
                    applicant_name=seeded.applicant_name,
                    applicant_id_number=seeded.applicant_id_number,
                    applicant_phone=seeded.applicant_phone,
                    applicant_email=seeded.applicant_email,
                    applicant_address=seeded.applicant_address,
                    applicant_ward=seeded.applicant_ward,
                    organisation_name=seeded.organisation_name,
                    delivery=seeded.delivery,
                    documents=[(pdf_upload(), {"document_id": d["id"]}) for d in docs]
                    if seeded.channel == 2
                    else [],
                    checklist=[d["id"] for d in docs],
                    agency=seeded.agency,
                )
                continue
            assert dossier is not None, "a history opens with the submission"
            if event.action == "receive" and dossier.status != Status.NEW:
                continue  # received in the same request as the in-person submission
            params = _params(event, seeded, last_advance=bool(advances) and index == advances[-1])
            dossier = services.dossier_act(
                dossier=dossier, action=event.action, actor=actor, **params
            )
    assert dossier is not None, "a history opens with the submission"
    return Dossier.objects.get(pk=dossier.pk)


def test_seeded_dossiers_replay_identically_through_the_services():
    call_command("seed_demo", dossiers=120, verbosity=0, stdout=StringIO(), stderr=StringIO())
    sample = []
    for status in Status.values:
        sample += list(Dossier.objects.filter(status=status).order_by("pk")[:4])
    sample += list(Dossier.objects.filter(supplement_count__gt=0).order_by("pk")[:4])
    sample += list(Dossier.objects.filter(fee_paid_at__isnull=False).order_by("pk")[:4])
    assert len(sample) >= 30
    assert {d.status for d in sample} == set(Status.values)
    for seeded in sample:
        replayed = replay(seeded)
        for name in FIELDS:
            if name == "delivery" and seeded.status != Status.RETURNED:
                continue
            assert getattr(replayed, name) == getattr(seeded, name), (seeded.code, name)
        assert replayed.code.rsplit("-", 2)[:2] == seeded.code.rsplit("-", 2)[:2]
        seeded_events = [_event_tuple(e) for e in seeded.events.order_by("at", "pk")]
        replayed_events = [_event_tuple(e) for e in replayed.events.order_by("at", "pk")]
        assert replayed_events == seeded_events, seeded.code
        audit = [
            (a.at, a.action, a.actor_id, a.data)
            for a in AuditLog.objects.filter(
                object_type="dossiers.dossier", object_id=str(replayed.pk)
            ).order_by("at", "pk")
        ]
        seeded_audit = [
            (a.at, a.action, a.actor_id, a.data)
            for a in AuditLog.objects.filter(
                object_type="dossiers.dossier", object_id=str(seeded.pk)
            )
            .exclude(action="dossier.rate")
            .order_by("at", "pk")
        ]
        assert audit == seeded_audit, seeded.code
