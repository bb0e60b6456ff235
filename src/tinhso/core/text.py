"""Vietnamese text, whatever way it was typed (ADR 8).

- ``nfc``: the one form text is kept in. Phones and Macs may send "Đặng" decomposed (NFD: "D" +
  stroke is one letter, but "ặ" arrives as "a" + breve + dot below); every channel turns it into
  NFC before it is read (``core.middleware.TextNormalizationMiddleware``, ``core.parsers``) and
  before it is stored (``core.signals``: every text field of the project's models).
- ``fold``: what searches compare. "ĐẶNG", "Đặng", "dang" and the decomposed "Đặng" all fold to
  "dang"; "Thuỷ" and "Thủy" (old and new tone placement) both fold to "thuy".
- ``vi_sort_key``: Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
  u ư v x y; tones, then case, only break ties), as a string of digits that sorts the same by
  code point, by any database collation and in Python. Models store it in a ``SortKeyField``.
- ``code_normalize``: codes typed by hand ("000.00.01.h13 – 261129 – 0001", a non-breaking space,
  a word processor's en dash) in the one form codes are stored in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import QueryDict

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign, small
# and full-width hyphen-minus: what a word processor or a phone's keyboard puts for "-".
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-")
)


def nfc(text: str) -> str:
    """``text`` in Unicode normalisation form C (composed: "ặ" is one code point)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def nfc_data(data: Any) -> Any:
    """``data`` (parsed JSON: dicts, lists, strings, numbers) with every string, keys included,
    in NFC. Other values are returned as they are."""
    if isinstance(data, str):
        return nfc(data)
    if isinstance(data, dict):
        return {nfc_data(key): nfc_data(value) for key, value in data.items()}
    if isinstance(data, list):
        return [nfc_data(value) for value in data]
    return data


def nfc_querydict(data: QueryDict) -> QueryDict:
    """``data`` (``request.GET``, ``request.POST``) with every key and text value in NFC; the
    same object when there is nothing to change. Uploaded files are kept as they are."""
    if all(
        _is_nfc(key) and all(not isinstance(v, str) or _is_nfc(v) for v in values)
        for key, values in data.lists()
    ):
        return data
    normalized = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        normalized.setlist(nfc(key), [nfc(v) if isinstance(v, str) else v for v in values])
    normalized._mutable = False
    return normalized


def _is_nfc(text: str) -> bool:
    return text.isascii() or unicodedata.is_normalized("NFC", text)


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (tones, the marks of ă â ê ô ơ ư, and đ/Đ) and collapse white
    space: "  Đặng   Thị THUỶ " → "dang thi thuy". The same for NFC and NFD input."""
    if not text:
        return ""
    # NFKD: also full-width letters and non-breaking spaces; any dash is "-" as in codes.
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA)).translate(_DASHES)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fold_words(text: str | None) -> list[str]:
    """The folded words of a search query, without repeats, in order."""
    return list(dict.fromkeys(fold(text).split()))


# --- codes ---------------------------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def code_normalize(code: str | None) -> str:
    """A code typed by hand in the form codes are stored in: upper case, no white space (non-
    breaking and full-width spaces included), any dash as "-", full-width digits and letters as
    ASCII (NFKC). "000.00.01.h13 – 261129 – 0001" → "000.00.01.H13-261129-0001".

    For dossier codes (``<agency code>-<YYMMDD>-<NNNN>``), procedure codes
    (``1.011442.000.00.00.H38``), agency codes (QCVN 102:2016) and field codes.
    """
    if not code:
        return ""
    text = unicodedata.normalize("NFKC", code).translate(_DASHES)
    return _SPACES.sub("", text).upper()


# --- Vietnamese alphabetical order ---------------------------------------------------------------
# Primary weights, two digits each. The Latin letters Vietnamese does not use (f j w z) sit where
# the Latin alphabet has them, so foreign words sort as expected.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {letter: f"{10 + index:02d}" for index, letter in enumerate(_ALPHABET)}
# The marks that make a letter of its own (breve, circumflex, horn) and the tones, by their
# combining code point. Tones in the order of Vietnamese dictionaries and of CLDR's "vi"
# collation: none, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_SEPARATOR = "01"  # a run of spaces or punctuation: before every letter ("Ô Môn" < "Ôm")
_NUMBER = "02"  # a run of digits, compared by value ("Phường 2" < "Phường 10")
_OTHER = "99"  # any other letter (another script), followed by its code point
_END_OF_PRIMARY = "00"


def _clusters(text: str) -> Iterable[tuple[str, str]]:
    """(base character with its letter marks, tone digit) for each character of ``text``."""
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = "0"
        kept = ""
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _LETTER_MARKS:
                kept += mark
        yield unicodedata.normalize("NFC", base + kept), tone


def vi_sort_key(text: str | None) -> str:
    """A key that puts ``text`` in Vietnamese alphabetical order: compare keys as plain strings.

    The key is made of ASCII digits only, so it sorts the same by code point (Python, SQLite),
    under any PostgreSQL collation (C, en_US, vi_VN, ICU) and in every database index. It has
    three parts compared one after the other, as in the Unicode collation algorithm:

    1. the letters (two digits each, in the order a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
       u ư v x y), word breaks (spaces and punctuation, before any letter) and numbers (by
       value);
    2. the tones, one digit per word (none < huyền < hỏi < ngã < sắc < nặng), so "Thuỷ" and
       "Thủy" (old and new placement of the tone) get the same key;
    3. the case, one digit per letter (lower case first).

    Examples of the order: "Lưu thông" < "Lý lịch" (u < ư < y); "Đất đai" < "Văn hóa" (đ < v);
    "Ô Môn" < "Vị Tân" (ô < v); "ba" < "bà" < "bả" < "bã" < "bá" < "bạ" < "bác". Empty or None
    gives "".
    """
    if not text:
        return ""
    primary: list[str] = []
    tones: list[str] = []
    cases: list[str] = []
    word_tone = "0"
    in_word = False
    digits = ""

    def end_number() -> None:
        nonlocal digits
        if digits:
            value = digits.lstrip("0") or "0"
            primary.append(f"{_NUMBER}{min(len(value), 99):02d}{value[:99]}")
            digits = ""

    def end_word() -> None:
        nonlocal word_tone, in_word
        if in_word:
            tones.append(word_tone)
        word_tone = "0"
        in_word = False

    for base, tone in _clusters(text):
        lower = base.lower()
        if base.isdigit() and base.isascii():
            digits += base
            in_word = True
            continue
        end_number()
        if lower in _LETTER:
            primary.append(_LETTER[lower])
            cases.append("0" if base == lower else "1")
        elif base.isalpha():
            primary.append(f"{_OTHER}{ord(lower):07d}")
            cases.append("0" if base == lower else "1")
        else:
            end_word()
            if primary and primary[-1] != _SEPARATOR:
                primary.append(_SEPARATOR)
            continue
        in_word = True
        if tone != "0":
            word_tone = tone
    end_number()
    end_word()
    while primary and primary[-1] == _SEPARATOR:
        primary.pop()
    return "".join(primary) + _END_OF_PRIMARY + "".join(tones) + "".join(cases)


def vi_sorted(items: Iterable[Any], key=None) -> list[Any]:
    """``items`` in Vietnamese alphabetical order of ``key(item)`` (``str(item)`` by default)."""
    name = key or str
    return sorted(items, key=lambda item: vi_sort_key(name(item)))


# --- stored keys ---------------------------------------------------------------------------------
class DerivedTextField(models.TextField):
    """A column computed from other fields of the row whenever the row is saved (also by
    ``bulk_create``). ``core.signals`` keeps it right when ``save(update_fields=…)`` names
    a source but not this field. Subclasses say how (``derive``)."""

    def __init__(self, *args, sources: Iterable[str] = ("name",), **kwargs):
        self.sources = tuple(sources)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = list(self.sources)
        for key, value in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key, not value) == value:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def derive(self, values: list[str]) -> str:
        raise NotImplementedError

    def value_for(self, instance: models.Model) -> str:
        values = []
        for source in self.sources:
            value: Any = instance
            for part in source.split("__"):
                value = getattr(value, part, None) if value is not None else None
            values.append("" if value is None else str(value))
        return self.derive(values)

    def pre_save(self, model_instance, add):
        value = self.value_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value


class SortKeyField(DerivedTextField):
    """``vi_sort_key`` of the source field (``sources=("name",)``): order by this column."""

    def derive(self, values: list[str]) -> str:
        return vi_sort_key(" ".join(values))


class FoldedTextField(DerivedTextField):
    """``fold`` of the source fields joined by spaces: search it with ``folded_filter``."""

    def derive(self, values: list[str]) -> str:
        return fold(" ".join(values))


def folded_q(query: str | None, *columns: str) -> models.Q | None:
    """A filter that keeps the rows where every folded word of ``query`` occurs in one of the
    folded ``columns`` (``FoldedTextField``s, joins allowed). None when the query has no words.

    ``contains`` on an already folded (ASCII, lower-case) column with an ASCII, lower-case word
    means the same on SQLite and PostgreSQL: no database case folding or collation is involved.
    """
    words = fold_words(query)
    if not words:
        return None
    result = models.Q()
    for word in words:
        any_column = models.Q()
        for column in columns:
            any_column |= models.Q(**{f"{column}__contains": word})
        result &= any_column
    return result
