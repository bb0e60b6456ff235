"""The account model and admin keep one phone form; a way in that does not answer a lock itself
still gets a clear 429 from axes' middleware."""

import importlib
import json

from django.apps import apps
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tinhso.accounts.lockout import lockout_response
from tinhso.accounts.models import User
from tinhso.testing.factories import UserFactory


def test_the_admin_stores_a_typed_phone_in_its_one_form(client, world):
    User.objects.filter(pk=world.admin.pk).update(is_staff=True, is_superuser=True)
    client.force_login(world.admin)
    user = world.other_citizen
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"groups", "user_permissions", "password"}
    }
    data.update(phone="+84 (0) 987 654 321", date_joined_0="30/11/2026", date_joined_1="08:00")
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.phone == "0987654321"


def test_the_admin_refuses_a_number_another_account_has_in_another_notation(world):
    user = User(username="x", phone="+84 912 345 678")  # world.citizen has 0912345678
    try:
        user.full_clean(exclude=["password"])
    except Exception as error:
        assert "phone" in str(error) or "user_phone_unique" in str(error)
    else:
        raise AssertionError("a second account with the same number was accepted")


def test_a_way_in_that_does_not_answer_a_lock_gets_a_429(db):
    factory = RequestFactory()
    api = lockout_response(factory.post("/api/v1/other/"), HttpResponse(status=400), {})
    assert api.status_code == 429 and api["Content-Type"] == "application/json"
    assert json.loads(api.content)["error"]["code"] == "throttled"
    assert int(api["Retry-After"]) >= 1
    request = factory.post("/sso/callback/")
    request.session = {}
    page = lockout_response(request, HttpResponse(status=200), {"username": "x"})
    assert page.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in page.content.decode()
    answered = HttpResponse(status=429)
    assert lockout_response(factory.post("/"), answered, {}) is answered


def test_existing_phones_are_rewritten_in_their_one_form(db):
    migration = importlib.import_module("tinhso.accounts.migrations.0005_phone_canonical")
    typed = UserFactory(phone="0987 654 321")
    clash = UserFactory(phone="+84912345678")
    UserFactory(phone="0912345678")
    broken = UserFactory(phone="12345")
    migration.canonical(apps, None)
    assert User.objects.get(pk=typed.pk).phone == "0987654321"
    assert User.objects.get(pk=clash.pk).phone == "+84912345678"  # left to an administrator
    assert User.objects.get(pk=broken.pk).phone == "12345"
