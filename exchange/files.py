"""Read an uploaded spreadsheet safely: values only, never formulas or macros, within size limits.

Every refusal is an ImportFileError with a message for the person who uploaded the file; nothing is
written before a file has passed these checks.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from exchange.cells import text

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An .xlsx is a zip of XML: its parts may unpack to much more than the file, but not without limit.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and every password-protected Office file
ZIP_MAGIC = b"PK\x03\x04"
EXTENSIONS = (".xlsx", ".csv")


class ImportFileError(Exception):
    """The file cannot be imported; the message says why, in words the uploader can act on."""


@dataclass
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)  # the header row first

    @property
    def headers(self) -> list[str]:
        return [text(value) for value in (self.rows[0] if self.rows else [])]

    @property
    def body(self) -> list[list]:
        return self.rows[1:]


def read_upload(name: str, data: bytes) -> list[Sheet]:
    """Return the sheets of an uploaded .xlsx or .csv, or raise ImportFileError saying why not."""
    lower = name.lower()
    if len(data) > MAX_BYTES:
        raise ImportFileError("The file is larger than 5 MB. Split it, or remove pictures and unused sheets.")
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        raise ImportFileError("Files with macros cannot be imported. Save the workbook as .xlsx first.")
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            "This file is password-protected or in the old .xls format. Remove the password and save it "
            "as .xlsx (Excel Workbook) before importing."
        )
    if not lower.endswith(EXTENSIONS):
        raise ImportFileError("Choose an .xlsx or .csv file.")
    sheets = _read_xlsx(data) if lower.endswith(".xlsx") else [_read_csv(name, data)]
    for sheet in sheets:
        while sheet.rows and all(_blank(value) for value in sheet.rows[-1]):
            sheet.rows.pop()
    if not sheets or not sheets[0].rows:
        raise ImportFileError("The file is empty: its first sheet needs a header row and at least one row.")
    return sheets


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_zip(data: bytes) -> None:
    if not data.startswith(ZIP_MAGIC):
        raise ImportFileError("This is not an Excel workbook (.xlsx). Choose an .xlsx or .csv file.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ImportFileError(
            "This workbook is damaged and cannot be read. Save it again from Excel."
        ) from error
    names = {entry.filename.lower() for entry in entries}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise ImportFileError("This workbook contains macros. Save it as .xlsx (without macros) first.")
    if "xl/workbook.xml" not in names:
        raise ImportFileError("This is not an Excel workbook (.xlsx). Choose an .xlsx or .csv file.")
    # The sizes are the archive's own declarations, read before anything is unpacked.
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise ImportFileError(
            "This workbook unpacks to far more data than a plan needs (a possible zip bomb); "
            "it was not opened."
        )


def _read_xlsx(data: bytes) -> list[Sheet]:
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        # data_only: the values Excel saved with each formula, never the formula; nothing is evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_vba=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError("This workbook cannot be read. Save it again from Excel as .xlsx.") from error
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = []
            for row in worksheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 1:
                    raise ImportFileError(f"The sheet “{worksheet.title}” has more than {MAX_ROWS:,} rows.")
            sheets.append(Sheet(worksheet.title, rows))
        return sheets
    finally:
        workbook.close()


def _read_csv(name: str, data: bytes) -> Sheet:
    if b"\x00" in data:
        raise ImportFileError(
            "This is not a CSV file (it contains binary data). Choose an .xlsx or .csv file."
        )
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    try:
        dialect = csv.Sniffer().sniff(decoded[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for row in csv.reader(io.StringIO(decoded, newline=""), dialect):
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows.")
    return Sheet(name.rsplit("/", 1)[-1], rows)
