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
