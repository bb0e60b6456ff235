"""API authentication: our expiring, revocable tokens (``tinhso.accounts.tokens``), the web
session (only once the second factor is given, for those who need it), and the scope check
every API view runs for integration tokens (``tinhso.accounts.scopes``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme as SpectacularSessionScheme
from rest_framework import authentication, exceptions, permissions

from tinhso.accounts.otp import session_allowed
from tinhso.accounts.scopes import view_required_scope
from tinhso.accounts.tokens import token_allows, token_for_key, token_touch


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``: the key's token if it is neither expired nor revoked and
    its owner is active; each refusal answers 401 in the API's error envelope."""

    def authenticate_credentials(self, key):
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.is_active:
            raise exceptions.AuthenticationFailed(
                _("This token has expired or was revoked. Get a new one.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token_touch(token)
        return (token.user, token)


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (with its CSRF check), refusing a session that still owes
    the second factor (an officer's or an administrator's, between password and code)."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None and not session_allowed(found[0]):
            raise exceptions.AuthenticationFailed(
                _("Finish signing in with the code from your authenticator app first.")
            )
        return found


class SessionScheme(SpectacularSessionScheme):
    """The OpenAPI description of ``SessionAuthentication`` (the cookie of the web session)."""

    target_class = "tinhso.accounts.authentication.SessionAuthentication"


class HasTokenScope(permissions.BasePermission):
    """An integration token may call a view only with the scope the view declares for it
    (``required_scopes``); sessions and personal tokens are not limited by scopes."""

    message = _("This token's scopes do not allow this.")

    def has_permission(self, request, view):
        return token_allows(request.auth, view_required_scope(view, request.method))
