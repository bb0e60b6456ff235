"""The procedure catalogue as an Excel workbook: export, and import that creates or updates.

One workbook, four sheets. Row 1 of every sheet holds the *keys* below (stable, never
translated: the importer finds its columns by them, in any order); row 2 holds Vietnamese
headers for people; data starts on row 3. Rows that are entirely empty are skipped, and so is a
row that repeats the headers. Columns the importer does not know are ignored.

``Procedures`` (one row per procedure, matched by national code)
    code              national code, e.g. ``1.011442.000.00.00.H38`` (required, unique)
    name              name of the procedure (required)
    field_code        code of the field (lĩnh vực) (required)
    field_name        name of the field; used only to create a field whose code is unknown
    agency_code       QCVN 102:2016 code of the province-level implementing agency (must
                      exist; required unless at_communes)
    agency_name       for people only, ignored on import
    at_communes       yes/no (default no): every commune People's Committee carries it out
    applicants        ``citizen`` / ``organisation`` / ``both`` (default ``both``)
    processing_days   processing time in working days, at least 0.5, one decimal (required)
    online_level      ``full`` / ``partial`` / ``none`` (default ``partial``)
    accepts_in_person, accepts_postal, is_active    yes/no (default yes)
    steps_description, requirements, result_description, legal_basis    text

``Documents`` (thành phần hồ sơ), ``Fees`` and ``Steps`` (the internal process) name their
procedure by ``procedure_code``, which must be on the Procedures sheet. For every procedure on
the Procedures sheet these three sheets are the whole truth: rows missing from them are deleted.

``Documents``: procedure_code, order (unique per procedure), name, originals, copies,
is_required (yes/no), note. Documents are matched by order, so their ids (which dossiers and
procedure versions refer to) and uploaded templates survive a re-import.

``Fees``: procedure_code, name, amount (VND, whole number, 0 or more), note; in sheet order.

``Steps``: procedure_code, order (unique per procedure), name, role (the group name such as
``one_stop_clerk``, or its label such as "Chuyên viên"), agency_code (empty: the implementing
agency), at_desk (yes/no), budget_days (at least 0.05, two decimals).

Yes/no cells accept TRUE/FALSE, 1/0, yes/no, có/không, x/empty. Choice cells accept the key or
its label in Vietnamese or English.

The import is all or nothing: every row is checked first and every problem reported with its
sheet and row number; nothing is written unless the whole workbook is good. Then, in one
transaction, procedures are created or updated and ``procedure_version_publish`` freezes a new
version for each procedure whose rules changed (dossiers keep the version they were received
under; an unchanged workbook creates no versions).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from tinhso.catalog.models import Fee, Field, Procedure, ProcessStep, RequiredDocument
from tinhso.catalog.services import COMMUNE_LABEL, procedure_version_publish
from tinhso.core.audit import audit_log_write
from tinhso.core.excel import sheet_append, sheet_rows, workbook_bytes
from tinhso.core.numbers import EXCEL_INTEGER
from tinhso.core.text import fold
from tinhso.org.models import Agency
from tinhso.org.roles import ROLE_LABELS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000  # per sheet; a provincial catalogue has a few thousand procedures

PROCEDURES, DOCUMENTS, FEES, STEPS = "Procedures", "Documents", "Fees", "Steps"

# key -> Vietnamese header (row 2). Keys are the contract; headers are for people.
COLUMNS: dict[str, dict[str, str]] = {
    PROCEDURES: {
        "code": "Mã thủ tục",
        "name": "Tên thủ tục",
        "field_code": "Mã lĩnh vực",
        "field_name": "Tên lĩnh vực",
        "agency_code": "Mã cơ quan thực hiện",
        "agency_name": "Tên cơ quan thực hiện",
        "applicants": "Đối tượng (citizen/organisation/both)",
        "processing_days": "Thời hạn giải quyết (ngày làm việc)",
        "online_level": "Mức độ trực tuyến (full/partial/none)",
        "accepts_in_person": "Nộp trực tiếp",
        "accepts_postal": "Nộp qua bưu chính",
        "steps_description": "Trình tự thực hiện",
        "requirements": "Yêu cầu, điều kiện",
        "result_description": "Kết quả thực hiện",
        "legal_basis": "Căn cứ pháp lý",
        "is_active": "Đang công bố",
        "at_communes": "Cấp xã thực hiện",
    },
    DOCUMENTS: {
        "procedure_code": "Mã thủ tục",
        "order": "Thứ tự",
        "name": "Tên giấy tờ",
        "originals": "Số bản chính",
        "copies": "Số bản sao",
        "is_required": "Bắt buộc",
        "note": "Ghi chú",
    },
    FEES: {
        "procedure_code": "Mã thủ tục",
        "name": "Tên phí, lệ phí",
        "amount": "Số tiền (đồng)",
        "note": "Ghi chú",
    },
    STEPS: {
        "procedure_code": "Mã thủ tục",
        "order": "Thứ tự",
        "name": "Tên bước",
        "role": "Vai trò thực hiện",
        "agency_code": "Mã cơ quan khác (nếu có)",
        "at_desk": "Tại bộ phận một cửa",
        "budget_days": "Thời gian (ngày làm việc)",
    },
}
REQUIRED_KEYS = {
    PROCEDURES: ["code", "name", "field_code", "processing_days"],
    DOCUMENTS: ["procedure_code", "order", "name"],
    FEES: ["procedure_code", "name", "amount"],
    STEPS: ["procedure_code", "order", "name", "role", "budget_days"],
}

_TRUE = {"1", "true", "yes", "y", "x", "co", "dung"}
_FALSE = {"0", "false", "no", "n", "khong", "sai", ""}


# --- export --------------------------------------------------------------------------------------
def catalog_export(procedures=None) -> Workbook:
    """A workbook with the given procedures (a queryset or list; all of them by default)."""
    if procedures is None:
        procedures = Procedure.objects.all()
    if isinstance(procedures, models.QuerySet):
        procedures = procedures.select_related("field", "agency").prefetch_related(
            "documents", "fees", "steps__role", "steps__agency"
        )
    procedures = sorted(procedures, key=lambda p: p.code)

    workbook = Workbook()
    sheets = {}
    for index, (title, columns) in enumerate(COLUMNS.items()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet_append(sheet, list(columns))
        sheet_append(sheet, [str(label) for label in columns.values()])
        for cell in sheet[1]:
            cell.font = Font(color="808080", size=8)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.freeze_panes = "A3"
        for column_cells in sheet.iter_cols(min_row=2, max_row=2):
            letter = column_cells[0].column_letter
            sheet.column_dimensions[letter].width = max(12, min(40, len(column_cells[0].value)))
        sheets[title] = sheet

    for p in procedures:
        sheet_append(
            sheets[PROCEDURES],
            [
                p.code,
                p.name,
                p.field.code,
                p.field.name,
                p.agency.code if p.agency else "",
                p.agency.name if p.agency else str(COMMUNE_LABEL),
                p.applicants,
                float(p.processing_days),
                p.online_level,
                p.accepts_in_person,
                p.accepts_postal,
                p.steps_description,
                p.requirements,
                p.result_description,
                p.legal_basis,
                p.is_active,
                p.at_communes,
            ],
        )
        for doc in sorted(p.documents.all(), key=lambda d: (d.order, d.pk)):
            sheet_append(
                sheets[DOCUMENTS],
                [p.code, doc.order, doc.name, doc.originals, doc.copies, doc.is_required, doc.note],
            )
        for fee in sorted(p.fees.all(), key=lambda f: f.pk):
            sheet_append(sheets[FEES], [p.code, fee.name, fee.amount, fee.note])
        for step in sorted(p.steps.all(), key=lambda s: s.order):
            sheet_append(
                sheets[STEPS],
                [
                    p.code,
                    step.order,
                    step.name,
                    step.role.name,
                    step.agency.code if step.agency_id else None,
                    step.at_desk,
                    float(step.budget_days),
                ],
            )
    # Codes are text: keep Excel from turning "001" into 1.
    for title, key in [
        (PROCEDURES, "code"),
        (PROCEDURES, "field_code"),
        (PROCEDURES, "agency_code"),
        (DOCUMENTS, "procedure_code"),
        (FEES, "procedure_code"),
        (STEPS, "procedure_code"),
        (STEPS, "agency_code"),
    ]:
        column = list(COLUMNS[title]).index(key) + 1
        for (cell,) in sheets[title].iter_rows(min_row=3, min_col=column, max_col=column):
            cell.number_format = "@"
    # Amounts stay numbers, grouped with the reader's separator (200.000); durations are numbers
    # in Excel's General format, which shows 0,5 and 10 without trailing zeros.
    column = list(COLUMNS[FEES]).index("amount") + 1
    for (cell,) in sheets[FEES].iter_rows(min_row=3, min_col=column, max_col=column):
        cell.number_format = EXCEL_INTEGER
    return workbook


def catalog_export_bytes(procedures=None) -> bytes:
    return workbook_bytes(catalog_export(procedures))


# --- import: reading -----------------------------------------------------------------------------
@dataclass
class RowError:
    sheet: str
    row: int | None
    message: str

    def __str__(self):
        if not self.sheet:
            return self.message
        if self.row is None:
            return _("Sheet %(sheet)s: %(message)s") % {
                "sheet": self.sheet,
                "message": self.message,
            }
        return _("Sheet %(sheet)s, row %(row)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


class CatalogImportError(Exception):
    """The workbook has problems; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)  # "<code> v<number>" newly published

    def __str__(self):
        return _(
            "%(created)s procedures created, %(updated)s updated, %(unchanged)s unchanged; "
            "%(versions)s new versions published."
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "versions": len(self.versions),
        }


@dataclass
class _Row:
    sheet: str
    number: int
    values: dict


class _Reader:
    """Turns cells into clean values, collecting one message per bad cell."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def error(self, row: _Row | None, message: str, sheet: str | None = None) -> None:
        self.errors.append(
            RowError(sheet or (row.sheet if row else ""), row.number if row else None, message)
        )

    def _label(self, row: _Row, key: str) -> str:
        return f"“{COLUMNS[row.sheet][key]}” ({key})"

    def _bad(self, row, key, message):
        self.error(row, f"{self._label(row, key)}: {message}")

    def text(self, row: _Row, key: str, *, required=False, max_length=None) -> str | None:
        value = row.values.get(key)
        if value is None:
            value = ""
        elif isinstance(value, float) and value.is_integer():
            value = str(int(value))
        elif isinstance(value, bool):
            value = str(value)
        value = str(value).strip()
        if required and not value:
            self._bad(row, key, _("this cell must not be empty."))
            return None
        if max_length and len(value) > max_length:
            self._bad(
                row,
                key,
                _("at most %(limit)s characters, not %(length)s.")
                % {"limit": max_length, "length": len(value)},
            )
            return None
        return value

    def integer(
        self, row: _Row, key: str, *, minimum=0, default=None, thousands=False
    ) -> int | None:
        value = row.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is None:
                self._bad(row, key, _("this cell must not be empty."))
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, str):
                value = value.strip()
                if thousands:  # "50.000" or "50,000" đồng
                    value = value.replace(".", "").replace(",", "").replace(" ", "")
            exact = Decimal(str(value))
            if exact != exact.to_integral_value():
                raise ValueError
            number = int(exact)
        except (ValueError, InvalidOperation):
            self._bad(row, key, _("“%(value)s” is not a whole number.") % {"value": value})
            return None
        if number < minimum:
            self._bad(row, key, _("must be %(minimum)s or more.") % {"minimum": minimum})
            return None
        return number

    def decimal(self, row: _Row, key: str, *, minimum: Decimal, places: int) -> Decimal | None:
        value = row.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self._bad(row, key, _("this cell must not be empty."))
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value).strip().replace(",", "."))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self._bad(row, key, _("“%(value)s” is not a number.") % {"value": value})
            return None
        step = Decimal(1).scaleb(-places)
        if number.quantize(step) != number:
            self._bad(
                row,
                key,
                _("at most %(places)s digit(s) after the decimal point.") % {"places": places},
            )
            return None
        if number < minimum:
            self._bad(row, key, _("must be %(minimum)s or more.") % {"minimum": minimum})
            return None
        if number >= 1000:
            self._bad(row, key, _("must be less than 1000."))
            return None
        return number.quantize(step)

    def boolean(self, row: _Row, key: str, *, default: bool) -> bool | None:
        value = row.values.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        folded = fold(str(value))
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return default if folded == "" else False
        self._bad(row, key, _("write yes or no, not “%(value)s”.") % {"value": value})
        return None

    def choice(self, row: _Row, key: str, choices, *, default: str) -> str | None:
        value = self.text(row, key)
        if not value:
            return default
        wanted = fold(value)
        for choice_value, label in choices:
            names = {fold(choice_value), fold(str(label))}
            for language in ("vi", "en"):
                with translation.override(language):
                    names.add(fold(str(label)))
            if wanted in names:
                return choice_value
        allowed = ", ".join(str(v) for v, _label in choices)
        self._bad(
            row,
            key,
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed},
        )
        return None


def _read_rows(workbook, reader: _Reader) -> dict[str, list[_Row]]:
    rows: dict[str, list[_Row]] = {}
    for title, columns in COLUMNS.items():
        if title not in workbook.sheetnames:
            reader.error(None, _("the sheet is missing."), sheet=title)
            continue
        sheet = workbook[title]

        def formula(number: int, column: int, message: str, title: str = title) -> None:
            reader.error(None, message, sheet=title)

        iterator = (values for _number, values in sheet_rows(sheet, on_formula=formula))
        header = next(iterator, None) or ()
        keys = [str(cell).strip() if cell is not None else "" for cell in header]
        missing = [key for key in REQUIRED_KEYS[title] if key not in keys]
        if missing:
            reader.error(
                None,
                _("row 1 must name the columns; missing: %(keys)s.") % {"keys": ", ".join(missing)},
                sheet=title,
            )
            continue
        labels = {key: fold(label) for key, label in columns.items()}
        found: list[_Row] = []
        for number, cells in enumerate(iterator, start=2):
            values = {
                key: (cell.strip() if isinstance(cell, str) else cell)
                for key, cell in zip(keys, cells, strict=False)
                if key in columns
            }
            present = {k: v for k, v in values.items() if v not in (None, "")}
            if not present:
                continue
            if all(fold(str(v)) == labels[k] for k, v in present.items()):
                continue  # the row of headers for people
            if len(found) >= MAX_ROWS:
                reader.error(
                    None, _("more than %(limit)s rows.") % {"limit": MAX_ROWS}, sheet=title
                )
                break
            found.append(_Row(title, number, values))
        rows[title] = found
    return rows


def _model_errors(reader: _Reader, row: _Row, instance: models.Model, exclude: list[str]):
    """Whatever the model itself refuses (lengths, validators) as row errors."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            label = ""
            if name != "__all__":
                # full_clean names the model's own fields, never a reverse relation.
                label = str(cast(models.Field, instance._meta.get_field(name)).verbose_name)
            for message in messages:
                reader.error(row, f"{label}: {message}" if label else message)


# --- import: checking ----------------------------------------------------------------------------
@dataclass
class _Plan:
    row: _Row
    attrs: dict
    field_code: str
    field_name: str
    documents: list[dict] = field(default_factory=list)
    fees: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)


def _role_lookup() -> dict[str, Group]:
    groups = {}
    for group in Group.objects.all():
        groups[fold(group.name)] = group
        if group.name in ROLE_LABELS:
            groups[fold(str(ROLE_LABELS[group.name]))] = group
            for language in ("vi", "en"):
                with translation.override(language):
                    groups[fold(str(ROLE_LABELS[group.name]))] = group
    return groups


def _check(rows: dict[str, list[_Row]], reader: _Reader) -> dict[str, _Plan]:
    agencies = {a.code: a for a in Agency.objects.all()}
    fields = {f.code: f for f in Field.objects.all()}
    plans: dict[str, _Plan] = {}

    for row in rows.get(PROCEDURES, []):
        r = reader
        code = r.text(row, "code", required=True, max_length=40)
        attrs: dict[str, Any] = {
            "name": r.text(row, "name", required=True, max_length=1500),
            "at_communes": r.boolean(row, "at_communes", default=False),
            "applicants": r.choice(
                row, "applicants", Procedure.Applicants.choices, default=Procedure.Applicants.BOTH
            ),
            "processing_days": r.decimal(row, "processing_days", minimum=Decimal("0.5"), places=1),
            "online_level": r.choice(
                row,
                "online_level",
                Procedure.OnlineLevel.choices,
                default=Procedure.OnlineLevel.PARTIAL,
            ),
            "accepts_in_person": r.boolean(row, "accepts_in_person", default=True),
            "accepts_postal": r.boolean(row, "accepts_postal", default=True),
            "steps_description": r.text(row, "steps_description"),
            "requirements": r.text(row, "requirements"),
            "result_description": r.text(row, "result_description"),
            "legal_basis": r.text(row, "legal_basis"),
            "is_active": r.boolean(row, "is_active", default=True),
        }
        field_code = r.text(row, "field_code", required=True, max_length=30)
        field_name = r.text(row, "field_name", max_length=200)
        if field_code and field_code not in fields and not field_name:
            r.error(
                row,
                _("there is no field with code “%(code)s”; give its name to create it.")
                % {"code": field_code},
            )
        agency_code = r.text(row, "agency_code", required=not attrs["at_communes"])
        if agency_code:
            if agency_code in agencies:
                attrs["agency"] = agencies[agency_code]
            else:
                r.error(row, _("there is no agency with code “%(code)s”.") % {"code": agency_code})
        elif attrs["at_communes"]:
            attrs["agency"] = None  # the communes only
        if not code:
            continue
        if code in plans:
            r.error(
                row,
                _("procedure “%(code)s” is already on row %(row)s.")
                % {"code": code, "row": plans[code].row.number},
            )
            continue
        # None only beside an error on the row, and then nothing is written.
        plans[code] = _Plan(
            row=row, attrs=attrs, field_code=field_code or "", field_name=field_name or ""
        )
        if None not in [v for k, v in attrs.items() if k != "agency"]:
            _model_errors(
                reader,
                row,
                Procedure(code=code, **attrs),
                exclude=["field", "agency", "current_version"],
            )

    def plan_for(row: _Row) -> _Plan | None:
        code = reader.text(row, "procedure_code", required=True)
        if code and code not in plans:
            reader.error(
                row,
                _("procedure “%(code)s” is not on the %(sheet)s sheet.")
                % {"code": code, "sheet": PROCEDURES},
            )
        return plans.get(code) if code else None

    # (sheet, the procedure's code cell, order) -> the row that uses it
    seen_orders: dict[tuple[str, object, int], int] = {}

    def order_of(row: _Row, plan: _Plan | None) -> int | None:
        order = reader.integer(row, "order", minimum=1)
        if order is None or plan is None:
            return order
        key = (row.sheet, plan.row.values.get("code"), order)
        if key in seen_orders:
            reader.error(
                row,
                _("order %(order)s is already used on row %(row)s.")
                % {"order": order, "row": seen_orders[key]},
            )
            return None
        seen_orders[key] = row.number
        return order

    for row in rows.get(DOCUMENTS, []):
        plan = plan_for(row)
        attrs = {
            "order": order_of(row, plan),
            "name": reader.text(row, "name", required=True, max_length=8000),
            "originals": reader.integer(row, "originals", default=1),
            "copies": reader.integer(row, "copies", default=0),
            "is_required": reader.boolean(row, "is_required", default=True),
            "note": reader.text(row, "note", max_length=300),
        }
        if plan:
            plan.documents.append(attrs)
            if None not in attrs.values():
                _model_errors(reader, row, RequiredDocument(**attrs), ["procedure", "template"])

    for row in rows.get(FEES, []):
        plan = plan_for(row)
        attrs = {
            "name": reader.text(row, "name", required=True, max_length=300),
            "amount": reader.integer(row, "amount", minimum=0, thousands=True),
            "note": reader.text(row, "note", max_length=1500),
        }
        if plan:
            plan.fees.append(attrs)

    roles = _role_lookup()
    for row in rows.get(STEPS, []):
        plan = plan_for(row)
        attrs = {
            "order": order_of(row, plan),
            "name": reader.text(row, "name", required=True, max_length=200),
            "at_desk": reader.boolean(row, "at_desk", default=False),
            "budget_days": reader.decimal(row, "budget_days", minimum=Decimal("0.05"), places=2),
        }
        role = reader.text(row, "role", required=True)
        if role:
            if fold(role) in roles:
                attrs["role"] = roles[fold(role)]
            else:
                reader.error(row, _("there is no role “%(role)s”.") % {"role": role})
                attrs["role"] = None
        else:
            attrs["role"] = None
        agency_code = reader.text(row, "agency_code")
        attrs["agency"] = None
        if agency_code:
            if agency_code in agencies:
                attrs["agency"] = agencies[agency_code]
            else:
                reader.error(
                    row, _("there is no agency with code “%(code)s”.") % {"code": agency_code}
                )
        if plan:
            plan.steps.append(attrs)
    return plans


# --- import: writing -----------------------------------------------------------------------------
def _assign(instance: models.Model, attrs: dict) -> bool:
    """Set ``attrs`` on ``instance``; whether anything differs (foreign keys compared by id)."""
    if instance.pk is None:
        for name, value in attrs.items():
            setattr(instance, name, value)
        return True
    changed = False
    for name, value in attrs.items():
        # attrs name the model's own fields, never a reverse relation.
        model_field = cast(models.Field, instance._meta.get_field(name))
        if model_field.is_relation:
            same = getattr(instance, model_field.attname) == (value.pk if value else None)
        else:
            same = getattr(instance, name) == value
        if not same:
            setattr(instance, name, value)
            changed = True
    return changed


def _sync_by_order(existing, wanted: list[dict], make) -> bool:
    """Update rows in place by their order, create the new ones, delete the rest."""
    changed = False
    by_order = {}
    for obj in existing:
        if obj.order in by_order:
            obj.delete()
            changed = True
        else:
            by_order[obj.order] = obj
    wanted_orders = {attrs["order"] for attrs in wanted}
    for order, obj in list(by_order.items()):
        if order not in wanted_orders:
            obj.delete()
            del by_order[order]
            changed = True
    for attrs in sorted(wanted, key=lambda a: a["order"]):
        obj = by_order.get(attrs["order"]) or make()
        if _assign(obj, attrs):
            obj.save()
            changed = True
    return changed


def _sync_in_sequence(existing, wanted: list[dict], make) -> bool:
    changed = False
    existing = list(existing)
    for obj in existing[len(wanted) :]:
        obj.delete()
        changed = True
    for index, attrs in enumerate(wanted):
        obj = existing[index] if index < len(existing) else make()
        if _assign(obj, attrs):
            obj.save()
            changed = True
    return changed


def _write(plans: dict[str, _Plan], actor) -> ImportResult:
    result = ImportResult()
    fields = {f.code: f for f in Field.objects.all()}
    existing = {p.code: p for p in Procedure.objects.select_for_update().filter(code__in=plans)}
    for code, plan in plans.items():
        field_obj = fields.get(plan.field_code)
        if field_obj is None:
            field_obj = Field.objects.create(code=plan.field_code, name=plan.field_name)
            fields[plan.field_code] = field_obj
        procedure = existing.get(code) or Procedure(code=code)
        created = procedure.pk is None
        before = procedure.current_version_id
        changed = _assign(procedure, {**plan.attrs, "field": field_obj})
        if changed:
            procedure.save()
        changed |= _sync_by_order(
            procedure.documents.all(),
            plan.documents,
            lambda p=procedure: RequiredDocument(procedure=p),
        )
        changed |= _sync_in_sequence(
            procedure.fees.order_by("pk"), plan.fees, lambda p=procedure: Fee(procedure=p)
        )
        changed |= _sync_by_order(
            procedure.steps.all(), plan.steps, lambda p=procedure: ProcessStep(procedure=p)
        )
        version = procedure_version_publish(procedure=procedure, actor=actor)
        if version.pk != before:
            result.versions.append(str(version))
        if created:
            result.created.append(code)
        elif changed:
            result.updated.append(code)
        else:
            result.unchanged.append(code)
        if created or changed:
            audit_log_write(
                actor=actor,
                action="procedure.import",
                obj=procedure,
                created=created,
                version=version.number,
            )
    return result


# A member may be this large whatever its compression ratio (bytes).
_RATIO_FREE_BYTES = 1024 * 1024


def _zip_size_problem(file) -> str:
    """Why the workbook (a zip) unpacks too large, or "": its members' declared sizes against
    ``settings.CATALOG_XLSX_MAX_BYTES`` (all together and each) and
    ``settings.CATALOG_XLSX_MAX_RATIO`` (a member over 1 MiB). ``zipfile`` never unpacks more
    than a member's declared size, so openpyxl cannot be made to read more than was checked.
    Not a zip: "" (the workbook loader says it is not a workbook)."""
    limit, ratio = settings.CATALOG_XLSX_MAX_BYTES, settings.CATALOG_XLSX_MAX_RATIO
    mib = {"limit": f"{limit / 1024 / 1024:g}"}
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    finally:
        file.seek(0)
    for member in members:
        if member.file_size > limit:
            return _("The workbook part %(name)s unpacks to more than %(limit)s MiB.") % {
                "name": member.filename[:100],
                **mib,
            }
        if member.file_size > _RATIO_FREE_BYTES and member.file_size > ratio * max(
            member.compress_size, 1
        ):
            return _(
                "The workbook part %(name)s is compressed more than %(ratio)s times; "
                "it is not a normal workbook."
            ) % {"name": member.filename[:100], "ratio": ratio}
    if sum(member.file_size for member in members) > limit:
        return _("The workbook unpacks to more than %(limit)s MiB.") % mib
    return ""


def catalog_import(*, file, actor=None) -> ImportResult:
    """Create or update the procedures of an uploaded workbook, all or nothing.

    Raises ``CatalogImportError`` listing every problem (sheet and row) when the workbook is not
    good, or unpacks too large (``_zip_size_problem``) before it is read; then nothing has been
    written.
    """
    reader = _Reader()
    if problem := _zip_size_problem(file):
        raise CatalogImportError([RowError("", None, problem)])
    try:
        # data_only=False: a formula is seen as one and refused, not read as its cached value.
        workbook = load_workbook(file, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise CatalogImportError(
            [RowError("", None, _("The file is not an Excel workbook (.xlsx)."))]
        ) from None
    try:
        rows = _read_rows(workbook, reader)
        if not reader.errors:
            plans = _check(rows, reader)
    finally:
        workbook.close()
    if reader.errors:
        raise CatalogImportError(reader.errors)
    with transaction.atomic():
        return _write(plans, actor)
