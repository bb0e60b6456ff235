"""Every Excel workbook the project writes or reads goes through here (ADR 8).

Writing: text is always text. openpyxl stores a string that starts with "=" as a formula, so an
agency named ``=HYPERLINK(…)`` became a live link in the statistics and "=> Người yêu cầu…" in
a procedure's conditions was lost (OWASP "CSV injection": "=", "+", "-", "@", tab and carriage
return start a formula in a spreadsheet). ``sheet_append`` writes every string as a string cell
(``data_type`` "s"; the value is never changed, no apostrophe is added) and marks those that a
spreadsheet would read as a formula with *quote prefix*, so editing the cell in Excel keeps it
text. ``sheet_title`` puts a title, the agency and the period above a table;
``columns_fit`` gives the columns readable widths.

Reading: ``sheet_rows`` yields each row's values and reports a formula cell (written by a
person in Excel: openpyxl would read it as empty, or as its last cached result) as an error with
its row and column, in the reader's language, instead of reading it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# What starts a formula in Excel, LibreOffice or Google Sheets (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_text_set(cell: Cell, value: Any) -> None:
    """Put ``value`` in ``cell``; a string is stored as text whatever it starts with."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def sheet_append(sheet: Worksheet, values: Sequence[Any]) -> int:
    """Append a row like ``Worksheet.append``, every string as text; returns its number."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        cell_text_set(sheet.cell(row=row, column=column), value)
    return row


def sheet_title(sheet: Worksheet, *, title: str, lines: Iterable[str] = ()) -> None:
    """Rows above a table: the title in bold, then one row per line (the agency, the period, the
    time it was made). Leaves an empty row under them."""
    row = sheet_append(sheet, [title])
    sheet.cell(row, 1).font = Font(bold=True, size=13)
    for line in lines:
        sheet_append(sheet, [line])
    sheet_append(sheet, [None])


def header_style(sheet: Worksheet, row: int) -> None:
    """The row of column names: bold, wrapped."""
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def columns_fit(
    sheet: Worksheet, *, from_row: int = 1, minimum: int = 8, maximum: int = 60
) -> None:
    """Widths that fit the longest value of each column (counted from ``from_row``, so a long
    title above the table does not widen its first column), between ``minimum`` and
    ``maximum`` characters."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=from_row):
        for cell in row:
            if cell.value is None:
                continue
            longest = max(len(line) for line in str(cell.value).splitlines() or [""])
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(
            minimum, min(maximum, width + 2)
        )


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def formula_message(row: int, column: int) -> str:
    """What the reader is told about a formula cell (row and column as Excel shows them)."""
    return _(
        "row %(row)s, column %(column)s holds a formula; type the text itself "
        "(to start a text with “=”, put an apostrophe ' before it)."
    ) % {"row": row, "column": get_column_letter(column)}


def sheet_rows(
    sheet: Worksheet, *, on_formula: Callable[[int, int, str], None]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) for each row of ``sheet``, read from a workbook opened with
    ``data_only=False``. A formula cell is reported to ``on_formula(row, column, message)``
    and read as None."""
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values: list[Any] = []
        for column, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                on_formula(number, column, formula_message(number, column))
                values.append(None)
            else:
                values.append(cell.value)
        yield number, tuple(values)
