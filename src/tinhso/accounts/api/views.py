"""Tokens for integrations: ``Authorization: Token <key>``."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhso.accounts.api.tokens import (
    TokenIssuedSerializer,
    api_second_factor_check,
    token_issued,
    token_sign_out,
)
from tinhso.accounts.authentication import HasTokenScope
from tinhso.accounts.lockout import lockout_message, lockout_seconds
from tinhso.accounts.models import ApiToken
from tinhso.accounts.scopes import ANY
from tinhso.accounts.tokens import token_issue
from tinhso.core.api import ScopedThrottle, error_responses


class SignInLocked(exceptions.Throttled):
    """Too many failed sign-ins for the account or from the address (django-axes): 429 in the
    error envelope, with ``Retry-After``."""

    default_detail = _("Too many failed sign-ins for this account or from your address.")

    detail_says_the_wait = True  # core.api keeps this detail whole

    def __init__(self, wait: int) -> None:
        # The same words as the sign-in page, in minutes (DRF's own text counts seconds).
        super().__init__(detail=lockout_message(wait))
        self.wait = wait


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=150, help_text="User name, phone number or e-mail address."
    )
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Officers and administrators: the code of their authenticator app.",
    )
    name = serializers.CharField(
        max_length=100, required=False, help_text="A name to recognise the token by."
    )

    def validate(self, attrs):
        request = self.context["request"]
        # The limiter (django-axes, accounts.lockout) runs inside authenticate(), as for the
        # portal's and the admin's sign-in: one count per account and per address for all.
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None and getattr(request, "axes_locked_out", False):
            raise SignInLocked(lockout_seconds(request, attrs["username"]))
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenView(APIView):
    """Exchange a user name (or phone in any notation, or e-mail) and password (and, for
    officers and administrators, a code) for a personal API token; revoke the token in use to
    sign out.

    Failed sign-ins (and wrong codes) count with the portal's and the admin's: after 5 for one
    account (from any address) or 20 from one address within 15 minutes, the answer is 429
    `throttled` with `Retry-After` until the lock ends."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth"
    throttle_methods = ["POST"]
    required_scopes = {"DELETE": ANY}

    def get_authenticators(self):
        # Only signing out needs the caller: signing in ignores any Authorization header (a stale
        # token must not block it), and any other method answers 405.
        return super().get_authenticators() if self._signing_out() else []

    def _signing_out(self) -> bool:
        request = getattr(self, "request", None)  # None while the schema is generated
        return request is None or request.method == "DELETE"

    def get_permissions(self):
        if self._signing_out():
            return [IsAuthenticated(), HasTokenScope()]
        return [AllowAny()]

    @extend_schema(
        summary="Get an API token",
        description=(
            "A personal token, living `API_TOKEN_TTL_DAYS` days, with its owner's rights. "
            "Officers and administrators send the code of their authenticator app in `otp`; "
            "without it the answer is 400 with code `otp_required`."
        ),
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={200: TokenIssuedSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        api_second_factor_check(
            request=request, user=user, code=serializer.validated_data.get("otp", "")
        )
        token, key = token_issue(
            user=user,
            actor=user,
            name=serializer.validated_data.get("name") or str(_("Signed in through the API")),
            kind=ApiToken.Kind.PERSONAL,
        )
        return Response(token_issued(token, key))

    @extend_schema(
        summary="Sign out: revoke the token in use",
        description="The token sent with this request stops working at once.",
        tags=["auth"],
        request=None,
        responses={
            204: OpenApiResponse(description="The token no longer works."),
            **error_responses(400, 401),
        },
    )
    def delete(self, request):
        return token_sign_out(request)
