"""The second factor of officers and administrators: enrolment, the code step, and what a
session that has not given the code may reach (pages, the admin, the API)."""

import re

import pytest
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tinhso.accounts.otp import second_factor_required, totp_code
from tinhso.core.models import AuditLog
from tinhso.notify.models import Delivery
from tinhso.testing.factories import PASSWORD, UserFactory
from tinhso.testing.otp import enrol_code, otp_code, otp_device

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/dang-nhap/"
VERIFY = "/accounts/xac-thuc/"
ENROL = "/accounts/xac-thuc/thiet-lap/"


@pytest.fixture
def failures():
    """The usernames ``user_login_failed`` was sent for (what the sign-in limiter counts)."""
    seen: list[str] = []

    def receiver(sender, credentials, request=None, **kwargs):
        seen.append(credentials.get("username"))

    user_login_failed.connect(receiver, weak=False, dispatch_uid="test-otp-failures")
    yield seen
    user_login_failed.disconnect(dispatch_uid="test-otp-failures")


def password_step(client, user, next_url=""):
    data = {"login": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_who_needs_the_second_factor(world):
    assert second_factor_required(world.clerk)  # an officer
    assert second_factor_required(world.admin)
    assert not second_factor_required(world.citizen)
    assert second_factor_required(UserFactory(is_staff=True))  # staff without an officer record
    assert second_factor_required(UserFactory(is_superuser=True))


def test_a_citizen_signs_in_with_the_password_alone(client, world):
    response = password_step(client, world.citizen, "/ho-so-cua-toi/")
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
    assert client.get("/ho-so-cua-toi/").status_code == 200


def test_an_officer_gives_the_code_after_the_password_then_goes_on(client, world):
    otp_device(world.clerk)
    response = password_step(client, world.clerk, "/office/?tab=due_soon")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Foffice%2F%3Ftab%3Ddue_soon"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.content.decode()
    response = client.post(VERIFY, {"code": otp_code(world.clerk), "next": "/office/?tab=due_soon"})
    assert response.status_code == 302 and response["Location"] == "/office/?tab=due_soon"
    assert client.get("/office/").status_code == 200


def test_a_session_without_the_code_reaches_no_office_page(client, world):
    otp_device(world.clerk)
    password_step(client, world.clerk)
    for url in ["/office/", "/office/stats/", "/ho-so-cua-toi/", "/tai-khoan/ma-truy-cap/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY + "?next="), url
    # Signing out and the language switch stay open.
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/office/")["Location"].startswith(LOGIN)


def test_an_unverified_officer_session_is_refused_by_the_office(client, world):
    client.force_login(world.specialist, otp_verified=False)
    response = client.get("/office/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    otp_device(world.specialist)
    assert client.get("/office/")["Location"] == f"{VERIFY}?next=%2Foffice%2F"
    # The same session once verified (what the shared client fixture does):
    client.force_login(world.specialist)
    assert client.get("/office/").status_code == 200


def test_an_unverified_administrator_session_is_refused_by_the_admin(client, world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    otp_device(admin)
    client.force_login(admin, otp_verified=False)
    for url in ["/admin/", "/admin/accounts/apitoken/", "/admin/accounts/authenticatorapp/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_the_admin_signs_in_through_the_site_sign_in(client, world):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])  # the admin's own login page is gone
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"
    admin = UserFactory(is_staff=True, is_superuser=True)
    otp_device(admin)
    assert password_step(client, admin, "/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get("/admin/").status_code == 302
    response = client.post(VERIFY, {"code": otp_code(admin), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # A signed-in citizen is told no, not sent round the sign-in page.
    citizen = APIClient()
    citizen.force_login(world.citizen)
    assert citizen.get("/admin/login/?next=/admin/").status_code == 403


def test_an_unverified_officer_session_is_refused_by_the_api(client, world):
    client.force_login(world.clerk, otp_verified=False)
    response = client.get("/api/v1/dossiers/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "authentication_failed",
        "message": "Finish signing in with the code from your authenticator app first.",
        "fields": None,
    }
    assert client.get("/api/v1/procedures/").status_code == 200  # public: no session needed
    client.force_login(world.clerk)
    assert client.get("/api/v1/dossiers/").status_code == 200


def test_a_wrong_code_is_refused_and_counted(client, world, failures, settings):
    settings.OTP_MAX_FAILURES = 3
    otp_device(world.clerk)
    password_step(client, world.clerk)
    response = client.post(VERIFY, {"code": "000000" if otp_code(world.clerk) != "000000" else "1"})
    assert response.status_code == 400
    assert "Mã không đúng" in response.content.decode()
    assert failures == ["clerk"]
    assert client.get("/office/").status_code == 302
    client.post(VERIFY, {"code": "12345"})
    assert failures == ["clerk", "clerk"]
    response = client.post(VERIFY, {"code": "abcdefgh"})  # the third: signed out
    assert failures == ["clerk"] * 3
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get("/office/")["Location"].startswith(LOGIN)
    # The device makes the next try wait (django-otp's back-off), whatever the session.
    assert TOTPDevice.objects.get(user=world.clerk).throttling_failure_count >= 1


def test_a_backup_code_works_once(client, world):
    otp_device(world.clerk)
    from tinhso.accounts.otp import backup_codes_renew

    codes = backup_codes_renew(user=world.clerk)
    password_step(client, world.clerk)
    assert client.post(VERIFY, {"code": codes[0].upper()})["Location"] == reverse(
        "portal:after_sign_in"
    )
    client.post(reverse("accounts:logout"))
    password_step(client, world.clerk)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=world.clerk).count() == 9


def test_first_sign_in_enrols_an_authenticator(client, world, failures):
    response = password_step(client, world.clerk, "/office/")
    assert response["Location"] == f"{ENROL}?next=%2Foffice%2F"
    page = client.get(response["Location"]).content.decode()
    assert 'src="data:image/svg+xml' in page and "<script" not in page.split("</main>")[0]
    secret = enrol_secret(page)
    assert not TOTPDevice.objects.exists()  # nothing saved before the code is given
    assert client.get(ENROL).content.decode().count(secret) == 1  # the same key on a reload
    wrong = client.post(ENROL, {"code": "000000", "next": "/office/"})
    assert wrong.status_code == 400 and failures == ["clerk"]
    assert not TOTPDevice.objects.exists()
    response = client.post(ENROL, {"code": enrol_code(secret), "next": "/office/"})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=world.clerk)
    assert enrol_code(secret) == totp_code(device)
    html = response.content.decode()
    assert "ứng dụng xác thực mới" in html  # the warning, on the page
    assert Delivery.objects.filter(event="account.otp_enrolled").exists()  # and a message
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(codes) == 10 and 'href="/office/"' in html
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/office/").status_code == 200
    assert AuditLog.objects.filter(
        action="account.otp_enrol", object_id=str(world.clerk.pk)
    ).exists()
    # Enrolled: the enrolment page is closed, the next sign-in asks for the code.
    assert client.get(ENROL)["Location"] == reverse("portal:after_sign_in")
    client.post(reverse("accounts:logout"))
    assert password_step(client, world.clerk)["Location"] == VERIFY


def enrol_secret(page: str) -> str:
    found = re.search(r'id="otp-secret" class="secret">([A-Z2-7 ]+)<', page)
    assert found is not None, "no secret on the enrolment page"
    return found.group(1)


def test_each_enrolment_gets_its_own_secret(world, failures):
    """An administrator deleted the officer's authenticator; someone who knows the password
    signs in and reads the secret on the enrolment page. The officer's own enrolment must not
    use that secret, and the attacker's page must be worthless afterwards."""
    from tinhso.testing.otp import VerifiedClient

    attacker, officer = VerifiedClient(), VerifiedClient()
    password_step(attacker, world.clerk)
    stolen = enrol_secret(attacker.get(ENROL).content.decode())
    password_step(officer, world.clerk)
    own = enrol_secret(officer.get(ENROL).content.decode())
    assert own != stolen
    assert not TOTPDevice.objects.exists()
    # The attacker's secret does not enrol the officer's session.
    assert officer.post(ENROL, {"code": enrol_code(stolen)}).status_code == 400
    assert officer.post(ENROL, {"code": enrol_code(own)}).status_code == 200
    device = TOTPDevice.objects.get(user=world.clerk, confirmed=True)
    assert totp_code(device) == enrol_code(own) != enrol_code(stolen)
    # Enrolled: the attacker's page closes; their codes open nothing.
    assert attacker.get(ENROL)["Location"].startswith(VERIFY)
    assert attacker.post(VERIFY, {"code": enrol_code(stolen)}).status_code == 400


def test_an_enrolment_secret_expires(client, world):
    import time_machine

    with time_machine.travel("2026-11-30 08:00:00+07:00", tick=False) as clock:
        password_step(client, world.clerk)
        first = enrol_secret(client.get(ENROL).content.decode())
        clock.shift(14 * 60)
        assert enrol_secret(client.get(ENROL).content.decode()) == first
        clock.shift(2 * 60)
        later = enrol_secret(client.get(ENROL).content.decode())
        assert later != first
        assert client.post(ENROL, {"code": enrol_code(first)}).status_code == 400
        assert client.post(ENROL, {"code": enrol_code(later)}).status_code == 200


def test_a_citizen_has_no_business_on_the_code_pages(client, world):
    client.force_login(world.citizen)
    assert client.get(VERIFY)["Location"] == reverse("portal:after_sign_in")
    assert client.get(ENROL)["Location"] == reverse("portal:after_sign_in")
    assert not TOTPDevice.objects.exists()
    anonymous = APIClient()
    assert anonymous.get(VERIFY)["Location"] == LOGIN


# --- the API's token endpoint --------------------------------------------------------------------
def token(username, **extra):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra}
    )


def test_an_officer_needs_a_code_for_an_api_token(world, failures):
    response = token("clerk")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "otp_required" and "otp" in error["fields"]
    assert "set one up" in error["message"]  # no authenticator yet
    otp_device(world.clerk)
    error = token("clerk").json()["error"]
    assert error["code"] == "otp_required"
    assert error["message"] == "This account needs the code from its authenticator app in `otp`."
    wrong = token("clerk", otp="000000" if otp_code(world.clerk) != "000000" else "1")
    assert wrong.status_code == 400 and wrong.json()["error"]["fields"] == {
        "otp": ["The code is not correct."]
    }
    assert failures == ["clerk"]
    TOTPDevice.objects.filter(user=world.clerk).update(throttling_failure_count=0)
    issued = token("clerk", otp=otp_code(world.clerk))
    assert issued.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert client.get("/api/v1/dossiers/").status_code == 200


def test_a_citizen_needs_no_code_for_an_api_token(world):
    assert token("citizen").status_code == 200


def test_an_administrator_resets_an_authenticator_without_seeing_its_key(client, world):
    from tinhso.accounts.otp import backup_codes_renew, totp_secret_text

    device = otp_device(world.clerk)
    codes = backup_codes_renew(user=world.clerk)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(f"/admin/accounts/authenticatorapp/{device.pk}/change/").content.decode()
    assert device.key not in page and totp_secret_text(device) not in page
    assert "config" not in client.get("/admin/accounts/authenticatorapp/").content.decode()
    static = world.clerk.staticdevice_set.get()
    assert (
        codes[0]
        not in client.get(f"/admin/accounts/backupcodeset/{static.pk}/change/").content.decode()
    )
    response = client.post(f"/admin/accounts/authenticatorapp/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    # The officer enrols again at the next sign-in.
    officer = APIClient()
    response = officer.post(LOGIN, {"login": "clerk", "password": PASSWORD})
    assert response["Location"] == ENROL


def test_between_the_password_and_the_code_the_menu_offers_only_the_way_out(world):
    """A half-signed session has nowhere to go yet: no "My dossiers" or "Back office" links to
    pages that would only send it back to the code step."""
    from django.test import Client

    otp_device(world.clerk)
    TOTPDevice.objects.filter(user=world.specialist).delete()
    for user, url in ((world.clerk, VERIFY), (world.specialist, ENROL)):
        client = Client()
        assert password_step(client, user)["Location"].startswith(url)
        page = client.get(url).content.decode()
        nav = page.split('class="site-nav"')[1].split("</nav>")[0]
        assert "Hủy và đăng xuất" in nav, url
        assert reverse("portal:my_dossiers") not in nav and reverse("office:queue") not in nav
