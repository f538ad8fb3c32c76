"""Write tables to .xlsx (typed cells: dates as dates, numbers as numbers) and .csv, safe to open in Excel."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from exchange.cells import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


@dataclass
class Table:
    title: str  # the sheet's name (at most 31 characters in Excel)
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def _plain(value):
    """Return a value a cell can hold: aware times in local time without a zone, decimals as numbers."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise(value)


def xlsx_bytes(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        header = []
        for name in table.headers:
            cell = WriteOnlyCell(sheet, value=neutralise(name))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_plain(value))
                if isinstance(value, datetime.datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
                elif isinstance(value, datetime.date):
                    cell.number_format = "dd/mm/yyyy"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(name) for name in table.headers])
    for row in table.rows:
        writer.writerow(
            [value.isoformat() if isinstance(value, datetime.date) else _plain(value) for value in row]
        )
    return buffer.getvalue()


def download(tables: list[Table], *, filename: str, fmt: str) -> HttpResponse:
    """Return the tables as a download: every table as a sheet of one .xlsx, or the first as a .csv."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(tables), content_type=XLSX_TYPE)
    else:
        # A byte-order mark so Excel reads the file as UTF-8 (names with accents, en dashes).
        response = HttpResponse("\ufeff" + csv_text(tables[0]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
