"""API tokens (``ApiToken``): issue, look up, list and revoke; the services and selectors.

A key is 40 URL-safe characters from ``secrets``; the database keeps its SHA-256 (a key is
random, so an unsalted fast hash is enough: there is nothing to guess from it) and its first
8 characters, shown in lists. The key itself is returned once, by ``token_issue``.

Lifetimes come from settings: ``API_TOKEN_TTL_DAYS`` for personal tokens (also the API's
sign-in), ``API_INTEGRATION_TOKEN_TTL_DAYS`` as the default and longest life of an integration
token. A person keeps at most ``API_TOKEN_MAX_PERSONAL`` personal tokens: issuing one more
revokes the oldest. A password change revokes every token of its user
(``RevokeTokensOnPasswordChange``, called by Django whenever a password is set), and so does an
administrator's reset of the authenticator (``revoke_tokens_on_authenticator_reset``).

An integration token outlives sessions and sign-outs, so creating one asks for the password again
and, from officers and administrators, a current code (``token_reauthenticate``): a stolen
session or personal token cannot turn itself into a long-lived key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts import otp
from tinhso.accounts.models import ApiToken, User
from tinhso.accounts.scopes import ANY, SCOPES
from tinhso.core.actors import system_actor
from tinhso.core.audit import audit_log_write

KEY_BYTES = 30  # 40 characters of base64url
PREFIX_LENGTH = 8
# ``last_used_at`` is written at most this often per token (not on every request).
TOUCH_EVERY = dt.timedelta(minutes=1)
# Who revokes the tokens when a password changes, in the audit log (the person or administrator
# who changed it is not known to Django's hook).
PASSWORD_CHANGE = system_actor("accounts:password_change", label="Password change")
# Who revokes them when an administrator deletes a person's authenticator (the admin's own
# deletion is audited by the admin's log).
AUTHENTICATOR_RESET = system_actor("accounts:otp_reset", label="Authenticator reset")


def token_digest(key: str) -> str:
    """The SHA-256 of ``key`` as 64 hex characters: what the database stores."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_max_days(kind: str) -> int:
    """How many days a token of ``kind`` lives at most (and by default)."""
    if kind == ApiToken.Kind.INTEGRATION:
        return int(settings.API_INTEGRATION_TOKEN_TTL_DAYS)
    return int(settings.API_TOKEN_TTL_DAYS)


def _scopes_clean(kind: str, scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    if kind == ApiToken.Kind.PERSONAL:
        if chosen:
            raise ValidationError({"scopes": _("A personal token has no scopes.")})
        return []
    unknown = [scope for scope in chosen if scope not in SCOPES]
    if unknown:
        raise ValidationError(
            {"scopes": _("Unknown scope: %(scope)s.") % {"scope": ", ".join(unknown)}}
        )
    if not chosen:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    return chosen


def token_reauthenticate(*, request: Any, user: Any, password: str, code: str) -> None:
    """Check that whoever creates an integration token for ``user`` is ``user`` now: their
    ``password`` and, when they need the second factor, a current ``code`` of their
    authenticator (or a backup code). A wrong one is reported like a wrong sign-in (the sign-in
    limiter counts it). Raises ``ValidationError`` on ``password`` or ``otp``."""
    if not password or not user.check_password(password):
        otp.otp_failed(request=request, user=user)
        raise ValidationError({"password": _("The password is not correct.")})
    if not otp.second_factor_required(user):
        return
    if not code:
        raise ValidationError(
            {"otp": _("Enter the code your authenticator app shows now (or a backup code).")}
        )
    if otp.otp_verify(request=request, user=user, code=code) is None:
        raise ValidationError({"otp": _("The code is not correct.")})


@transaction.atomic
def token_issue(
    *,
    user: User,
    actor: Any,
    name: str,
    kind: str = ApiToken.Kind.PERSONAL,
    scopes: Iterable[str] = (),
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return it with its key (the only time the key exists).

    ``actor`` is who asks (the owner, an administrator, or a ``SystemActor``); ``days`` is the
    lifetime, at most and by default ``token_max_days(kind)``. Raises ``ValidationError`` for an
    empty name, unknown or missing scopes (integration) or any scope (personal), or a lifetime
    out of range.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if kind not in ApiToken.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of token.")})
    chosen = _scopes_clean(kind, scopes)
    longest = token_max_days(kind)
    if days is None:
        days = longest
    if not 1 <= days <= longest:
        raise ValidationError(
            {"days": _("A token lives from 1 to %(days)d days.") % {"days": longest}}
        )
    now = timezone.now()
    key = secrets.token_urlsafe(KEY_BYTES)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        kind=kind,
        scopes=chosen,
        prefix=key[:PREFIX_LENGTH],
        digest=token_digest(key),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    audit_log_write(
        actor=actor,
        action="api_token.create",
        obj=token,
        owner=user.pk,
        kind=kind,
        scopes=chosen,
        expires_at=token.expires_at.isoformat(),
    )
    if kind == ApiToken.Kind.PERSONAL:
        _personal_limit(user=user, actor=actor)
    return token, key


def _personal_limit(*, user: User, actor: Any) -> None:
    keep = int(settings.API_TOKEN_MAX_PERSONAL)
    surplus = token_list_for_user(user).filter(kind=ApiToken.Kind.PERSONAL)[keep:]
    for token in surplus:
        token_revoke(token=token, actor=actor, reason=ApiToken.Revoked.LIMIT)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any, reason: str) -> ApiToken:
    """Revoke ``token`` now (``reason``: an ``ApiToken.Revoked`` value). Revoking a revoked
    token changes nothing and writes no audit row."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revoked_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_reason"])
    audit_log_write(
        actor=actor, action="api_token.revoke", obj=locked, owner=locked.user_id, reason=reason
    )
    return locked


@transaction.atomic
def token_revoke_all(*, user: User, actor: Any, reason: str) -> int:
    """Revoke every token of ``user`` that is still alive; returns how many."""
    alive = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    count = 0
    for token in alive:
        token_revoke(token=token, actor=actor, reason=reason)
        count += 1
    return count


def token_touch(token: ApiToken) -> None:
    """Record that ``token`` was used now (at most once per ``TOUCH_EVERY``)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- selectors -----------------------------------------------------------------------------------
def token_for_key(key: str) -> ApiToken | None:
    """The token whose key is ``key``, alive or not, with its owner and the owner's officer
    record (every service asks whether the caller is an officer), or ``None``."""
    if not key or len(key) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "user__officer")
        .filter(digest=token_digest(key))
        .first()
    )


def token_list_for_user(user: Any) -> QuerySet[ApiToken]:
    """``user``'s tokens that still work, newest first."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-pk")


def token_allows(token: Any, scope: str | None) -> bool:
    """Whether ``token`` (an ``ApiToken``, or ``None`` for a session) may do what needs
    ``scope``: sessions and personal tokens may do what their owner may; an integration token
    only what its scopes name (``ANY``: every token)."""
    if not isinstance(token, ApiToken) or token.kind != ApiToken.Kind.INTEGRATION:
        return True
    if scope == ANY:
        return True
    return scope is not None and scope in (token.scopes or [])


def revoke_tokens_on_authenticator_reset(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_delete`` of a confirmed authenticator (``TOTPDevice``), connected in
    ``AccountsConfig.ready``: an administrator reset it (the officer lost it, or it leaked), so
    every token its owner made with it dies too, as with a password change. Unconfirmed devices
    (an enrolment not finished) change nothing."""
    if not instance.confirmed:
        return
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        token_revoke_all(user=user, actor=AUTHENTICATOR_RESET, reason=ApiToken.Revoked.OTP_RESET)


class RevokeTokensOnPasswordChange:
    """Listed in ``AUTH_PASSWORD_VALIDATORS`` for Django's ``password_changed`` hook: Django
    calls it whenever a user's password is set and saved (the admin, ``set_password``,
    ``manage.py changepassword``, password reset), never for a hash upgrade at sign-in. It
    validates nothing. The user's other sessions die by themselves: Django checks each
    session's password hash."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def get_help_text(self) -> str:
        return ""

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            token_revoke_all(user=user, actor=PASSWORD_CHANGE, reason=ApiToken.Revoked.PASSWORD)
