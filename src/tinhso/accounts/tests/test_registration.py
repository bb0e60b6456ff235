"""Registration confirms the phone (or e-mail) with a code, and answers the same whether or not
the phone or e-mail already has an account: the owner is told instead."""

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.models import User, VerificationCode
from tinhso.accounts.tests.helpers import NEW_PASSWORD, code_sent, page_without, register
from tinhso.core.models import AuditLog
from tinhso.notify.models import Delivery

CONFIRM = reverse("accounts:register_confirm")


def _confirm(client, code):
    return client.post(CONFIRM, {"code": code})


def test_a_code_to_the_phone_confirms_the_account_and_signs_in(client, db):
    response = register(client, phone="0987 654 321")
    assert response.status_code == 302 and response["Location"] == CONFIRM
    assert not User.objects.exists()  # nothing until the phone is confirmed
    delivery = Delivery.objects.get(event="account.signup_code")
    assert delivery.channel == "sms" and delivery.address_masked == "09******21"
    page = client.get(CONFIRM).content.decode()
    assert "09******21" in page and "0987654321" not in page
    response = _confirm(client, code_sent("account.signup_code"))
    assert response.status_code == 302
    user = User.objects.get(phone="0987654321")
    assert user.is_active and user.full_name == "Lê Thị Cúc"
    assert user.check_password(NEW_PASSWORD)
    assert response.wsgi_request.user == user
    assert client.get(reverse("portal:my_dossiers")).status_code == 200
    assert AuditLog.objects.filter(action="account.register", object_id=str(user.pk)).exists()
    # No personal data in the audit row; the pending registration is gone.
    assert "0987654321" not in str(AuditLog.objects.get(action="account.register").data)
    assert not VerificationCode.objects.exists()


def test_with_an_e_mail_only_the_code_goes_by_e_mail(client, db):
    register(client, phone="", email="Cuc@Example.vn")
    delivery = Delivery.objects.get(event="account.signup_code")
    assert delivery.channel == "email"
    _confirm(client, code_sent("account.signup_code"))
    assert User.objects.filter(email__iexact="cuc@example.vn", phone="").exists()


def test_the_registration_keeps_where_the_person_was_going(client, world):
    """Submitting a dossier after registering still works: back to the submission form."""
    url = reverse("portal:submit", args=[world.procedure.pk])
    client.post(
        reverse("accounts:register") + f"?next={url}",
        {
            "full_name": "Lê Thị Cúc",
            "phone": "0987654321",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "next": url,
        },
    )
    response = _confirm(client, code_sent("account.signup_code"))
    assert response["Location"] == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("taken", "free"),
    [
        ({"phone": "+84 912 345 678"}, {"phone": "+84 987 654 321"}),
        ({"phone": "", "email": "AN@EXAMPLE.VN"}, {"phone": "", "email": "cuc@example.vn"}),
        (
            {"phone": "0987000111", "email": "an@example.vn"},
            {"phone": "0987000222", "email": "cuc@example.vn"},
        ),
    ],
)
def test_a_taken_phone_or_e_mail_gets_the_same_answer(db, settings, taken, free):
    from tinhso.testing.factories import UserFactory

    settings.NOTIFY_DEMO_IN_PAGE = False  # as in production (the demo shows what was sent)
    owner = UserFactory(phone="0912345678", email="an@example.vn")
    answers = []
    for data in (taken, free):
        client = Client()
        first = register(client, **data)
        page = client.get(first["Location"])
        wrong = _confirm(client, "000000")
        answers.append(
            (
                first.status_code,
                first["Location"],
                page.status_code,
                page_without(page.content.decode(), *data.values()),
                wrong.status_code,
                page_without(wrong.content.decode(), *data.values()),
            )
        )
    assert answers[0] == answers[1]
    # The owner is told, on the address that was typed; the stranger gets no code.
    told = Delivery.objects.filter(event="account.signup_taken")
    assert told.count() == 1
    assert told.get().address_masked in {"09******78", "a***@example.vn"}
    assert "đăng nhập" in told.get().body
    assert Delivery.objects.filter(event="account.signup_code").count() == 1  # the free one
    assert User.objects.filter(pk=owner.pk).count() == 1
    assert User.objects.count() == 1


def test_a_taken_number_can_never_be_confirmed(client, world):
    register(client, phone=world.citizen.phone)
    for code in ("000000", "123456", "999999"):
        _confirm(client, code)
    assert User.objects.filter(phone=world.citizen.phone).count() == 1
    assert not Delivery.objects.filter(event="account.signup_code").exists()


def test_a_wrong_code_tells_the_tries_left_then_dies(client, db):
    register(client)
    right = code_sent("account.signup_code")
    wrong = "000000" if right != "000000" else "111111"
    response = _confirm(client, wrong)
    assert response.status_code == 400
    assert "Mã không đúng. Bạn còn 4 lần thử." in response.content.decode()
    for _ in range(4):
        response = _confirm(client, wrong)
    assert "đã hết hạn hoặc đã bị nhập sai quá nhiều lần" in response.content.decode()
    response = _confirm(client, right)  # too late: the code is dead
    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_code_expires(client, db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        register(client)
        clock.shift(15 * 60 + 1)
        response = _confirm(client, code_sent("account.signup_code"))
    assert response.status_code == 400
    assert not User.objects.exists()


def test_the_code_is_kept_only_as_a_keyed_hash(client, db):
    register(client)
    code = code_sent("account.signup_code")
    row = VerificationCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert code not in str(row.data)
    assert NEW_PASSWORD not in str(row.data)  # the password is hashed already


def test_the_confirmation_page_needs_a_registration_first(client, db):
    response = client.get(CONFIRM)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register")


def test_a_number_taken_meanwhile_is_refused_without_a_crash(client, db):
    from tinhso.testing.factories import UserFactory

    register(client)
    code = code_sent("account.signup_code")
    UserFactory(phone="0987654321")  # someone else confirmed the same number first
    response = _confirm(client, code)
    assert response.status_code == 400
    assert User.objects.filter(phone="0987654321").count() == 1


@override_settings(ACCOUNT_REQUEST_RATE_LIMIT="2/m")
def test_registration_is_rate_limited_per_address(client, db):
    register(client, phone="0900000001")
    register(client, phone="0900000002")
    response = register(client, phone="0900000003")
    assert response.status_code == 429
    assert "Có quá nhiều lần thử" in response.content.decode()
    assert Delivery.objects.filter(event="account.signup_code").count() == 2


@override_settings(ACCOUNT_CODE_RATE_LIMIT="2/15m")
def test_no_one_can_flood_a_phone_with_codes(world):
    """The same for a taken and a free number, from any address."""
    for phone in ("0912345678", "0987654321"):
        codes = [
            register(Client(REMOTE_ADDR=f"203.0.113.{n}"), phone=phone).status_code
            for n in range(3)
        ]
        assert codes == [302, 302, 429]
    assert Delivery.objects.filter(event="account.signup_taken").count() == 2
    assert Delivery.objects.filter(event="account.signup_code").count() == 2


def test_a_landline_cannot_register_because_no_code_reaches_it(client, world):
    response = register(client, phone="0292 3 820 000")
    assert response.status_code == 200
    assert "số điện thoại cố định không nhận được" in response.content.decode()
    assert not Delivery.objects.exists()
