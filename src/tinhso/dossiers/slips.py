"""The one-stop-shop forms of a dossier as PDF (the 2018 set of Circular 01/2018/TT-VPCP).

01 receipt and appointment · 02 request to supplement · 03 refusal · 04 apology and new
appointment · 05 process control sheet. The forms are Vietnamese legal texts, so their wording
lives in Vietnamese in ``templates/dossiers/slips/``; this module gathers the facts they show.
Every slip carries a QR code to the public tracking page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tinhso.core import numbers
from tinhso.core.calendar import get_calendar
from tinhso.dossiers.constants import Status
from tinhso.dossiers.models import ApologyLetter, Dossier, DossierEvent
from tinhso.dossiers.selectors import dossier_list_for_officer, dossier_tracking_url
from tinhso.org.models import Agency
from tinhso.org.roles import ROLE_LABELS

FORMS = {
    "01": "receipt",
    "02": "supplement",
    "03": "refusal",
    "04": "apology",
    "05": "control",
}
OFFICER_ONLY_FORMS = {"05"}


class SlipUnavailable(Exception):
    """The dossier has no such slip (yet): for example no refusal to print."""


# --- Vietnamese dates ----------------------------------------------------------------------------
def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def vn_date(value: dt.datetime | dt.date | None) -> str:
    """``ngày 05 tháng 11 năm 2026`` in local time."""
    if value is None:
        return "ngày … tháng … năm …"
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def vn_datetime(value: dt.datetime | None) -> str:
    """``09 giờ 30 phút, ngày 05 tháng 11 năm 2026`` in local time."""
    if value is None:
        return "… giờ … phút, ngày … tháng … năm …"
    local = _local(value)
    return f"{local:%H} giờ {local:%M} phút, {vn_date(local)}"


def vn_short(value: dt.datetime | None) -> str:
    """``09:30 05/11/2026`` in local time, for tables."""
    return f"{_local(value):%H:%M %d/%m/%Y}" if value else ""


def place_name() -> str:
    """The place line of a form: "Cần Thơ" for "Thành phố Cần Thơ"."""
    name = getattr(settings, "PROVINCE_PLACE", "") or settings.PROVINCE_NAME
    for prefix in ("Thành phố ", "Tỉnh ", "TP. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


# --- who may have which slip ---------------------------------------------------------------------
def _last_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return (
        dossier.events.filter(action=action)
        .select_related("actor", "agency")
        .order_by("-at", "-pk")
        .first()
    )


def _letter(dossier: Dossier, *, drafts: bool) -> ApologyLetter | None:
    letters = dossier.apology_letters.select_related("issued_by").order_by("-drafted_at", "-pk")
    issued = letters.filter(status=ApologyLetter.Status.ISSUED).first()
    if issued or not drafts:
        return issued
    return letters.first()


def user_is_officer_for(user, dossier: Dossier) -> bool:
    return user.is_authenticated and dossier_list_for_officer(user).filter(pk=dossier.pk).exists()


def slip_available(dossier: Dossier, form: str, *, officer: bool = False) -> bool:
    """Whether the slip makes sense for the dossier now (``officer``: the viewer is one)."""
    if form == "01":
        return dossier.received_at is not None
    if form == "02":
        return dossier.events.filter(action="request_supplement").exists()
    if form == "03":
        return dossier.status == Status.REFUSED
    if form == "04":
        return _letter(dossier, drafts=officer) is not None
    if form == "05":
        return officer
    return False


def slips_available(dossier: Dossier, user) -> list[str]:
    """The forms ``user`` (already allowed to see the dossier) may print, for links."""
    officer = user_is_officer_for(user, dossier)
    return [form for form in FORMS if slip_available(dossier, form, officer=officer)]


# --- what each slip shows ------------------------------------------------------------------------
def _agency_header(agency: Agency) -> dict:
    if agency.parent is not None:
        upper = agency.parent.name
    elif agency.kind == Agency.Kind.PEOPLES_COMMITTEE:
        upper = ""
    else:
        upper = f"Ủy ban nhân dân {settings.PROVINCE_NAME}"
    return {"upper": upper.upper(), "name": agency.name.upper()}


def _qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def _person(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or str(user)


def _receipt(dossier: Dossier, extra: dict) -> dict:
    event = _last_event(dossier, "receive")
    checked = set((event.data or {}).get("checklist", [])) if event else set()
    documents = []
    for doc in dossier.procedure_version.documents:
        if checked and doc["id"] not in checked:
            continue
        files = dossier.files.filter(document_id=doc["id"]).count()
        documents.append({**doc, "files": files})
    return {
        "agency": dossier.receiving_agency,
        "issued_at": dossier.received_at,
        "documents": documents,
        "processing_days": numbers.number(dossier.procedure_version.snapshot["processing_days"]),
        "received_at": vn_datetime(dossier.received_at),
        # The appointment given at reception, even after an apology letter moved it.
        "due_at": vn_datetime(dossier.original_due_at or dossier.due_at),
        "officer": _person(event.actor) if event else "",
    }


def _supplement(dossier: Dossier, extra: dict) -> dict:
    event = _last_event(dossier, "request_supplement")
    return {
        "agency": (event.agency if event and event.agency else dossier.current_agency),
        "issued_at": event.at if event else None,
        "reason": event.comment if event else "",
        "documents": (event.data or {}).get("document_names", []) if event else [],
        "officer": _person(event.actor) if event else "",
        "requested_on": vn_date(event.at if event else None),
        "received_on": vn_date(dossier.received_at or dossier.submitted_at),
    }


def _refusal(dossier: Dossier, extra: dict) -> dict:
    event = _last_event(dossier, "refuse")
    return {
        "agency": dossier.receiving_agency,
        "issued_at": event.at if event else dossier.closed_at,
        "reason": event.comment if event else "",
        "officer": _person(event.actor) if event else "",
        "submitted_on": vn_date(dossier.submitted_at),
    }


def _apology(dossier: Dossier, extra: dict) -> dict:
    # slip_context builds form 04 only when a letter is given or slip_available found one.
    letter = cast(ApologyLetter, extra.get("letter") or _letter(dossier, drafts=True))
    officer = getattr(letter.issued_by, "officer", None) if letter.issued_by else None
    return {
        "agency": officer.agency if officer else dossier.current_agency,
        "issued_at": letter.issued_at or timezone.now(),
        "letter": letter,
        "is_draft": letter.status == ApologyLetter.Status.DRAFT,
        "received_on": vn_date(dossier.received_at),
        "due_on": vn_datetime(dossier.original_due_at or dossier.due_at),  # the one missed
        "new_due_on": vn_datetime(letter.new_due_at),
        "processing_days": numbers.number(dossier.procedure_version.snapshot["processing_days"]),
    }


# Events that move the dossier into a step, leave it, pause or resume its clock.
_PAUSES = {Status.SUPPLEMENT_REQUESTED}
_STEP_STATUSES = {Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL_OBLIGATION}


def step_passages(dossier: Dossier) -> list[dict]:
    """Each passage of the dossier through a step of its internal process, from its history:
    ``index`` of the step, ``entered_at``, ``handed_by``, ``paused`` (office seconds waiting for
    the applicant), ``done_at``, ``done_by`` and ``done_event`` (the history entry that ended it,
    ``None`` while it lasts).

    A visit starts when the dossier enters the step and ends when it leaves it. A step visited
    twice (sent back) appears twice.
    """
    steps = dossier.steps
    return_index = next((i for i in range(len(steps) - 1, -1, -1) if steps[i].get("at_desk")), None)
    visits: list[dict] = []
    current: dict | None = None

    def close(event: DossierEvent) -> None:
        nonlocal current
        if current is not None:
            current["done_at"] = event.at
            current["done_by"] = event.actor
            current["done_event"] = event
            current = None

    def open_(index: int, event: DossierEvent) -> None:
        nonlocal current
        current = {
            "index": index,
            "entered_at": event.at,
            "paused": 0.0,
            "done_at": None,
            "done_event": None,
        }
        current["handed_by"] = event.actor
        visits.append(current)

    events = dossier.events.select_related("actor").order_by("at", "pk")
    for event in events:
        data = event.data or {}
        if event.to_status in _PAUSES or event.action in {"reassign", "apology", "submit"}:
            continue
        if event.action in {"supplement", "confirm_payment"} and current is not None:
            current["paused"] += float(data.get("paused_seconds", 0))
            if event.to_status in _STEP_STATUSES and event.step_index == current["index"]:
                continue
        if event.to_status in _STEP_STATUSES and event.step_index is not None:
            if current is None or current["index"] != event.step_index:
                close(event)
                open_(event.step_index, event)
            elif event.action == "send_back":
                close(event)
                open_(event.step_index, event)
        elif event.to_status == Status.FINISHED:
            last = current["index"] if current else -1
            close(event)
            if return_index is not None and return_index > last:
                open_(return_index, event)
        else:  # returned, refused, withdrawn, stopped
            close(event)

    return visits


def step_visits(dossier: Dossier, *, now: dt.datetime | None = None) -> list[dict]:
    """Form 05's rows: each passage through a step (``step_passages``) with its deadline and
    whether it was done early, on time or late, formatted for the form."""
    from tinhso.dossiers.services import step_agency_id

    now = now or timezone.now()
    cal = get_calendar()
    steps = dossier.steps
    visits = step_passages(dossier)
    agency_ids = {step_agency_id(dossier, visit["index"]) for visit in visits}
    agencies = Agency.objects.in_bulk(agency_ids)
    rows = []
    for number, visit in enumerate(visits, start=1):
        step = steps[visit["index"]]
        due = cal.add_working_days(visit["entered_at"], Decimal(step["budget_days"]))
        if visit["paused"]:
            due = cal.add_working_time(due, visit["paused"])
        done = visit["done_at"]
        if done is None:
            result = "overdue" if now > due else "in_progress"
        elif done > due:
            result = "late"
        elif _local(done).date() < _local(due).date():
            result = "early"
        else:
            result = "on_time"
        agency = agencies.get(step_agency_id(dossier, visit["index"]))
        rows.append(
            {
                "number": number,
                "name": step["name"],
                "agency": agency.name if agency else "",
                "role": str(ROLE_LABELS.get(step.get("role"), step.get("role", ""))),
                "budget_days": numbers.number(step["budget_days"]),
                "entered_at": vn_short(visit["entered_at"]),
                "handed_by": _person(visit["handed_by"]),
                "due_at": vn_short(due),
                "done_at": vn_short(done),
                "done_by": _person(visit["done_by"]) if done else "",
                "result": result,
            }
        )
    return rows


def _control(dossier: Dossier, extra: dict) -> dict:
    return {
        "agency": dossier.receiving_agency,
        "issued_at": dossier.received_at or dossier.submitted_at,
        "rows": step_visits(dossier),
        "implementing_agency": dossier.agency,
        "received_at": vn_datetime(dossier.received_at),
        "due_at": vn_datetime(dossier.due_at),
    }


_BUILDERS = {
    "01": _receipt,
    "02": _supplement,
    "03": _refusal,
    "04": _apology,
    "05": _control,
}


def slip_context(dossier: Dossier, form: str, **extra) -> dict:
    if form not in _BUILDERS:
        raise SlipUnavailable(form)
    if not slip_available(dossier, form, officer=True) and "letter" not in extra:
        raise SlipUnavailable(form)
    context = _BUILDERS[form](dossier, extra)
    tracking_url = dossier_tracking_url(dossier)
    context.update(
        dossier=dossier,
        form=form,
        header=_agency_header(context["agency"]),
        place=place_name(),
        place_date=vn_date(context.get("issued_at") or timezone.now()),
        tracking_url=tracking_url,
        qr=_qr_data_uri(tracking_url),
        province_name=settings.PROVINCE_NAME,
        printed_at=vn_short(timezone.now()),
    )
    return context


def slip_html(dossier: Dossier, form: str, **extra) -> str:
    with translation.override("vi"):
        context = slip_context(dossier, form, **extra)
        return render_to_string(f"dossiers/slips/{form}_{FORMS[form]}.html", context)


def slip_pdf(dossier: Dossier, form: str, **extra) -> bytes:
    """The slip ``form`` ("01"…"05") of the dossier as an A4 PDF.

    Raises ``SlipUnavailable`` when the dossier has no such slip. Whether the *viewer* may have
    it (form 05 only for officers, 04 drafts only for officers) is the caller's check
    (``slip_available`` with ``officer``).
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = slip_html(dossier, form, **extra)
    # Everything a slip shows is inline: never fetch a URL or a local file while rendering.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
