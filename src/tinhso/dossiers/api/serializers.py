"""Dossier serializers. Personal data appears only in the serializers for people allowed to
see it (the applicant, the officers of the agencies concerned); tracking has its own."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tinhso.catalog.api.serializers import AgencyRefSerializer
from tinhso.catalog.models import Procedure
from tinhso.catalog.selectors import implementing_agency_get
from tinhso.core.text import code_normalize
from tinhso.core.validators import validate_id_number, validate_phone
from tinhso.dossiers.actions import SPECS
from tinhso.dossiers.constants import (
    ApplicantKind,
    Decision,
    Delivery,
    PaymentMethod,
    Status,
    Timeliness,
)
from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile, Rating
from tinhso.dossiers.selectors import (
    dossier_files_for_applicant,
    event_for_applicant,
    payment_request_open,
)
from tinhso.dossiers.slips import slip_available, user_is_officer_for
from tinhso.org.models import Ward

# --- reading -------------------------------------------------------------------------------------


class ProcedureRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Procedure
        fields = ["code", "name"]


# What the three dates of an appointment mean, said once for every serializer.
DUE_HELP = {
    "due_at": {
        "help_text": "The appointment in force to return the result (NgayHenTra): the date of "
        "the receipt (form 01), or the new date of the agency's apology letter (form 04)."
    },
    "new_due_at": {
        "help_text": "Set when an apology letter (form 04) moved the appointment: equal to "
        "`due_at` then; null otherwise."
    },
}


class PaymentRequestSerializer(serializers.Serializer):
    """A fee or financial obligation the applicant is asked to pay (status 6). Public."""

    amount = serializers.IntegerField(help_text="VND.")
    purpose = serializers.CharField(help_text="What it is for.")
    pay_at = serializers.CharField(help_text="How and where to pay.")
    bank_details = serializers.CharField(help_text="Bank transfer details; may be empty.")
    pay_by = serializers.DateTimeField(help_text="Pay by this moment.")
    requested_at = serializers.DateTimeField()


class DossierSerializer(serializers.ModelSerializer):
    """A dossier in a list."""

    procedure = ProcedureRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    receiving_agency = AgencyRefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True, help_text="The implementing agency.")
    current_agency = AgencyRefSerializer(read_only=True, help_text="Who handles it now.")
    is_overdue = serializers.BooleanField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:dossier-detail", lookup_field="code")
    # Empty ("") until the dossier is finished / decided.
    timeliness = serializers.ChoiceField(
        choices=Timeliness.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Dossier
        fields = [
            "code",
            "url",
            "procedure",
            "status",
            "status_label",
            "channel",
            "channel_label",
            "applicant_name",
            "receiving_agency",
            "agency",
            "current_agency",
            "submitted_at",
            "received_at",
            "due_at",
            "new_due_at",
            "finished_at",
            "returned_at",
            "closed_at",
            "is_overdue",
            "timeliness",
            "version",
        ]
        read_only_fields = fields
        extra_kwargs = DUE_HELP


class EventSerializer(serializers.ModelSerializer):
    """One history entry. The applicant reads the citizen's label, only the comments the
    action's spec makes public, and a link to the form (01–05) the entry produced; officers of
    the dossier read everything (``dossiers.actions``)."""

    actor_name = serializers.SerializerMethodField()
    to_status_label = serializers.CharField(source="get_to_status_display", read_only=True)
    # The serializer's metaclass takes declared fields off the class, so a field may be named
    # like a Field attribute (label, required); the stubs see the attribute.
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    comment = serializers.SerializerMethodField()
    slip_url = serializers.SerializerMethodField()

    class Meta:
        model = DossierEvent
        fields = [
            "at",
            "action",
            "label",
            "actor_name",
            "from_status",
            "to_status",
            "to_status_label",
            "step_index",
            "step_name",
            "comment",
            "slip_url",
        ]
        read_only_fields = fields

    def get_actor_name(self, event) -> str:
        if event.actor:
            return event.actor.display_name
        return event.actor_system

    def _view(self, event) -> dict:
        """What the viewer reads of ``event``: an officer of the dossier everything, anyone else
        what the action's spec makes public (``selectors.event_for_applicant``)."""
        # The context is the dict the serializer was given; the stubs type it read-only.
        cache = self.context.setdefault("_event_views", {})  # type: ignore[attr-defined]
        if event.dossier_id not in cache:
            dossier = event.dossier
            officer = self.context.get("officer")
            if officer is None:
                request = self.context.get("request")
                user = getattr(request, "user", None)
                officer = bool(user and user_is_officer_for(user, dossier))
            # Only the forms the history links to are looked up (one query each at most).
            wanted = {SPECS[e.action].slip for e in dossier.events.all() if e.action in SPECS}
            slips = {
                form for form in wanted if form and slip_available(dossier, form, officer=officer)
            }
            cache[event.dossier_id] = (officer, slips)
        officer, slips = cache[event.dossier_id]
        if officer:
            spec = SPECS.get(event.action)
            return {
                "label": spec.officer_label if spec else event.action,
                "comment": event.comment,
                "slip": spec.slip if spec and spec.slip in slips else None,
            }
        return event_for_applicant(event, slips)

    def get_label(self, event) -> str:
        return str(self._view(event)["label"])

    def get_comment(self, event) -> str:
        return self._view(event)["comment"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_slip_url(self, event) -> str | None:
        form = self._view(event)["slip"]
        if not form:
            return None
        path = reverse("dossiers:slip", args=[event.dossier_id, form])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class FileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DossierFile
        fields = [
            "id",
            "kind",
            "document_id",
            "document_name",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, file) -> str | None:
        try:
            path = reverse("dossiers:file", args=[file.dossier_id, file.pk])
        except NoReverseMatch:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["score", "comment", "at"]
        read_only_fields = fields


class ApplicantSerializer(serializers.Serializer):
    kind = serializers.CharField(source="applicant_kind")
    name = serializers.CharField(source="applicant_name")
    id_number = serializers.CharField(source="applicant_id_number")
    phone = serializers.CharField(source="applicant_phone")
    email = serializers.CharField(source="applicant_email")
    address = serializers.CharField(source="applicant_address")
    ward = serializers.IntegerField(source="applicant_ward_id", allow_null=True)
    ward_name = serializers.CharField(
        source="applicant_ward.name", allow_null=True, default=None, help_text="The ward's name."
    )
    full_address = serializers.CharField(
        source="applicant_full_address", help_text="The address followed by the ward's name."
    )
    organisation_name = serializers.CharField()


class StepRefSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    name = serializers.CharField()
    budget_days = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)


class DossierDetailSerializer(DossierSerializer):
    """A dossier with its applicant, history and files: only for those allowed to see it."""

    applicant = ApplicantSerializer(source="*", read_only=True)
    procedure_version = serializers.IntegerField(source="procedure_version.number", read_only=True)
    current_step = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    delivery_label = serializers.CharField(source="get_delivery_display", read_only=True)
    decision = serializers.ChoiceField(choices=Decision.choices, allow_blank=True, read_only=True)
    history = EventSerializer(source="events", many=True, read_only=True)
    files = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    payment_request = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = DossierSerializer.Meta.fields + [
            "original_due_at",
            "payment_request",
            "procedure_version",
            "applicant",
            "summary",
            "delivery",
            "delivery_label",
            "current_step",
            "assignee",
            "step_due_at",
            "supplement_count",
            "decision",
            "fee_amount",
            "fee_paid_at",
            "history",
            "files",
            "rating",
        ]
        read_only_fields = fields
        extra_kwargs = {
            **DUE_HELP,
            "original_due_at": {
                "help_text": "The appointment given at reception (form 01), pushed back only by "
                "the time waiting for the applicant; the statistics judge early / on time / "
                "late against it."
            },
        }

    @extend_schema_field(PaymentRequestSerializer(allow_null=True))
    def get_payment_request(self, dossier) -> dict | None:
        request = payment_request_open(dossier.pk, dossier.status)
        return PaymentRequestSerializer(request).data if request else None

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, dossier) -> list:
        """Officers of the dossier see every file; the applicant those
        ``selectors.file_shown_to_applicant`` allows (as on the portal)."""
        if self.context.get("officer"):
            files = list(dossier.files.all())
        else:
            files = dossier_files_for_applicant(dossier)
        return list(FileSerializer(files, many=True, context=self.context).data)

    @extend_schema_field(StepRefSerializer(allow_null=True))
    def get_current_step(self, dossier) -> dict | None:
        step = dossier.current_step
        if step is None:
            return None
        return {
            "index": dossier.step_index,
            "name": step["name"],
            "budget_days": step["budget_days"],
            "due_at": serializers.DateTimeField().to_representation(dossier.step_due_at)
            if dossier.step_due_at
            else None,
        }

    @extend_schema_field(
        serializers.DictField(allow_null=True, help_text='{"id": 12, "name": "Lê Văn C"}')
    )
    def get_assignee(self, dossier) -> dict | None:
        user = dossier.assignee
        return {"id": user.pk, "name": user.display_name} if user else None

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, dossier) -> dict | None:
        rating = getattr(dossier, "rating", None)
        return RatingSerializer(rating).data if rating else None


class TrackingSerializer(serializers.ModelSerializer):
    """What anyone holding the code may see: no personal data at all."""

    procedure = ProcedureRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    receiving_agency = serializers.CharField(source="receiving_agency.name", read_only=True)
    handling_agency = serializers.CharField(source="current_agency.name", read_only=True)
    payment_request = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "status",
            "status_label",
            "submitted_at",
            "received_at",
            "due_at",
            "new_due_at",
            "finished_at",
            "returned_at",
            "closed_at",
            "receiving_agency",
            "handling_agency",
            "payment_request",
        ]
        read_only_fields = fields
        extra_kwargs = DUE_HELP

    @extend_schema_field(PaymentRequestSerializer(allow_null=True))
    def get_payment_request(self, dossier) -> dict | None:
        request = payment_request_open(dossier.pk, dossier.status)
        return PaymentRequestSerializer(request).data if request else None


_datetime = serializers.DateTimeField()


def tracking_payload(row: dict) -> dict:
    """``TrackingSerializer``'s output built from ``selectors.dossier_tracking_row``.

    Tracking is the busiest public endpoint; building a ModelSerializer's fields on every request
    cost more than the lookup itself. A test keeps this equal to the serializer's output.
    """

    def when(name):
        value = row[name]
        return None if value is None else _datetime.to_representation(value)

    return {
        "code": row["code"],
        "procedure": {"code": row["procedure__code"], "name": row["procedure__name"]},
        "status": row["status"],
        "status_label": str(Status(row["status"]).label),
        "submitted_at": when("submitted_at"),
        "received_at": when("received_at"),
        "due_at": when("due_at"),
        "new_due_at": when("new_due_at"),
        "finished_at": when("finished_at"),
        "returned_at": when("returned_at"),
        "closed_at": when("closed_at"),
        "receiving_agency": row["receiving_agency__name"],
        "handling_agency": row["current_agency__name"],
        "payment_request": _payment_payload(row["id"], row["status"]),
    }


def _payment_payload(dossier_id: int, status: int) -> dict | None:
    request = payment_request_open(dossier_id, status)
    return PaymentRequestSerializer(request).data if request else None


class SubmissionReceiptSerializer(serializers.Serializer):
    """The answer to a submission: what to keep and where to follow it. The full dossier, with
    its history and files, is at ``url``."""

    code = serializers.CharField()
    url = serializers.SerializerMethodField()
    tracking_url = serializers.SerializerMethodField()
    procedure = ProcedureRefSerializer()
    status = serializers.IntegerField()
    status_label = serializers.CharField(source="get_status_display")
    version = serializers.IntegerField(help_text="Send it back as `expected_version`.")
    submitted_at = serializers.DateTimeField()
    receiving_agency = serializers.CharField(source="receiving_agency.name")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, dossier) -> str:
        return self.context["url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_tracking_url(self, dossier) -> str:
        return self.context["tracking_url"]


# --- writing -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class WardField(serializers.PrimaryKeyRelatedField):
    """A ward by its code; typed plainly so the schema does not depend on the database's
    integer range."""


class CodeSlugField(serializers.SlugRelatedField):
    """A related object by its code, typed by hand: "1.011442.000.00.00.h38 " finds
    "1.011442.000.00.00.H38" (``core.text.code_normalize``)."""

    def to_internal_value(self, data):
        return super().to_internal_value(code_normalize(data) if isinstance(data, str) else data)


class DossierSubmitSerializer(serializers.Serializer):
    """A dossier submitted online, as ``multipart/form-data``.

    Attach one file per required document: repeat the ``documents`` part once per file and the
    ``document_ids`` part once per file, in the same order, giving the id of the required
    document (from ``GET /api/v1/procedures/{code}/``) that each file answers.
    """

    procedure = CodeSlugField(
        slug_field="code",
        queryset=Procedure.objects.filter(is_active=True).select_related(
            "agency__served_by", "current_version"
        ),
        help_text="The procedure's national code.",
        error_messages={"does_not_exist": _("There is no published procedure with this code.")},
    )
    applicant_kind = serializers.ChoiceField(
        choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    applicant_name = serializers.CharField(max_length=200)
    applicant_id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        validators=[validate_id_number],
        help_text="Citizen identity number (12 digits), old identity card number (9 digits) or "
        "tax number (10 digits, or 10-3 for a branch); spaces and dots are ignored.",
    )
    applicant_phone = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        validators=[validate_phone],
        help_text="Vietnamese phone number in any common notation (0912 345 678, +84912345678, "
        "(+84) 912-345-678); stored as 0912345678.",
    )
    applicant_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    applicant_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    applicant_ward = WardField(
        queryset=Ward.objects.all(), required=False, allow_null=True, help_text="Ward code."
    )
    agency = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="For a procedure the communes carry out (`at_communes`): the code of the "
        "commune People's Committee that should carry it out, in any case and spacing. Give "
        "this or `ward`; both must name the same committee (400 on `agency` otherwise).",
    )
    ward = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="For a procedure the communes carry out: the code of the ward or commune whose "
        "People's Committee should carry it out (400 if it is outside the province or has no "
        "committee on this system).",
    )
    organisation_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    delivery = serializers.ChoiceField(choices=Delivery.choices, default=Delivery.DESK)
    documents = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=50
    )
    document_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )

    def validate(self, attrs):
        files, ids = attrs["documents"], attrs["document_ids"]
        if len(files) != len(ids):
            raise serializers.ValidationError(
                {"document_ids": _("Give one document id for each file, in the same order.")}
            )
        procedure = attrs["procedure"]
        if procedure.current_version is None:
            raise serializers.ValidationError(
                {"procedure": _("There is no published procedure with this code.")}
            )
        if procedure.online_level == Procedure.OnlineLevel.NONE:
            raise serializers.ValidationError(
                {"procedure": _("This procedure cannot be submitted online.")}
            )
        documents = procedure.current_version.documents
        known = {doc["id"] for doc in documents}
        if set(ids) - known:
            raise serializers.ValidationError(
                {"document_ids": _("A file names a document this procedure does not ask for.")}
            )
        missing = [doc["name"] for doc in documents if doc["required"] and doc["id"] not in ids]
        if missing:
            raise serializers.ValidationError(
                {
                    "documents": _("Please attach: %(documents)s.")
                    % {"documents": "; ".join(missing)}
                }
            )
        if (
            attrs["applicant_kind"] == ApplicantKind.ORGANISATION
            and not attrs.get("organisation_name", "").strip()
        ):
            raise serializers.ValidationError(
                {"organisation_name": _("Enter the organisation's name.")}
            )
        agency_code = code_normalize(attrs.get("agency"))
        ward = attrs.get("ward")
        try:
            attrs["implementing_agency"] = implementing_agency_get(
                procedure, agency=agency_code or None, ward=ward
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {"ward" if ward else "agency": error.message_dict["agency"]}
            ) from None
        if agency_code and ward and attrs["implementing_agency"].code != agency_code:
            raise serializers.ValidationError(
                {
                    "agency": _(
                        "This agency is not the People's Committee of the ward or commune "
                        "given in ward: give one of them, or both for the same committee."
                    )
                }
            )
        return attrs


class ActionSerializer(serializers.Serializer):
    """The parameters of an action; each action reads only its own (see the operation)."""

    expected_version = serializers.IntegerField(
        min_value=1,
        help_text="The dossier's `version` as you last read it; 409 `conflict` if it changed.",
    )
    checklist = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=100,
        help_text="receive: ids of the required documents checked at the desk.",
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="refuse, request_supplement, reject, stop (required); withdraw (optional).",
    )
    document_names = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        max_length=100,
        help_text="request_supplement: names of the required documents to supplement.",
    )
    comment = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="supplement, forward, send_back (required), reassign, approve, "
        "request_payment, confirm_payment, finish, return_result, rate.",
    )
    assignee = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="forward (optional), reassign (required): the officer's user id.",
    )
    to_step = serializers.IntegerField(
        min_value=0, required=False, help_text="send_back: index of an earlier step."
    )
    amount = serializers.IntegerField(
        min_value=1,
        max_value=2_147_483_647,
        required=False,
        help_text="request_payment: the amount to pay; confirm_payment: the amount received (VND).",
    )
    purpose = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="request_payment: what it is for (public: no personal data).",
    )
    pay_at = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="request_payment: how and where to pay (default: at the receiving desk).",
    )
    bank_details = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="request_payment: bank transfer details (optional).",
    )
    pay_within_days = serializers.IntegerField(
        min_value=1,
        max_value=60,
        required=False,
        allow_null=True,
        help_text="request_payment: working days to pay (or give `pay_by`).",
    )
    pay_by = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="request_payment: the date to pay by (end of office hours); takes the place "
        "of `pay_within_days`.",
    )
    method = serializers.ChoiceField(
        choices=PaymentMethod.choices, required=False, help_text="confirm_payment."
    )
    reference = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="confirm_payment: the receipt or transaction number.",
    )
    delivery = serializers.ChoiceField(
        choices=Delivery.choices, required=False, help_text="return_result."
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=20,
        help_text="supplement, finish (required); forward (optional).",
    )
    score = serializers.IntegerField(
        min_value=1, max_value=5, required=False, help_text="rate: 1 to 5."
    )


class AllowedActionSerializer(serializers.Serializer):
    # Declared fields leave the class (the metaclass collects them), so they may be named like
    # Field attributes; the stubs see the attributes.
    action = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    parameters = serializers.ListField(child=serializers.CharField())
    required = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]


class AllowedActionsSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    actions = AllowedActionSerializer(many=True)
