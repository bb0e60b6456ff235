"""Vietnamese text whatever way it was typed (ADR 8): NFC, folding, codes, sort keys."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinhso.core.text import code_normalize, fold, nfc, nfc_data, vi_sort_key, vi_sorted


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


VIETNAMESE = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
letters = st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + "fjwz")
words = st.text(letters, min_size=1, max_size=8)
names = st.lists(words, min_size=1, max_size=4).map(" ".join)
any_text = st.text(
    st.characters(exclude_categories=["Cs"]) | letters | st.sampled_from(" -–0123456789"),
    max_size=30,
)


# --- NFC and folding -----------------------------------------------------------------------------
def test_nfc_composes_what_a_phone_decomposed():
    assert nfd("Đặng") != "Đặng"
    assert nfc(nfd("Đặng Thị Thủy")) == "Đặng Thị Thủy"
    assert nfc_data({nfd("tên"): [nfd("Đặng"), 1, None]}) == {"tên": ["Đặng", 1, None]}


@pytest.mark.parametrize(
    "typed",
    ["ĐẶNG", "Đặng", "đặng", "dang", "DANG", nfd("Đặng"), nfd("ĐẶNG"), " đặng  "],
)
def test_every_spelling_of_a_name_folds_alike(typed):
    assert fold(typed) == "dang"


def test_old_and_new_tone_placement_fold_alike():
    assert fold("Thuỷ") == fold("Thủy") == "thuy"
    assert fold("hoá") == fold("hóa") == "hoa"
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"


def test_fold_reads_full_width_letters_and_any_dash():
    assert fold("ＡＢＣ\u00a0１２") == "abc 12"
    assert fold("261129–0001") == fold("261129—0001") == fold("261129−0001") == "261129-0001"


@given(any_text)
def test_fold_is_the_same_for_nfc_and_nfd(text):
    assert fold(nfd(text)) == fold(unicodedata.normalize("NFC", text))


@given(names)
def test_fold_is_plain_lower_case_ascii_for_vietnamese(name):
    folded = fold(name)
    assert folded.isascii() and folded == folded.lower()


# --- codes ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        "000.00.01.H13-261129-0001",
        "000.00.01.h13-261129-0001",
        " 000.00.01.H13 - 261129 - 0001 ",
        "000.00.01.H13–261129–0001",  # en dash
        "000.00.01.H13—261129—0001",  # em dash
        "000.00.01.H13−261129−0001",  # minus sign
        "000.00.01.H13\u00a0-\u00a0261129-0001",  # non-breaking spaces
        "０００.００.０１.Ｈ１３-261129-0001",  # full-width
        "000.00.01.H13\u2011261129\u20110001",  # non-breaking hyphen
    ],
)
def test_a_dossier_code_typed_by_hand_is_the_stored_code(typed):
    assert code_normalize(typed) == "000.00.01.H13-261129-0001"


def test_procedure_and_agency_codes_too():
    assert code_normalize("1.011442.000.00.00.h38") == "1.011442.000.00.00.H38"
    assert code_normalize("000.00.00.h30 ") == "000.00.00.H30"
    assert code_normalize(None) == code_normalize("") == ""


# --- Vietnamese alphabetical order ---------------------------------------------------------------
def test_the_order_of_the_issue():
    listed = ["Văn hóa", "Đất đai", "Đường bộ", "Lý lịch", "Lưu thông", "Vị Tân", "Ô Môn"]
    assert vi_sorted(listed) == [
        "Đất đai",
        "Đường bộ",
        "Lưu thông",
        "Lý lịch",
        "Ô Môn",
        "Văn hóa",
        "Vị Tân",
    ]


def test_the_alphabet_in_order():
    alphabet = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
    assert vi_sorted(reversed(alphabet)) == alphabet
    assert vi_sorted(a.upper() for a in reversed(alphabet)) == [a.upper() for a in alphabet]


def test_tones_and_case_only_break_ties():
    assert vi_sorted(["bác", "bạ", "bá", "bã", "bả", "bà", "ba", "Ba"]) == [
        "ba",
        "Ba",
        "bà",
        "bả",
        "bã",
        "bá",
        "bạ",
        "bác",
    ]
    # A tone never outweighs a letter: "bà" (a) comes before "bác" and "bắc" (ă).
    assert vi_sorted(["bắc", "bác", "bà"]) == ["bà", "bác", "bắc"]


def test_words_and_numbers():
    assert vi_sorted(["Ôm", "Ô Môn", "Phường 10", "Phường 2", "Phường 1"]) == [
        "Ô Môn",
        "Ôm",
        "Phường 1",
        "Phường 2",
        "Phường 10",
    ]
    assert vi_sort_key("") == vi_sort_key(None) == ""


def test_old_and_new_tone_placement_sort_alike():
    assert vi_sort_key("Thuỷ") == vi_sort_key("Thủy")
    assert vi_sort_key("Hoà Bình") == vi_sort_key("Hòa Bình")


@given(any_text)
def test_the_key_is_digits_only_and_the_same_for_nfd(text):
    key = vi_sort_key(text)
    assert key == "" or key.isdigit() and key.isascii()
    assert vi_sort_key(nfd(text)) == key


@given(names, names)
def test_a_name_sorts_before_any_longer_name_it_begins(first, rest):
    assert vi_sort_key(first) < vi_sort_key(f"{first} {rest}")


@given(names, names)
def test_letters_decide_before_tones_and_case(a, b):
    # Two names whose letters differ are ordered by their letters alone.
    bare_a, bare_b = _letters(a), _letters(b)
    if bare_a != bare_b and not bare_a.startswith(bare_b) and not bare_b.startswith(bare_a):
        assert (vi_sort_key(a) < vi_sort_key(b)) == (
            vi_sort_key(bare_a.lower()) < vi_sort_key(bare_b.lower())
        )


@given(st.lists(names, max_size=6))
def test_sorting_is_a_total_order(items):
    ordered = vi_sorted(items)
    keys = [vi_sort_key(x) for x in ordered]
    assert keys == sorted(keys)
    assert vi_sorted(ordered) == ordered


def _letters(text: str) -> str:
    """``text`` without its tones (keeping ă â ê ô ơ ư đ)."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    return unicodedata.normalize("NFC", "".join(c for c in nfd(text) if c not in tones))
