"""Dossiers through the API: submit (idempotent), list, detail, act, and public tracking.

Every write goes through ``tinhso.dossiers.services``; what a caller may see comes from
``tinhso.dossiers.selectors``: a dossier the caller may not see answers 404, as if it did not
exist.
"""

from __future__ import annotations

import hashlib
import json
from typing import cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from tinhso.accounts.authentication import HasTokenScope
from tinhso.accounts.scopes import DOSSIERS_ACT, DOSSIERS_READ, DOSSIERS_SUBMIT
from tinhso.accounts.tokens import token_allows
from tinhso.core import errors
from tinhso.core.api import CodeLookupMixin, ScopedThrottle, error_responses
from tinhso.core.parsers import FormParser, JSONParser, MultiPartParser
from tinhso.core.text import code_normalize
from tinhso.core.uploads import upload_check
from tinhso.dossiers import selectors, services
from tinhso.dossiers.actions import OFFERED, SPECS
from tinhso.dossiers.api.serializers import (
    ActionSerializer,
    AllowedActionsSerializer,
    DossierDetailSerializer,
    DossierSerializer,
    DossierSubmitSerializer,
    SubmissionReceiptSerializer,
    TrackingSerializer,
    tracking_payload,
)
from tinhso.dossiers.constants import ACTIVE_STATUSES, Channel, Status
from tinhso.dossiers.models import Dossier, DossierEvent
from tinhso.org.selectors import officer_is_scoped

User = get_user_model()

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"

# Each action's parameters and which of them it requires, from its spec (dossiers.actions);
# the service takes them under the same names.
ACTION_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    name: (SPECS[name].param_names, SPECS[name].required) for name in OFFERED
}


def uploads_check(uploads) -> None:
    """Refuse a file that is not a real PDF, JPEG or PNG, or is too large, before any write."""
    for index, upload in enumerate(uploads or []):
        try:
            upload_check(upload)
        except DjangoValidationError as exc:
            # Keyed by the file's index, as DRF's ListField keys its items' errors; the stubs
            # allow str keys only.
            raise serializers.ValidationError({index: exc.messages}) from None  # type: ignore[dict-item]
        finally:
            upload.seek(0)


def _with_details(qs):
    # Everything DossierDetailSerializer reads, joined (no query per related object).
    return qs.select_related(
        "procedure",
        "procedure_version",
        "receiving_agency",
        "agency",
        "current_agency",
        "assignee",
        "rating",
        "applicant_ward",
    ).prefetch_related(
        Prefetch("events", queryset=DossierEvent.objects.select_related("actor")), "files"
    )


# --- idempotency ---------------------------------------------------------------------------------
def request_digest(request) -> str:
    """A keyed hash of the submission: its fields and the content of its files."""
    files = {}
    for name in sorted(request.FILES):
        digests = []
        for upload in request.FILES.getlist(name):
            sha = hashlib.sha256()
            for chunk in upload.chunks():
                sha.update(chunk)
            upload.seek(0)
            digests.append(sha.hexdigest())
        files[name] = digests
    data = request.data
    if hasattr(data, "lists"):
        fields = {key: values for key, values in data.lists() if key not in request.FILES}
    else:  # JSON: whatever it holds, even not an object (the serializer refuses that)
        fields = data
    payload = json.dumps({"fields": fields, "files": files}, sort_keys=True, default=str)
    return salted_hmac("tinhso.api.idempotency", payload).hexdigest()


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = _(
        "This Idempotency-Key was already used for a different request. "
        "Use a new key for a new submission."
    )


# --- schema helpers ------------------------------------------------------------------------------
ORDERINGS = ["submitted_at", "-submitted_at", "received_at", "-received_at", "due_at", "-due_at"]
CODE = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="The dossier code."
)
ACTION_DOC = "\n".join(
    f"- `{name}`: {', '.join(f'`{p}`' for p in params) or 'no parameters'}"
    + (f" (required: {', '.join(f'`{p}`' for p in required)})" if required else "")
    for name, (params, required) in ACTION_PARAMS.items()
)


class DossierFilterSerializer(serializers.Serializer):
    """The dossier list's filters: they check the query and document it (the schema's
    parameters are these fields)."""

    status = serializers.MultipleChoiceField(
        choices=Status.choices,
        required=False,
        help_text="National status code(s); repeat to give several.",
    )
    procedure = serializers.CharField(required=False, max_length=40, help_text="Procedure code.")
    received_from = serializers.DateField(
        required=False, help_text="Received on or after (local date)."
    )
    received_to = serializers.DateField(
        required=False, help_text="Received on or before (local date)."
    )
    overdue = serializers.BooleanField(
        required=False,
        help_text="true: only dossiers past their appointment; false: none of them.",
    )
    ordering = serializers.ChoiceField(
        choices=ORDERINGS,
        required=False,
        help_text="Sort order; newest submissions first by default.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Dossiers the caller may see",
        description="A citizen sees their own dossiers; an officer those of their agency.",
        tags=["dossiers"],
        parameters=[DossierFilterSerializer],
        responses={200: DossierSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="One dossier with its history and files",
        tags=["dossiers"],
        parameters=[CODE],
        responses={200: DossierDetailSerializer, **error_responses(401, 404)},
    ),
)
class DossierViewSet(
    CodeLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated, HasTokenScope]
    # What an integration token needs for each action (tinhso.accounts.scopes).
    required_scopes = {
        "list": DOSSIERS_READ,
        "retrieve": DOSSIERS_READ,
        "actions": DOSSIERS_READ,
        "create": DOSSIERS_SUBMIT,
        "act": DOSSIERS_ACT,
    }
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    throttle_scope = "submission"
    parser_classes = [MultiPartParser, FormParser, JSONParser]  # multipart first: files
    # Files each action takes (the serializers' max_length): bounds the request's size
    # before it is read (core.request_guard).
    upload_max_files = {
        "create": cast(
            serializers.ListField, DossierSubmitSerializer._declared_fields["documents"]
        ).max_length,
        "act": cast(serializers.ListField, ActionSerializer._declared_fields["files"]).max_length,
    }

    def get_throttles(self):
        return [ScopedThrottle()] if self.action == "create" else []

    def get_queryset(self):
        qs = selectors.dossier_list_for_user(self.request.user)
        if self.action != "list":
            return _with_details(qs)
        params = DossierFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if data.get("status"):
            qs = qs.filter(status__in=data["status"])
        if data.get("procedure"):
            qs = qs.filter(procedure__code=code_normalize(data["procedure"]))
        if data.get("received_from"):
            qs = qs.filter(received_at__date__gte=data["received_from"])
        if data.get("received_to"):
            qs = qs.filter(received_at__date__lte=data["received_to"])
        overdue = {"status__in": list(ACTIVE_STATUSES), "due_at__lt": timezone.now()}
        if data.get("overdue") is True:
            qs = qs.filter(**overdue)
        elif data.get("overdue") is False:
            qs = qs.exclude(**overdue)
        if data.get("ordering"):
            qs = qs.order_by(data["ordering"], "-pk")
        return qs

    def get_serializer_class(self):
        return DossierSerializer if self.action == "list" else DossierDetailSerializer

    def _detail(self, dossier: Dossier, **kwargs) -> Response:
        dossier = _with_details(Dossier.objects.all()).get(pk=dossier.pk)
        return Response(
            DossierDetailSerializer(dossier, context=self.get_serializer_context()).data, **kwargs
        )

    def get_serializer_context(self):
        # Whether the caller reads the dossier as an officer (everything) or as its applicant
        # (public comments only): the same rule as ``_visible``.
        user = self.request.user
        return {
            **super().get_serializer_context(),
            "officer": officer_is_scoped(user),
        }

    def _receipt(self, dossier: Dossier, **kwargs) -> Response:
        """The short answer to a submission (and to its replays): no second read of the dossier."""
        request = self.request
        context = {
            "url": dossier_url(request, dossier),
            # The same link as the slip's QR code and the messages: on the site (SITE_URL).
            "tracking_url": selectors.dossier_tracking_url(dossier),
        }
        return Response(SubmissionReceiptSerializer(dossier, context=context).data, **kwargs)

    # --- submission ------------------------------------------------------------------------------
    @extend_schema(
        summary="Submit a dossier online",
        description=(
            "Multipart form: the applicant's fields, then one `documents` file part and one "
            "`document_ids` part per required document, in the same order.\n\n"
            f"Send an `{IDEMPOTENCY_HEADER}` header (any unique string up to 100 characters) so "
            "that a retried request never creates a second dossier: the same key with the same "
            f"payload answers 200 with the same dossier and `{REPLAYED_HEADER}: true`; the same "
            "key with another payload answers 422."
        ),
        tags=["dossiers"],
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="A unique key per submission, reused only to retry it.",
            )
        ],
        request={"multipart/form-data": DossierSubmitSerializer},
        responses={
            201: SubmissionReceiptSerializer,
            200: OpenApiResponse(
                SubmissionReceiptSerializer,
                description=f"A replay of an earlier submission with the same "
                f"`{IDEMPOTENCY_HEADER}` (`{REPLAYED_HEADER}: true`).",
            ),
            **error_responses(400, 401, 409, 422, 429),
        },
    )
    def create(self, request):
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(key) > 100:
            raise serializers.ValidationError(
                {IDEMPOTENCY_HEADER: _("The Idempotency-Key must be at most 100 characters.")}
            )
        digest = request_digest(request) if key else ""
        # A replay is recognised under the user's lock in _submit, after the same validation.
        serializer = DossierSubmitSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        uploads_check_field(data["documents"], "documents")
        try:
            # The service recognises a replay under the user's lock, after the same validation.
            dossier, replayed = services.dossier_submit_idempotent(
                key=key, request_hash=digest, actor=request.user, **self._submit_params(data)
            )
        except errors.IdempotencyKeyReused:
            raise IdempotencyKeyReused() from None
        if replayed:
            return self._receipt(dossier, headers={REPLAYED_HEADER: "true"})
        return self._receipt(
            dossier,
            status=status.HTTP_201_CREATED,
            headers={"Location": dossier_url(request, dossier)},
        )

    @staticmethod
    def _submit_params(data: dict) -> dict:
        return {
            "procedure": data["procedure"],
            "channel": Channel.ONLINE,
            "applicant_kind": data["applicant_kind"],
            "applicant_name": data["applicant_name"],
            "applicant_id_number": data.get("applicant_id_number", ""),
            "applicant_phone": data.get("applicant_phone", ""),
            "applicant_email": data.get("applicant_email", ""),
            "applicant_address": data.get("applicant_address", ""),
            "applicant_ward": data.get("applicant_ward"),
            "organisation_name": data.get("organisation_name", ""),
            "summary": data.get("summary", ""),
            "delivery": data["delivery"],
            "agency": data["implementing_agency"],
            "documents": [
                (upload, {"document_id": document_id})
                for upload, document_id in zip(data["documents"], data["document_ids"], strict=True)
            ],
        }

    # --- actions ---------------------------------------------------------------------------------
    @extend_schema(
        summary="What the caller may do with the dossier now",
        tags=["dossiers"],
        parameters=[CODE],
        responses={200: AllowedActionsSerializer, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="actions")
    def actions(self, request, code=None):
        dossier = self.get_object()
        names = services.dossier_allowed_actions(dossier=dossier, actor=request.user)
        actions = [
            {
                "action": name,
                "label": str(SPECS[name].officer_label),
                "parameters": ["expected_version", *ACTION_PARAMS[name][0]],
                "required": ["expected_version", *ACTION_PARAMS[name][1]],
            }
            for name in names
        ]
        return Response({"version": dossier.version, "status": dossier.status, "actions": actions})

    @extend_schema(
        summary="Act on a dossier",
        description=(
            "Officers move the dossier through the one-stop process; the applicant supplements, "
            "withdraws or rates it. Send `expected_version` (the dossier's `version`): if the "
            "dossier changed meanwhile the answer is 409 with code `conflict`. Files go as "
            "multipart `files` parts; otherwise JSON is fine. Parameters per action:\n\n"
            + ACTION_DOC
        ),
        tags=["dossiers"],
        parameters=[
            CODE,
            OpenApiParameter(
                "action_name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(ACTION_PARAMS),
                description="The action.",
            ),
        ],
        request={
            "application/json": ActionSerializer,
            "multipart/form-data": ActionSerializer,
        },
        responses={
            200: OpenApiResponse(
                DossierDetailSerializer,
                description="The dossier after the action. To an integration token without "
                "`dossiers:read`, only `code`, `status` and `version`.",
            ),
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request, code=None, action_name=None):
        if action_name not in ACTION_PARAMS:
            raise exceptions.NotFound(_("Unknown action."))
        dossier = self.get_object()
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        params, required = ACTION_PARAMS[action_name]
        missing = [name for name in required if data.get(name) in (None, "", [])]
        if missing:
            raise serializers.ValidationError(
                {name: [_("This field is required.")] for name in missing}
            )
        uploads_check_field(data.get("files"), "files")
        kwargs = {}
        for name in params:
            if name not in data:
                continue
            value = data[name]
            if name == "assignee" and value is not None:
                value = User.objects.filter(pk=value, officer__isnull=False).first()
                if value is None:
                    raise serializers.ValidationError(
                        {"assignee": [_("There is no such officer.")]}
                    )
            kwargs[name] = value
        # The service deletes the files it stored if it fails.
        result = services.dossier_act(
            dossier=dossier,
            action=action_name,
            actor=request.user,
            expected_version=data["expected_version"],
            **kwargs,
        )
        acted = result if isinstance(result, Dossier) else dossier
        if not token_allows(request.auth, DOSSIERS_READ):
            # A token that may act but not read learns what it changed, nothing more.
            acted.refresh_from_db(fields=["status", "version"])
            return Response({"code": acted.code, "status": acted.status, "version": acted.version})
        return self._detail(acted)


def uploads_check_field(uploads, field: str) -> None:
    try:
        uploads_check(uploads)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({field: exc.detail}) from None


def dossier_url(request, dossier: Dossier) -> str:
    return request.build_absolute_uri(reverse("api:dossier-detail", args=[dossier.code]))


class TrackingViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Anyone with a dossier code may follow its progress; no personal data is shown."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "tracking"
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    serializer_class = TrackingSerializer
    queryset = Dossier.objects.none()  # the lookup is selectors.dossier_tracking_row

    @extend_schema(
        summary="Follow a dossier by its code",
        description="Public and anonymous: the procedure, status, dates and agencies only.",
        tags=["tracking"],
        parameters=[CODE],
        responses={200: TrackingSerializer, **error_responses(404, 429)},
        auth=[],
    )
    def retrieve(self, request, code=None):
        row = selectors.dossier_tracking_row(code or "")
        if row is None:
            raise exceptions.NotFound()
        return Response(tracking_payload(row))
