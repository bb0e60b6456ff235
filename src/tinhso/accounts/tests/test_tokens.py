"""API tokens: they expire, are revoked by their owner, an administrator, a sign-out or a
password change, are stored hashed, and integration tokens stay within their scopes."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.forms import SetPasswordForm
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.views import APIView

from tinhso.accounts.authentication import HasTokenScope
from tinhso.accounts.models import ApiToken
from tinhso.accounts.otp import totp_next_code
from tinhso.accounts.scopes import SCOPES
from tinhso.accounts.tokens import token_digest, token_for_key, token_issue
from tinhso.core.models import AuditLog
from tinhso.dossiers.constants import Status
from tinhso.dossiers.tests.api_helpers import submission
from tinhso.dossiers.tests.helpers import submit_online
from tinhso.testing.factories import PASSWORD
from tinhso.testing.otp import otp_device

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hoa-sen-nở-2026"


def with_key(key: str, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def sign_in(username="citizen", **extra) -> dict:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 200, response.content
    return response.json()


def integration(user, *scopes: str) -> str:
    _token, key = token_issue(
        user=user, actor=user, name="Tích hợp", kind=ApiToken.Kind.INTEGRATION, scopes=scopes
    )
    return key


# --- issue, store, expire --------------------------------------------------------------------
def test_the_key_is_shown_once_and_stored_only_as_its_hash(world, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    issued = sign_in(name="Ứng dụng điện thoại")
    token = ApiToken.objects.get(pk=issued["id"])
    assert token.digest == token_digest(issued["token"]) != issued["token"]
    assert token.prefix == issued["token"][:8] and len(issued["token"]) == 40
    assert not ApiToken.objects.filter(digest=issued["token"]).exists()
    assert token.name == "Ứng dụng điện thoại" and token.kind == ApiToken.Kind.PERSONAL
    assert issued["expires_at"].endswith("+07:00")  # the site's time, as every API date
    assert token.expires_at - token.created_at == dt.timedelta(days=7)
    listed = with_key(issued["token"]).get("/api/v1/auth/tokens/").json()
    assert [row["id"] for row in listed] == [token.pk]
    assert "token" not in listed[0] and "digest" not in listed[0]
    entry = AuditLog.objects.get(action="api_token.create")
    assert entry.object_id == str(token.pk) and entry.actor == world.citizen
    assert issued["token"] not in str(entry.data) + entry.object_repr


def test_a_token_dies_when_it_expires(world, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        key = sign_in()["token"]
    client = with_key(key)
    with time_machine.travel(dt.datetime(2026, 3, 31, 9, tzinfo=dt.UTC), tick=False):
        assert client.get("/api/v1/dossiers/").status_code == 200
        assert token_for_key(key).last_used_at is not None
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 1, tzinfo=dt.UTC), tick=False):
        response = client.get("/api/v1/dossiers/")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        error = response.json()["error"]
        assert error["code"] == "authentication_failed"
        assert error["message"] == "This token has expired or was revoked. Get a new one."
        vi = with_key(key, language="vi").get("/api/v1/dossiers/").json()["error"]["message"]
        assert vi == "Mã truy cập này đã hết hạn hoặc đã bị thu hồi. Hãy lấy mã mới."


def test_an_unknown_key_is_401_in_the_envelope(world):
    response = with_key("x" * 40).get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_person_keeps_at_most_so_many_personal_tokens(world, settings):
    settings.API_TOKEN_MAX_PERSONAL = 2
    first, second, third = (sign_in()["token"] for _ in range(3))
    assert with_key(first).get("/api/v1/dossiers/").status_code == 401
    assert with_key(second).get("/api/v1/dossiers/").status_code == 200
    assert with_key(third).get("/api/v1/dossiers/").status_code == 200
    assert token_for_key(first).revoked_reason == ApiToken.Revoked.LIMIT


# --- revoke ------------------------------------------------------------------------------------
def test_sign_out_revokes_the_token_in_use_only(world):
    used, other = sign_in()["token"], sign_in()["token"]
    client = with_key(used)
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/dossiers/").status_code == 401
    assert client.delete("/api/v1/auth/token/").status_code == 401
    assert with_key(other).get("/api/v1/dossiers/").status_code == 200
    token = token_for_key(used)
    assert token.revoked_reason == ApiToken.Revoked.SIGN_OUT
    entry = AuditLog.objects.get(action="api_token.revoke")
    assert entry.object_id == str(token.pk) and entry.data["reason"] == "sign_out"


def test_sign_out_without_a_token_is_a_clear_error(client, world):
    client.force_login(world.citizen)
    response = client.delete("/api/v1/auth/token/")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401


def test_the_owner_lists_and_revokes_their_tokens(world):
    mine = sign_in()
    key = mine["token"]
    spare = sign_in()["id"]
    client = with_key(key)
    assert {row["id"] for row in client.get("/api/v1/auth/tokens/").json()} == {mine["id"], spare}
    assert client.get(f"/api/v1/auth/tokens/{spare}/").json()["kind"] == "personal"
    assert client.delete(f"/api/v1/auth/tokens/{spare}/").status_code == 204
    assert [row["id"] for row in client.get("/api/v1/auth/tokens/").json()] == [mine["id"]]
    assert ApiToken.objects.get(pk=spare).revoked_reason == ApiToken.Revoked.OWNER


def test_another_persons_token_can_be_neither_listed_nor_revoked(world):
    theirs = sign_in(username="citizen2")
    client = with_key(sign_in()["token"])
    assert theirs["id"] not in {row["id"] for row in client.get("/api/v1/auth/tokens/").json()}
    assert client.get(f"/api/v1/auth/tokens/{theirs['id']}/").status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{theirs['id']}/").status_code == 404
    assert with_key(theirs["token"]).get("/api/v1/dossiers/").status_code == 200


def test_a_password_change_revokes_every_token_and_the_other_sessions(client, world):
    key = sign_in()["token"]
    integration_key = integration(world.citizen, "dossiers:read")
    client.force_login(world.citizen)
    assert client.get(reverse("portal:my_dossiers")).status_code == 200
    form = SetPasswordForm(
        world.citizen, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert form.is_valid(), form.errors
    form.save()  # what password reset does
    assert with_key(key).get("/api/v1/dossiers/").status_code == 401
    assert with_key(integration_key).get("/api/v1/dossiers/").status_code == 401
    assert client.get(reverse("portal:my_dossiers")).status_code == 302  # the session died
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {"password"}
    revoked = AuditLog.objects.filter(action="api_token.revoke")
    assert revoked.count() == 2 and {e.actor_system for e in revoked} == {
        "accounts:password_change"
    }


def test_an_administrator_changing_a_password_kills_that_persons_tokens(client, world):
    key = sign_in()["token"]
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[world.citizen.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content
    assert with_key(key).get("/api/v1/dossiers/").status_code == 401
    assert client.get("/admin/").status_code == 200  # the administrator's own session lives


def test_a_password_hash_upgrade_at_sign_in_revokes_nothing(world, settings):
    key = sign_in()["token"]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    sign_in()  # Django rehashes the MD5 password with PBKDF2 here
    world.citizen.refresh_from_db()
    assert world.citizen.password.startswith("pbkdf2_")
    assert with_key(key).get("/api/v1/dossiers/").status_code == 200


# --- integration tokens and scopes ---------------------------------------------------------------
def test_an_integration_token_stays_within_its_scopes(world):
    dossier = submit_online(world)
    reader = with_key(integration(world.clerk, "dossiers:read"))
    assert reader.get("/api/v1/dossiers/").json()["count"] == 1
    assert reader.get(f"/api/v1/dossiers/{dossier.code}/actions/").status_code == 200
    refused = reader.post(
        f"/api/v1/dossiers/{dossier.code}/actions/refuse/",
        {"expected_version": dossier.version, "reason": "Thiếu giấy tờ"},
        format="json",
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "permission_denied",
        "message": "This token's scopes do not allow this.",
        "fields": None,
    }
    dossier.refresh_from_db()
    assert dossier.version == 1
    actor = with_key(integration(world.clerk, "dossiers:act"))
    assert actor.get("/api/v1/dossiers/").status_code == 403
    response = actor.post(
        f"/api/v1/dossiers/{dossier.code}/actions/refuse/",
        {"expected_version": dossier.version, "reason": "Thiếu giấy tờ"},
        format="json",
    )
    assert response.status_code == 200


def test_submitting_needs_the_submit_scope(world):
    reader = with_key(integration(world.citizen, "dossiers:read", "dossiers:act"))
    data = submission(world.procedure)
    assert reader.post("/api/v1/dossiers/", data, format="multipart").status_code == 403
    submitter = with_key(integration(world.citizen, "dossiers:submit"))
    response = submitter.post("/api/v1/dossiers/", submission(world.procedure), format="multipart")
    assert response.status_code == 201


def test_an_integration_token_cannot_manage_tokens_but_can_sign_out(world):
    key = integration(world.citizen, *SCOPES)
    client = with_key(key)
    assert client.get("/api/v1/auth/tokens/").status_code == 403
    created = client.post(
        "/api/v1/auth/tokens/", {"name": "x", "scopes": ["dossiers:read"]}, format="json"
    )
    assert created.status_code == 403
    assert ApiToken.objects.count() == 1
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/dossiers/").status_code == 401


def test_the_owner_creates_an_integration_token_with_scopes(world):
    client = with_key(sign_in()["token"])
    response = client.post(
        "/api/v1/auth/tokens/",
        {"name": "Phần mềm một cửa", "scopes": ["dossiers:read"], "days": 90, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 201
    token = token_for_key(response.json()["token"])
    assert token.kind == "integration" and token.scopes == ["dossiers:read"]
    assert token.expires_at - token.created_at == dt.timedelta(days=90)
    bad = client.post(
        "/api/v1/auth/tokens/",
        {"name": "x", "scopes": ["everything"], "days": 9999, "password": PASSWORD},
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"scopes", "days"}
    empty = client.post(
        "/api/v1/auth/tokens/", {"name": "x", "scopes": [], "password": PASSWORD}, format="json"
    )
    assert empty.status_code == 400 and "scopes" in empty.json()["error"]["fields"]


def test_a_file_download_with_a_token_needs_the_read_scope(world):
    dossier = submit_online(world)
    detail = with_key(integration(world.citizen, "dossiers:read")).get(
        f"/api/v1/dossiers/{dossier.code}/"
    )
    url = detail.json()["files"][0]["download_url"]
    assert with_key(integration(world.citizen, "dossiers:read")).get(url).status_code == 200
    assert with_key(integration(world.citizen, "dossiers:submit")).get(url).status_code == 404


def _api_views():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    for route, callback in walk(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        if route.startswith("api/v1/") and view is not None and issubclass(view, APIView):
            yield route, view, getattr(callback, "actions", None) or {}


def test_every_api_view_checks_the_scopes_or_ignores_tokens():
    """A new API view must declare what integration tokens need (or authenticate nobody)."""
    seen = 0
    for route, view, actions in _api_views():
        seen += 1
        if view.authentication_classes == []:
            continue  # public: a token is ignored there
        assert HasTokenScope in view.permission_classes or "get_permissions" in vars(view), route
        assert hasattr(view, "required_scopes"), route
        for scope in view.required_scopes.values():
            assert scope == "*" or scope in SCOPES, (route, scope)
        for action in actions.values():
            if action not in view.required_scopes:
                # Undeclared actions are refused to integration tokens: only token management.
                assert view.__module__.startswith("tinhso.accounts"), (route, action)
    assert seen >= 8


def test_the_expiry_is_in_the_listing(world):
    issued = sign_in()
    row = with_key(issued["token"]).get("/api/v1/auth/tokens/").json()[0]
    assert dt.datetime.fromisoformat(row["expires_at"]) > timezone.now()


# --- the admin ---------------------------------------------------------------------------------
@pytest.fixture
def superuser(world):
    from tinhso.testing.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_an_administrator_lists_and_revokes_anyones_tokens(client, world, superuser):
    theirs = sign_in()
    other = sign_in(username="citizen2")
    client.force_login(superuser)
    page = client.get("/admin/accounts/apitoken/").content.decode()
    assert theirs["token"][:8] in page and other["token"][:8] in page
    assert theirs["token"] not in page
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [theirs["id"]]},
    )
    assert response.status_code == 302
    assert with_key(theirs["token"]).get("/api/v1/dossiers/").status_code == 401
    assert with_key(other["token"]).get("/api/v1/dossiers/").status_code == 200
    token = ApiToken.objects.get(pk=theirs["id"])
    assert token.revoked_reason == ApiToken.Revoked.ADMIN
    entry = AuditLog.objects.get(action="api_token.revoke")
    assert entry.actor == superuser and entry.object_id == str(token.pk)
    # Tokens are never deleted, only revoked.
    assert client.post(f"/admin/accounts/apitoken/{token.pk}/delete/").status_code == 403


def test_an_administrator_issues_an_integration_token_and_sees_the_key_once(
    client, world, superuser
):
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {
            "user": world.clerk.pk,
            "name": "Hệ thống quản lý văn bản",
            "scopes": ["dossiers:read"],
            "days": 30,
        },
    )
    assert response.status_code == 200, response.content
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    key = response.context["key"]
    assert token_for_key(key) == token and token.user == world.clerk
    assert token.kind == "integration" and token.scopes == ["dossiers:read"]
    assert key not in client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert with_key(key).get("/api/v1/dossiers/").status_code == 200
    assert AuditLog.objects.get(action="api_token.create").actor == superuser
    too_long = client.post(
        "/admin/accounts/apitoken/add/",
        {"user": world.clerk.pk, "name": "x", "scopes": ["dossiers:read"], "days": 9999},
    )
    assert too_long.status_code == 200 and "days" in too_long.context["adminform"].form.errors
    assert ApiToken.objects.count() == 1


def test_a_staff_member_without_the_permission_sees_no_tokens(client, world):
    from tinhso.testing.factories import UserFactory

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/accounts/apitoken/").status_code == 403


@pytest.mark.parametrize("token_id", ["abc", "9223372036854775808", "0"])
def test_an_impossible_token_id_is_404_in_the_envelope(world, token_id):
    client = with_key(sign_in()["token"])
    for response in (
        client.get(f"/api/v1/auth/tokens/{token_id}/"),
        client.delete(f"/api/v1/auth/tokens/{token_id}/"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_the_token_endpoint_answers_405_to_other_methods(world):
    for client in (APIClient(), with_key(sign_in()["token"])):
        for method in ("get", "put", "patch"):
            response = getattr(client, method)("/api/v1/auth/token/")
            assert response.status_code == 405, (method, response.status_code)
            assert response.json()["error"]["code"] == "method_not_allowed"
        response = client.generic("TRACE", "/api/v1/auth/token/")
        assert response.status_code == 405


# --- integration tokens need the person, not only their session or token -------------------------
def test_an_integration_token_needs_the_password_again(world):
    client = with_key(sign_in()["token"])
    data = {"name": "Kẻ trộm mã", "scopes": list(SCOPES), "days": 30}
    missing = client.post("/api/v1/auth/tokens/", data, format="json")
    assert missing.status_code == 400 and "password" in missing.json()["error"]["fields"]
    wrong = client.post("/api/v1/auth/tokens/", {**data, "password": "sai"}, format="json")
    assert wrong.status_code == 400 and "password" in wrong.json()["error"]["fields"]
    assert not ApiToken.objects.filter(kind=ApiToken.Kind.INTEGRATION).exists()


def test_an_officer_needs_a_current_code_for_an_integration_token(client, world):
    client.force_login(world.clerk)  # a verified session
    api = APIClient()
    api.force_authenticate(world.clerk)
    data = {"name": "Một cửa", "scopes": ["dossiers:read"], "days": 30, "password": PASSWORD}
    refused = client.post("/api/v1/auth/tokens/", data, content_type="application/json")
    assert refused.status_code == 400 and "otp" in refused.json()["error"]["fields"]
    wrong = client.post(
        "/api/v1/auth/tokens/", {**data, "otp": "000000"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and "otp" in wrong.json()["error"]["fields"]
    assert not ApiToken.objects.exists()
    otp_device(world.clerk).throttle_reset()  # the wrong code's back-off (1 second)
    good = client.post(
        "/api/v1/auth/tokens/",
        {**data, "otp": totp_next_code(otp_device(world.clerk))},
        content_type="application/json",
    )
    assert good.status_code == 201, good.content


def test_an_integration_token_lives_at_most_the_setting(world, settings):
    client = with_key(sign_in()["token"])
    data = {"name": "x", "scopes": ["dossiers:read"], "password": PASSWORD}
    created = client.post("/api/v1/auth/tokens/", data, format="json")
    token = token_for_key(created.json()["token"])
    assert token.expires_at - token.created_at == dt.timedelta(
        days=settings.API_INTEGRATION_TOKEN_TTL_DAYS
    )
    assert settings.API_INTEGRATION_TOKEN_TTL_DAYS <= 90


def test_an_authenticator_reset_revokes_that_persons_tokens(client, world, superuser):
    device = otp_device(world.clerk)
    key = integration(world.clerk, "dossiers:read")
    other = integration(world.citizen, "dossiers:read")
    client.force_login(superuser)
    # django-otp's own admin is replaced by the read-only proxy, whose delete is the reset.
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404
    url = reverse("admin:accounts_authenticatorapp_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert token_for_key(key).revoked_reason == ApiToken.Revoked.OTP_RESET
    assert with_key(key).get("/api/v1/dossiers/").status_code == 401
    assert token_for_key(other).revoked_at is None


def test_an_act_only_token_learns_only_what_it_changed(world):
    dossier = submit_online(world)
    actor = with_key(integration(world.clerk, "dossiers:act"))
    response = actor.post(
        f"/api/v1/dossiers/{dossier.code}/actions/refuse/",
        {"expected_version": dossier.version, "reason": "Thiếu giấy tờ"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"code": dossier.code, "status": Status.REFUSED, "version": 2}
    both = with_key(integration(world.clerk, "dossiers:act", "dossiers:read"))
    dossier = submit_online(world)
    full = both.post(
        f"/api/v1/dossiers/{dossier.code}/actions/refuse/",
        {"expected_version": dossier.version, "reason": "Thiếu giấy tờ"},
        format="json",
    )
    assert "history" in full.json() and "applicant" in full.json()
