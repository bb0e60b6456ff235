"""Tokens for integrations: ``Authorization: Token <key>``."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhso.core.api import ScopedThrottle, error_responses


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=150, help_text="User name, phone number or e-mail address."
    )
    password = serializers.CharField(max_length=128, style={"input_type": "password"})

    def validate(self, attrs):
        user = authenticate(
            self.context["request"], username=attrs["username"], password=attrs["password"]
        )
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class TokenView(APIView):
    """Exchange a user name (or phone, or e-mail) and password for an API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth"

    @extend_schema(
        summary="Get an API token",
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
