"""The account page where a person lists, creates and revokes their own API tokens."""

import pytest
from django.urls import reverse

from tinhso.accounts.models import ApiToken
from tinhso.accounts.otp import totp_next_code
from tinhso.accounts.tokens import token_for_key, token_issue
from tinhso.core.models import AuditLog
from tinhso.testing.factories import PASSWORD
from tinhso.testing.otp import otp_device

pytestmark = pytest.mark.django_db

URL = "/tai-khoan/ma-truy-cap/"


def test_the_page_needs_a_signed_in_person(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/dang-nhap/")


def test_a_person_sees_only_their_own_tokens_that_work(client, world):
    mine, _key = token_issue(user=world.citizen, actor=world.citizen, name="Điện thoại của tôi")
    dead, _key = token_issue(user=world.citizen, actor=world.citizen, name="Máy cũ")
    dead.revoked_at = dead.created_at
    dead.save()
    token_issue(user=world.other_citizen, actor=world.other_citizen, name="Của người khác")
    client.force_login(world.citizen)
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Điện thoại của tôi" in html and mine.prefix in html
    assert "Máy cũ" not in html and "Của người khác" not in html


def test_creating_an_integration_token_shows_its_key_once(client, world):
    client.force_login(world.citizen)
    response = client.post(
        URL,
        {
            "name": "Phần mềm kế toán",
            "scopes": ["dossiers:read", "dossiers:submit"],
            "days": 90,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    key = response.context["issued"]["key"]
    assert key in response.content.decode()
    token = token_for_key(key)
    assert token.user == world.citizen and token.kind == ApiToken.Kind.INTEGRATION
    assert token.scopes == ["dossiers:read", "dossiers:submit"]
    assert key not in client.get(URL).content.decode()
    assert AuditLog.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()


def test_bad_input_is_shown_next_to_the_field(client, world):
    client.force_login(world.citizen)
    response = client.post(URL, {"name": "", "scopes": [], "days": 100000})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "scopes", "days", "password"}
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_token_and_not_anyone_elses(client, world):
    mine, key = token_issue(user=world.citizen, actor=world.citizen, name="Điện thoại")
    theirs, their_key = token_issue(user=world.other_citizen, actor=world.other_citizen, name="x")
    client.force_login(world.citizen)
    confirm = client.get(reverse("portal:api_token_revoke", args=[mine.pk]))
    assert (
        confirm.status_code == 200
        and "Thu hồi mã truy cập “Điện thoại”?" in confirm.content.decode()
    )
    assert token_for_key(key).revoked_at is None  # asking is not revoking
    assert client.get(reverse("portal:api_token_revoke", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("portal:api_token_revoke", args=[theirs.pk]))
    assert response.status_code == 404
    assert token_for_key(their_key).revoked_at is None
    response = client.post(reverse("portal:api_token_revoke", args=[mine.pk]), follow=True)
    assert "Mã truy cập “Điện thoại” đã bị thu hồi." in response.content.decode()
    assert token_for_key(key).revoked_reason == ApiToken.Revoked.OWNER


def test_creating_an_integration_token_asks_for_the_password_again(client, world):
    client.force_login(world.citizen)
    data = {"name": "Kẻ trộm phiên", "scopes": ["dossiers:read"], "days": 30}
    for password in ("", "sai-mat-khau"):
        response = client.post(URL, {**data, "password": password})
        assert response.status_code == 400
        assert "password" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_an_officer_gives_a_current_code_too(client, world):
    client.force_login(world.clerk)
    data = {"name": "Một cửa", "scopes": ["dossiers:read"], "days": 30, "password": PASSWORD}
    response = client.post(URL, data)
    assert response.status_code == 400 and "otp" in response.context["form"].errors
    response = client.post(URL, {**data, "otp": "000000"})
    assert response.status_code == 400 and "otp" in response.context["form"].errors
    assert not ApiToken.objects.exists()
    otp_device(world.clerk).throttle_reset()  # the wrong code's back-off (1 second)
    response = client.post(URL, {**data, "otp": totp_next_code(otp_device(world.clerk))})
    assert response.status_code == 200, response.context["form"].errors
    assert token_for_key(response.context["issued"]["key"]).user == world.clerk


def test_the_list_says_in_words_what_each_token_may_do(client, world):
    token_issue(
        user=world.citizen,
        actor=world.citizen,
        name="Kế toán",
        kind=ApiToken.Kind.INTEGRATION,
        scopes=["dossiers:read"],
    )
    client.force_login(world.citizen)
    page = client.get(URL).content.decode()
    listed = page.split('class="token-list"')[1].split("</ul>")[0]
    assert "Đọc các hồ sơ" in listed and "dossiers:read" not in listed
