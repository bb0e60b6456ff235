"""The officer back office: work queue, dossier page with its actions, desk registration and
statistics. Reads go through ``tinhso.dossiers.selectors``; writes through its services."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tinhso.catalog import selectors as catalog_selectors
from tinhso.catalog.models import ProcedureVersion
from tinhso.core.calendar import get_calendar
from tinhso.core.errors import ConflictError, TransitionError
from tinhso.core.excel import (
    XLSX_CONTENT_TYPE,
    columns_fit,
    header_style,
    sheet_append,
    sheet_title,
    workbook_bytes,
)
from tinhso.core.numbers import EXCEL_INTEGER, EXCEL_ONE_DECIMAL
from tinhso.core.request_guard import accepts_uploads
from tinhso.dossiers import effects, selectors, services
from tinhso.dossiers.actions import SPECS
from tinhso.dossiers.constants import ACTIVE_STATUSES, Status
from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile
from tinhso.dossiers.slips import slips_available
from tinhso.office import forms
from tinhso.office.charts import bar_chart
from tinhso.office.selectors import statistics_dossiers_cached
from tinhso.org.models import Agency
from tinhso.org.selectors import officer_acts_for, officer_agency_id, officer_sees_all

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50
MAX_PAGE = 200
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
# What a row of the queue shows.
QUEUE_ROW_FIELDS = (
    "code",
    "status",
    "due_at",
    "received_at",
    "applicant_name",
    "step_index",
    "procedure_version_id",
    "procedure__name",
    "assignee__username",
    "assignee__full_name",
    "assignee__first_name",
    "assignee__last_name",
)
# Tab counts stop at this number ("1000+"): counting a whole province's dossiers on every page
# view would cost more than the list itself.
COUNT_CAP = 1000


def _login_url() -> str:
    try:
        return reverse(settings.LOGIN_URL)
    except NoReverseMatch:
        return "/accounts/login/"


def is_officer(user) -> bool:
    if officer_sees_all(user):
        return True
    return officer_agency_id(user) is not None and user.has_perm("dossiers.view_dossier")


def officer_required(view=None, *, perm: str | None = None):
    """Anonymous users go to the login page; signed-in non-officers get 403."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), _login_url())
            if not is_officer(request.user):
                raise PermissionDenied
            if perm and not request.user.has_perm(perm):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view else decorate


def _url_or_none(name: str, *args) -> str | None:
    """Links to views another app provides, tolerated while they do not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- the work queue ------------------------------------------------------------------------------
TABS = [
    ("mine", gettext_lazy("Assigned to me")),
    ("agency", gettext_lazy("My agency's (to act on)")),
    ("due_soon", gettext_lazy("Due soon")),
    ("overdue", gettext_lazy("Overdue")),
    ("all", gettext_lazy("All")),
]
# The orders a person may choose (``forms.QUEUE_SORTS``). Without a choice the work tabs go by
# the appointment (overdue first, then the earliest due: the selector's order, which the
# partial indexes answer) and "all" by the newest registration.
QUEUE_ORDERS = {
    "due": (F("due_at").asc(nulls_last=True), "pk"),
    "received": (F("received_at").asc(nulls_last=True), "pk"),
    "-received": (F("received_at").desc(nulls_last=True), "-pk"),
}


def _capped_count(qs) -> tuple[int, bool]:
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(count, COUNT_CAP), count > COUNT_CAP


def _deadline_badge(dossier: Dossier, now, soon) -> str:
    if not dossier.due_at or dossier.status not in ACTIVE_STATUSES:
        return ""
    if dossier.due_at < now:
        return "overdue"
    if dossier.due_at <= soon:
        return "due_soon"
    return ""


@require_GET
@officer_required
def queue(request):
    user = request.user
    tab_names = [name for name, _label in TABS]
    box = request.GET.get("tab", "agency")
    if box not in tab_names:
        box = "agency"
    filters = forms.QueueFilterForm(request.GET or None, user=user)
    filters.is_valid()  # a filter that does not validate is shown as an error and ignored
    valid = getattr(filters, "cleaned_data", {})
    q, status = valid.get("q"), valid.get("status")
    sort = valid.get("sort") or ""

    def tab_qs(name):
        qs = selectors.dossier_queue(user, box=name, status=status)
        qs = selectors.dossier_search(qs, q or "")
        return filters.apply(qs)

    qs = tab_qs(box)
    if sort in QUEUE_ORDERS:
        qs = qs.order_by(*QUEUE_ORDERS[sort])
    elif box == "agency" and officer_sees_all(user):
        # Every open dossier of the province: read them all from the small open-dossier index
        # and keep the first by deadline, rather than walk the whole due_at index in order.
        qs = qs.order_by(Coalesce("due_at", Value(FAR_FUTURE, output_field=DateTimeField())), "pk")
    elif box == "all":
        # Newest registrations first, along the primary key index (ordering by submitted_at
        # would sort the agency's whole history). The other tabs keep the selector's deadline
        # order, which the partial indexes on open dossiers answer directly.
        # A code prefix search finds its few rows on the code index, then sorts them.
        qs = qs.order_by(
            *(("-submitted_at", "-pk") if selectors.dossier_code_prefix(q or "") else ("-pk",))
        )
    try:
        # Deep pages cost a scan of everything before them: past MAX_PAGE, search or filter.
        page_number = min(MAX_PAGE, max(1, int(request.GET.get("page", 1))))
    except ValueError:
        page_number = 1
    offset = (page_number - 1) * PAGE_SIZE
    # Pick the page's ids on the dossier table alone, then join the names for those rows only:
    # sorting thousands of joined rows (with procedure snapshots) costs far more.
    ids = list(qs.values_list("pk", flat=True)[offset : offset + PAGE_SIZE + 1])
    by_id = (
        selectors.dossier_list_for_officer(user)
        .select_related(None)
        .select_related("procedure", "assignee")
        .only(*QUEUE_ROW_FIELDS)
        .in_bulk(ids)
    )
    rows = [by_id[pk] for pk in ids if pk in by_id]
    has_next = len(ids) > PAGE_SIZE
    tabs = []
    for name, label in TABS:
        if name == box and page_number == 1 and not has_next:
            count, more = len(ids), False  # the page holds them all: no need to count
        else:
            count, more = _capped_count(tab_qs(name))
        tabs.append({"name": name, "label": label, "count": count, "more": more})
    # Each procedure version (with its steps) once, not once per row.
    versions = ProcedureVersion.objects.only("snapshot").in_bulk(
        {dossier.procedure_version_id for dossier in rows}
    )
    rows = rows[:PAGE_SIZE]
    now = timezone.now()
    soon = get_calendar().add_working_days(now, settings.DUE_SOON_WORKING_DAYS)
    for dossier in rows:
        dossier.procedure_version = versions[dossier.procedure_version_id]
        dossier.deadline_badge = _deadline_badge(dossier, now, soon)
        step = dossier.current_step
        dossier.step_name = step["name"] if step else ""

    params = request.GET.copy()
    params.pop("page", None)
    params.pop("tab", None)
    base_query = params.urlencode()

    def page_link(number):
        return (
            "?" + urlencode({"tab": box, "page": number}) + ("&" + base_query if base_query else "")
        )

    return render(
        request,
        "office/queue.html",
        {
            "tabs": tabs,
            "box": box,
            "base_query": base_query,
            "filters": filters,
            "field_choices": filters.fields["field"].queryset.only("pk", "name"),
            "procedure_choices": filters.fields["procedure"].queryset,
            "dossiers": rows,
            "page_number": page_number,
            "previous_url": page_link(page_number - 1) if page_number > 1 else None,
            "next_url": page_link(page_number + 1) if has_next else None,
            "can_register": user.has_perm("dossiers.receive_dossier"),
            "can_see_stats": user.has_perm("dossiers.view_statistics"),
        },
    )


# --- the dossier page ----------------------------------------------------------------------------
def _get_dossier(user, pk: int) -> Dossier:
    try:
        return selectors.dossier_get_for_officer(user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


SLIP_TITLES = {
    "01": gettext_lazy("Receipt and appointment slip"),
    "02": gettext_lazy("Request to supplement the dossier"),
    "03": gettext_lazy("Refusal slip"),
    "04": gettext_lazy("Apology and new appointment"),
    "05": gettext_lazy("Process control sheet"),
}


def _slips(dossier: Dossier, user) -> list[tuple[str, StrOrPromise, str]]:
    """(number, title, url) of the one-stop forms that apply to the dossier now."""
    slips = []
    for number in slips_available(dossier, user):
        url = _url_or_none("dossiers:slip", dossier.pk, number)
        if url:
            slips.append((number, SLIP_TITLES.get(number, number), url))
    return slips


def _file_url(dossier: Dossier, file) -> str | None:
    return _url_or_none("dossiers:file", dossier.pk, file.pk)


@dataclass(frozen=True)
class _EventRow:
    """One line of the dossier's history: the event and the labels and links the page shows."""

    event: DossierEvent
    from_label: StrOrPromise
    to_label: StrOrPromise
    action_label: StrOrPromise
    file_links: list[tuple[DossierFile, str | None]]
    step_agency: str


def _dossier_context(request, dossier: Dossier, bound: dict | None = None) -> dict:
    user = request.user
    allowed = services.dossier_allowed_actions(dossier=dossier, actor=user)
    action_forms = []
    for action in allowed:
        form_class = forms.ACTION_FORMS.get(action)
        if form_class is None:
            continue
        form = (bound or {}).get(action) or form_class(dossier=dossier, prefix=action)
        action_forms.append(
            {
                "action": action,
                "label": SPECS[action].officer_label,
                "form": form,
                "careful": SPECS[action].careful,
                "open": bool(bound and action in bound),
            }
        )
    # Each event names the agency of whoever acted (``DossierEvent.agency``); where the dossier
    # went is the agency of the step it reached.
    agency_names = dict(
        Agency.objects.filter(
            pk__in={effects.step_agency_id(dossier, i) for i in range(len(dossier.steps))}
        ).values_list("pk", "name")
    )
    events = [
        _EventRow(
            event=event,
            from_label=Status(event.from_status).label if event.from_status else "",
            to_label=Status(event.to_status).label,
            action_label=spec.officer_label if (spec := SPECS.get(event.action)) else event.action,
            file_links=[(f, _file_url(dossier, f)) for f in event.files.all()],
            step_agency=_step_agency_name(dossier, event.step_index, agency_names),
        )
        for event in DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor", "agency")
        .prefetch_related("files")
        .order_by("at", "pk")
    ]
    files = [(f, _file_url(dossier, f)) for f in dossier.files.all()]
    steps = []
    current = dossier.current_step
    for index, step in enumerate(dossier.steps):
        steps.append(
            {
                "number": index + 1,
                "name": step["name"],
                "budget_days": step["budget_days"],
                "current": (current is not None or dossier.status == Status.FINISHED)
                and index == dossier.step_index,
                "done": index < dossier.step_index or dossier.status == Status.RETURNED,
            }
        )
    return {
        "dossier": dossier,
        "status_label": Status(dossier.status).label,
        "steps": steps,
        "current_step": current,
        "events": events,
        "files": files,
        "fees": dossier.procedure_version.snapshot.get("fees", []),
        "payment_request": selectors.payment_request_open(dossier.pk, dossier.status),
        "payment": selectors.payment_received(dossier),
        "slips": _slips(dossier, user),
        "action_forms": action_forms,
        "apology": _apology_context(dossier, user, bound=(bound or {}).get("apology")),
    }


def _step_agency_name(dossier: Dossier, index: int | None, names: dict[int, str]) -> str:
    if index is None or not 0 <= index < len(dossier.steps):
        return ""
    return names.get(effects.step_agency_id(dossier, index), "")


def _may_apologise(dossier: Dossier, user) -> bool:
    if not (dossier.is_overdue and user.has_perm("dossiers.process_dossier")):
        return False
    return officer_sees_all(user) or officer_acts_for(user, dossier.current_agency_id)


def _apology_context(dossier: Dossier, user, bound=None) -> dict | None:
    """The apology (form 04) of an overdue dossier: the letter in force, or a form to issue one."""
    issued = (
        dossier.apology_letters.filter(status="issued", new_due_at__gt=timezone.now())
        .order_by("-issued_at")
        .first()
    )
    if issued:
        return {"issued": issued}
    if not _may_apologise(dossier, user):
        return None
    if bound is None:
        proposed = services.apology_propose_due(dossier)
        bound = forms.ApologyForm(
            prefix="apology", initial={"new_due_on": timezone.localtime(proposed).date()}
        )
    return {"form": bound, "open": bound.is_bound}


@require_GET
@officer_required
def dossier_detail(request, pk: int):
    dossier = _get_dossier(request.user, pk)
    return render(request, "office/dossier.html", _dossier_context(request, dossier))


@require_POST
@officer_required
@accepts_uploads
def dossier_action(request, pk: int, action: str):
    dossier = _get_dossier(request.user, pk)
    form_class = forms.ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, dossier=dossier, prefix=action)
    if form.is_valid():
        try:
            services.dossier_act(
                dossier=dossier, action=action, actor=request.user, **form.params()
            )
        except ConflictError:
            messages.error(
                request,
                _(
                    "Someone else has changed this dossier since you opened it. "
                    "Nothing was saved: check the dossier below and try again."
                ),
            )
            return redirect("office:dossier", pk=dossier.pk)
        except (TransitionError, PermissionDenied, ValidationError) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Done: %(action)s.") % {"action": SPECS[action].officer_label},
            )
            if not selectors.dossier_list_for_officer(request.user).filter(pk=pk).exists():
                # Handed on to another agency: this officer no longer sees it.
                return redirect("office:queue")
            return redirect("office:dossier", pk=dossier.pk)
    dossier = _get_dossier(request.user, pk)
    context = _dossier_context(request, dossier, bound={action: form})
    if any(item["action"] == action for item in context["action_forms"]):
        messages.error(request, _("The action was not carried out: see the form below."))
    else:  # not offered to this officer now: there is no form below, so say why here
        reasons = " ".join(str(error) for error in form.non_field_errors()) or _(
            "This action is not available to you at this step."
        )
        messages.error(
            request, _("The action was not carried out: %(reason)s") % {"reason": reasons}
        )
    return render(request, "office/dossier.html", context, status=400)


@require_POST
@officer_required
def dossier_apology(request, pk: int):
    """Issue the apology letter (form 04) of an overdue dossier with a new appointment."""
    dossier = _get_dossier(request.user, pk)
    form = forms.ApologyForm(request.POST, prefix="apology")
    if form.is_valid():
        try:
            services.apology_draft_issue(
                dossier=dossier,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                new_due_at=form.cleaned_data["new_due_on"],
            )
        except (TransitionError, PermissionDenied, ValidationError) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The apology letter has been issued."))
            return redirect("office:dossier", pk=dossier.pk)
    dossier = _get_dossier(request.user, pk)
    context = _dossier_context(request, dossier, bound={"apology": form})
    messages.error(request, _("The action was not carried out: see the form below."))
    return render(request, "office/dossier.html", context, status=400)


def _error_text(error: Exception) -> str:
    if isinstance(error, TransitionError):
        return str(error.message)
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error) or _("Your role does not allow this action.")


# --- desk registration ---------------------------------------------------------------------------
def _desk_implementer(request, procedure):
    """A procedure the communes carry out, received at a commune People's Committee's desk, is
    carried out by that committee; otherwise by the procedure's own agency."""
    if not procedure.at_communes:
        return None
    own = officer_agency_id(request.user)
    return catalog_selectors.implementing_agencies(procedure).filter(pk=own).first()


@officer_required(perm="dossiers.receive_dossier")
@accepts_uploads
def desk_new(request):
    chooser = forms.DeskProcedureForm(request.GET or None, user=request.user)
    if not chooser.is_bound or not chooser.is_valid():
        return render(request, "office/desk_choose.html", {"chooser": chooser})
    procedure = chooser.cleaned_data["procedure"]
    form = forms.DeskRegistrationForm(
        request.POST or None, request.FILES or None, procedure=procedure
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_submit(
                actor=request.user,
                **form.service_params(),
                agency=_desk_implementer(request, procedure),
            )
        except (TransitionError, PermissionDenied, ValidationError) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Dossier %(code)s registered: %(status)s.")
                % {"code": dossier.code, "status": Status(dossier.status).label},
            )
            return redirect("office:dossier", pk=dossier.pk)
    return render(
        request,
        "office/desk_form.html",
        {"procedure": procedure, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- statistics ----------------------------------------------------------------------------------
def _statistics(request):
    filters = forms.StatsFilterForm(request.GET or None, user=request.user)
    data = statistics_dossiers_cached(
        request.user, year=filters.selected_year(), agency_id=filters.selected_agency_id()
    )
    return filters, data


@require_GET
@officer_required(perm="dossiers.view_statistics")
def stats(request):
    filters, data = _statistics(request)
    chart = bar_chart(
        [
            (
                month.strftime("%m"),
                row.early + row.on_time,
                row.late,
                row.received - row.finished,
            )
            for month, row in data.by_month
        ],
        series=[_("Finished early or on time"), _("Finished late"), _("Not finished")],
        title=_("Dossiers received in %(year)s, by month") % {"year": data.year},
    )
    return render(
        request,
        "office/stats.html",
        {
            "filters": filters,
            "data": data,
            "chart": chart,
            "sees_all": officer_sees_all(request.user),
        },
    )


@require_GET
@officer_required(perm="dossiers.view_statistics")
def stats_export(request):
    """The statistics page as a workbook: two sheets (by agency, by month), each with a title,
    the agencies it covers, the period and when it was counted above its table; every name is
    written as text (``core.excel``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    filters, data = _statistics(request)
    header = [
        _("Received"),
        _("Finished early"),
        _("Finished on time"),
        _("Finished late"),
        _("In progress"),
        _("Overdue now"),
        _("On-time rate (%)"),
    ]

    def values(row):
        rate = round(row.on_time_rate, 1) if row.on_time_rate is not None else None
        return [row.received, row.early, row.on_time, row.late, row.in_progress, row.overdue, rate]

    chosen = filters.cleaned_data.get("agency") if filters.is_valid() else None
    if chosen is not None:
        scope = chosen.name
    elif officer_sees_all(request.user):
        scope = _("All agencies")
    else:
        scope = _("The agencies whose dossiers you see")
    counted = timezone.localtime(data.computed_at or timezone.now())
    lines = [
        _("Agency: %(agency)s") % {"agency": scope},
        _("Period: %(start)s to %(end)s")
        % {"start": f"01/01/{data.year}", "end": f"31/12/{data.year}"},
        _("Counted at %(time)s") % {"time": counted.strftime("%H:%M %d/%m/%Y")},
    ]
    title = _("Dossiers received in %(year)s") % {"year": data.year}

    book = Workbook()
    sheet = book.active
    sheet.title = _("By agency")[:31]
    months = book.create_sheet(_("By month")[:31])
    tables = [
        (sheet, _("Agency"), [(agency.name, row) for agency, row in data.by_agency]),
        (months, _("Month"), [(month.strftime("%m/%Y"), row) for month, row in data.by_month]),
    ]
    for ws, first, rows in tables:
        sheet_title(ws, title=f"{title} · {ws.title}", lines=lines)
        header_row = sheet_append(ws, [first, *header])
        header_style(ws, header_row)
        for name, row in rows:
            sheet_append(ws, [name, *values(row)])
        sheet_append(ws, [_("Total"), *values(data.total)])
        # Numbers stay numbers: counts grouped by thousands, the rate with one decimal.
        for cells in ws.iter_rows(min_row=header_row + 1, min_col=2):
            for cell in cells[:-1]:
                cell.number_format = EXCEL_INTEGER
            cells[-1].number_format = EXCEL_ONE_DECIMAL
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        ws.freeze_panes = ws.cell(header_row + 1, 2)
        columns_fit(ws, from_row=header_row, maximum=50)
    response = HttpResponse(workbook_bytes(book), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="thong-ke-ho-so-{data.year}.xlsx"'
    return response
