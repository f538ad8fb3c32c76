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
# A plan or a grid has a few dozen columns. These bound the work of reading and previewing any file within
# the size limit (openpyxl reads some 30,000 cells a second): no row is padded to more columns, and no file
# makes more cells than this.
MAX_COLUMNS = 200
MAX_CELLS = 100_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
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


class _Limits:
    """Count the cells read; refuse a row too wide, a cell too long or a file too big once read."""

    def __init__(self) -> None:
        self.cells = 0

    def check(self, where: str, row) -> None:
        if len(row) > MAX_COLUMNS:
            raise ImportFileError(
                f"{where} has cells beyond column {MAX_COLUMNS}. A plan needs far fewer columns: delete the "
                "unused columns (or copy only the table into a new sheet) and upload it again."
            )
        if any(isinstance(value, str) and len(value) > MAX_CELL_CHARS for value in row):
            raise ImportFileError(
                f"{where} has a cell longer than {MAX_CELL_CHARS:,} characters, more than Excel allows."
            )
        self.cells += len(row)
        if self.cells > MAX_CELLS:
            raise ImportFileError(
                f"The file has more than {MAX_CELLS:,} cells. Remove unused rows, columns or sheets, or "
                "split it."
            )


def _read_xlsx(data: bytes) -> list[Sheet]:
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        # data_only: the values Excel saved with each formula, never the formula; nothing is evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_vba=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError("This workbook cannot be read. Save it again from Excel as .xlsx.") from error
    limits = _Limits()
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            # The sheet's declared <dimension> is the file's word, not its cells: rows would be padded to it
            # (a few bytes can declare 18,278 columns). Forget it, so each row holds only up to its last cell.
            worksheet.reset_dimensions()
            rows = []
            for row in worksheet.iter_rows(values_only=True):
                limits.check(f"The sheet “{worksheet.title}”", row)
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
    limits = _Limits()
    reader = csv.reader(io.StringIO(decoded, newline=""), dialect)
    try:
        for row in reader:
            limits.check("The file", row)
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows.")
    except csv.Error as error:
        # The csv module's own limit on a field (131,072 characters) is the usual one; any other is a file
        # the csv module cannot split into cells.
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                f"Row {reader.line_num} has a cell longer than {MAX_CELL_CHARS:,} characters, more than "
                "Excel allows."
            ) from error
        raise ImportFileError(
            f"Row {reader.line_num} cannot be read as CSV. Save the file again from Excel as CSV."
        ) from error
    return Sheet(name.rsplit("/", 1)[-1], rows)
