from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tinhso.catalog.models import Field, Procedure
from tinhso.org.models import Agency


class FieldRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "code", "name"]


class FieldSerializer(serializers.ModelSerializer):
    procedure_count = serializers.IntegerField(
        read_only=True, help_text="Published procedures in this field."
    )

    class Meta:
        model = Field
        fields = ["id", "code", "name", "procedure_count"]


class AgencySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    procedure_count = serializers.IntegerField(
        read_only=True, help_text="Published procedures this agency implements."
    )
    desk_id = serializers.IntegerField(
        source="desk.pk",
        read_only=True,
        help_text="The agency whose one-stop desk receives this agency's dossiers.",
    )

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "parent_id",
            "desk_id",
            "address",
            "phone",
            "email",
            "procedure_count",
        ]


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name"]


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Send it in `document_ids` when submitting a dossier.")
    name = serializers.CharField()
    case = serializers.CharField(
        default="", help_text="The case (trường hợp) it belongs to, when there are several."
    )
    forms = serializers.CharField(
        default="", help_text="Names of the published forms (mẫu đơn, tờ khai), '; '-separated."
    )
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # the document's, not Field.required


class FeeSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount = serializers.IntegerField(help_text="VND")
    note = serializers.CharField()
    channel = serializers.IntegerField(
        allow_null=True,
        default=None,
        help_text="1 in person, 2 online, 3 by post; null: every channel.",
    )


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    budget_days = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=True, help_text="Working days."
    )
    at_desk = serializers.BooleanField()


class ProcedureSerializer(serializers.ModelSerializer):
    field = FieldRefSerializer(read_only=True)
    agency = AgencyRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The province-level implementing agency; null when only the communes carry "
        "it out.",
    )
    online_level_label = serializers.CharField(source="get_online_level_display", read_only=True)
    applicants_label = serializers.CharField(source="get_applicants_display", read_only=True)
    version = serializers.IntegerField(
        source="current_version.number",
        read_only=True,
        allow_null=True,
        help_text="The version of the rules in force; a new dossier is handled under it.",
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="api:procedure-detail", lookup_field="code"
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "agency",
            "at_communes",
            "applicants",
            "applicants_label",
            "processing_days",
            "processing_time_text",
            "online_level",
            "online_level_label",
            "accepts_in_person",
            "accepts_postal",
            "version",
            "url",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    """A procedure with the rules of its version in force (what a new dossier is checked
    against): required documents, fees and the steps of the internal process."""

    documents = serializers.SerializerMethodField()
    fees = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta(ProcedureSerializer.Meta):
        fields = ProcedureSerializer.Meta.fields + [
            "steps_description",
            "requirements",
            "result_description",
            "legal_basis",
            "documents",
            "fees",
            "steps",
        ]

    def _snapshot(self, procedure) -> dict:
        version = procedure.current_version
        return version.snapshot if version else {}

    @staticmethod
    def _doc(doc: dict) -> dict:
        keys = ("id", "name", "case", "forms", "originals", "copies", "required")
        return {key: doc[key] for key in keys if key in doc}

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, procedure) -> list[dict]:
        docs = self._snapshot(procedure).get("documents", [])
        data = DocumentSerializer([self._doc(d) for d in docs], many=True).data
        return cast(list[dict[str, Any]], data)  # a ReturnList with many=True

    @extend_schema_field(FeeSerializer(many=True))
    def get_fees(self, procedure) -> list[dict]:
        data = FeeSerializer(self._snapshot(procedure).get("fees", []), many=True).data
        return cast(list[dict[str, Any]], data)

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, procedure) -> list[dict]:
        steps = self._snapshot(procedure).get("steps", [])
        return cast(list[dict[str, Any]], StepSerializer(steps, many=True).data)
