"""One brute-force limiter for every way in (django-axes): the portal's sign-in page, the admin
(which signs in there) and the API's token endpoint, per account and per client address."""

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.lockout import lockout_reset
from tinhso.accounts.models import User
from tinhso.accounts.otp import second_factor_url
from tinhso.accounts.tests.helpers import sign_in
from tinhso.testing.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
LOCKED = "Đăng nhập sai quá nhiều lần"


def _api_sign_in(client, username, password, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, "application/json", **extra
    )


def test_the_sixth_guess_at_an_account_is_refused_even_from_a_fresh_address(client, world):
    """Five wrong passwords, each from another address and in another notation of the number:
    the account is locked, so the right password from a sixth address is refused too."""
    notations = ["0912345678", "0912 345 678", "+84912345678", "0912.345.678", "84912345678"]
    for n, login in enumerate(notations):
        response = sign_in(client, login, "sai-mat-khau", REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert response.status_code == (200 if n < 4 else 429)
    response = sign_in(client, "0912345678", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    html = response.content.decode()
    assert LOCKED in html and "15 phút" in html and "Quên mật khẩu" in html
    assert 899 <= int(response["Retry-After"]) <= 900
    # The same account by its e-mail in capitals is the same account.
    assert sign_in(client, world.citizen.email.upper(), PASSWORD).status_code == 429
    # Another account is not affected.
    response = sign_in(client, world.other_citizen.email, PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


def test_the_twenty_first_guess_from_one_address_is_refused(client, world):
    """20 failures on 20 different accounts lock the address, not the accounts."""
    for n in range(20):
        response = sign_in(client, f"09000000{n:02d}", "sai-mat-khau")
        assert response.status_code == (200 if n < 19 else 429)
    response = sign_in(client, world.other_citizen.email, PASSWORD)
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    response = sign_in(client, world.other_citizen.email, PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 302


def test_the_owner_signs_in_when_the_cool_off_ends(client, world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            sign_in(client, "0912345678", "sai-mat-khau")
        clock.shift(60)
        # Guessing on while locked neither counts nor makes the lock longer.
        for _ in range(10):
            assert sign_in(client, "0912345678", "sai-mat-khau").status_code == 429
        assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 5
        clock.shift(14 * 60 - 2)
        assert sign_in(client, "0912345678", PASSWORD).status_code == 429
        clock.shift(3)
        response = sign_in(client, "0912345678", PASSWORD)
        assert response.status_code == 302
        assert response.wsgi_request.user == world.citizen


def test_a_reset_unlocks_the_account(client, world):
    for n in range(5):
        sign_in(client, "0912345678", "sai-mat-khau", REMOTE_ADDR=f"203.0.113.{n + 1}")
    assert sign_in(client, "0912345678", PASSWORD).status_code == 429
    lockout_reset(world.citizen)
    assert sign_in(client, "0912345678", PASSWORD).status_code == 302


def test_the_admin_signs_in_on_the_limited_page(client, world):
    User.objects.filter(pk=world.admin.pk).update(is_staff=True, is_superuser=True)
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fadmin%2F"
    # The admin's own form is gone: posting to it checks no password.
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated
    for _ in range(5):
        sign_in(client, "admin", "sai-mat-khau", REMOTE_ADDR="203.0.113.9")
    response = client.post(
        reverse("accounts:login"), {"login": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 429
    lockout_reset(world.admin)
    response = client.post(
        reverse("accounts:login"), {"login": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    # The password is right: the administrator's second factor comes next, then the admin.
    assert response.status_code == 302
    assert response["Location"] == second_factor_url(world.admin, "/admin/")


def test_a_citizen_at_the_admin_is_refused_not_looped(client, world):
    client.force_login(world.citizen)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_api_answers_429_in_the_envelope_and_shares_the_count(client, world):
    """Three guesses on the portal and two on the API lock the account for both."""
    for _ in range(3):
        assert sign_in(client, "0912345678", "sai-mat-khau").status_code == 200
    assert _api_sign_in(client, "+84 912 345 678", "sai").status_code == 400
    assert _api_sign_in(client, world.citizen.email, "sai").status_code == 429
    response = _api_sign_in(client, "0912345678", PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"].startswith("Đăng nhập sai quá nhiều lần")
    assert "15 phút" in error["message"] and "giây" not in error["message"]
    assert 1 <= int(response["Retry-After"]) <= 900
    assert sign_in(client, "0912345678", PASSWORD).status_code == 429


def test_the_api_gives_a_token_to_the_right_password(client, world):
    response = _api_sign_in(client, "0912 345 678", PASSWORD)
    assert response.status_code == 200 and response.json()["token"]


def test_a_forged_forwarded_for_changes_nothing(client, world):
    """From a peer that is not a listed proxy, X-Forwarded-For is ignored: 20 guesses, each
    with another forged address, still lock the one real address."""
    for n in range(20):
        sign_in(
            client,
            f"09000000{n:02d}",
            "sai-mat-khau",
            REMOTE_ADDR="203.0.113.50",
            HTTP_X_FORWARDED_FOR=f"198.18.0.{n}",
        )
    response = sign_in(
        client,
        world.other_citizen.email,
        PASSWORD,
        REMOTE_ADDR="203.0.113.50",
        HTTP_X_FORWARDED_FOR="198.18.1.1",
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_listed_proxy_the_forwarded_address_counts(client, world):
    """nginx on this host appends the client's address: each client has its own count, and a
    client cannot escape its count by sending its own X-Forwarded-For."""
    for n in range(20):
        sign_in(
            client,
            f"09000000{n:02d}",
            "sai-mat-khau",
            HTTP_X_FORWARDED_FOR=f"198.18.0.{n}, 203.0.113.60",  # forged part, then nginx's
        )
    locked = sign_in(
        client, world.other_citizen.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.60"
    )
    assert locked.status_code == 429
    other = sign_in(
        client, world.other_citizen.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.61"
    )
    assert other.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.60"}


def test_the_limiter_keeps_no_typed_login_nor_password(client, world):
    sign_in(client, "0987 000 111", "mat-khau-bi-mat")
    sign_in(client, "0912345678", "mat-khau-bi-mat")
    stored = " ".join(
        str(value)
        for row in AccessAttempt.objects.values("username", "get_data", "post_data")
        for value in row.values()
    )
    assert "0987000111" not in stored and "0987 000 111" not in stored
    assert "mat-khau-bi-mat" not in stored and "0912345678" not in stored
    assert f"user:{world.citizen.pk}" in stored


@pytest.mark.parametrize("login", ["", " "])
def test_a_blank_login_is_a_form_error_not_a_count(client, db, login):
    response = sign_in(client, login, "x")
    assert response.status_code == 200
    assert not AccessAttempt.objects.exists()


def test_the_sign_in_page_warns_before_the_lock(client, world):
    """The third and fourth wrong passwords say how many tries are left; the first two do not."""
    pages = [sign_in(client, "0912 345 678", "sai-mat-khau").content.decode() for _ in range(4)]
    warning = "đăng nhập sẽ tạm dừng 15 phút"
    assert warning not in pages[0] and warning not in pages[1]
    assert "Nếu nhập sai thêm 2 lần nữa" in pages[2]
    assert "Nếu nhập sai thêm 1 lần nữa" in pages[3]
