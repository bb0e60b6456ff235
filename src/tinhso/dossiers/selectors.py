"""Reads of dossiers that more than one place needs, with their scoping and joins done."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tinhso.core.calendar import get_calendar
from tinhso.core.text import code_normalize, folded_q
from tinhso.dossiers.actions import SPECS
from tinhso.dossiers.constants import ACTIVE_STATUSES, FileKind, PaymentMethod, Status
from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile
from tinhso.org.selectors import officer_agency_id, officer_is_scoped, officer_sees_all

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tinhso.accounts.models import User


def dossier_tracking_url(dossier: Dossier) -> str:
    return settings.SITE_URL + reverse("portal:track") + f"?code={dossier.code}"


def _base() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "procedure", "procedure_version", "receiving_agency", "agency", "current_agency", "assignee"
    )


def dossier_list_for_officer(user: User | AnonymousUser) -> QuerySet[Dossier]:
    """The dossiers an officer may see: those received, implemented or now handled by their
    agency (``org.selectors`` says which). Province administrators see all; anyone else none."""
    if officer_sees_all(user):
        return _base()
    agency_id = officer_agency_id(user)
    if agency_id is None or not user.has_perm("dossiers.view_dossier"):
        return Dossier.objects.none()
    return _base().filter(
        Q(current_agency_id=agency_id) | Q(receiving_agency_id=agency_id) | Q(agency_id=agency_id)
    )


def dossier_queue(
    user: User, *, box: str = "agency", q: str = "", status: int | None = None
) -> QuerySet[Dossier]:
    """An officer's work queue. ``box``: mine, agency (to act on now), due_soon, overdue, all."""
    qs = dossier_list_for_officer(user)
    now = timezone.now()
    active = list(ACTIVE_STATUSES)
    agency_id = officer_agency_id(user)
    if box == "mine":
        qs = qs.filter(assignee=user).exclude(status__in=[3, 7, 8, 10])
    elif box == "agency":
        qs = qs.filter(status__in=[1, 2, 4, 5, 6, 9])
        if not officer_sees_all(user):
            # The desk also records the payments of the dossiers it received (status 6).
            qs = qs.filter(
                Q(current_agency_id=agency_id)
                | Q(receiving_agency_id=agency_id, status=Status.FINANCIAL_OBLIGATION)
            )
    elif box == "due_soon":
        soon = get_calendar().add_working_days(now, settings.DUE_SOON_WORKING_DAYS)
        qs = qs.filter(status__in=active, due_at__gt=now, due_at__lte=soon)
    elif box == "overdue":
        qs = qs.filter(status__in=active, due_at__lt=now)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = dossier_search(qs, q)
    if box in {"due_soon", "overdue", "agency", "mine"}:
        return qs.order_by("due_at", "pk")
    return qs.order_by("-submitted_at", "-pk")


def dossier_get_for_officer(user: User | AnonymousUser, pk: int) -> Dossier:
    return dossier_list_for_officer(user).get(pk=pk)


def dossier_list_for_applicant(user: User | AnonymousUser) -> QuerySet[Dossier]:
    if not user.is_authenticated:
        return Dossier.objects.none()
    return _base().filter(applicant=user)


def dossier_list_for_user(user: User | AnonymousUser) -> QuerySet[Dossier]:
    """The dossiers ``user`` may see: an officer those of their agency (all, for a province
    administrator), anyone else their own. (A dossier an officer registers for someone has no
    applicant account, so an officer never needs both.)"""
    if officer_is_scoped(user):
        return dossier_list_for_officer(user)
    return dossier_list_for_applicant(user)


def dossier_user_can_see(user: User | AnonymousUser, dossier: Any) -> bool:
    """Whether ``user`` may see the dossier's personal data and files (``dossier``: a
    ``Dossier``, or anything with its ``pk`` and ``applicant_id``)."""
    if not user.is_authenticated:
        return False
    if dossier.applicant_id == user.pk:
        return True
    return dossier_list_for_officer(user).filter(pk=dossier.pk).exists()


_CODE_PREFIX = re.compile(r"^[0-9A-Z]{2,3}\.[0-9A-Z]{2}\.")


def dossier_code_prefix(term: str) -> str | None:
    """The term as a dossier code prefix (``000.00.01.H30-2611…``, typed in any case, with
    spaces or a word processor's dashes), or None if it is not one."""
    code = code_normalize(term)
    return code if _CODE_PREFIX.match(code) else None


def dossier_search(qs: QuerySet[Dossier], term: str) -> QuerySet[Dossier]:
    """Narrow ``qs`` by a search term: a dossier code prefix is looked up on the code index;
    otherwise every word, folded (``core.text.fold``: case, diacritics and tone placement do
    not matter), must occur in the dossier's folded code, applicant or organisation name or ID
    number (``Dossier.search_text``). Only when no dossier matches so are the words looked for
    in the procedure's folded name, code and field: folded, "Đặng" is also "Đăng", and nearly
    every procedure's name starts with "Đăng ký"."""
    prefix = dossier_code_prefix(term or "")
    if prefix:
        return qs.filter(code__startswith=prefix)
    own = folded_q(term, "search_text")
    if own is None:
        return qs
    found = qs.filter(own)
    if found.exists():
        return found
    return qs.filter(folded_q(term, "procedure__search_text"))


TRACKING_COLUMNS = (
    "id",  # to find an open payment request; never shown
    "code",
    "status",
    "submitted_at",
    "received_at",
    "due_at",
    "new_due_at",
    "finished_at",
    "returned_at",
    "closed_at",
    "procedure__code",
    "procedure__name",
    "receiving_agency__name",
    "current_agency__name",
)


# The portal's tracking page shows a little more than the API (the channel, the implementing
# agency) and needs the ids that say whether a signed-in visitor may open the full dossier.
TRACKING_PAGE_COLUMNS = (
    *TRACKING_COLUMNS,
    "original_due_at",  # struck through next to an apology's new appointment
    "applicant_id",
    "channel",
    "agency__name",
    "receiving_agency_id",
    "current_agency_id",
)


def _tracking_queryset(
    code: str, columns: tuple[str, ...] = TRACKING_COLUMNS
) -> QuerySet[Dossier, dict[str, Any]]:
    qs: QuerySet[Dossier, dict[str, Any]] = Dossier.objects.filter(code=code).values(*columns)
    return qs.order_by()[:1]


@functools.cache
def _tracking_sql(columns: tuple[str, ...] = TRACKING_COLUMNS) -> str:
    sql, _params = _tracking_queryset("", columns).query.sql_with_params()
    return str(sql)


def _tracking_row(code: str, columns: tuple[str, ...]) -> dict[str, Any] | None:
    code = code_normalize(code)
    if connection.vendor != "postgresql":
        return next(iter(_tracking_queryset(code, columns)), None)
    with connection.cursor() as cursor:
        cursor.execute(_tracking_sql(columns), [code])
        row = cursor.fetchone()
    return dict(zip(columns, row, strict=True)) if row else None


def dossier_tracking_row(code: str) -> dict[str, Any] | None:
    """Public tracking as one flat row: the columns anyone holding the code may see, nothing
    personal.

    It is the busiest public read, so on PostgreSQL the ORM's SQL for it is compiled once and
    reused (compiling it took half the request's time); other databases go through the ORM,
    whose converters they need for dates. A test checks both give the same row.
    """
    return _tracking_row(code, TRACKING_COLUMNS)


def dossier_tracking_page_row(code: str) -> dict[str, Any] | None:
    """``dossier_tracking_row`` with what the portal's tracking page also shows
    (``TRACKING_PAGE_COLUMNS``: the channel, the implementing agency) and the ids it needs to
    decide whether a signed-in visitor may open the full dossier; the same compiled-once SQL."""
    return _tracking_row(code, TRACKING_PAGE_COLUMNS)


# --- the history as the applicant reads it --------------------------------------------------
def event_for_applicant(event: DossierEvent, slips: Collection[str]) -> dict[str, Any]:
    """What the applicant reads of one history entry, from the action's spec: its label, its
    comment only when the spec makes it public, and the form (01–05) it links to when that
    form is among ``slips`` (those the viewer may download now)."""
    spec = SPECS.get(event.action)
    if spec is None:
        return {"label": Status(event.to_status).label, "comment": "", "slip": None}
    return {
        "label": spec.citizen_label,
        "comment": event.comment if spec.public_comment else "",
        "slip": spec.slip if spec.slip in slips else None,
    }


# The files the applicant sees: what they handed in (the submission and its supplements) and the
# result once the dossier is finished; the officers' own attachments (a report sent on with
# ``forward``) stay inside the agencies. The portal's page, the API's detail and the download
# view all ask here, as they ask ``event_for_applicant`` for the history.
APPLICANT_FILE_KINDS = frozenset({FileKind.SUBMISSION, FileKind.SUPPLEMENT, FileKind.RESULT})
RESULT_SHOWN_IN = frozenset({Status.FINISHED, Status.RETURNED})


def file_shown_to_applicant(file: DossierFile, dossier: Dossier) -> bool:
    """Whether the applicant (or anyone who is not an officer of the dossier) sees ``file``."""
    if file.kind not in APPLICANT_FILE_KINDS:
        return False
    return file.kind != FileKind.RESULT or dossier.status in RESULT_SHOWN_IN


def dossier_files_for_applicant(dossier: Dossier) -> list[DossierFile]:
    """The dossier's files the applicant sees, oldest first (prefetched ``files`` are used)."""
    return [f for f in dossier.files.all() if file_shown_to_applicant(f, dossier)]


def dossier_timeline_for_applicant(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's history for the applicant, oldest first, with each entry's slip form."""
    from tinhso.dossiers.slips import slip_available

    events = list(dossier.events.select_related("agency").order_by("at", "pk"))
    wanted = {SPECS[e.action].slip for e in events if e.action in SPECS and SPECS[e.action].slip}
    slips = {form for form in wanted if form and slip_available(dossier, form, officer=False)}
    rows = []
    for event in events:
        row = event_for_applicant(event, slips)
        row.update(
            at=event.at,
            action=event.action,
            status=Status(event.to_status).label if event.to_status else "",
            agency=event.agency.name if event.agency else "",
        )
        rows.append(row)
    return rows


# --- fees and financial obligations --------------------------------------------------------
def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def payment_request_open(dossier_id: int, status: int) -> dict[str, Any] | None:
    """What the applicant is asked to pay while the dossier waits for it (status 6), from the
    latest ``request_payment`` entry: ``amount`` (VND), ``purpose``, ``pay_at`` (how and
    where), ``bank_details`` (may be ""), ``pay_by`` and ``requested_at`` (aware datetimes).
    Public: the tracking page shows it. ``None`` in any other status."""
    if status != Status.FINANCIAL_OBLIGATION:
        return None
    event = (
        DossierEvent.objects.filter(dossier_id=dossier_id, action="request_payment")
        .order_by("-at", "-pk")
        .only("at", "data")
        .first()
    )
    if event is None:
        return None
    data = event.data or {}
    return {
        "amount": data.get("amount", 0),
        "purpose": data.get("purpose", ""),
        "pay_at": data.get("pay_at", ""),
        "bank_details": data.get("bank_details", ""),
        "pay_by": _moment(data.get("pay_by")),
        "requested_at": event.at,
    }


def payment_received(dossier: Dossier) -> dict[str, Any] | None:
    """The latest payment recorded (``confirm_payment``): ``amount``, ``method`` and its label,
    ``reference`` (the receipt number) and ``at``; for the applicant and the officers only."""
    if dossier.fee_paid_at is None:
        return None
    event = dossier.events.filter(action="confirm_payment").order_by("-at", "-pk").first()
    if event is None:
        return None
    data = event.data or {}
    method = data.get("method", "")
    return {
        "amount": data.get("amount") or dossier.fee_amount,
        "method": method,
        "method_label": PaymentMethod(method).label if method in PaymentMethod.values else "",
        "reference": data.get("reference", ""),
        "at": event.at,
    }
