"""E-mail addresses match in one exact form: look-alike letters that the database's UPPER()
folds together (dotless ı, long s ſ, the Kelvin sign, fullwidth letters) name no account, and a
code goes only to the account's own stored address (the penetration test of issue 6)."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tinhso.accounts.backends import PhoneOrEmailBackend
from tinhso.accounts.models import User
from tinhso.accounts.selectors import email_canonical, user_for_login, user_with_address
from tinhso.accounts.tests.helpers import register
from tinhso.core.privacy import mask_address
from tinhso.notify.models import Delivery
from tinhso.testing.factories import PASSWORD, UserFactory

VICTIM = "nguyenvanan@gmail.com"
LOOKALIKES = [
    "nguyenvanan@gmaıl.com",  # dotless ı: UPPER('ı') = 'I'
    "nguyenvanaſ@gmail.com",  # long s: UPPER('ſ') = 'S', NFKC 's'
    "\u212anguyenvanan@gmail.com",  # the Kelvin sign: LOWER = 'k', NFKC 'K'
    "nguyenvanan@ｇmail.com",  # fullwidth g: NFKC 'g'
]


@pytest.fixture
def victim(db):
    return UserFactory(email=VICTIM, phone="0911222333")


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_a_lookalike_names_no_account(victim, typed):
    # The victim's address with the look-alike's fold, so each case has a real target.
    target = typed.replace("ı", "i").replace("ſ", "s").replace("\u212a", "k").replace("ｇ", "g")
    User.objects.filter(pk=victim.pk).update(email=target)
    assert user_for_login(typed) is None
    assert user_with_address(typed) is None
    assert PhoneOrEmailBackend().authenticate(None, username=typed, password=PASSWORD) is None
    assert user_for_login(target.upper()) == victim  # case still does not matter


def test_the_canonical_form_refuses_what_nfkc_changes():
    assert email_canonical(" An@Example.VN ") == "an@example.vn"
    assert email_canonical("an@gmaıl.com") == "an@gmaıl.com"  # a different (IDN) address
    for typed in ("aſ@example.vn", "\u212a@example.vn", "ａn@example.vn"):
        assert email_canonical(typed) == ""


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_a_reset_asked_with_a_lookalike_sends_nothing_anywhere(client, victim, typed):
    target = typed.replace("ı", "i").replace("ſ", "s").replace("\u212a", "k").replace("ｇ", "g")
    User.objects.filter(pk=victim.pk).update(email=target)
    client.post(reverse("accounts:password_reset"), {"login": typed})
    deliveries = Delivery.objects.filter(event="account.password_reset_code")
    if unicodedata.normalize("NFC", typed) != typed:
        # The Kelvin sign *is* K (canonically equivalent): every request is put in NFC before
        # it is read (ADR 8), so this is the victim's own address typed in capitals, and the
        # code goes to the stored address, as it would for anyone typing it.
        assert [d.address_masked for d in deliveries] == [mask_address(target)]
    else:
        assert not deliveries.exists()


def test_a_reset_code_goes_to_the_stored_address_not_the_typed_one(client, victim):
    client.post(reverse("accounts:password_reset"), {"login": "NguyenVanAn@Gmail.COM"})
    delivery = Delivery.objects.get(event="account.password_reset_code")
    assert delivery.address_masked == mask_address(VICTIM)


def test_registration_and_the_admin_refuse_a_lookalike(victim):
    response = register(Client(), phone="0987654321", email="nguyenvanaſ@gmail.com")
    assert response.status_code == 200
    assert "chữ cái thông thường" in response.content.decode()
    user = User(username="x", email="\u212a@example.vn")
    with pytest.raises(ValidationError):
        user.clean()
    # A dotless ı is another (IDN) address: not the victim's, so the victim is not told.
    register(Client(), phone="0987654321", email="nguyenvanan@gmaıl.com")
    assert not Delivery.objects.filter(event="account.signup_taken").exists()
