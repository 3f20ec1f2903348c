"""Writing CSV files and Excel workbooks that are safe to open (pure; no Django).

Headway keeps text exactly as it was typed, including text that starts with `=`, `+`, `-` or
`@`. A spreadsheet would run such a cell as a formula when the file is opened (formula or CSV
injection), so every export writes through this module, which neutralises that text on the way
out: in a CSV file it gets a leading apostrophe, which spreadsheets read as "this is text" and
do not show; in a workbook the cell is written as text, so it shows exactly as typed and never
runs. Numbers, dates and empty cells are written as they are. `tests/test_exports.py` fails on
any other module that writes CSV or a workbook itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

#: The characters that make a spreadsheet read a cell as a formula (a tab or carriage return at the
#: start can hide one from a person reading the file).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | dt.date | None


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralised(cell: Cell) -> Cell:
    """The cell for a CSV file: text a spreadsheet would run gets a leading apostrophe."""
    if isinstance(cell, str) and is_formula_like(cell):
        return "'" + cell
    return cell


def csv_text(rows: Iterable[Sequence[Cell]]) -> str:
    """The rows as CSV text (with a byte-order mark so Excel reads UTF-8, and CRLF line ends)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else neutralised(cell) for cell in row])
    return out.getvalue()


def xlsx_bytes(rows: Iterable[Sequence[Cell]], *, sheet: str = "Sheet1") -> bytes:
    """The rows as an Excel workbook of one sheet; text is always written as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            cells.append(cell)
        worksheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> bytes:
    """A workbook of several sheets, one (name, rows) each, written with XlsxWriter: numbers as
    numbers, dates as dates (shown as dates), and every text cell as text, so text that looks
    like a formula shows exactly as typed and never runs. Sheet names are cut to Excel's 31
    characters and must be unique."""
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for name, rows in sheets:
        worksheet = workbook.add_worksheet(name[:31])
        worksheet.set_column(0, 0, 32)
        worksheet.set_column(1, 12, 18)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    worksheet.write_string(r, c, value, wrap if len(value) > 40 else None)
                elif isinstance(value, bool):
                    worksheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    worksheet.write_number(r, c, value)
                else:
                    worksheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
    workbook.close()
    return out.getvalue()
