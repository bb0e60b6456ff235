"""One rule per field in every channel: the same table of identity/tax and phone numbers is
accepted or refused alike by the API, the desk form, the portal form, the registration form and
the submission service (``tinhso.core.validators``)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

from tinhso.accounts.forms import RegisterForm
from tinhso.core.validators import phone_takes_sms
from tinhso.dossiers import services
from tinhso.dossiers.api.serializers import DossierSubmitSerializer
from tinhso.dossiers.constants import Channel
from tinhso.office.forms import DeskRegistrationForm
from tinhso.portal.forms import SubmitForm

# value, valid for an applicant (CCCD, CMND or tax number), valid for a person's account
ID_NUMBERS = [
    ("092090001234", True, True),  # CCCD
    ("092 090 001 234", True, True),
    ("092.090.001.234", True, True),
    ("123456789", True, True),  # old CMND
    ("0101234567", True, False),  # tax number
    ("0101234567-001", True, False),  # a branch's tax number
    ("12345", False, False),
    ("09209000123A", False, False),
    ("0920900012345", False, False),
    ("092090001234-001", False, False),
    ("0101234567-01", False, False),
    ("số CCCD", False, False),
    ("०९२०९०००१२३४", False, False),  # Devanagari digits: no register reads them
    ("09209000123\n", False, False),
]
PHONES = [
    ("0912345678", True),
    ("0912 345 678", True),
    ("091.234.5678", True),
    ("+84912345678", True),
    ("84 912 345 678", True),
    ("(+84) 912-345-678", True),
    ("0084 912 345 678", True),
    ("0712345678", False),  # 071 is not in the numbering plan
    ("1900 1234", False),  # a premium number is not a person's phone
    ("0321234567", True),
    ("02923812345", True),  # a landline in Cần Thơ
    ("0123456789", False),  # the old 01x prefixes are gone
    ("091234567", False),
    ("09123456789", False),
    ("1912345678", False),
    ("điện thoại", False),
    ("09١٢٣٤٥٦٧٨", False),  # Arabic-Indic digits: no gateway delivers to them
    ("０９１２３４５６７８", False),  # full-width digits
]


def _form_field_ok(field: forms.Field, value: str) -> bool:
    try:
        field.clean(value)
    except forms.ValidationError:
        return False
    return True


def _api_ok(name: str, value: str) -> bool:
    try:
        DossierSubmitSerializer().fields[name].run_validation(value)
    except serializers.ValidationError:
        return False
    return True


def _service_ok(world, **fields) -> bool:
    try:
        services.dossier_submit(
            procedure=world.procedure,
            channel=Channel.POSTAL,
            actor=world.clerk,
            applicant_name="Lê Thị Cúc",
            **fields,
        )
    except ValidationError as error:
        assert set(error.message_dict) == set(fields), error.message_dict
        return False
    return True


def _channels(world, field: str):
    desk = DeskRegistrationForm(procedure=world.procedure)
    portal = SubmitForm(documents=[])
    return {
        "api": lambda v: _api_ok(field, v),
        "desk": lambda v: _form_field_ok(desk.fields[field], v),
        "portal": lambda v: _form_field_ok(portal.fields[field], v),
        "service": lambda v: _service_ok(world, **{field: v}),
    }


@pytest.mark.parametrize(("value", "valid", "personal"), ID_NUMBERS)
def test_identity_or_tax_number(world, value, valid, personal):
    results = {
        name: check(value) for name, check in _channels(world, "applicant_id_number").items()
    }
    assert results == dict.fromkeys(results, valid)
    # An account holds a person's number only: the same CCCD/CMND rule without tax numbers.
    assert _form_field_ok(RegisterForm().fields["national_id"], value) is personal


@pytest.mark.parametrize(("value", "valid"), PHONES)
def test_phone_number(world, value, valid):
    results = {name: check(value) for name, check in _channels(world, "applicant_phone").items()}
    registration = _form_field_ok(RegisterForm().fields["phone"], value)
    assert results == dict.fromkeys(results, valid)
    # An account's number must take the code by text message: a landline cannot register.
    assert registration == (valid and phone_takes_sms(value))


def test_the_service_stores_the_normalised_numbers(world):
    dossier = services.dossier_submit(
        procedure=world.procedure,
        channel=Channel.POSTAL,
        actor=world.clerk,
        applicant_name="Lê Thị Cúc",
        applicant_id_number=" 092.090.001 234 ",
        applicant_phone="+84 912-345-678",
    )
    dossier.refresh_from_db()
    assert (dossier.applicant_id_number, dossier.applicant_phone) == ("092090001234", "0912345678")


def test_the_message_is_in_plain_vietnamese(world):
    from django.utils import translation

    with translation.override("vi"):
        with pytest.raises(ValidationError) as error:
            services.dossier_submit(
                procedure=world.procedure,
                channel=Channel.POSTAL,
                actor=world.clerk,
                applicant_name="Lê Thị Cúc",
                applicant_phone="12345",
            )
        # Read inside the override: the message is lazy.
        assert error.value.message_dict["applicant_phone"] == [
            "Vui lòng nhập số điện thoại Việt Nam, ví dụ 0912345678."
        ]
