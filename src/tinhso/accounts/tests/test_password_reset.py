"""Citizens set a new password with a code sent by SMS or e-mail through notify."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tinhso.accounts.models import User, VerificationCode
from tinhso.accounts.tests.helpers import NEW_PASSWORD, code_sent, page_without, sign_in
from tinhso.core.models import AuditLog
from tinhso.notify.models import Delivery
from tinhso.testing.factories import PASSWORD

REQUEST = reverse("accounts:password_reset")
CONFIRM = reverse("accounts:password_reset_confirm")


def _ask(client, login):
    return client.post(REQUEST, {"login": login})


def _set(client, code, password=NEW_PASSWORD, again=None):
    return client.post(
        CONFIRM, {"code": code, "password1": password, "password2": again or password}
    )


@pytest.mark.parametrize(
    ("typed", "channel"), [("+84 912 345 678", "sms"), ("CITIZEN@EXAMPLE.VN", "email")]
)
def test_a_code_sets_a_new_password_and_signs_in(client, world, typed, channel):
    elsewhere = Client()
    elsewhere.force_login(world.citizen)  # another session of the same person
    response = _ask(client, typed)
    assert response.status_code == 302 and response["Location"] == CONFIRM
    delivery = Delivery.objects.get(event="account.password_reset_code")
    assert delivery.channel == channel  # only to the address typed
    response = _set(client, code_sent("account.password_reset_code"))
    assert response.status_code == 302
    assert response.wsgi_request.user == world.citizen
    world.citizen.refresh_from_db()
    assert world.citizen.check_password(NEW_PASSWORD)
    # Every other session has ended.
    assert elsewhere.get(reverse("portal:my_dossiers")).status_code == 302
    # The owner is told on all their addresses; the write is audited.
    changed = Delivery.objects.filter(event="account.password_changed", recipient=world.citizen)
    assert set(changed.values_list("channel", flat=True)) == {"sms", "email"}
    assert AuditLog.objects.filter(action="account.password_reset").count() == 1
    assert not VerificationCode.objects.exists()  # spent


def test_a_reset_unlocks_the_account_for_its_owner(client, world):
    for n in range(5):
        sign_in(Client(), "0912345678", "sai", REMOTE_ADDR=f"203.0.113.{n + 1}")
    assert sign_in(Client(), "0912345678", PASSWORD).status_code == 429
    _ask(client, "0912345678")
    assert _set(client, code_sent("account.password_reset_code")).status_code == 302
    assert not AccessAttempt.objects.filter(username=f"user:{world.citizen.pk}").exists()
    response = sign_in(Client(), "0912 345 678", NEW_PASSWORD, REMOTE_ADDR="198.51.100.3")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("known", "unknown"), [("0912345678", "0987654321"), ("citizen@example.vn", "ai@example.vn")]
)
def test_an_unknown_address_gets_the_same_answer(world, settings, known, unknown):
    settings.NOTIFY_DEMO_IN_PAGE = False  # as in production (the demo shows what was sent)
    answers = []
    for typed in (known, unknown):
        client = Client()
        first = _ask(client, typed)
        page = client.get(first["Location"])
        wrong = _set(client, "000000")
        answers.append(
            (
                first.status_code,
                first["Location"],
                page.status_code,
                page_without(page.content.decode(), typed),
                wrong.status_code,
                page_without(wrong.content.decode(), typed),
            )
        )
    assert answers[0] == answers[1]
    assert Delivery.objects.filter(event="account.password_reset_code").count() == 1


def test_a_refused_password_keeps_the_code(client, world):
    _ask(client, "0912345678")
    code = code_sent("account.password_reset_code")
    response = _set(client, code, password="12345678")
    assert response.status_code == 400
    assert "password1" in response.context["form"].errors
    assert _set(client, code).status_code == 302


def test_five_wrong_codes_kill_it(client, world):
    _ask(client, "0912345678")
    right = code_sent("account.password_reset_code")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        _set(client, wrong)
    response = _set(client, right)
    assert response.status_code == 400
    assert "đã hết hạn hoặc đã bị nhập sai quá nhiều lần" in response.content.decode()
    assert User.objects.get(pk=world.citizen.pk).check_password(PASSWORD)


def test_an_invalid_phone_gets_a_clear_error(client, db):
    for number in ("0712 345", "0292 3 820 000"):  # not a number; a landline takes no code
        response = _ask(client, number)
        assert response.status_code == 200
        assert "Vui lòng nhập số điện thoại di động" in response.content.decode()
    assert not VerificationCode.objects.exists()


def test_the_demo_shows_the_message_it_did_not_send(client, world, settings):
    settings.NOTIFY_DEMO_IN_PAGE = True
    _ask(client, "0912345678")
    html = client.get(CONFIRM).content.decode()
    code = code_sent("account.password_reset_code")
    assert "Bản trình diễn" in html and code in html
    settings.NOTIFY_DEMO_IN_PAGE = False  # production: never
    html = client.get(CONFIRM).content.decode()
    assert "Bản trình diễn" not in html and code not in html


def test_the_demo_shows_nothing_of_a_real_channel(client, world, settings):
    settings.NOTIFY_DEMO_IN_PAGE = True
    settings.NOTIFY_SMS_BACKEND = "esms"
    _ask(client, "0912345678")
    html = client.get(CONFIRM).content.decode()
    assert "Không có tin nhắn nào được gửi" in html


def test_the_page_needs_a_request_first(client, db):
    response = client.get(CONFIRM)
    assert response.status_code == 302 and response["Location"] == REQUEST
