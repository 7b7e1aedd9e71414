"""Spreadsheet import and export shared by the question bank and the assessments.

Imports read .xlsx or CSV (UTF-8 or GBK) through courtlearn.tabular, the one reader of every import.

An import is checked in full first and reported row by row. The file waits in storage under a
signed token while the organizer reads the report; nothing is written until they confirm
(all rows when every row is valid, or only the valid rows when they choose so).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from courtlearn import xlsx
from courtlearn.tabular import TableFileError, read_table, sniff

from . import ActionRefused

MAX_ROWS = 2000
STASH_SALT = "courtlearn.contests.import"
STASH_MAX_AGE = 3600


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation
    width: int = 14
    required: bool = False
    # The template's Chinese header, accepted whatever language the interface is in.
    chinese: str = ""

    def aliases(self) -> set[str]:
        names = {self.key, self.chinese} - {""}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(self.label))
        return {normalize_header(name) for name in names}


def normalize_header(text: str) -> str:
    return "".join(str(text).split()).casefold().replace("（", "(").replace("）", ")")


@dataclass
class RowReport:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    parsed: object | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)

    @property
    def valid(self) -> list[RowReport]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid(self) -> list[RowReport]:
        return [row for row in self.rows if not row.ok]

    @property
    def can_import_all(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.invalid

    @property
    def can_import_valid(self) -> bool:
        return not self.file_errors and bool(self.valid) and bool(self.invalid)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_sheet(source, columns: list[Column], report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    """The data rows of the first sheet as {column key: text}, keyed by the header row's labels.

    The file is read by courtlearn.tabular, as every import is: .xlsx, or CSV in UTF-8 or GBK.
    """
    try:
        table = read_table(source, max_rows=MAX_ROWS + 2)
    except TableFileError as exc:
        report.file_errors.append(exc.message)
        return []
    header, *rows = table
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = normalize_header(cell_text(cell))
        for column in columns:
            if name and name in column.aliases() and column.key not in positions:
                positions[column.key] = index
    missing = [str(column.label) for column in columns if column.required and column.key not in positions]
    if missing:
        report.file_errors.append(
            _("The first row must hold the template's headers; missing: %(columns)s.") % {"columns": "、".join(missing)}
        )
        return []
    data = []
    for number, row in enumerate(rows, start=2):
        values = {key: cell_text(row[index]) if index < len(row) else "" for key, index in positions.items()}
        if not any(values.values()):
            continue
        if len(data) >= MAX_ROWS:
            report.file_errors.append(_("At most %(n)s rows can be imported at once.") % {"n": MAX_ROWS})
            return []
        data.append((number, values))
    if not data:
        report.file_errors.append(_("The sheet has no data rows."))
    return data


def build_workbook(
    columns: list[Column], rows: list[list], *, title: str, notes: list[str] = (), examples: list[list] = ()
) -> openpyxl.Workbook:
    workbook = xlsx.new_workbook()
    xlsx.add_sheet(
        workbook,
        title,
        [str(column.label) for column in columns],
        rows,
        widths=[column.width for column in columns],
        header_fill="DDEBF7",
    )
    if notes or examples:
        help_sheet = xlsx.add_sheet(workbook, _("Instructions"), freeze=None)
        for note in notes:
            xlsx.append_row(help_sheet, [note])
        if examples:
            xlsx.append_row(help_sheet, [])
            xlsx.append_row(help_sheet, [_("Examples (copy rows to the first sheet):")])
            xlsx.append_row(help_sheet, [str(column.label) for column in columns])
            for example in examples:
                xlsx.append_row(help_sheet, example)
        xlsx.fit_columns(help_sheet, widths={1: 40})
    return workbook


def stash_upload(content: File, *, kind: str, user, scope: int) -> str:
    """Keep an uploaded sheet (.xlsx or .csv, as its content says) until the organizer confirms;
    returns a signed token."""
    extension = sniff(content)
    content.seek(0)
    name = default_storage.save(f"imports/{kind}/{uuid.uuid4().hex}.{extension}", content)
    return signing.dumps({"name": name, "kind": kind, "user": user.pk, "scope": scope}, salt=STASH_SALT)


def open_stash(token: str, *, kind: str, user, scope: int) -> str:
    """The stored file's name for a token made by the same user for the same import."""
    try:
        data = signing.loads(token, salt=STASH_SALT, max_age=STASH_MAX_AGE)
    except signing.BadSignature:
        raise ActionRefused(_("This upload has expired; upload the file again.")) from None
    if data.get("kind") != kind or data.get("user") != user.pk or data.get("scope") != scope:
        raise ActionRefused(_("This upload has expired; upload the file again."))
    name = data.get("name", "")
    if not name.startswith(f"imports/{kind}/") or not default_storage.exists(name):
        raise ActionRefused(_("This upload has expired; upload the file again."))
    return name


def drop_stash(name: str) -> None:
    default_storage.delete(name)


STASH_KINDS = ("questions", "assessment", "outputs")


def drop_stale_stashes(*, now, older_than=dt.timedelta(days=1)) -> int:
    """Delete uploads that were checked but never confirmed. Safe to run twice."""
    dropped = 0
    for kind in STASH_KINDS:
        folder = f"imports/{kind}"
        try:
            _dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in files:
            path = f"{folder}/{name}"
            try:
                if now - default_storage.get_modified_time(path) > older_than:
                    default_storage.delete(path)
                    dropped += 1
            except FileNotFoundError:
                continue  # another run took it
    return dropped
