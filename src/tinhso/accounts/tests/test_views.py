"""The sign-in and registration pages: what a person types and what they are told."""

import re

import pytest
from django.urls import reverse

from tinhso.accounts.models import User, VerificationCode
from tinhso.accounts.tests.helpers import register as _register
from tinhso.testing.factories import PASSWORD


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "", "email": ""}, "phone", "số điện thoại hoặc địa chỉ thư điện tử"),
        ({"password2": "khac-hoan-toan-99"}, "password2", "không khớp"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", ""),
        ({"phone": "12345"}, "phone", "0912345678"),
        ({"national_id": "123"}, "national_id", "12 chữ số"),
    ],
)
def test_register_refuses_bad_input_next_to_the_field(client, db, overrides, field, message):
    response = _register(client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert message in html
    assert re.search(f'aria-describedby="[^"]*id_{field}_error', html)
    assert f'id="id_{field}_error"' in html
    assert not User.objects.exists() and not VerificationCode.objects.exists()


@pytest.mark.parametrize(
    "login", ["0912345678", "0912 345 678", "+84912345678", "0912.345.678", "84912345678"]
)
def test_sign_in_with_the_phone_in_any_notation(client, world, login):
    response = client.post(reverse("accounts:login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == world.citizen


def test_sign_in_with_phone_or_email(client, world):
    response = client.post(reverse("accounts:login"), {"login": "0912345678", "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == world.citizen
    client.post(reverse("accounts:logout"))
    response = client.post(
        reverse("accounts:login"),
        {"login": world.citizen.email.upper(), "password": PASSWORD, "next": "/tra-cuu/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/tra-cuu/"


def test_sign_in_refuses_a_wrong_password(client, world):
    response = client.post(reverse("accounts:login"), {"login": "0912345678", "password": "sai"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "không đúng" in response.content.decode()


def test_sign_in_ignores_an_outside_next(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"login": "0912345678", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:after_sign_in")


def test_sign_out_needs_a_post(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:my_dossiers")).status_code == 302


def test_login_page_keeps_the_door_open_for_vneid(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập bằng VNeID" in html
    assert reverse("accounts:password_reset") in html
    assert "disabled" in html
    assert 'autocomplete="current-password"' in html


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.com/x",
        "/\\/evil.com",
        "/\\evil.com",
        "http://testserver//evil.com/x",
        "/\t/evil.com",
    ],
)
def test_sign_in_ignores_a_next_read_as_another_host(client, world, next_url):
    page = client.get(reverse("accounts:login"), {"next": next_url}).content.decode()
    assert not any("evil" in value for value in re.findall(r'name="next" value="([^"]*)"', page))
    assert f"{reverse('accounts:register')}?next=" not in page
    response = client.post(
        reverse("accounts:login"),
        {"login": "0912345678", "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert "evil.com" not in response["Location"]
