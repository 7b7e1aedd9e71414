"""The one way the product writes a workbook: text stays text, numbers stay numbers.

openpyxl turns any str that starts with "=" into a formula, and Excel and WPS treat a cell typed
as "+1+1", "-2+3" or "@SUM(A1)" as a formula too (a leading tab or carriage return is how the
same trick survives a copy and paste). A member named `=HYPERLINK("http://x","y")` or a session
titled `=cmd|' /C calc'!A0` must reach the leader's spreadsheet as the words people typed, never
as something that runs (formula injection). So every str is stored as a string cell (data_type
"s", never an <f> element), and one that would read as a formula also gets quotePrefix: the
spreadsheet shows it with the apostrophe it keeps for text and leaves it text after an edit.

Numbers (int, float, Decimal) stay numbers so courts can add them up; dates are dates with a
Chinese format; None is an empty cell. Headers are bold and frozen, and columns are as wide as
what they hold, a Chinese character counting as two.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
TIME_FORMAT = "hh:mm"
# What makes a spreadsheet read a typed cell as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32767  # Excel's limit for one cell
MIN_WIDTH, MAX_WIDTH = 8, 50
WIDTH_SAMPLE = 200  # rows looked at to size a column: enough to see the longest name
_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")

Value = str | int | float | Decimal | dt.date | dt.datetime | dt.time | bool | Promise | None


def new_workbook() -> Workbook:
    """An empty workbook: sheets are added with add_sheet, so none is left unnamed."""
    book = Workbook()
    book.remove(book.active)
    return book


def sheet_title(text: object) -> str:
    """A title Excel accepts: no \\ * ? : / [ ], no quote at either end, at most 31 characters."""
    title = _BAD_TITLE.sub(" ", str(text)).strip().strip("'").strip()
    return title[:31] or "Sheet"


def add_sheet(
    book: Workbook,
    title: object,
    headers: Sequence[object] | None = None,
    rows: Iterable[Sequence[object]] = (),
    *,
    widths: Mapping[int, float] | Sequence[float] | None = None,
    header_fill: str | None = None,
    freeze: str | None = "A2",
) -> Worksheet:
    """A sheet with a bold, frozen header row (when given), the rows, and fitted columns."""
    sheet = book.create_sheet(title=sheet_title(title))
    if headers is not None:
        append_row(sheet, headers, bold=True, fill=header_fill)
        if freeze:
            sheet.freeze_panes = freeze
    for row in rows:
        append_row(sheet, row)
    fit_columns(sheet, widths=widths)
    return sheet


def append_row(sheet: Worksheet, values: Iterable[object], *, bold: bool = False, fill: str | None = None) -> int:
    """Write values in the next row (from column A), as openpyxl's append would; returns the row's number.

    An empty list leaves an empty row, as a gap between parts of a sheet.
    """
    row = sheet._current_row + 1  # openpyxl's own "next row" counter, which append uses too
    for column, value in enumerate(values, start=1):
        cell = set_cell(sheet, row, column, value)
        if bold:
            cell.font = Font(bold=True)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
    sheet._current_row = row
    return row


def set_cell(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Put one value in a cell the safe way (see the module's docstring)."""
    cell = sheet.cell(row=row, column=column)
    write(cell, value)
    return cell


def write(cell: Cell, value: object) -> None:
    value = cell_value(value)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl made "=…" a formula just now; it is the member's text
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        return
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, dt.time):
        cell.number_format = TIME_FORMAT


def cell_value(value: object) -> Value:
    """What a cell stores for a value: text, a number, a date or nothing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, dt.datetime):
        # Excel has no time zones: show the court's own clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (dt.date, dt.time)):
        return value
    # Control characters other than tab and line breaks make the file unreadable to Excel.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_TEXT]


def style_row(sheet: Worksheet, row: int, *, bold: bool = True, size: float | None = None, fill: str | None = None):
    for cell in sheet[row]:
        cell.font = Font(bold=bold, size=size) if size else Font(bold=bold)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)


def text_width(value: object) -> int:
    """Columns a value needs: a Chinese (wide) character takes two."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 18
    if isinstance(value, dt.date):
        return 12
    text = str(value)
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def fit_columns(
    sheet: Worksheet,
    *,
    widths: Mapping[int, float] | Sequence[float] | None = None,
    min_width: float = MIN_WIDTH,
    max_width: float = MAX_WIDTH,
) -> None:
    """Size each column to its longest value in the first rows; `widths` (1-based or a list) wins."""
    if isinstance(widths, Sequence):
        widths = dict(enumerate(widths, start=1))
    widths = dict(widths or {})
    needed: dict[int, int] = {}
    # The written cells only: iter_rows would create an empty A1 on an empty sheet, moving the next row down.
    for (row, column), cell in sheet._cells.items():
        if row <= WIDTH_SAMPLE + 1:
            needed[column] = max(needed.get(column, 0), text_width(cell.value))
    for column, width in needed.items():
        if column not in widths:
            widths[column] = min(max(min_width, width + 2), max_width)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    """A download with its Chinese file name intact (RFC 5987), never sniffed into something else."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(book: Workbook | bytes, filename: str) -> HttpResponse:
    content = book if isinstance(book, bytes) else to_bytes(book)
    return attachment(content, filename, XLSX)
