"""The citizen portal: catalogue, procedure pages, online submission, my dossiers, tracking.

Reads go through selectors, writes through ``tinhso.dossiers.services``; views only translate
between HTTP and those, and turn every refusal into a message the citizen understands.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from tinhso.accounts import tokens as token_services
from tinhso.accounts.models import ApiToken
from tinhso.accounts.otp import second_factor_required
from tinhso.accounts.scopes import SCOPES
from tinhso.catalog import selectors as catalog_selectors
from tinhso.catalog.models import Procedure, RequiredDocument
from tinhso.catalog.services import COMMUNE_LABEL
from tinhso.core.calendar import get_calendar
from tinhso.core.errors import ConflictError, TransitionError
from tinhso.core.ratelimit import rate_limit_hit, ratelimit
from tinhso.core.request_guard import accepts_uploads
from tinhso.dossiers import selectors as dossier_selectors
from tinhso.dossiers import services
from tinhso.dossiers.constants import ACTIVE_STATUSES, Channel, FileKind, Status
from tinhso.dossiers.models import Dossier, Rating
from tinhso.dossiers.slips import slips_available
from tinhso.notify import services as notify_services
from tinhso.notify.constants import ACCOUNT_EVENTS, OFFICER_EVENTS, Event
from tinhso.notify.models import ChannelPreference, NotificationTemplate
from tinhso.org.selectors import officer_is_scoped
from tinhso.portal.forms import (
    ApiTokenForm,
    NotificationPreferenceForm,
    RatingForm,
    SearchForm,
    SubmitForm,
    SupplementForm,
    TrackForm,
    WithdrawForm,
)

PAGE_SIZE = 20

STATUS_BADGES: dict[int, str] = {
    Status.REFUSED: "badge-late",
    Status.SUPPLEMENT_REQUESTED: "badge-soon",
    Status.FINANCIAL_OBLIGATION: "badge-soon",
    Status.WITHDRAWN: "",
    Status.STOPPED: "badge-late",
    Status.FINISHED: "badge-ok",
    Status.RETURNED: "badge-ok",
}


def _url_or_none(name: str, *args) -> str | None:
    """A link that only appears once the view it points to exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _page_querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- catalogue -----------------------------------------------------------------------------------
def home(request):
    fields = catalog_selectors.field_list(nonempty=True)
    agencies = catalog_selectors.agency_list(nonempty=True)
    form = SearchForm(request.GET or None, fields=fields, agencies=agencies)
    filters = {"q": "", "field_id": None, "agency_id": None, "online_only": False}
    if form.is_valid():
        filters = {
            "q": form.cleaned_data["q"],
            "field_id": form.cleaned_data["field"],
            "agency_id": form.cleaned_data["agency"],
            "online_only": form.cleaned_data["online"],
        }
    procedures = catalog_selectors.procedure_list(**filters)
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    searched = any(filters.values())
    return render(
        request,
        "portal/home.html",
        {
            "form": form,
            "page": page,
            "searched": searched,
            "querystring": _page_querystring(request),
        },
    )


def _procedure_or_404(pk: int) -> Procedure:
    try:
        return catalog_selectors.procedure_get(pk=pk)
    except Procedure.DoesNotExist:
        raise Http404 from None


def procedure_detail(request, pk: int):
    procedure = _procedure_or_404(pk)
    desk = procedure.agency.desk if procedure.agency else None
    channels = []
    if procedure.is_online:
        channels.append(_("Online on this portal"))
    if procedure.accepts_in_person:
        channels.append(_("In person at the one-stop desk"))
    if procedure.accepts_postal:
        channels.append(_("By public postal service"))
    return render(
        request,
        "portal/procedure.html",
        {
            "procedure": procedure,
            "desk": desk,
            "channels": channels,
            "documents": procedure.documents.all(),
            "fees": procedure.fees.all(),
            "can_submit_online": procedure.is_online and procedure.current_version_id,
            "commune_label": COMMUNE_LABEL,
        },
    )


def _commune_choices(procedure: Procedure, user) -> tuple[Any, Any]:
    """The agencies to choose from for a procedure the communes carry out (``None`` for any
    other), and the one suggested: the committee of the ward of the person's last dossier."""
    if not procedure.at_communes:
        return None, None
    agencies = catalog_selectors.implementing_agencies(procedure)
    last_ward = (
        Dossier.objects.filter(applicant=user, applicant_ward__isnull=False)
        .order_by("-submitted_at")
        .values_list("applicant_ward", flat=True)
        .first()
    )
    suggested = agencies.filter(ward_id=last_ward).first() if last_ward else None
    return agencies, suggested


@cache_control(max_age=3600, public=True)
def document_template(request, pk: int, document_pk: int):
    """The blank form of a required document (public: it is a template, not a dossier)."""
    procedure = _procedure_or_404(pk)
    document = get_object_or_404(RequiredDocument, pk=document_pk, procedure=procedure)
    if not document.template.name:  # the same test as `not document.template`
        raise Http404
    name = document.template.name.rsplit("/", 1)[-1]
    return FileResponse(document.template.open("rb"), as_attachment=True, filename=name)


# --- where signing in lands ---------------------------------------------------------------------
@never_cache
def after_sign_in(request):
    """``LOGIN_REDIRECT_URL``: where a sign-in without ``next`` lands. Officers (and province
    administrators) on their work queue, everyone else on the home page."""
    if request.user.is_authenticated and officer_is_scoped(request.user):
        queue = _url_or_none("office:queue")
        if queue:
            return redirect(queue)
    return redirect("portal:home")


# --- online submission ---------------------------------------------------------------------------
def _submit_initial(user) -> dict:
    return {
        "applicant_name": user.full_name or user.get_full_name(),
        "applicant_id_number": user.national_id,
        "applicant_phone": user.phone,
        "applicant_email": user.email,
    }


def _too_many(request, wait: int):
    response = render(request, "portal/429.html", status=429)
    response["Retry-After"] = str(wait)
    return response


# Every write a signed-in person makes on the portal (submit, supplement, withdraw, rate, their
# settings) counts against one limit per account, in the cache all processes share
# (core.cache: the database, or Redis).
write_limited = ratelimit(
    rate=lambda: settings.PORTAL_WRITE_RATE_LIMIT,
    key="user",
    group="portal-write",
    methods=("POST",),
    response=_too_many,
)


def _service_errors_to_form(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it is about, or on top of the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@never_cache
@login_required
@write_limited
@accepts_uploads
def submit(request, pk: int):
    procedure = _procedure_or_404(pk)
    if not procedure.is_online or procedure.current_version is None:
        messages.error(request, _("This procedure cannot be submitted online."))
        return redirect("portal:procedure", pk=procedure.pk)
    documents = procedure.current_version.documents
    agencies, suggested = _commune_choices(procedure, request.user)
    files_lost = False
    if request.method == "POST":
        form = SubmitForm(
            request.POST,
            request.FILES,
            documents=documents,
            applicants=procedure.applicants,
            agencies=agencies,
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                dossier = services.dossier_submit(
                    procedure=procedure,
                    channel=Channel.ONLINE,
                    actor=request.user,
                    applicant_kind=data["applicant_kind"],
                    applicant_name=data["applicant_name"],
                    applicant_id_number=data["applicant_id_number"],
                    applicant_phone=data["applicant_phone"],
                    applicant_email=data["applicant_email"],
                    applicant_address=data["applicant_address"],
                    applicant_ward=data["applicant_ward"],
                    organisation_name=data["organisation_name"],
                    summary=data["summary"],
                    delivery=data["delivery"],
                    documents=form.service_documents(),
                    agency=data.get("agency"),
                )
            except ValidationError as error:
                _service_errors_to_form(form, error)
            except (TransitionError, PermissionDenied) as error:
                form.add_error(None, str(getattr(error, "message", error)))
            else:
                messages.success(
                    request,
                    _(
                        "Your dossier has been submitted. Its code is %(code)s: keep it to "
                        "track the dossier."
                    )
                    % {"code": dossier.code},
                )
                return redirect("portal:dossier", pk=dossier.pk)
        files_lost = bool(request.FILES)
        status = 400
    else:
        initial = _submit_initial(request.user)
        if suggested is not None:
            initial["agency"] = suggested.pk
            initial["applicant_ward"] = suggested.ward_id
        form = SubmitForm(
            initial=initial,
            documents=documents,
            applicants=procedure.applicants,
            agencies=agencies,
        )
        status = 200
    return render(
        request,
        "portal/submit.html",
        {"procedure": procedure, "form": form, "files_lost": files_lost},
        status=status,
    )


# --- my dossiers ---------------------------------------------------------------------------------
def _due_soon_limit():
    return get_calendar().add_working_days(timezone.now(), settings.DUE_SOON_WORKING_DAYS)


def _flag(dossier: Dossier, soon) -> str:
    if dossier.status not in ACTIVE_STATUSES or not dossier.due_at:
        return ""
    if dossier.due_at < timezone.now():
        return "overdue"
    if dossier.due_at <= soon:
        return "due_soon"
    return ""


@never_cache
@login_required
def my_dossiers(request):
    dossiers = dossier_selectors.dossier_list_for_applicant(request.user)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    soon = _due_soon_limit()
    rows = [
        {"dossier": d, "flag": _flag(d, soon), "badge": STATUS_BADGES.get(d.status, "badge-info")}
        for d in page
    ]
    return render(
        request, "portal/my_dossiers.html", {"page": page, "rows": rows, "querystring": ""}
    )


def _my_dossier_or_404(request, pk: int) -> Dossier:
    """The applicant's own dossier; anyone else gets a 404 (not even a hint that it exists)."""
    return get_object_or_404(dossier_selectors.dossier_list_for_applicant(request.user), pk=pk)


def _timeline(dossier: Dossier) -> list[dict]:
    """The history as the applicant reads it (labels, public comments and slip links come from
    each action's spec: ``dossiers.actions``)."""
    rows = dossier_selectors.dossier_timeline_for_applicant(dossier)
    for row in rows:
        row["slip_url"] = (
            _url_or_none("dossiers:slip", dossier.pk, row["slip"]) if row["slip"] else None
        )
        row["slip_label"] = SLIP_LABELS.get(row["slip"], "")
    return rows


def _supplement_request(dossier: Dossier) -> dict | None:
    event = (
        dossier.events.filter(action="request_supplement").order_by("-at", "-pk").first()
        if dossier.status == Status.SUPPLEMENT_REQUESTED
        else None
    )
    if event is None:
        return None
    return {
        "comment": event.comment,
        "documents": event.data.get("document_names") or [],
        "at": event.at,
    }


SLIP_LABELS = {
    "01": gettext_lazy("Receipt and appointment slip"),
    "02": gettext_lazy("Request to supplement the dossier"),
    "03": gettext_lazy("Refusal slip"),
    "04": gettext_lazy("Apology letter and new appointment"),
}


def _slips(dossier: Dossier, user) -> list[dict]:
    """The forms the applicant may download now (form 05 and draft letters are the office's)."""
    slips = []
    for form_code in slips_available(dossier, user):
        url = _url_or_none("dossiers:slip", dossier.pk, form_code)
        if url and form_code in SLIP_LABELS:
            slips.append({"url": url, "label": SLIP_LABELS[form_code]})
    return slips


def _dossier_page(request, dossier: Dossier, *, status: int = 200, **forms):
    allowed = services.dossier_allowed_actions(dossier=dossier, actor=request.user)
    files: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for f in dossier_selectors.dossier_files_for_applicant(dossier):
        entry = {"file": f, "url": _url_or_none("dossiers:file", dossier.pk, f.pk)}
        (results if f.kind == FileKind.RESULT else files).append(entry)
    rating = Rating.objects.filter(dossier=dossier).first()
    can_rate = dossier.status == Status.RETURNED and rating is None
    version = {"expected_version": dossier.version}
    context = {
        "dossier": dossier,
        "badge": STATUS_BADGES.get(dossier.status, "badge-info"),
        "flag": _flag(dossier, _due_soon_limit()),
        "timeline": _timeline(dossier),
        "files": files,
        "results": results,
        "slips": _slips(dossier, request.user),
        "supplement_request": _supplement_request(dossier),
        "payment_request": dossier_selectors.payment_request_open(dossier.pk, dossier.status),
        "payment": dossier_selectors.payment_received(dossier),
        "can_supplement": "supplement" in allowed,
        "can_withdraw": "withdraw" in allowed,
        "supplement_form": forms.get("supplement_form")
        or (SupplementForm(initial=version) if "supplement" in allowed else None),
        "rating": rating,
        "rating_form": forms.get("rating_form") or (RatingForm() if can_rate else None),
        "files_lost": forms.get("files_lost", False),
    }
    return render(request, "portal/dossier.html", context, status=status)


@never_cache
@login_required
def dossier_detail(request, pk: int):
    return _dossier_page(request, _my_dossier_or_404(request, pk))


def _refusal_message(error) -> str:
    if isinstance(error, ConflictError):
        return _(
            "This dossier changed since you opened the page (for example the desk acted on it, "
            "or the form was sent twice). Nothing was done: check its status below and try "
            "again if needed."
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", error))


@login_required
@require_POST
@write_limited
@accepts_uploads
def dossier_supplement(request, pk: int):
    dossier = _my_dossier_or_404(request, pk)
    form = SupplementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.dossier_supplement(
                dossier=dossier,
                actor=request.user,
                files=form.cleaned_data["files"],
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except ConflictError as error:
            messages.error(request, _refusal_message(error))
            return redirect("portal:dossier", pk=dossier.pk)
        except ValidationError as error:
            form.add_error("files", error)
        except (TransitionError, PermissionDenied) as error:
            messages.error(request, _refusal_message(error))
            return redirect("portal:dossier", pk=dossier.pk)
        else:
            messages.success(request, _("Thank you: your supplement has been handed in."))
            return redirect("portal:dossier", pk=dossier.pk)
    return _dossier_page(
        request, dossier, status=400, supplement_form=form, files_lost=bool(request.FILES)
    )


@never_cache
@login_required
@write_limited
def dossier_withdraw(request, pk: int):
    dossier = _my_dossier_or_404(request, pk)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.dossier_withdraw(
                    dossier=dossier,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except (TransitionError, PermissionDenied, ValidationError) as error:
                messages.error(request, _refusal_message(error))
            else:
                messages.success(
                    request, _("Your dossier %(code)s has been withdrawn.") % {"code": dossier.code}
                )
            return redirect("portal:dossier", pk=dossier.pk)
        status = 400
    else:
        allowed = services.dossier_allowed_actions(dossier=dossier, actor=request.user)
        if "withdraw" not in allowed:
            messages.error(request, _("This dossier can no longer be withdrawn."))
            return redirect("portal:dossier", pk=dossier.pk)
        form = WithdrawForm(initial={"expected_version": dossier.version})
        status = 200
    return render(
        request, "portal/withdraw.html", {"dossier": dossier, "form": form}, status=status
    )


@login_required
@require_POST
@write_limited
def dossier_rate(request, pk: int):
    dossier = _my_dossier_or_404(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_rate(
                dossier=dossier,
                actor=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except (TransitionError, PermissionDenied, ValidationError) as error:
            messages.error(request, _refusal_message(error))
        else:
            messages.success(request, _("Thank you for rating the service."))
        return redirect("portal:dossier", pk=dossier.pk)
    return _dossier_page(request, dossier, status=400, rating_form=form)


# --- how the person is told -------------------------------------------------------------------
def _notification_events(user) -> list[tuple[str, str, bool]]:
    """``(event, label, legally_required)`` of every message ``user`` may receive: events with
    an active template, the officers' ones only to officers; never the account's own messages
    (codes, warnings), which always go."""
    required = dict(
        NotificationTemplate.objects.filter(active=True).values_list("event", "legally_required")
    )
    officer = officer_is_scoped(user)
    return [
        (event.value, str(event.label), required[event.value])
        for event in Event
        if event.value in required
        and event not in ACCOUNT_EVENTS
        and (officer or event not in OFFICER_EVENTS)
    ]


def _page_language(request) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or "vi")[:2]
    return language if language in {"vi", "en"} else "vi"


@never_cache
@login_required
@write_limited
def notification_settings(request):
    """The signed-in person's own choices (never anyone else's: there is no id in the URL)."""
    user = request.user
    preference = ChannelPreference.objects.filter(user=user).first()
    events = _notification_events(user)
    form_kwargs = {"events": events, "email": user.email, "phone": user.phone}
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST, **form_kwargs)
        if form.is_valid():
            shown = {event for event, _label, _required in events}
            legal = set(
                NotificationTemplate.objects.filter(legally_required=True).values_list(
                    "event", flat=True
                )
            )
            # Opt-outs of events this page does not show are kept as they were.
            kept = [
                event
                for event in (preference.opted_out_events if preference else [])
                if event not in shown and event not in legal
            ]
            notify_services.preference_set(
                user=user,
                email_enabled=form.cleaned_data["email_enabled"],
                sms_enabled=form.cleaned_data["sms_enabled"],
                language=form.cleaned_data["language"],
                opted_out_events=kept + form.opted_out_events(),
            )
            messages.success(request, _("Your notification choices have been saved."))
            return redirect("portal:notifications")
        status = 400
    else:
        preference = preference or ChannelPreference(language=_page_language(request))
        opted_out = set(preference.opted_out_events or [])
        form = NotificationPreferenceForm(
            initial={
                "email_enabled": preference.email_enabled,
                "sms_enabled": preference.sms_enabled,
                "language": preference.language,
                "events": [event for event, _label, _req in events if event not in opted_out],
            },
            **form_kwargs,
        )
        status = 200
    return render(request, "portal/notifications.html", {"form": form}, status=status)


# --- public tracking -----------------------------------------------------------------------------
def _full_page_url(user, dossier: Any) -> str | None:
    if not dossier_selectors.dossier_user_can_see(user, dossier):
        return None
    if dossier.applicant_id == user.pk:
        return reverse("portal:dossier", args=[dossier.pk])
    return _url_or_none("office:dossier", dossier.pk)


def _tracked(row: dict[str, Any]) -> SimpleNamespace:
    """The tracked dossier from its flat row (``dossier_tracking_page_row``), under the names
    the page's shared template (``portal/_dossier_dates.html``) reads from a dossier."""
    return SimpleNamespace(
        **{name: row[name] for name in dossier_selectors.TRACKING_PAGE_COLUMNS if "__" not in name},
        pk=row["id"],
        get_status_display=Status(row["status"]).label,
        get_channel_display=Channel(row["channel"]).label,
        procedure=SimpleNamespace(code=row["procedure__code"], name=row["procedure__name"]),
        receiving_agency=SimpleNamespace(name=row["receiving_agency__name"]),
        agency=SimpleNamespace(name=row["agency__name"]),
        current_agency=SimpleNamespace(name=row["current_agency__name"]),
    )


@never_cache
def track(request):
    """Public tracking by code: procedure, status, dates and agencies; never personal data.

    The busiest public page: one compiled-once query for the dossier (the same as the API's),
    nothing written for an anonymous visitor but the rate limit's counter (bench/RESULTS.md,
    issue 7)."""
    form = TrackForm(request.GET if "code" in request.GET else None)
    dossier = None
    not_found = False
    if form.is_bound:
        if wait := rate_limit_hit(request, group="track", rate=settings.TRACKING_RATE_LIMIT):
            return _too_many(request, wait)
        if form.is_valid():
            row = dossier_selectors.dossier_tracking_page_row(form.cleaned_data["code"])
            dossier = _tracked(row) if row else None
            not_found = dossier is None
    return render(
        request,
        "portal/track.html",
        {
            "form": form,
            "dossier": dossier,
            "not_found": not_found,
            "badge": STATUS_BADGES.get(dossier.status, "badge-info") if dossier else "",
            "full_url": (
                _full_page_url(request.user, dossier)
                if dossier and request.user.is_authenticated
                else None
            ),
            # Public: the amount, what for, how, where and by when; no personal data.
            "payment_request": dossier_selectors.payment_request_open(dossier.pk, dossier.status)
            if dossier
            else None,
        },
    )


# --- installable web app -------------------------------------------------------------------------
@cache_control(max_age=86400, public=True)
def manifest(request):
    data = {
        "name": f"Tỉnh Số · {settings.PROVINCE_NAME}",
        "short_name": "Tỉnh Số",
        "description": _("Administrative procedures, online submission and dossier tracking"),
        "lang": "vi",
        "start_url": reverse("portal:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#a3171d",
        "icons": [
            {
                "src": static(f"tinhso/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable" if size == 512 else "any",
            }
            for size in (192, 512)
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


# --- API tokens ------------------------------------------------------------------------------
@sensitive_post_parameters("password", "otp")
@never_cache
@login_required
@write_limited
def api_tokens(request):
    """The signed-in person's API tokens that still work: create an integration token (its key
    is shown once, on this answer), revoke any of them. Only their own: no id of anyone else's
    is accepted (``api_token_revoke``)."""
    status = 200
    issued = None
    second_factor = second_factor_required(request.user)
    if request.method == "POST":
        form = ApiTokenForm(request.POST, second_factor=second_factor)
        if form.is_valid():
            try:
                token_services.token_reauthenticate(
                    request=request,
                    user=request.user,
                    password=form.cleaned_data["password"],
                    code=form.cleaned_data.get("otp", ""),
                )
                token, key = token_services.token_issue(
                    user=request.user,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    kind=ApiToken.Kind.INTEGRATION,
                    scopes=form.cleaned_data["scopes"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                _service_errors_to_form(form, error)
                status = 400
            else:
                issued = {"token": token, "key": key}
                form = ApiTokenForm(second_factor=second_factor)
        else:
            status = 400
    else:
        form = ApiTokenForm(second_factor=second_factor)
    tokens = list(token_services.token_list_for_user(request.user))
    for token in tokens:  # what each scope lets the software do, in words
        token.scope_labels = [SCOPES.get(scope, scope) for scope in token.scopes or []]
    context = {"form": form, "issued": issued, "tokens": tokens, "scopes": SCOPES}
    return render(request, "portal/api_tokens.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@write_limited
def api_token_revoke(request, pk: int):
    """GET asks to confirm (what stops working), POST revokes: only the person's own tokens."""
    token = get_object_or_404(token_services.token_list_for_user(request.user), pk=pk)
    if request.method == "GET":
        return render(request, "portal/api_token_revoke.html", {"token": token})
    token_services.token_revoke(token=token, actor=request.user, reason=ApiToken.Revoked.OWNER)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("portal:api_tokens")
