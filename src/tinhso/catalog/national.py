"""Import of the national procedure database (CSDL quốc gia về TTHC) into the catalogue.

The input is the national portal's ``LayThuTuc`` answer shape, ``{"result": [record, …]}``, as
documented in the data pack (``shared/data/README.md`` §1): one record per procedure with
``MATTHC`` (base code such as ``1.004344``), ``TENTTHC``, ``CAPTHUCHIEN``, ``LINHVUCTHUCHIEN``,
``COQUANTHUCHIEN``, ``CACHTHUCTHUCHIEN`` (channels with times and fees), ``THANHPHANHOSO``
(documents per case, with form names), ``TRINHTUTHUCHIEN``, ``CANCUPHAPLY``, ``YEUCAU`` and
``KETQUATHUCHIEN``. The national field names stay in this module; the rest of the product sees
``Procedure``, ``RequiredDocument`` and ``Fee`` (ADR 0007).

Rules (ADR 0007):

- Codes: the province publishes ``<base>.<province People's Committee code>``, for example
  ``1.004344.000.00.00.H13``.
- Text is normalised to NFC, and "Ð" (U+00D0, a mis-encoded capital D with stroke) to "Đ".
  The record itself is kept as published in ``NationalRecord``.
- Implementer: "Cấp xã" in ``CAPTHUCHIEN`` means every commune People's Committee carries it
  out (``at_communes``); the province-level agency is the first ``COQUANTHUCHIEN`` name mapped to
  a province agency in ``NationalAgency`` (names seen for the first time are added unmapped, for
  the administrator to map). A record with neither is skipped, with the reason in the report.
- Processing time: the longest time of any channel or case, converted to working days:
  "Ngày làm việc" and a bare number as is, "Ngày" (calendar days) × 5/7, "Giờ" ÷ 8, "Tháng" × 22,
  rounded up to half a day; with no time on any channel, the longest "N ngày làm việc" of the
  steps text. The published text is kept in ``processing_time_text``. A record with no time at
  all is imported unpublished (1 working day) for the administrator to complete.
- Fees: each chargeable amount in VND becomes a ``Fee`` of its channel; amounts in another
  currency keep amount 0 and the amount in the note; "Miễn phí" adds no fee.
- The internal process is the province's, not the national database's: the import keeps a
  procedure's steps, and ``process_for`` (optional) gives one to a procedure that has none.
  A new procedure is published only when it has a process and a processing time.
- A procedure gets a new ``ProcedureVersion`` only when its content changed, so importing the
  same file again changes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import math
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tinhso.catalog.models import (
    Fee,
    Field,
    NationalAgency,
    NationalRecord,
    Procedure,
    ProcessStep,
    RequiredDocument,
)
from tinhso.catalog.services import procedure_version_publish
from tinhso.core.text import fold, vi_sort_key
from tinhso.org.models import Agency

LEVEL_COMMUNE = "Cấp xã"
LEVEL_PROVINCE = "Cấp tỉnh"
CHANNEL_NAMES = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Dịch vụ bưu chính"}
ORGANISATION_LABELS = {
    "doanh nghiep",
    "doanh nghiep co von dau tu nuoc ngoai",
    "doanh nghiep viet nam",
    "hop tac xa",
    "to chuc (khong bao gom doanh nghiep, htx)",
    "to chuc nuoc ngoai",
    "to chuc dang",
}
# Working days per published unit ("Ngày" counts calendar days: 5 working days in 7).
UNIT_DAYS = {
    None: Decimal(1),
    "ngay lam viec": Decimal(1),
    "ngay": Decimal(5) / Decimal(7),
    "gio": Decimal(1) / Decimal(8),
    "thang": Decimal(22),
}
NO_TIME_DAYS = Decimal(1)
MAX_DAYS = Decimal("9999.5")
VND_UNITS = {"viet nam dong", "vnd", None}

ProcessFor = Callable[[Procedure], list[dict[str, Any]]]


class NationalImportError(Exception):
    """The file is not a national catalogue export; the message says why (nothing imported)."""


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do). Codes are national base codes."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (code, reason)
    unpublished: list[tuple[str, str]] = field(default_factory=list)  # imported, not published
    new_agency_names: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return len(self.created) + len(self.changed) + len(self.unchanged) + len(self.skipped)


def nfc(text: str | None) -> str:
    """``text`` in NFC, with "Ð"/"ð" (U+00D0/U+00F0) read as "Đ"/"đ" and spaces trimmed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    return text.replace("\u00a0", " ").strip()


def agency_key(name: str) -> str:
    """How national agency names are compared: folded, single spaces, no final full stop."""
    return " ".join(fold(nfc(name)).split()).rstrip(" .")


_CHUNK = 1024 * 1024


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _read_capped(stream: _Readable, limit: int) -> bytes:
    """At most ``limit`` bytes of ``stream``, read in chunks; ``NationalImportError`` past it."""
    parts, size = [], 0
    while chunk := stream.read(min(_CHUNK, limit + 1 - size)):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise NationalImportError(
                _("the file unpacks to more than %(limit)s MiB (NATIONAL_CATALOGUE_MAX_BYTES)")
                % {"limit": f"{limit / 1024 / 1024:g}"}
            )
    return b"".join(parts)


def national_records_read(source: bytes | IO[bytes]) -> list[dict[str, Any]]:
    """The records of a national catalogue export (``.json`` or ``.json.gz`` bytes or file).

    The file (unpacked) may be at most ``settings.NATIONAL_CATALOGUE_MAX_BYTES``; it is read in
    chunks, so a gzip bomb stops at the limit. Each record is checked (``national_record_check``).
    Raises ``NationalImportError`` when it is too large, not gzip/JSON, or has no ``result`` list
    of well-formed records.
    """
    limit = settings.NATIONAL_CATALOGUE_MAX_BYTES
    stream: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source
    if not stream.seekable():
        stream = io.BytesIO(_read_capped(stream, limit))
    head = stream.read(2)
    stream.seek(0)
    if head == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=stream, mode="rb") as unpacked:
                data = _read_capped(unpacked, limit)
        except (OSError, EOFError, zlib.error) as exc:
            raise NationalImportError(
                _("not a readable gzip file: %(error)s") % {"error": exc}
            ) from exc
    else:
        data = _read_capped(stream, limit)
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise NationalImportError(_("not JSON: %(error)s") % {"error": exc}) from exc
    except RecursionError as exc:
        raise NationalImportError(_("not JSON: nested too deeply")) from exc
    records = payload.get("result") if isinstance(payload, dict) else None
    if not isinstance(records, list):
        raise NationalImportError(_('no "result" list of procedures'))
    for number, record in enumerate(records, start=1):
        national_record_check(number, record)
    return records


# The shape of a record (data pack README §1): what each key may hold. Numbers must be JSON
# numbers: a number written as a string ("5") is refused, not guessed at.
MAX_DEPTH = 12
MAX_CODE_LENGTH = 20  # NationalRecord.code; "<code>.<province code>" fits Procedure.code
LIST_KEYS = {
    "CAPTHUCHIEN",
    "LINHVUCTHUCHIEN",
    "DOITUONGTHUCHIEN",
    "COQUANTHUCHIEN",
    "TRINHTUTHUCHIEN",
    "TRINHTU",
    "CACHTHUCTHUCHIEN",
    "THOIGIAN",
    "PHILEPHI",
    "THANHPHANHOSO",
    "GIAYTO",
    "MAUDON",
    "CANCUPHAPLY",
    "KETQUATHUCHIEN",
}
TEXT_KEYS = {
    "TENTTHC",
    "TENCAPTHUCHIEN",
    "TENLINHVUC",
    "TENDOITUONG",
    "TENDONVI",
    "MOTACOQUANTHUCHIEN",
    "TENTRINHTU",
    "TRUONGHOP",
    "TENKENH",
    "THOIGIAN_TEXT",
    "MOTA",
    "DONVITINH",
    "DONVI",
    "TENGIAYTO",
    "TENMAUDON",
    "TENVANBAN",
    "SOVANBAN",
    "YEUCAU",
    "TENKETQUA",
    "TUKHOA",
}
# key -> (lowest, highest, whole numbers only)
NUMBER_KEYS: dict[str, tuple[int, int, bool]] = {
    "KENH": (0, 99, True),
    "THOIGIANGIAIQUYET": (0, 100_000, False),
    "SOTIEN": (0, 2_000_000_000, False),  # Fee.amount
    "SOBANCHINH": (0, 1000, True),
    "SOBANSAO": (0, 1000, True),
}


def _bad(number: int, record: Any, path: str, problem: str) -> NationalImportError:
    code = record.get("MATTHC") if isinstance(record, dict) else None
    code = code if isinstance(code, str) and len(code) <= MAX_CODE_LENGTH else None
    label = f"{number} ({_clean(code)})" if code and _clean(code) == code else str(number)
    return NationalImportError(
        _("record %(record)s, field %(field)s: %(problem)s")
        % {"record": label, "field": path, "problem": problem}
    )


def _clean(text: str) -> str:
    return text.encode("utf-8", "replace").decode().replace("\x00", "")


def _text_problem(text: str) -> str:
    if "\x00" in text:
        return _("contains a NUL character")
    if any("\ud800" <= char <= "\udfff" for char in text):
        return _("contains an unpaired surrogate (not valid Unicode)")
    return ""


def national_record_check(number: int, record: Any) -> None:
    """Check the shape of record ``number`` (1-based) before anything is saved: objects and
    lists where the national shape has them, text (no NUL, no unpaired surrogate) or null in text
    fields, JSON numbers within range in number fields, a ``MATTHC`` of at most 20 characters,
    nesting at most ``MAX_DEPTH`` deep. The same checks hold on SQLite and PostgreSQL.

    Raises ``NationalImportError`` naming the record (number and code) and the field.
    """
    if not isinstance(record, dict):
        raise _bad(number, record, "—", _("not an object"))
    for key in ("MATTHC", "TENTTHC"):
        if not isinstance(record.get(key), str) or not nfc(record[key]):
            raise _bad(number, record, key, _("missing or not text"))
    if len(nfc(record["MATTHC"])) > MAX_CODE_LENGTH:
        raise _bad(number, record, "MATTHC", _("longer than %(limit)s characters") % {"limit": 20})
    stack: list[tuple[str, str, Any, int]] = [(k, k, v, 1) for k, v in record.items()]
    while stack:
        path, key, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _bad(number, record, path, _("nested too deeply"))
        problem = ""
        if isinstance(value, str):
            problem = _text_problem(value)
        elif isinstance(value, float) and not math.isfinite(value):
            problem = _("not a finite number")
        if not problem and value is not None:
            if key in LIST_KEYS and not isinstance(value, list):
                problem = _("must be a list")
            elif key in TEXT_KEYS and not isinstance(value, str):
                problem = _("must be text")
            elif key in NUMBER_KEYS:
                lowest, highest, whole = NUMBER_KEYS[key]
                kinds = (int,) if whole else (int, float)
                if isinstance(value, bool) or not isinstance(value, kinds):
                    problem = _("must be a number, not %(value)r") % {"value": value}
                elif not lowest <= value <= highest:
                    problem = _("must be from %(lowest)s to %(highest)s") % {
                        "lowest": lowest,
                        "highest": highest,
                    }
        if problem:
            raise _bad(number, record, path, problem)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if key in LIST_KEYS and not isinstance(item, dict):
                    raise _bad(number, record, f"{path}[{index}]", _("not an object"))
                stack.append((f"{path}[{index}]", "", item, depth + 1))
        elif isinstance(value, dict):
            for child, item in value.items():
                if problem := _text_problem(child):
                    raise _bad(number, record, path, problem)
                stack.append((f"{path}.{child}", child, item, depth + 1))


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _days(value: float | int, unit: str | None) -> Decimal | None:
    factor = UNIT_DAYS.get(fold(unit) if unit else None)
    if factor is None or value is None or value <= 0:
        return None
    days = Decimal(str(value)) * factor
    return min(MAX_DAYS, max(Decimal("0.5"), Decimal(math.ceil(days * 2)) / 2))


def processing_days(record: dict[str, Any]) -> Decimal | None:
    """The longest published time of any channel or case, in working days (see the module)."""
    found = [
        _days(row.get("THOIGIANGIAIQUYET"), row.get("DONVITINH"))
        for channel in record.get("CACHTHUCTHUCHIEN") or []
        for row in channel.get("THOIGIAN") or []
        if row.get("THOIGIANGIAIQUYET") is not None
    ]
    known = [days for days in found if days is not None]
    return max(known) if known else None


STEPS_TIME = re.compile(r"(\d{1,3})\s*(?:\([^)]{0,40}\)\s*)?ngày làm việc", re.IGNORECASE)


def processing_days_from_steps(record: dict[str, Any]) -> Decimal | None:
    """When no channel gives a time: the longest "N ngày làm việc" the steps text names (the
    published steps often carry the time limit, e.g. "trong thời hạn 03 ngày làm việc")."""
    found = [int(n) for n in STEPS_TIME.findall(_steps_text(record)) if int(n) > 0]
    return min(MAX_DAYS, Decimal(max(found))) if found else None


def _channel_name(channel: dict[str, Any]) -> str:
    return nfc(channel.get("TENKENH")) or CHANNEL_NAMES.get(int(channel.get("KENH") or 0), "")


def processing_time_text(record: dict[str, Any]) -> str:
    """One line per channel and case: "Trực tiếp: 60 Ngày làm việc (…)"."""
    lines = []
    for channel in record.get("CACHTHUCTHUCHIEN") or []:
        for row in channel.get("THOIGIAN") or []:
            line = f"{_channel_name(channel)}: {nfc(row.get('THOIGIAN_TEXT'))}"
            if nfc(row.get("MOTA")):
                line += f". {nfc(row.get('MOTA'))}"
            lines.append(line)
    return "\n".join(lines)


def fees_of(record: dict[str, Any]) -> list[tuple[str, int, str, int | None]]:
    """``(name, amount in VND, note, channel)`` for each chargeable fee."""
    fees = []
    for channel in record.get("CACHTHUCTHUCHIEN") or []:
        code = channel.get("KENH") if channel.get("KENH") in CHANNEL_NAMES else None
        for row in channel.get("THOIGIAN") or []:
            for fee in row.get("PHILEPHI") or []:
                amount = fee.get("SOTIEN") or 0
                if amount <= 0:
                    continue
                note = nfc(fee.get("MOTA"))
                unit = nfc(fee.get("DONVI"))
                if (fold(unit) or None) not in VND_UNITS:
                    note = f"{amount:,} {unit}. {note}".strip(" .")
                    amount = 0
                name = f"Phí, lệ phí ({_channel_name(channel)})"
                fees.append((name[:300], int(amount), note[:1500], code))
    return fees


def documents_of(record: dict[str, Any]) -> list[tuple[str, str, str, int, int, bool]]:
    """``(case, name, form names, originals, copies, required)`` in published order. A document
    of one case among several is not required of every applicant."""
    cases = record.get("THANHPHANHOSO") or []
    required = len(cases) <= 1
    documents = []
    for case in cases:
        title = nfc(case.get("TRUONGHOP"))
        for doc in case.get("GIAYTO") or []:
            forms = "; ".join(nfc(f.get("TENMAUDON")) for f in doc.get("MAUDON") or [])
            documents.append(
                (
                    title[:2000],
                    nfc(doc.get("TENGIAYTO"))[:8000] or "—",
                    forms[:1000],
                    int(doc.get("SOBANCHINH") or 0),
                    int(doc.get("SOBANSAO") or 0),
                    required,
                )
            )
    return documents


def _applicants(record: dict[str, Any]) -> str:
    labels = {fold(nfc(x.get("TENDOITUONG"))) for x in record.get("DOITUONGTHUCHIEN") or []}
    organisations = labels & ORGANISATION_LABELS
    if organisations and labels - organisations:
        return Procedure.Applicants.BOTH
    if organisations:
        return Procedure.Applicants.ORGANISATION
    return Procedure.Applicants.CITIZEN if labels else Procedure.Applicants.BOTH


def _steps_text(record: dict[str, Any]) -> str:
    parts = []
    for case in record.get("TRINHTUTHUCHIEN") or []:
        text = "\n".join(nfc(step.get("TENTRINHTU")) for step in case.get("TRINHTU") or [])
        title = nfc(case.get("TRUONGHOP"))
        parts.append(f"{title}\n{text}" if title else text)
    return "\n\n".join(part for part in parts if part)


def _legal_basis(record: dict[str, Any]) -> str:
    lines = []
    for row in record.get("CANCUPHAPLY") or []:
        title, number = nfc(row.get("TENVANBAN")), nfc(row.get("SOVANBAN"))
        lines.append(f"{title} ({number})" if number and number not in title else title or number)
    return "\n".join(line for line in lines if line)


def _keywords(record: dict[str, Any]) -> str:
    words = [nfc(record.get("MOTACOQUANTHUCHIEN"))]
    words += [nfc(a.get("TENDONVI")) for a in record.get("COQUANTHUCHIEN") or []]
    words += [nfc(r.get("TENKETQUA")) for r in record.get("KETQUATHUCHIEN") or []]
    words += [nfc(record.get("TUKHOA")), nfc(record.get("MOTA"))]
    return " ".join(dict.fromkeys(word for word in words if word))


class _Importer:
    def __init__(self, *, process_for: ProcessFor | None, actor: Any, report: ImportReport):
        self.process_for = process_for
        self.actor = actor
        self.report = report
        publisher = (
            Agency.objects.filter(kind=Agency.Kind.PEOPLES_COMMITTEE, parent__isnull=True)
            .order_by("pk")
            .first()
        )
        if publisher is None:
            raise NationalImportError(
                "the province People's Committee agency (kind ubnd, no parent) does not exist"
            )
        self.publisher = publisher
        self.mapping: dict[str, Agency | None] = {
            agency_key(row.name): row.agency
            for row in NationalAgency.objects.select_related("agency")
        }
        self.fields = {fold(f.name): f for f in Field.objects.all()}
        self.records = {r.code: r for r in NationalRecord.objects.select_related("procedure")}
        self.procedures = {p.code: p for p in Procedure.objects.all()}

    # --- implementer and field -------------------------------------------------------------
    def implementer(self, record: dict[str, Any]) -> tuple[Agency | None, bool, str]:
        levels = {nfc(x.get("TENCAPTHUCHIEN")) for x in record.get("CAPTHUCHIEN") or []}
        at_communes = LEVEL_COMMUNE in levels
        names = [nfc(a.get("TENDONVI")) for a in record.get("COQUANTHUCHIEN") or []]
        agency = None
        if LEVEL_PROVINCE in levels or not at_communes:
            for name in names:
                key = agency_key(name)
                if key not in self.mapping:
                    NationalAgency.objects.create(name=name[:500])
                    self.mapping[key] = None
                    self.report.new_agency_names.append(name)
                mapped = self.mapping[key]
                if mapped and mapped.kind != Agency.Kind.WARD_COMMITTEE and mapped.is_active:
                    agency = mapped
                    break
        reason = ""
        if agency is None and not at_communes:
            shown = ", ".join(names) or "—"
            reason = f"no province agency mapped for {shown} ({', '.join(sorted(levels))})"
        return agency, at_communes, reason

    def field_for(self, record: dict[str, Any]) -> Field:
        fields = record.get("LINHVUCTHUCHIEN") or [{}]
        name = nfc(fields[0].get("TENLINHVUC")) or "Khác"
        key = fold(name)
        if key not in self.fields:
            digest = hashlib.sha1(key.encode()).hexdigest()[:6]  # noqa: S324 - a short label
            code = f"{slugify(key)[:22]}-{digest}"
            self.fields[key] = Field.objects.create(code=code, name=name[:200])
        return self.fields[key]

    # --- one record ------------------------------------------------------------------------
    def values(self, record: dict[str, Any], agency: Agency | None, at_communes: bool) -> dict:
        channels = {c.get("KENH") for c in record.get("CACHTHUCTHUCHIEN") or []}
        days = processing_days(record) or processing_days_from_steps(record)
        results = "\n".join(nfc(r.get("TENKETQUA")) for r in record.get("KETQUATHUCHIEN") or [])
        return {
            "name": nfc(record["TENTTHC"])[:1500],
            "field_id": self.field_for(record).pk,
            "agency_id": agency.pk if agency else None,
            "at_communes": at_communes,
            "applicants": _applicants(record),
            "processing_days": days or NO_TIME_DAYS,
            "processing_time_text": processing_time_text(record),
            "online_level": (
                Procedure.OnlineLevel.FULL if 2 in channels else Procedure.OnlineLevel.NONE
            ),
            "accepts_in_person": 1 in channels or not channels,
            "accepts_postal": 3 in channels,
            "steps_description": _steps_text(record),
            "requirements": nfc(record.get("YEUCAU")),
            "result_description": results,
            "legal_basis": _legal_basis(record),
            "keywords": _keywords(record),
        }

    def sync_documents(self, procedure: Procedure, wanted: list[tuple]) -> bool:
        current = list(procedure.documents.order_by("order", "pk"))
        as_tuples = [
            (d.case, d.name, d.forms, d.originals, d.copies, d.is_required) for d in current
        ]
        if as_tuples == wanted:
            return False
        # Keep the rows (their uploaded templates, the ids old versions name) of documents that
        # stay; match on case and name.
        pool: dict[tuple[str, str], list[RequiredDocument]] = {}
        for doc in current:
            pool.setdefault((doc.case, doc.name), []).append(doc)
        kept = []
        for order, (case, name, forms, originals, copies, required) in enumerate(wanted, start=1):
            candidates = pool.get((case, name))
            doc = candidates.pop(0) if candidates else RequiredDocument(procedure=procedure)
            doc.order, doc.case, doc.name, doc.forms = order, case, name, forms
            doc.originals, doc.copies, doc.is_required = originals, copies, required
            doc.save()
            kept.append(doc.pk)
        procedure.documents.exclude(pk__in=kept).delete()
        return True

    def sync_fees(self, procedure: Procedure, wanted: list[tuple]) -> bool:
        current = [(f.name, f.amount, f.note, f.channel) for f in procedure.fees.order_by("pk")]
        if current == wanted:
            return False
        procedure.fees.all().delete()
        Fee.objects.bulk_create(
            Fee(procedure=procedure, name=n, amount=a, note=note, channel=c)
            for n, a, note, c in wanted
        )
        return True

    def add_process(self, procedure: Procedure) -> bool:
        if self.process_for is None or procedure.steps.exists():
            return False
        ProcessStep.objects.bulk_create(
            ProcessStep(procedure=procedure, order=order, **step)
            for order, step in enumerate(self.process_for(procedure), start=1)
        )
        return True

    def run(self, record: dict[str, Any]) -> None:
        base = nfc(str(record["MATTHC"]))
        agency, at_communes, reason = self.implementer(record)
        if reason:
            self.report.skipped.append((base, reason))
            return
        digest = record_hash(record)
        stored = self.records.get(base)
        procedure = stored.procedure if stored else None
        if (
            stored is not None
            and procedure is not None
            and stored.record_hash == digest
            and procedure.agency_id == (agency.pk if agency else None)
            and procedure.at_communes == at_communes
            and not (self.process_for and not procedure.steps.exists())
        ):
            self.report.unchanged.append(base)
            return
        values = self.values(record, agency, at_communes)
        code = f"{base}.{self.publisher.code}"
        if procedure is None:
            procedure = self.procedures.get(code)
        created = procedure is None
        changed = False
        has_time = (processing_days(record) or processing_days_from_steps(record)) is not None
        if procedure is None:
            procedure = Procedure.objects.create(code=code, is_active=False, **values)
        else:
            if not has_time:  # keep the time the province gave it
                del values["processing_days"]
            differs = {k: v for k, v in values.items() if getattr(procedure, k) != v}
            if "name" in differs:  # update() skips the derived sort key
                differs["name_sort"] = vi_sort_key(differs["name"])
            if differs:
                Procedure.objects.filter(pk=procedure.pk).update(**differs)
                changed = True
        changed |= self.sync_documents(procedure, documents_of(record))
        changed |= self.sync_fees(procedure, fees_of(record))
        changed |= self.add_process(procedure)
        NationalRecord.objects.update_or_create(
            code=base,
            defaults={
                "procedure": procedure,
                "record": record,
                "record_hash": digest,
                "imported_at": timezone.now(),
            },
        )
        if created or changed or procedure.current_version_id is None:
            procedure_version_publish(procedure=procedure, actor=self.actor)
        if created:
            self.report.created.append(base)
            problems = []
            if not has_time:
                problems.append("no processing time")
            if not procedure.steps.exists():
                problems.append("no internal process")
            if problems:
                self.report.unpublished.append((base, "; ".join(problems)))
            else:
                Procedure.objects.filter(pk=procedure.pk).update(is_active=True)
        elif changed:
            self.report.changed.append(base)
        else:
            self.report.unchanged.append(base)


def national_catalog_import(
    records: Iterable[dict[str, Any]],
    *,
    dry_run: bool = False,
    process_for: ProcessFor | None = None,
    actor: Any = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import national records (``national_records_read``) all or nothing; see the module.

    ``dry_run`` does everything, then rolls it back: the report says what would happen.
    ``process_for(procedure)`` returns ``ProcessStep`` field dicts (``name``, ``role``,
    ``agency``, ``at_desk``, ``budget_days``) for a procedure with no internal process.
    ``progress(1)`` is called after each record. Raises ``NationalImportError`` (nothing saved)
    when the province People's Committee agency is missing or a code repeats.
    """
    records = list(records)
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        national_record_check(number, record)
        base = nfc(str(record["MATTHC"]))
        if base in seen:
            raise NationalImportError(f"code {base} appears twice")
        seen.add(base)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        importer = _Importer(process_for=process_for, actor=actor, report=report)
        for record in records:
            importer.run(record)
            if progress:
                progress(1)
        if dry_run:
            transaction.set_rollback(True)
    return report


def report_lines(report: ImportReport, *, limit: int = 20) -> list[str]:
    """The report as text lines (English: for the command line and logs)."""
    prefix = "Dry run, nothing saved. " if report.dry_run else ""
    lines = [
        f"{prefix}{report.total} records: {len(report.created)} created, "
        f"{len(report.changed)} changed, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped)} skipped; {len(report.unpublished)} imported unpublished."
    ]
    for code, reason in report.skipped[:limit]:
        lines.append(f"  skipped {code}: {reason}")
    if len(report.skipped) > limit:
        lines.append(f"  … and {len(report.skipped) - limit} more skipped")
    for code, reason in report.unpublished[:limit]:
        lines.append(f"  unpublished {code}: {reason}")
    if len(report.unpublished) > limit:
        lines.append(f"  … and {len(report.unpublished) - limit} more unpublished")
    if report.new_agency_names:
        lines.append(
            f"  {len(report.new_agency_names)} new national agency names to map in the admin"
        )
    return lines
