"""Phone numbers: one canonical form (``0xxxxxxxxx``) whatever the notation typed."""

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from tinhso.core.validators import normalise_phone, validate_phone

# National significant numbers: mobiles (9 digits after the 0) and landlines (10 digits, 2 + area
# code), as the 2017–2018 numbering plan gives them.
MOBILE_PREFIXES = [
    str(n) for n in (*range(32, 40), 56, 58, 59, 70, *range(76, 90), *range(90, 100))
]
LANDLINE_PREFIXES = ["24", "28", "292", "203", "236", "251", "274"]


@st.composite
def national_numbers(draw) -> str:
    if draw(st.booleans()):
        prefix, length = draw(st.sampled_from(MOBILE_PREFIXES)), 9
    else:
        prefix, length = draw(st.sampled_from(LANDLINE_PREFIXES)), 10
    rest = draw(st.text("0123456789", min_size=length - len(prefix), max_size=length - len(prefix)))
    number = prefix + rest
    assume(phonenumbers.is_valid_number(phonenumbers.parse("0" + number, "VN")))
    return number


@st.composite
def notations(draw, national: str) -> str:
    """``national`` as a person might type it: a trunk or country prefix, then the digits in
    groups with spaces, dots or dashes."""
    prefix = draw(st.sampled_from(["0", "+84", "84", "0084", "+84 ", "(+84) ", "+84 (0)", "84 "]))
    separator = draw(st.sampled_from(["", " ", ".", "-"]))
    cuts = sorted(draw(st.sets(st.integers(1, len(national) - 1), max_size=4)))
    groups = [national[a:b] for a, b in zip([0, *cuts], [*cuts, len(national)], strict=True)]
    return f"{draw(st.sampled_from(['', ' ']))}{prefix}{separator.join(groups)}"


@given(data=st.data(), national=national_numbers())
def test_every_notation_of_a_number_has_one_stored_form(data, national):
    typed = [data.draw(notations(national)) for _ in range(3)]
    for text in typed:
        validate_phone(text)
        assert normalise_phone(text) == "0" + national


@pytest.mark.parametrize(
    "text", ["0900 000 001", "+84900000001", "0900.000.001", "84900000001", "(+84) 900-000-001"]
)
def test_the_notations_of_the_issue_find_0900000001(text):
    assert normalise_phone(text) == "0900000001"


@pytest.mark.parametrize(
    "text",
    [
        "12345",
        "0712345678",  # 071 is not in the plan
        "09123456789",  # a digit too many
        "1900 1234",  # a premium number is not a person's phone
        "+1 202 555 0199",  # abroad
        "0900000001 x12",  # an extension
        "0900-FLOWERS",
        "số điện thoại",
    ],
)
def test_an_invalid_number_gets_a_clear_vietnamese_error(text):
    with translation.override("vi"):
        with pytest.raises(ValidationError) as raised:
            validate_phone(text)
        # Read inside the override: the message is lazy, and an earlier test's request may
        # have left another language active in this thread.
        assert raised.value.messages == ["Vui lòng nhập số điện thoại Việt Nam, ví dụ 0912345678."]
    assert normalise_phone(text) != "0900000001"


@given(st.text(max_size=20))
def test_no_text_crashes_the_normaliser(text):
    result = normalise_phone(text)
    try:
        validate_phone(text)
    except ValidationError:
        return
    if not text:  # blank is left to the field's ``required``
        assert result == ""
        return
    assert result.startswith("0") and result.isascii() and result.isdigit()


@pytest.mark.parametrize(
    "number, sms",
    [
        ("0912345678", True),
        ("+84 987 654 321", True),
        ("0292 3 820 000", False),  # a Cần Thơ landline
        ("024 3825 3536", False),  # a Hà Nội landline
        ("1900 1234", False),
        ("", False),
    ],
)
def test_only_a_mobile_number_takes_text_messages(number, sms):
    from tinhso.core.validators import phone_takes_sms, validate_mobile_phone

    assert phone_takes_sms(number) is sms
    if sms:
        validate_mobile_phone(number)
    elif number:
        with translation.override("vi"):
            with pytest.raises(ValidationError) as refused:
                validate_mobile_phone(number)
            assert "di động" in refused.value.messages[0]
