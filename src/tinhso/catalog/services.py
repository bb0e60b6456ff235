import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils.translation import pgettext_lazy

from tinhso.catalog.models import Procedure, ProcedureVersion
from tinhso.core.audit import audit_log_write
from tinhso.core.text import fold

# How the catalogue names the implementer of a procedure every commune carries out.
COMMUNE_LABEL = pgettext_lazy("implementing agency", "Commune People's Committee")


def procedure_snapshot(procedure: Procedure) -> dict[str, Any]:
    """Everything a dossier needs to be processed under this procedure's current rules."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field_id": procedure.field_id,
        "agency_id": procedure.agency_id,
        "at_communes": procedure.at_communes,
        "processing_days": str(procedure.processing_days),
        "online_level": procedure.online_level,
        "legal_basis": procedure.legal_basis,
        "result_description": procedure.result_description,
        "documents": [
            {
                "id": doc.pk,
                "name": doc.name,
                "case": doc.case,
                "forms": doc.forms,
                "originals": doc.originals,
                "copies": doc.copies,
                "required": doc.is_required,
            }
            for doc in procedure.documents.all()
        ],
        "fees": [
            {"name": fee.name, "amount": fee.amount, "note": fee.note, "channel": fee.channel}
            for fee in procedure.fees.all()
        ],
        "steps": [
            {
                "order": step.order,
                "name": step.name,
                "role_id": step.role_id,
                "role": step.role.name,
                "agency_id": step.agency_id,
                "at_desk": step.at_desk,
                "budget_days": str(step.budget_days),
            }
            for step in procedure.steps.select_related("role").order_by("order")
        ],
    }


def procedure_search_text(procedure: Procedure) -> str:
    """The folded text search looks in: name, code, field, agency, "commune" for a procedure the
    communes carry out, and the keywords (national agency names, results)."""
    parts = [procedure.name, procedure.code, procedure.field.name]
    if procedure.agency is not None:
        parts.append(procedure.agency.name)
    if procedure.at_communes:
        parts.append(str(COMMUNE_LABEL))
    parts.append(procedure.keywords)
    return fold(" ".join(parts))


@transaction.atomic
def procedure_version_publish(*, procedure: Procedure, actor: Any = None) -> ProcedureVersion:
    """Freeze the procedure's current rules as a new version, unless nothing changed.

    Dossiers already received keep the version they were received under.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    snapshot = procedure_snapshot(procedure)
    digest = hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    latest = procedure.versions.order_by("-number").first()
    search_text = procedure_search_text(procedure)
    search_name = fold(procedure.name)
    if latest and latest.content_hash == digest:
        if (
            procedure.current_version_id != latest.pk
            or procedure.search_text != search_text
            or procedure.search_name != search_name
        ):
            Procedure.objects.filter(pk=procedure.pk).update(
                current_version=latest, search_text=search_text, search_name=search_name
            )
        return latest
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=(latest.number + 1) if latest else 1,
        content_hash=digest,
        snapshot=snapshot,
    )
    Procedure.objects.filter(pk=procedure.pk).update(
        current_version=version, search_text=search_text, search_name=search_name
    )
    audit_log_write(
        actor=actor, action="procedure.version_publish", obj=procedure, version=version.number
    )
    return version
