"""The public catalogue, read-only: fields, agencies and procedures."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from tinhso.catalog.api.serializers import (
    AgencySerializer,
    FieldSerializer,
    ProcedureDetailSerializer,
    ProcedureSerializer,
)
from tinhso.catalog.models import Procedure
from tinhso.catalog.selectors import PUBLISHED, agency_list, field_list, procedure_list
from tinhso.core.api import CodeLookupMixin, error_responses


class ProcedureFilterSerializer(serializers.Serializer):
    """The procedure list's filters: they check the query and document it (the schema's
    parameters are these fields, with their bounds)."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words of the name or code; accents optional (“dang ky khai sinh”).",
    )
    # Ids are 64-bit signed integers in every database.
    field = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Field id (see /fields/)."
    )
    agency = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Implementing agency id (see /agencies/).",
    )
    online = serializers.BooleanField(
        required=False, default=False, help_text="Only procedures that can be submitted online."
    )


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []


@extend_schema_view(
    list=extend_schema(summary="Fields of procedures", tags=["catalogue"]),
    retrieve=extend_schema(
        summary="One field",
        tags=["catalogue"],
        responses={200: FieldSerializer, **error_responses(404)},
    ),
)
class FieldViewSet(_Public, viewsets.ReadOnlyModelViewSet):
    queryset = field_list()
    serializer_class = FieldSerializer


@extend_schema_view(
    list=extend_schema(summary="Agencies", tags=["catalogue"]),
    retrieve=extend_schema(
        summary="One agency",
        tags=["catalogue"],
        responses={200: AgencySerializer, **error_responses(404)},
    ),
)
class AgencyViewSet(_Public, viewsets.ReadOnlyModelViewSet):
    queryset = agency_list()
    serializer_class = AgencySerializer


@extend_schema_view(
    list=extend_schema(
        summary="Search the procedures",
        tags=["catalogue"],
        parameters=[ProcedureFilterSerializer],
        responses={200: ProcedureSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        summary="One procedure with its documents, fees and steps",
        tags=["catalogue"],
        responses={200: ProcedureDetailSerializer, **error_responses(404)},
    ),
)
class ProcedureViewSet(CodeLookupMixin, _Public, viewsets.ReadOnlyModelViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    serializer_class = ProcedureSerializer

    def get_queryset(self):
        if self.action == "list":
            params = ProcedureFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            data = params.validated_data
            return procedure_list(
                q=data.get("q", "").strip(),
                field_id=data.get("field"),
                agency_id=data.get("agency"),
                online_only=data["online"],
            )
        return Procedure.objects.filter(PUBLISHED).select_related(
            "field", "agency", "current_version"
        )

    def get_serializer_class(self):
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureSerializer
