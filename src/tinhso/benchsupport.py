"""Baseline views for the benchmarks in bench/ (mounted at /bench/ only when BENCH_ENDPOINTS).

They do the least Django can do for the same work, so that the real views' speed is measured as
a ratio to them on the same server in the same run. They check nothing: never enable them outside
a benchmark database.
"""

import uuid

from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tinhso.catalog.models import Procedure
from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile

_procedures: dict[str, Procedure] = {}


def _procedure(code: str) -> Procedure:
    if code not in _procedures:
        _procedures[code] = Procedure.objects.select_related("agency").get(code=code)
    return _procedures[code]


@csrf_exempt
def submit(request):
    """One dossier row, one event row and one file row, by plain ORM create."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    procedure = _procedure(request.POST["procedure"])
    desk_id = procedure.agency.served_by_id or procedure.agency_id
    upload = next(iter(request.FILES.values()))
    with transaction.atomic():
        dossier = Dossier.objects.create(
            code=f"BENCH-{uuid.uuid4().hex}",
            procedure=procedure,
            procedure_version_id=procedure.current_version_id,
            receiving_agency_id=desk_id,
            agency_id=procedure.agency_id,
            current_agency_id=desk_id,
            channel=2,
            applicant_kind="citizen",
            applicant_name=request.POST.get("applicant_name", ""),
        )
        event = DossierEvent.objects.create(
            dossier=dossier, action="submit", from_status=None, to_status=1
        )
        DossierFile.objects.create(
            dossier=dossier,
            event=event,
            kind="submission",
            file="bench/none.pdf",
            original_name=upload.name[:200],
            content_type="application/pdf",
            extension=".pdf",
            size=upload.size,
            sha256="0" * 64,
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
