"""The officer's forms: one per workflow action, the desk registration and the statistics filter.

Action forms only collect input; ``params()`` turns it into the keyword arguments of the service
that ``tinhso.dossiers.services.dossier_act`` dispatches to.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import User
from tinhso.catalog.models import Field, Procedure, ProcedureVersion
from tinhso.catalog.selectors import procedure_list_for_officer
from tinhso.core.validators import validate_id_number, validate_phone
from tinhso.dossiers.actions import SPECS, TRANSITIONS, ActionSpec, Param, ParamKind
from tinhso.dossiers.constants import ApplicantKind, Channel, Delivery, PaymentMethod, Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.services import (
    MAX_AMOUNT,
    PAY_WITHIN_DAYS_MAX,
    desk_payment_place,
    step_agency_id,
)
from tinhso.org.models import Agency, Ward
from tinhso.org.selectors import agencies_visible_to


def officers_for_step(dossier: Dossier, index: int):
    """Officers of the agency doing step ``index`` who hold that step's role."""
    step = dossier.steps[index]
    users = User.objects.filter(
        is_active=True, officer__agency_id=step_agency_id(dossier, index)
    ).order_by("name_sort", "pk")
    if step.get("role_id"):
        users = users.filter(groups=step["role_id"])
    return users


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ActionForm(forms.Form):
    """An action's form, built from its spec (``dossiers.actions``): one field per parameter,
    with the choices the dossier allows now. Every form carries the dossier version it was made
    from; ``params()`` are the service's keyword arguments."""

    spec: ActionSpec
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        self.dossier = dossier
        kwargs.setdefault("initial", {})["expected_version"] = dossier.version
        super().__init__(*args, **kwargs)
        for param in self.spec.params:
            self.fields[param.name] = _param_field(param, dossier)

    def params(self) -> dict:
        data = dict(self.cleaned_data)
        for param in self.spec.params:
            if param.kind == ParamKind.FILES:
                data[param.name] = [data[param.name]] if data.get(param.name) else []
        return data


def _text(label, required=True, help_text="", *, max_length=2000, rows=3, initial=None):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        initial=initial,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _param_field(param: Param, dossier: Dossier) -> forms.Field:
    """The form field of one parameter kind, with the choices ``dossier`` allows now."""
    kind, label, required = param.kind, param.label, param.required
    documents = dossier.procedure_version.documents
    if kind in (ParamKind.COMMENT, ParamKind.REASON):
        return _text(label, required=required)
    if kind == ParamKind.FILES:
        return forms.FileField(label=label, required=required)
    if kind == ParamKind.CHECKLIST:
        return forms.TypedMultipleChoiceField(
            label=label,
            coerce=int,
            required=required,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Tick each required document you have checked."),
            choices=[
                (doc["id"], doc["name"] + ("" if doc["required"] else f" ({_('optional')})"))
                for doc in documents
            ],
        )
    if kind == ParamKind.DOCUMENT_NAMES:
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            widget=forms.CheckboxSelectMultiple,
            choices=[(doc["name"], doc["name"]) for doc in documents],
        )
    if kind in (ParamKind.OFFICER_NEXT, ParamKind.OFFICER_CURRENT):
        index = dossier.step_index + (1 if kind == ParamKind.OFFICER_NEXT else 0)
        field = OfficerChoiceField(
            label=label,
            queryset=User.objects.none(),
            required=required,
            empty_label=_("Anyone at the next step") if not required else "---------",
        )
        if index < len(dossier.steps):
            field.queryset = officers_for_step(dossier, index)
            if kind == ParamKind.OFFICER_NEXT:
                field.help_text = _("Next step: %(step)s.") % {"step": dossier.steps[index]["name"]}
        return field
    if kind == ParamKind.EARLIER_STEP:
        return forms.TypedChoiceField(
            label=label,
            coerce=int,
            choices=[
                (i, f"{i + 1}. {step['name']}")
                for i, step in enumerate(dossier.steps[: dossier.step_index])
            ],
        )
    if kind == ParamKind.AMOUNT:
        # When recording the payment, the amount requested is ready in the field.
        waiting = dossier.status == Status.FINANCIAL_OBLIGATION
        return forms.IntegerField(
            label=label,
            min_value=1,
            max_value=MAX_AMOUNT,
            required=required,
            initial=(dossier.fee_amount or None) if waiting else None,
        )
    if kind == ParamKind.PURPOSE:
        return forms.CharField(
            label=label,
            required=required,
            max_length=300,
            help_text=_(
                "E.g. “Registration fee” or “Land use levy”. The public tracking page "
                "shows it: write no personal data."
            ),
        )
    if kind == ParamKind.PAY_AT:
        help_text = _("Left as it is, the applicant pays at the receiving desk.")
        place = desk_payment_place(dossier)
        return _text(label, required, help_text, max_length=500, rows=2, initial=place)
    if kind == ParamKind.BANK_DETAILS:
        help_text = _("Account holder, number and bank, and what to write in the transfer.")
        return _text(label, required, help_text, max_length=500, rows=2)
    if kind == ParamKind.WORKING_DAYS:
        return forms.IntegerField(
            label=label,
            required=required,
            min_value=1,
            max_value=PAY_WITHIN_DAYS_MAX,
            initial=5,
            help_text=_("Counted on the working-day calendar; a date below takes its place."),
        )
    if kind == ParamKind.DATE:
        return forms.DateField(
            label=label,
            required=required,
            # A date input reads only ISO dates (YYYY-MM-DD), whatever the page's language.
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    if kind == ParamKind.PAYMENT_METHOD:
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=PaymentMethod.choices,
            initial=PaymentMethod.CASH,
            widget=forms.RadioSelect,
        )
    if kind == ParamKind.REFERENCE:
        return forms.CharField(label=label, required=required, max_length=100)
    if kind == ParamKind.DELIVERY:
        return forms.ChoiceField(
            label=label, choices=Delivery.choices, required=required, initial=dossier.delivery
        )
    if kind == ParamKind.SCORE:
        return forms.TypedChoiceField(
            label=label, coerce=int, choices=[(i, str(i)) for i in range(1, 6)]
        )
    raise ValueError(f"No form field for parameter kind {kind!r}.")


def _form_class(spec: ActionSpec) -> type[ActionForm]:
    return type(f"{spec.action.name.title().replace('_', '')}Form", (ActionForm,), {"spec": spec})


# The office's forms: every transition an officer may take (rating is the applicant's own).
ACTION_FORMS: dict[str, type[ActionForm]] = {name: _form_class(SPECS[name]) for name in TRANSITIONS}


class ApologyForm(forms.Form):
    """Form 04: apologise to the applicant of an overdue dossier and give a new appointment."""

    reason = _text(_("Reason for the delay"))
    new_due_on = forms.DateField(
        label=_("New appointment"),
        # A date input reads only ISO dates (YYYY-MM-DD), whatever the page's language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


# --- the work queue --------------------------------------------------------------------------
# How the queue may be sorted (the ``sort`` query parameter); the first is the default.
QUEUE_SORTS = [
    ("due", _("Appointment: most urgent first")),
    ("received", _("Received: oldest first")),
    ("-received", _("Received: newest first")),
]


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Dossier code, applicant's name or procedure"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any status")), *Status.choices],
    )
    field = forms.ModelChoiceField(
        label=_("Field"), required=False, queryset=Field.objects.all(), empty_label=_("Any field")
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        required=False,
        queryset=Procedure.objects.none(),
        empty_label=_("Any procedure"),
    )
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = forms.DateField(
        label=_("Received until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=QUEUE_SORTS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = (
            procedure_list_for_officer(user, desk_only=False)
            .select_related(None)
            .only("pk", "name")
        )

    def apply(self, qs):
        """Narrow ``qs`` by the valid filters (an invalid one is ignored and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("field"):
            qs = qs.filter(procedure__field=data["field"])
        if data.get("procedure"):
            qs = qs.filter(procedure=data["procedure"])
        if data.get("received_from"):
            qs = qs.filter(received_at__gte=_day_start(data["received_from"]))
        if data.get("received_to"):
            qs = qs.filter(received_at__lt=_day_start(data["received_to"] + dt.timedelta(days=1)))
        return qs


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- the desk --------------------------------------------------------------------------------
class DeskProcedureForm(forms.Form):
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=Procedure.objects.none(), empty_label=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedure_list_for_officer(user, desk_only=True).filter(
            is_active=True, current_version__isnull=False
        )


class DeskRegistrationForm(forms.Form):
    channel = forms.TypedChoiceField(
        label=_("How the dossier came in"),
        coerce=int,
        choices=[
            (Channel.IN_PERSON, _("In person at the desk: receive it now")),
            (Channel.POSTAL, _("By post: register it as new")),
        ],
        widget=forms.RadioSelect,
        initial=Channel.IN_PERSON,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Applicant"), choices=ApplicantKind.choices, initial=ApplicantKind.CITIZEN
    )
    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=200)
    organisation_name = forms.CharField(
        label=_("Organisation (if any)"), max_length=300, required=False
    )
    applicant_id_number = forms.CharField(
        label=_("Identity or tax number"),
        max_length=20,
        required=False,
        validators=[validate_id_number],
    )
    applicant_phone = forms.CharField(
        label=_("Phone"),
        max_length=20,  # typed in any notation: "(+84) 912-345-678"
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    applicant_ward = forms.ModelChoiceField(
        label=_("Ward or commune"), queryset=Ward.objects.none(), required=False
    )
    summary = forms.CharField(label=_("Request"), max_length=500, required=False)
    delivery = forms.ChoiceField(
        label=_("Result delivery"), choices=Delivery.choices, initial=Delivery.DESK
    )

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        ward = cast(forms.ModelChoiceField, self.fields["applicant_ward"])
        ward.queryset = Ward.objects.filter(province_code=settings.PROVINCE_CODE)
        ward.empty_label = _("Choose the ward or commune")
        # The desk chooser offers published procedures only: each has a version in force.
        self.documents = cast(ProcedureVersion, procedure.current_version).documents
        for doc in self.documents:
            self.fields[f"file_{doc['id']}"] = forms.FileField(
                label=_("Scan of: %(name)s") % {"name": doc["name"]}, required=False
            )
            self.fields[f"checked_{doc['id']}"] = forms.BooleanField(
                label=_("Checked: %(name)s") % {"name": doc["name"]}, required=False
            )

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        if channel == Channel.IN_PERSON and not self.procedure.accepts_in_person:
            raise forms.ValidationError(_("This procedure is not received at the desk."))
        if channel == Channel.POSTAL and not self.procedure.accepts_postal:
            raise forms.ValidationError(_("This procedure is not received by post."))
        return channel

    def document_rows(self):
        return [
            (doc, self[f"file_{doc['id']}"], self[f"checked_{doc['id']}"]) for doc in self.documents
        ]

    def service_params(self) -> dict:
        data = self.cleaned_data
        uploads = [
            (data[f"file_{doc['id']}"], {"document_id": doc["id"]})
            for doc in self.documents
            if data.get(f"file_{doc['id']}")
        ]
        checklist = [doc["id"] for doc in self.documents if data.get(f"checked_{doc['id']}")]
        return {
            "procedure": self.procedure,
            "channel": data["channel"],
            "applicant_kind": data["applicant_kind"],
            "applicant_name": data["applicant_name"],
            "organisation_name": data["organisation_name"],
            "applicant_id_number": data["applicant_id_number"],
            "applicant_phone": data["applicant_phone"],
            "applicant_email": data["applicant_email"],
            "applicant_address": data["applicant_address"],
            "applicant_ward": data["applicant_ward"],
            "summary": data["summary"],
            "delivery": data["delivery"],
            "documents": uploads,
            "checklist": checklist,
        }


# --- statistics ------------------------------------------------------------------------------
class StatsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    agency = forms.ModelChoiceField(
        label=_("Implementing agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All agencies"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 6, -1)]
        self.fields["agency"].queryset = agencies_visible_to(user)

    # A field that does not validate is ignored; the others still apply.
    def selected_year(self) -> int:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("year") or timezone.localdate().year

    def selected_agency_id(self) -> int | None:
        self.is_valid()
        agency = getattr(self, "cleaned_data", {}).get("agency")
        return agency.pk if agency else None
