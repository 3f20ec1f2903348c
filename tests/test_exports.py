"""Exports neutralise text a spreadsheet would run as a formula, and every export goes through
`headway.lib.exports` (a guard reads Headway's code and fails on a CSV or workbook written elsewhere).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl

from headway.lib.exports import csv_text, neutralised, workbook_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "headway" / "lib" / "exports.py"
WRITES_A_FILE = re.compile(r"csv\.(writer|DictWriter)\b|\bWorkbook\(|\.writerows?\(")
TYPED = ["=1+1", "+44 20 7946 0000", "-5 beds", "@SUM(A1:A2)", "\t=cmd", "A plain note", "50% of beds"]


def test_text_a_spreadsheet_would_run_gets_an_apostrophe_and_other_cells_are_untouched() -> None:
    assert neutralised('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [neutralised(t) for t in TYPED] == [
        "'=1+1",
        "'+44 20 7946 0000",
        "'-5 beds",
        "'@SUM(A1:A2)",
        "'\t=cmd",
        "A plain note",
        "50% of beds",
    ]
    assert neutralised(-5) == -5
    assert neutralised(-2.5) == -2.5
    assert neutralised(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    assert neutralised(None) is None


def test_a_csv_export_reads_back_as_the_text_typed_with_only_the_apostrophe_added() -> None:
    text = csv_text([["note", "value"], *[[t, -1] for t in TYPED], [None, 3.5]])
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[0] == ["note", "value"]
    assert [row[0] for row in rows[1:-1]] == [str(neutralised(t)) for t in TYPED]
    assert [row[1] for row in rows[1:-1]] == ["-1"] * len(TYPED)
    assert rows[-1] == ["", "3.5"]


def test_a_workbook_export_keeps_the_text_as_typed_and_stores_none_of_it_as_a_formula() -> None:
    data = xlsx_bytes([["note", "value"], *[[t, -1] for t in TYPED]], sheet="Values")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Values"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == TYPED
    assert {c.data_type for c in cells} == {"s"}
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [-1] * len(TYPED)


def test_a_workbook_of_several_sheets_keeps_text_as_text_and_numbers_and_dates_typed() -> None:
    day = dt.date(2026, 12, 10)
    data = workbook_bytes(
        [("Notes", [["note"], *[[t] for t in TYPED]]), ("Figures", [["when", "amount"], [day, 1500]])]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Notes", "Figures"]
    cells = [row[0] for row in book["Notes"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == TYPED
    assert {c.data_type for c in cells} == {"s"}
    when, amount = next(book["Figures"].iter_rows(min_row=2))
    assert (when.value, when.is_date, amount.value, amount.data_type) == (dt.datetime(2026, 12, 10), True, 1500, "n")


def offences() -> list[str]:
    found = []
    for folder in (ROOT / "headway", ROOT / "bench"):
        for path in sorted(folder.rglob("*.py")):
            if path == HOME or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if WRITES_A_FILE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_every_csv_or_workbook_headway_writes_goes_through_the_export_helper() -> None:
    assert offences() == [], "Write CSV and workbooks with headway.lib.exports:\n" + "\n".join(offences())


def test_the_guard_finds_a_csv_or_workbook_written_by_hand() -> None:
    for code in (
        "writer = csv.writer(response)",
        "book = openpyxl.Workbook()",
        "w.writerow(row)",
        "csv.DictWriter(f, names)",
    ):
        assert WRITES_A_FILE.search(code), code
