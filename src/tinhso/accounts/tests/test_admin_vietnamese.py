"""The admin speaks Vietnamese for the third-party apps too: axes' sign-in records, django-otp's
devices (shown read-only, without their secret key) and django-tasks' results."""

import pytest
from django.urls import reverse

from tinhso.testing.factories import UserFactory
from tinhso.testing.otp import VerifiedClient, otp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world):
    user = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client = VerifiedClient()
    client.force_login(user)
    client.cookies["django_language"] = "vi"
    return client


def test_the_admin_index_names_the_third_party_apps_in_vietnamese(admin_client):
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    for name in (
        "Chống dò mật khẩu",
        "Lượt đăng nhập sai",
        "Ứng dụng xác thực",
        "Bộ mã dự phòng",
        "Tác vụ chạy nền",
        "Kết quả tác vụ",
    ):
        assert name in page, name
    for english in ("Axes", "Otp_Totp", "Otp_Static", "Tasks Database Backend", "TOTP devices"):
        assert english not in page, english


def test_an_authenticator_is_shown_without_its_key_and_cannot_be_edited(admin_client, world):
    device = otp_device(world.clerk)
    listing = admin_client.get(reverse("admin:accounts_authenticatorapp_changelist"))
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "chủ sở hữu" in text.lower() and device.key not in text
    page = admin_client.get(reverse("admin:accounts_authenticatorapp_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert 'name="key"' not in page.content.decode()
    edit = admin_client.post(
        reverse("admin:accounts_authenticatorapp_change", args=[device.pk]), {"name": "x"}
    )
    assert edit.status_code == 403
    assert admin_client.get(reverse("admin:accounts_authenticatorapp_add")).status_code == 403
