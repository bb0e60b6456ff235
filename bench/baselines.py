"""Baseline views for the benchmarks in bench/, mounted at /bench/ by bench.settings only.

They do the least Django can do for the same work, so that the real views' speed is measured as
a ratio to them on the same server in the same run. They check nothing: never enable them outside
a benchmark database.
"""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from tinhso.accounts.tokens import token_for_key
from tinhso.catalog.models import Procedure
from tinhso.core.models import AuditLog
from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile, IdempotencyKey
from tinhso.dossiers.services import dossier_code_allocate

_procedures: dict[str, Procedure] = {}


def _procedure(code: str) -> Procedure:
    if code not in _procedures:
        _procedures[code] = Procedure.objects.select_related("agency").get(code=code)
    return _procedures[code]


@csrf_exempt
def submit(request):
    """The same inserts as a real submission, by plain ORM create, checking nothing.

    A real submission writes: the day's counter (the gap-free code), the dossier, its first
    history event, one file row per document with the file itself in storage, the audit row,
    and the Idempotency-Key row (since the domain events, a submission enqueues no notification:
    the applicant is told when the desk receives it). So does this view, with none of the
    parsing, validation, permission checks or serialisation around them.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    procedure = _procedure(request.POST["procedure"])
    desk = procedure.agency.served_by or procedure.agency
    user = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Token "):
        token = token_for_key(header[6:])
        user = token.user if token else None
    uploads = request.FILES.getlist("documents") or list(request.FILES.values())
    with transaction.atomic():
        dossier = Dossier.objects.create(
            code=dossier_code_allocate(agency=desk, day=timezone.localdate()),
            procedure=procedure,
            procedure_version_id=procedure.current_version_id,
            receiving_agency_id=desk.pk,
            agency_id=procedure.agency_id,
            current_agency_id=desk.pk,
            channel=2,
            applicant_kind="citizen",
            applicant_name=request.POST.get("applicant_name", ""),
        )
        event = DossierEvent.objects.create(
            dossier=dossier, action="submit", from_status=None, to_status=1
        )
        for upload in uploads:
            record = DossierFile(
                dossier=dossier,
                event=event,
                kind="submission",
                original_name=upload.name[:200],
                content_type="application/pdf",
                extension=".pdf",
                size=upload.size,
                sha256=uuid.uuid4().hex * 2,
            )
            record.file.save("upload", ContentFile(upload.read()), save=False)
            record.save()
        AuditLog.objects.create(
            actor=user,
            action="dossier.submit",
            object_type="dossiers.dossier",
            object_id=str(dossier.pk),
            object_repr=dossier.code,
        )
        if user is not None:
            IdempotencyKey.objects.create(
                user=user, key=uuid.uuid4().hex, request_hash="0", dossier=dossier
            )
    return JsonResponse({"code": dossier.code}, status=201)


def track(request, code: str):
    """One indexed SELECT by code, as JSON."""
    row = (
        Dossier.objects.filter(code=code)
        .values("code", "status", "submitted_at", "due_at", "finished_at")
        .first()
    )
    if row is None:
        return JsonResponse({"detail": "not found"}, status=404)
    return JsonResponse(row)


urlpatterns = [
    path("submit/", submit, name="bench-submit"),
    path("track/<str:code>/", track, name="bench-track"),
]
