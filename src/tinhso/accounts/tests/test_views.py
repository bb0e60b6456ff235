import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tinhso.accounts.models import User
from tinhso.core.models import AuditLog
from tinhso.testing.factories import PASSWORD

NEW_PASSWORD = "Hoa-sen-nở-2026"


def _register(client, **overrides):
    data = {
        "full_name": "Lê Thị Cúc",
        "phone": "0987654321",
        "email": "",
        "national_id": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return client.post(reverse("accounts:register"), data)


def test_register_with_a_phone_signs_the_citizen_in(client, db):
    response = _register(client)
    assert response.status_code == 302
    user = User.objects.get(phone="0987654321")
    assert user.full_name == "Lê Thị Cúc"
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("portal:my_dossiers")).status_code == 200
    assert AuditLog.objects.filter(action="account.register", object_id=str(user.pk)).exists()
    # No personal data in the audit row.
    assert "0987654321" not in str(AuditLog.objects.get(action="account.register").data)


def test_register_with_an_email_only(client, db):
    assert _register(client, phone="", email="cuc@example.vn").status_code == 302
    assert User.objects.filter(email="cuc@example.vn", phone="").exists()


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
    assert not User.objects.exists()


def test_register_refuses_a_phone_already_used(client, world):
    response = _register(client, phone=world.citizen.phone)
    assert "phone" in response.context["form"].errors
    assert User.objects.filter(phone=world.citizen.phone).count() == 1


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
    assert response["Location"] == reverse("portal:home")


def test_sign_in_is_rate_limited_per_login(client, world):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"login": "0912345678", "password": "sai"})
    # Even the right password is refused while the limit holds, from any address.
    response = client.post(
        reverse("accounts:login"),
        {"login": "0912345678", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    assert "Quá nhiều lần đăng nhập" in response.content.decode()
    # Another account is not affected.
    response = client.post(
        reverse("accounts:login"),
        {"login": world.other_citizen.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302


def test_sign_in_is_rate_limited_per_address(client, world):
    for n in range(20):
        client.post(reverse("accounts:login"), {"login": f"09000000{n:02d}", "password": "sai"})
    response = client.post(
        reverse("accounts:login"), {"login": world.other_citizen.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    response = client.post(
        reverse("accounts:login"),
        {"login": world.other_citizen.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.10",
    )
    assert response.status_code == 302


def test_sign_out_needs_a_post(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:my_dossiers")).status_code == 302


def test_login_page_keeps_the_door_open_for_vneid(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập bằng VNeID" in html
    assert "disabled" in html
    assert 'autocomplete="current-password"' in html


def test_register_race_on_the_same_phone_is_a_message_not_a_crash(client, world, monkeypatch):
    from tinhso.accounts.forms import RegisterForm

    monkeypatch.setattr(RegisterForm, "clean_phone", lambda self: self.cleaned_data["phone"])
    response = _register(client, phone=world.citizen.phone)
    assert response.status_code == 200
    assert (
        "Đã có tài khoản dùng số điện thoại hoặc địa chỉ thư điện tử này"
        in response.content.decode()
    )
    assert User.objects.filter(phone=world.citizen.phone).count() == 1


@override_settings(LOGIN_RATE_LIMIT_IP="2/m")
def test_registration_is_rate_limited_per_address(client, db):
    _register(client, phone="0900000001", password2="khac")
    _register(client, phone="0900000002", password2="khac")
    response = _register(client, phone="0900000003")
    assert response.status_code == 429
    assert "Có quá nhiều lần thử" in response.content.decode()
    assert not User.objects.exists()
