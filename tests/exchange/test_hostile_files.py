"""Hostile or broken files get a clear message and change nothing."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from actions.models import Action
from exchange import files
from exchange.models import ImportUpload
from tests.exchange.sheets import PLAN_HEADERS, csv_bytes, upload, xlsx

pytestmark = pytest.mark.django_db


def refused(client, plan, name: str, data: bytes) -> str:
    """Upload the file and return the error shown; check that nothing was stored or written."""
    response = client.post(
        reverse("exchange:upload"), {"kind": "action_plan", "plan": plan.pk, "file": upload(name, data)}
    )
    assert response.status_code == 422
    assert ImportUpload.objects.count() == 0
    assert Action.objects.count() == 0
    return " ".join(response.context["form"].errors["file"])


def good_rows(count: int = 1) -> list[list]:
    return [PLAN_HEADERS] + [
        [f"1.{n}", "1", "Records", "Audit", "", datetime.date(2026, 1, 31), "", ""] for n in range(count)
    ]


def test_a_file_that_is_not_a_spreadsheet_is_refused(lead_client, plan):
    assert "not an Excel workbook" in refused(lead_client, plan, "plan.xlsx", b"%PDF-1.7\n%binary")
    assert "Choose an .xlsx or .csv" in refused(lead_client, plan, "plan.pdf", b"%PDF-1.7\n")
    assert "binary data" in refused(lead_client, plan, "plan.csv", b"MZ\x00\x00\x90\x00")


def test_a_renamed_zip_that_is_not_a_workbook_is_refused(lead_client, plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an Excel workbook" in refused(lead_client, plan, "plan.xlsx", buffer.getvalue())


def test_a_password_protected_or_old_format_file_is_refused(lead_client, plan):
    # Excel encrypts a protected workbook inside an OLE compound file, whatever its extension.
    ole = files.OLE_MAGIC + b"\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert "password-protected" in refused(lead_client, plan, "plan.xlsx", ole)


def test_a_workbook_with_macros_is_refused(lead_client, plan):
    data = xlsx(("Plan", good_rows()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"')
    assert "macros" in refused(lead_client, plan, "plan.xlsx", buffer.getvalue())
    assert "macros" in refused(lead_client, plan, "plan.xlsm", data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(lead_client, plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024)
        )  # 20 MB of zeros: ~20 kB packed
    assert len(buffer.getvalue()) < 100_000
    assert "zip bomb" in refused(lead_client, plan, "plan.xlsx", buffer.getvalue())


def test_a_file_over_5_mb_is_refused(lead_client, plan):
    data = csv_bytes(good_rows()) + b"x" * (5 * 1024 * 1024)
    assert "5 MB" in refused(lead_client, plan, "plan.csv", data)


def test_more_than_20000_rows_are_refused(lead_client, plan):
    rows = [PLAN_HEADERS] + [["1.1"]] * 20_001
    assert "20,000 rows" in refused(lead_client, plan, "plan.csv", csv_bytes(rows))


def test_an_empty_file_is_refused(lead_client, plan):
    assert "empty" in refused(lead_client, plan, "plan.csv", b"")


def test_formulas_are_read_as_their_saved_values_never_evaluated(lead_client, plan):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PLAN_HEADERS)
    sheet.append(
        ["1.1", "1", "Records", '=HYPERLINK("http://evil.example","Click")', "", "31/01/2026", "", ""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl saves no cached value: Excel would show one, we read none
    sheets = files.read_upload("plan.xlsx", buffer.getvalue())
    assert sheets[0].rows[1][3] is None
    response = lead_client.post(
        reverse("exchange:upload"),
        {"kind": "action_plan", "plan": plan.pk, "file": upload("plan.xlsx", buffer.getvalue())},
    )
    preview = lead_client.get(response["Location"])
    assert [(p.row, p.column) for p in preview.context["preview"].problems] == [(2, "Action")]


def test_text_that_looks_like_a_formula_in_a_csv_is_kept_as_text(lead_client, plan):
    rows = good_rows()
    rows[1][3] = "=1+1"
    sheets = files.read_upload("plan.csv", csv_bytes(rows))
    assert sheets[0].rows[1][3] == "=1+1"
