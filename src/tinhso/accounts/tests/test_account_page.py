"""A person's own account page: their name, a new password checked as a sign-in is."""

import pytest
from django.test import Client
from django.urls import reverse

from tinhso.accounts.lockout import DEVICE_COOKIE
from tinhso.accounts.models import ApiToken
from tinhso.accounts.tests.helpers import NEW_PASSWORD
from tinhso.accounts.tokens import token_issue
from tinhso.core.models import AuditLog
from tinhso.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("accounts:account")


def signed_in(user) -> Client:
    client = Client()
    assert (
        client.post(
            reverse("accounts:login"), {"login": user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


def change(client, old, new=NEW_PASSWORD, again=None):
    return client.post(
        URL,
        {
            "password-old_password": old,
            "password-new_password1": new,
            "password-new_password2": again or new,
        },
    )


def test_a_stranger_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_shows_how_the_person_signs_in_and_where_to_go_next(world):
    page = signed_in(world.citizen).get(URL).content.decode()
    assert world.citizen.phone in page
    for link in ("portal:my_dossiers", "portal:notifications", "portal:api_tokens"):
        assert reverse(link) in page


def test_the_name_is_saved_tidied_and_audited(world):
    client = signed_in(world.citizen)
    response = client.post(URL, {"profile-full_name": "  Trần   Thị  Bích "})
    assert response.status_code == 302
    world.citizen.refresh_from_db()
    assert world.citizen.full_name == "Trần Thị Bích"
    assert AuditLog.objects.filter(action="account.update", object_id=str(world.citizen.pk))
    empty = client.post(URL, {"profile-full_name": "   "})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()


def test_a_new_password_keeps_this_session_and_ends_the_others_and_the_tokens(world):
    here, elsewhere = signed_in(world.citizen), signed_in(world.citizen)
    token_issue(user=world.citizen, actor=world.citizen, name="Điện thoại")
    response = change(here, PASSWORD)
    assert response.status_code == 302
    assert here.get(URL).status_code == 200
    assert elsewhere.get(URL).status_code == 302  # signed out by the new password hash
    assert not ApiToken.objects.filter(user=world.citizen, revoked_at__isnull=True).exists()
    world.citizen.refresh_from_db()
    assert world.citizen.check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(action="account.password_change").count() == 1


def test_mismatched_or_weak_new_passwords_are_refused(world):
    client = signed_in(world.citizen)
    assert "error-summary" in change(client, PASSWORD, again="khác-hẳn-2026").content.decode()
    assert "error-summary" in change(client, PASSWORD, new="12345678").content.decode()
    world.citizen.refresh_from_db()
    assert world.citizen.check_password(PASSWORD)


def test_guessing_the_current_password_counts_as_failed_sign_ins(world, settings):
    """A borrowed session cannot guess the password without limit: wrong guesses count as
    wrong sign-ins. With the session cookie alone, five lock the account for everyone; with
    the owner's device cookie too, they count against that cookie, which stops being trusted
    after SIGNIN_DEVICE_FAILURES, and then even the right password is refused there."""
    stolen = signed_in(world.citizen)
    del stolen.cookies[DEVICE_COOKIE]
    for attempt in range(4):
        page = change(stolen, f"doan-sai-{attempt}").content.decode()
        assert "Mật khẩu hiện tại không đúng" in page
    change(stolen, "doan-sai-cuoi")
    locked = change(stolen, PASSWORD)
    assert locked.status_code == 429 and "Đổi mật khẩu" in locked.content.decode()
    assert "quá nhiều lần" in locked.content.decode()
    stranger = Client().post(
        reverse("accounts:login"), {"login": world.citizen.username, "password": PASSWORD}
    )
    assert stranger.status_code == 429
    world.citizen.refresh_from_db()
    assert world.citizen.check_password(PASSWORD)


def test_on_the_owners_device_the_guesses_end_at_the_device_limit(world, settings):
    """The device cookie takes SIGNIN_DEVICE_FAILURES wrong guesses; then it is an ordinary
    client again, and the account's five lock it."""
    client = signed_in(world.citizen)
    for attempt in range(settings.SIGNIN_DEVICE_FAILURES + 5):
        change(client, f"doan-sai-{attempt}")
    assert change(client, PASSWORD).status_code == 429
    world.citizen.refresh_from_db()
    assert world.citizen.check_password(PASSWORD)
