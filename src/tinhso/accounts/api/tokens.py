"""The API's tokens: the second factor on ``POST /auth/token/``, sign-out of the token in use,
and each person's list of their tokens (``/auth/tokens/``), where they create integration tokens
and revoke any of theirs. Writes go through ``tinhso.accounts.tokens``."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tinhso.accounts import otp, tokens
from tinhso.accounts.authentication import HasTokenScope
from tinhso.accounts.models import ApiToken
from tinhso.accounts.scopes import SCOPES
from tinhso.core.api import error_responses


class SecondFactorRequired(exceptions.ValidationError):
    """400 with ``code: otp_required``: the account needs a code from its authenticator app."""

    default_code = "otp_required"


def api_second_factor_check(*, request, user, code: str) -> None:
    """Refuse a token to an officer or administrator without a right ``code`` (``otp``)."""
    if not otp.second_factor_required(user):
        return
    if not otp.otp_has_device(user):
        raise SecondFactorRequired(
            {
                "otp": [
                    _(
                        "This account needs a code from an authenticator app: sign in on the "
                        "website once to set one up."
                    )
                ]
            }
        )
    if not code:
        raise SecondFactorRequired(
            {"otp": [_("This account needs the code from its authenticator app in `otp`.")]}
        )
    if otp.otp_verify(request=request, user=user, code=code) is None:
        raise serializers.ValidationError({"otp": [_("The code is not correct.")]})


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>`. Shown only now: keep it."
    )
    id = serializers.IntegerField(help_text="The token's id in `/auth/tokens/`.")
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


def token_issued(token: ApiToken, key: str) -> dict:
    """The answer that hands out a new key, with ``expires_at`` in the site's time zone
    (``+07:00``) like every other date the API writes."""
    issued = {"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}
    return dict(TokenIssuedSerializer(issued).data)


def token_sign_out(request) -> Response:
    """Revoke the token the request came with (``DELETE /auth/token/``)."""
    token = request.auth
    if not isinstance(token, ApiToken):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("This request was not made with a token.")]}
        )
    tokens.token_revoke(token=token, actor=request.user, reason=ApiToken.Revoked.SIGN_OUT)
    return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(read_only=True, help_text="The key's first characters.")
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SCOPES.items())),
        read_only=True,
        help_text="What an integration token may do; empty for a personal token, which may do "
        "what its owner may.",
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "kind",
            "scopes",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
        ]
        read_only_fields = fields


class IntegrationTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="What the integration is.")
    scopes = serializers.MultipleChoiceField(
        choices=list(SCOPES.items()), help_text="What the token may do (at least one)."
    )
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=settings.API_INTEGRATION_TOKEN_TTL_DAYS,
        help_text="Days it lives (default and longest: API_INTEGRATION_TOKEN_TTL_DAYS).",
    )
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
        help_text="The caller's password again: a session or a personal token alone cannot "
        "create a long-lived token.",
    )
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Officers and administrators: the current code of their authenticator app "
        "(or a backup code).",
    )


@extend_schema_view(
    list=extend_schema(
        summary="My tokens that still work",
        tags=["auth"],
        responses={200: ApiTokenSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(
        summary="One of my tokens",
        tags=["auth"],
        responses={200: ApiTokenSerializer, **error_responses(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Create an integration token with scopes",
        description="The key is in the answer only: keep it. Not with an integration token. "
        "Asks for the password again, and from officers and administrators a current code "
        "(`otp`); wrong ones count toward the sign-in limit.",
        tags=["auth"],
        request=IntegrationTokenCreateSerializer,
        responses={201: TokenIssuedSerializer, **error_responses(400, 401, 403)},
    ),
    destroy=extend_schema(
        summary="Revoke one of my tokens",
        tags=["auth"],
        responses={
            204: OpenApiResponse(description="Revoked."),
            **error_responses(401, 403, 404),
        },
    ),
)
class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own tokens (someone else's answer 404). A web session or a personal token
    manages them; an integration token may not (no scope opens these)."""

    permission_classes = [IsAuthenticated, HasTokenScope]
    required_scopes: dict[str, str] = {}
    serializer_class = ApiTokenSerializer
    pagination_class = None
    lookup_value_regex = r"[0-9]{1,18}"  # an id; anything else is 404 before the database

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return ApiToken.objects.none()
        return tokens.token_list_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = IntegrationTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            tokens.token_reauthenticate(
                request=request,
                user=request.user,
                password=data["password"],
                code=data.get("otp", ""),
            )
            token, key = tokens.token_issue(
                user=request.user,
                actor=request.user,
                name=data["name"],
                kind=ApiToken.Kind.INTEGRATION,
                scopes=data["scopes"],
                days=data.get("days"),
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        return Response(token_issued(token, key), status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        tokens.token_revoke(token=instance, actor=self.request.user, reason=ApiToken.Revoked.OWNER)
