"""Forms of the citizen portal. They only check and collect input: writes go through services."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import ApiToken
from tinhso.accounts.scopes import scope_choices
from tinhso.accounts.tokens import token_max_days
from tinhso.core.text import code_normalize
from tinhso.core.uploads import upload_check
from tinhso.core.validators import validate_id_number, validate_phone
from tinhso.dossiers.constants import ApplicantKind, Delivery
from tinhso.org.models import Ward
from tinhso.org.selectors import province_desk_code

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search procedures"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. birth registration")}
        ),
    )
    field = forms.TypedChoiceField(label=_("Field"), required=False, coerce=int, empty_value=None)
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)
    online = forms.BooleanField(label=_("Only procedures I can submit online"), required=False)

    def __init__(self, *args, fields=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("q", "field", "agency", "online"):
            self.fields[name].hide_optional = True
        self.fields["field"].choices = [("", _("All fields"))] + [(f.pk, f.name) for f in fields]
        self.fields["agency"].choices = [("", _("All agencies"))] + [
            (a.pk, a.name) for a in agencies
        ]


def _check_upload(upload):
    """Check the file by its content now, so the error shows next to its own input."""
    if not upload:
        return upload
    try:
        upload_check(upload)
    finally:
        upload.seek(0)
    return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item] or single(None, initial)
        return [single(data, initial)] if data else single(None, initial)


class SubmitForm(forms.Form):
    """Online submission: who applies, what they ask, how they get the result, the documents."""

    applicant_kind = forms.ChoiceField(
        label=_("You apply as"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.CITIZEN,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=_("Full name of the applicant"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation name"),
        max_length=300,
        required=False,
        help_text=_("Only when you apply for an organisation."),
    )
    applicant_id_number = forms.CharField(
        label=_("Identity number (CCCD) or tax number"),
        max_length=20,
        required=False,
        validators=[validate_id_number],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,  # typed in any notation: "(+84) 912-345-678"
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_(
            "The desk calls or texts this number about your dossier. Give a phone number, "
            "an e-mail address or both."
        ),
    )
    applicant_email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    applicant_address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    applicant_ward = forms.ModelChoiceField(
        label=_("Ward or commune"), queryset=Ward.objects.none(), required=False
    )
    summary = forms.CharField(
        label=_("What you ask for"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence or two, e.g. “Birth registration for my son born on 2 May”."),
    )
    delivery = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=Delivery.choices,
        initial=Delivery.DESK,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, documents=(), applicants: str = "both", agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:  # a procedure the communes carry out: which one
            self.fields["agency"] = forms.ModelChoiceField(
                label=_("Ward or commune that carries out your dossier"),
                queryset=agencies,
                empty_label=_("Choose the ward or commune"),
                help_text=_("Usually the ward or commune where you live."),
            )
        if applicants in ApplicantKind.values:  # the procedure is for one kind only
            kind: Any = self.fields["applicant_kind"]  # its stubs type .choices too loosely
            kind.choices = [c for c in kind.choices if c[0] == applicants]
            kind.initial = applicants
        ward = cast(forms.ModelChoiceField, self.fields["applicant_ward"])
        ward.queryset = Ward.objects.filter(province_code=settings.PROVINCE_CODE)
        ward.empty_label = _("Choose your ward or commune")
        for name in ("applicant_phone", "applicant_email"):  # at least one of the two
            self.fields[name].hide_optional = True  # type: ignore[attr-defined]
        self.documents = list(documents)
        for doc in self.documents:
            self.fields[self.document_field(doc)] = forms.FileField(
                label=doc["name"],
                required=doc.get("required", True),
                help_text=_("PDF, JPEG or PNG, up to %(mb)s MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                error_messages={"required": _("Attach this document.")},
            )

    @staticmethod
    def document_field(doc: dict) -> str:
        return f"document_{doc['id']}"

    def document_fields(self):
        return [self[self.document_field(doc)] for doc in self.documents]

    def detail_fields(self):
        names = {self.document_field(doc) for doc in self.documents}
        return [bf for bf in self if bf.name not in names]

    def clean(self):
        data = super().clean()
        for doc in self.documents:
            name = self.document_field(doc)
            upload = data.get(name)
            if upload:
                try:
                    _check_upload(upload)
                except ValidationError as error:
                    self.add_error(name, error)
        if (
            data.get("applicant_kind") == ApplicantKind.ORGANISATION
            and not data.get("organisation_name", "").strip()
        ):
            self.add_error("organisation_name", _("Enter the organisation's name."))
        if not self.has_error("applicant_phone") and not self.has_error("applicant_email"):
            if not data.get("applicant_phone") and not data.get("applicant_email"):
                self.add_error(
                    "applicant_phone", _("Give a phone number or an e-mail address to reach you.")
                )
        return data

    def service_documents(self) -> list:
        return [
            (self.cleaned_data[self.document_field(doc)], {"document_id": doc["id"]})
            for doc in self.documents
            if self.cleaned_data.get(self.document_field(doc))
        ]


class VersionForm(forms.Form):
    """The dossier version the page was built from: a stale form gets a conflict message."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SupplementForm(VersionForm):
    # The metaclass moves it into base_fields: an instance's .files stays the uploaded files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files you hand in"),
        help_text=_("PDF, JPEG or PNG. You can choose several files at once."),
        error_messages={"required": _("Attach at least one file.")},
    )
    comment = forms.CharField(
        label=_("Message to the desk"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            _check_upload(upload)
        return files


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Why do you withdraw the dossier?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn dossier is closed and cannot be reopened."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        coerce=int,
        choices=[
            (5, _("5 – Very satisfied")),
            (4, _("4 – Satisfied")),
            (3, _("3 – Acceptable")),
            (2, _("2 – Not satisfied")),
            (1, _("1 – Very dissatisfied")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def example_dossier_code() -> str:
    """A dossier code of this province's shape for hints: its one-stop desk's agency code (as
    configured, ``org.selectors.province_desk_code``), today's date and the first number."""
    desk = province_desk_code() or "000.00.01.H00"
    return f"{desk}-{timezone.localdate():%y%m%d}-0001"


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,  # the code is 25 characters; room for the spaces typed around dashes
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("As printed on your receipt, e.g. %(example)s.") % {
            "example": example_dossier_code()
        }

    def clean_code(self):
        # "000.00.01.h30 – 260105 – 0001" typed on a phone or pasted from a letter still matches.
        return code_normalize(self.cleaned_data["code"])


class _EventCheckboxes(forms.CheckboxSelectMultiple):
    """One checkbox per event; the legally required ones are ticked and cannot be unticked."""

    def __init__(self, *args, locked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = set(locked)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        locked = value in self.locked
        option = super().create_option(
            name, value, label, selected or locked, index, subindex, attrs
        )
        if locked:
            option["attrs"] = {**option["attrs"], "disabled": True, "checked": True}
        return option


class NotificationPreferenceForm(forms.Form):
    """How a person is told: channels, language, and the events they want messages for.

    ``events`` lists ``(event, label, legally_required)``. Ticking an event means "send it";
    legally required events are always sent, so whatever is posted for them (a disabled
    checkbox sends nothing; a forged request may send anything) they are never opted out of.
    """

    email_enabled = forms.BooleanField(label=_("By e-mail"), required=False)
    sms_enabled = forms.BooleanField(label=_("By text message (SMS)"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the messages"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    events = forms.MultipleChoiceField(
        label=_("What you are told about"),
        required=False,
        help_text=_(
            "Untick what you do not want to be told. Messages required by law are always sent, "
            "even when e-mail and SMS are off."
        ),
    )

    def __init__(self, *args, events=(), email: str = "", phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.required_events = {event for event, _label, required in events if required}
        self.optional_events = [event for event, _label, required in events if not required]
        field = cast(forms.MultipleChoiceField, self.fields["events"])
        field.choices = [
            (event, _("%(event)s (required by law: always sent)") % {"event": label})
            if required
            else (event, label)
            for event, label, required in events
        ]
        field.widget = _EventCheckboxes(locked=self.required_events)
        field.widget.choices = field.choices
        for name, address, missing in (
            ("email_enabled", email, _("Your account has no e-mail address.")),
            ("sms_enabled", phone, _("Your account has no phone number.")),
        ):
            self.fields[name].help_text = (
                _("Sent to %(address)s.") % {"address": address} if address else missing
            )
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_helptext"
        for name in ("language", "events"):
            self.fields[name].hide_optional = True  # type: ignore[attr-defined]

    def opted_out_events(self) -> list[str]:
        """The events the person unticked (never a legally required one)."""
        wanted = set(self.cleaned_data["events"])
        return [event for event in self.optional_events if event not in wanted]


class ApiTokenForm(forms.Form):
    """A person's own integration token: a name, what it may do, how long it lives."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, for example “Phần mềm kế toán”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=scope_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(label=_("Lifetime in days"), min_value=1)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        help_text=_("Asked again: the token keeps working after you sign out."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        help_text=_("The six digits your app shows now, or a backup code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, second_factor=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not second_factor:
            del self.fields["otp"]
        longest = token_max_days(ApiToken.Kind.INTEGRATION)
        days = self.fields["days"]
        days.max_value = longest
        days.validators.append(MaxValueValidator(longest))
        days.initial = min(90, longest)
        days.help_text = _("From 1 to %(days)d days.") % {"days": longest}
        days.widget.attrs.update({"min": 1, "max": longest, "inputmode": "numeric"})
