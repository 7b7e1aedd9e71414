"""One reader for every spreadsheet the product imports (roster, question bank, assessment results).

Courts save their sheets in whatever Excel or WPS gives them: .xlsx, CSV in UTF-8 (with or
without the BOM Excel adds) or in GBK, tab-separated text under an .xls name, web pages that a
case system exported as ".xls", old binary .xls files, and now and then the wrong file altogether.
`read_table(upload)` decides by the file's content, never by its name alone, and either returns
the first sheet as rows of cells or raises TableFileError with a sentence that says what to do.
Each import keeps its own column logic on top of these rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from .uploads import ZIP_MAGIC, detect_document_kind

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip: refuse decompression bombs
DEFAULT_MAX_ROWS = 10_000

IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
MARKUP_MARKERS = ("<html", "<table", "<!doctype", "<?xml", "<body", "<head")


class TableFileError(Exception):
    """The file as a whole cannot be read as a table. The message says what to do instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sniff(upload) -> str:
    """What the file is by its content: "xlsx" or "csv" (text); anything else raises TableFileError."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise TableFileError(
            _("The file is too large: %(size)s MB; at most %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": settings.UPLOAD_MAX_BYTES // 1048576}
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not head.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise TableFileError(_("The file is empty. Check that you chose the right file, then upload it again."))
    kind = detect_document_kind(head, upload)
    if kind == "ole":
        raise TableFileError(_ole_message(upload))
    if kind == "pdf":
        raise TableFileError(
            _("This is a PDF file, not a table. Upload the sheet itself, as an Excel workbook (.xlsx) or a CSV file.")
        )
    if kind == "zip":
        raise TableFileError(_("This is a compressed archive. Unpack it and upload the sheet inside (.xlsx or .csv)."))
    if kind == "docx":
        raise TableFileError(
            _("This is a Word document, not a table. Upload the sheet as an Excel workbook (.xlsx) or a CSV file.")
        )
    if kind == "pptx":
        raise TableFileError(
            _("This is a PowerPoint file, not a table. Upload the sheet as an Excel workbook (.xlsx) or a CSV file.")
        )
    if kind == "xlsx":
        _check_unpacked_size(upload)
        return "xlsx"
    if head.startswith(ZIP_MAGIC):  # a zip, damaged, or an Office package without a workbook in it
        raise TableFileError(_damaged())
    bitmap = head.startswith(b"BM") and head[6:10] == b"\0\0\0\0"  # "BM", size, then reserved zeros
    if head.startswith(IMAGE_MAGIC) or head[8:12] == b"WEBP" or bitmap:
        raise TableFileError(
            _("This is a picture, not a table. Upload the sheet itself, as an Excel workbook (.xlsx) or a CSV file.")
        )
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        raise TableFileError(_("This is a compressed archive. Unpack it and upload the sheet inside (.xlsx or .csv)."))
    if head.startswith(b"{\\rtf"):
        raise TableFileError(
            _("This is a Word document, not a table. Upload the sheet as an Excel workbook (.xlsx) or a CSV file.")
        )
    lowered = head.decode("latin-1").lower()
    if any(marker in lowered for marker in MARKUP_MARKERS):
        # Case-management systems export "Excel" files that are web pages with an .xls name.
        raise TableFileError(
            _(
                "This file is a web page saved with a spreadsheet name (some systems export .xls files this way). "
                "Open it in Excel or WPS, save it as .xlsx (Excel workbook), then upload it again."
            )
        )
    return "csv"


def _ole_message(upload) -> str:
    """An old Office file (or an encrypted new one): name what it is from the streams it holds."""
    data = upload.read(settings.UPLOAD_MAX_BYTES + 1)
    upload.seek(0)

    def holds(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if holds("EncryptedPackage"):
        return _(
            "This workbook is protected with a password. Open it in Excel or WPS, remove the password "
            "(File → Info → Protect Workbook), save it as .xlsx, then upload it again."
        )
    if holds("WordDocument"):
        return _(
            "This is an old Word document (.doc), not a table. Upload the sheet as an Excel workbook (.xlsx) "
            "or a CSV file."
        )
    if holds("PowerPoint Document"):
        return _("This is a PowerPoint file, not a table. Upload the sheet as an Excel workbook (.xlsx) or a CSV file.")
    return _("This is an old Excel file (.xls). Open it in Excel or WPS, save it as .xlsx, then upload it again.")


def _check_unpacked_size(upload) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableFileError(_damaged()) from None
    finally:
        upload.seek(0)
    if unpacked > MAX_UNZIPPED_BYTES:
        raise TableFileError(_("The workbook is too large once unpacked."))


def _damaged() -> str:
    return _(
        "This Excel file is damaged and cannot be read. Open it in Excel or WPS, save it again as .xlsx, "
        "then upload it again."
    )


def read_table(upload, *, max_rows: int = DEFAULT_MAX_ROWS) -> list[list]:
    """The first sheet of an .xlsx, or the rows of a CSV/tab-separated text, as lists of cells.

    xlsx cells keep their types (numbers, dates); text cells are strings. At most `max_rows`
    rows are read (callers that cap the size ask for one more than they accept, to tell).
    Blank rows are kept, so positions are the sheet's row numbers minus one.
    """
    kind = sniff(upload)
    rows = _xlsx_rows(upload, max_rows) if kind == "xlsx" else _text_rows(upload.read(), max_rows)
    upload.seek(0)
    while rows and not any(_filled(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise TableFileError(_("The file is empty. Check that you chose the right file, then upload it again."))
    return rows


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def _xlsx_rows(upload, max_rows: int) -> list[list]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise TableFileError(_damaged()) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list] = []
        blank_run = 0  # formatted but empty rows: kept (for row numbers) only when something follows
        filled = 0
        for row in sheet.iter_rows(values_only=True):
            if not any(_filled(cell) for cell in row):
                blank_run += 1
                continue
            rows.extend([] for _ in range(blank_run))
            blank_run = 0
            rows.append(list(row))
            filled += 1
            if filled >= max_rows:
                break
        return rows
    except Exception:  # noqa: BLE001
        raise TableFileError(_damaged()) from None
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 as Chinese Excel and WPS save CSV."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise TableFileError(
        _(
            "This file cannot be read as a table. Upload an Excel workbook (.xlsx) or a CSV file saved from Excel or WPS."
        )
    )


def _text_rows(data: bytes, max_rows: int) -> list[list]:
    text = decode_text(data)
    sample = text[:8192].split("\n")[:10]
    tabs = sum(line.count("\t") for line in sample)
    commas = sum(line.count(",") for line in sample)
    delimiter = "\t" if tabs > commas else ","
    rows: list[list] = []
    filled = 0  # blank lines keep their place (row numbers) but do not count towards the cap
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            filled += any(_filled(cell) for cell in row)
            if filled >= max_rows:
                break
    except csv.Error:
        raise TableFileError(_("The CSV file is malformed.")) from None
    return rows
