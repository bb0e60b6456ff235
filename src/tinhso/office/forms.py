"""The officer's forms: one per workflow action, the desk registration and the statistics filter.

Action forms only collect input; ``params()`` turns it into the keyword arguments of the service
that ``tinhso.dossiers.services.dossier_act`` dispatches to.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import User
from tinhso.catalog.models import Field, Procedure
from tinhso.catalog.selectors import procedure_list_for_officer
from tinhso.dossiers.constants import ApplicantKind, Channel, Delivery, Status
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.services import step_agency_id
from tinhso.org.models import Agency
from tinhso.org.selectors import agencies_visible_to


def officers_for_step(dossier: Dossier, index: int):
    """Officers of the agency doing step ``index`` who hold that step's role."""
    step = dossier.steps[index]
    users = User.objects.filter(
        is_active=True, officer__agency_id=step_agency_id(dossier, index)
    ).order_by("full_name", "username")
    if step.get("role_id"):
        users = users.filter(groups=step["role_id"])
    return users


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ActionForm(forms.Form):
    """Every action form carries the dossier version it was made from."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        self.dossier = dossier
        kwargs.setdefault("initial", {})["expected_version"] = dossier.version
        super().__init__(*args, **kwargs)

    def params(self) -> dict:
        data = dict(self.cleaned_data)
        return data


def _text(label, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReceiveForm(ActionForm):
    checklist = forms.TypedMultipleChoiceField(
        label=_("Documents checked"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each required document you have checked."),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["checklist"].choices = [
            (doc["id"], doc["name"] + ("" if doc["required"] else f" ({_('optional')})"))
            for doc in dossier.procedure_version.documents
        ]


class RefuseForm(ActionForm):
    reason = _text(_("Reason for refusing"))


class RequestSupplementForm(ActionForm):
    reason = _text(_("What the applicant must supplement"))
    documents = forms.MultipleChoiceField(
        label=_("Documents to supplement"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["documents"].choices = [
            (doc["name"], doc["name"]) for doc in dossier.procedure_version.documents
        ]


class SupplementForm(ActionForm):
    file = forms.FileField(label=_("Supplemented document (PDF, JPEG or PNG)"))
    comment = _text(_("Comment (optional)"), required=False)

    def params(self):
        return {
            "expected_version": self.cleaned_data["expected_version"],
            "documents": [self.cleaned_data["file"]],
            "comment": self.cleaned_data["comment"],
        }


class ForwardForm(ActionForm):
    comment = _text(_("Comment (optional)"), required=False)
    assignee = OfficerChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone at the next step"),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        following = dossier.step_index + 1
        if following < len(dossier.steps):
            self.fields["assignee"].queryset = officers_for_step(dossier, following)


class SendBackForm(ActionForm):
    to_step = forms.TypedChoiceField(label=_("Back to step"), coerce=int)
    comment = _text(_("Reason"))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["to_step"].choices = [
            (i, f"{i + 1}. {step['name']}")
            for i, step in enumerate(dossier.steps[: dossier.step_index])
        ]


class ReassignForm(ActionForm):
    assignee = OfficerChoiceField(label=_("Assign to"), queryset=User.objects.none())
    comment = _text(_("Comment (optional)"), required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier.step_index < len(dossier.steps):
            self.fields["assignee"].queryset = officers_for_step(dossier, dossier.step_index)


class ApproveForm(ActionForm):
    comment = _text(_("Comment (optional)"), required=False)


class RejectForm(ActionForm):
    reason = _text(_("Reason for the rejection"))


class RequestPaymentForm(ActionForm):
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=10**12)
    comment = _text(_("Comment (optional)"), required=False)


class ConfirmPaymentForm(ActionForm):
    reference = forms.CharField(
        label=_("Receipt or transaction number"), required=False, max_length=100
    )


class StopForm(ActionForm):
    reason = _text(_("Reason for stopping"))


class FinishForm(ActionForm):
    result = forms.FileField(label=_("Result (PDF, JPEG or PNG)"))
    comment = _text(_("Comment (optional)"), required=False)

    def params(self):
        return {
            "expected_version": self.cleaned_data["expected_version"],
            "result_files": [self.cleaned_data["result"]],
            "comment": self.cleaned_data["comment"],
        }


class ReturnResultForm(ActionForm):
    delivery = forms.ChoiceField(label=_("How the result is returned"), choices=Delivery.choices)
    comment = _text(_("Comment (optional)"), required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["delivery"].initial = dossier.delivery


class WithdrawForm(ActionForm):
    reason = _text(_("The applicant's reason"), required=False)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ReceiveForm,
    "refuse": RefuseForm,
    "request_supplement": RequestSupplementForm,
    "supplement": SupplementForm,
    "forward": ForwardForm,
    "send_back": SendBackForm,
    "reassign": ReassignForm,
    "approve": ApproveForm,
    "reject": RejectForm,
    "request_payment": RequestPaymentForm,
    "confirm_payment": ConfirmPaymentForm,
    "withdraw": WithdrawForm,
    "stop": StopForm,
    "finish": FinishForm,
    "return_result": ReturnResultForm,
}


class ApologyForm(forms.Form):
    """Form 04: apologise to the applicant of an overdue dossier and give a new appointment."""

    reason = _text(_("Reason for the delay"))
    new_due_on = forms.DateField(
        label=_("New appointment"), widget=forms.DateInput(attrs={"type": "date"})
    )


# Actions that end or refuse something: their button is styled as a secondary, careful choice.
CAREFUL_ACTIONS = {"refuse", "reject", "stop", "withdraw", "send_back"}


# --- the work queue --------------------------------------------------------------------------
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
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

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
    applicant_id_number = forms.RegexField(
        label=_("Identity or tax number"),
        regex=r"^[0-9-]{9,20}$",
        required=False,
        error_messages={"invalid": _("Enter digits only, for example 092090001234.")},
    )
    applicant_phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^0\d{9,10}$",
        required=False,
        error_messages={"invalid": _("Enter a Vietnamese phone number such as 0912345678.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    summary = forms.CharField(label=_("Request"), max_length=500, required=False)
    delivery = forms.ChoiceField(
        label=_("Result delivery"), choices=Delivery.choices, initial=Delivery.DESK
    )

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.documents = procedure.current_version.documents
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
