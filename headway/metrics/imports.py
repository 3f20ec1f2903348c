"""Reading a metric's observations from a CSV file or an Excel workbook.

The file has a first row naming its columns — `period`, `value` and, if wanted, `note`, in any
order and any case — and one row per period under it. Every row is checked before anything is
saved, and every problem is reported with the row and column a person would see in their
spreadsheet (the column names are row 1), so they can fix the whole file in one go. A file with
any problem is refused whole: `metrics.actions.import_observations` saves all of it or none.

No Django models here: the web upload, the `import_observations` command and the tests share it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from headway.lib.bounds import BoundsError, check_period
from headway.lib.periods import PeriodError, parse_period, period_in_window, period_label
from headway.metrics.values import ValueTextError, read_value

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_NOTE = 500

# The budget for reading a file (ADR 19). A workbook is a zip of XML, so a file well under
# MAX_BYTES can unpack to gigabytes or describe millions of empty rows: its parts are measured
# before anything is parsed, and every row and cell read counts, the empty ones included.
#: Rows read from a file, empty ones included: room for every row of data and as many blank ones.
MAX_ROWS_READ = 2 * MAX_ROWS
#: Cells read from a workbook, empty ones included (a cell far to the right fills its row).
MAX_CELLS_READ = 500_000
#: The unpacked size of the sheet that is read, and of the shared-string table it refers to.
MAX_SHEET_BYTES = 16 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
#: Distinct pieces of text in the shared-string table (a row of data has at most three).
MAX_SHARED_STRINGS = 5 * MAX_ROWS
#: Every other part openpyxl reads when it opens a workbook (styles, theme, the workbook itself).
MAX_OTHER_PART_BYTES = 2 * 1024 * 1024
MAX_PARTS = 2_000
COLUMNS = ("period", "value", "note")
REQUIRED = ("period", "value")
CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
NOT_A_FILE_WE_READ = (
    "This file is neither a CSV file nor an Excel workbook (.xlsx). Save it as one of those and try again."
)

_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RowError:
    """One problem, placed where the person will find it in their spreadsheet."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return f"Row {self.row}: {self.message}"
        return f"Row {self.row}, column {self.column}: {self.message}"


class FileRefused(Exception):
    """The file cannot be imported; `errors` says every reason found."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class ObservationRow:
    """One checked row: `period` is already the start of the metric's period. `note` is None when
    the file has no note column, so importing it leaves existing notes alone."""

    row: int
    period: dt.date
    value: float
    note: str | None


def read_observations(
    data: bytes, *, filename: str, frequency: str, unit: str = "", today: dt.date | None = None
) -> list[ObservationRow]:
    """Check every row of the file and return them all, or raise FileRefused listing every problem.
    `unit` is the metric's: values written "72%" are read for a metric measured in %. Values and
    periods are held to `headway.lib.bounds`; given `today` (the web upload and the command give
    it), a period that starts after it is refused, as it cannot have been measured yet."""
    if len(data) > MAX_BYTES:
        raise FileRefused([RowError(None, None, f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")])
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileRefused([RowError(None, None, "The file is empty.")])
    rows, decimal_comma = _rows(data, filename)
    return _check(rows, frequency, unit, today, decimal_comma)


# Reading cells ---------------------------------------------------------------------------------

Cell = object  # str from a CSV file; str, int, float, bool, datetime or None from a workbook


def _rows(data: bytes, filename: str) -> tuple[Iterator[tuple[int, Sequence[Cell]]], bool]:
    """(row number, cells) for every row, the column names being row 1; and whether a comma in a
    number is its decimal point (a CSV file separated by semicolons, as European Excel saves it)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xls":
        raise FileRefused(
            [
                RowError(
                    None,
                    None,
                    "This is an old-style Excel file (.xls). Save it as an Excel workbook (.xlsx) "
                    "or as CSV and try again.",
                )
            ]
        )
    is_zip = data.startswith(_ZIP_MAGIC)
    if suffix in XLSX_SUFFIXES or (is_zip and suffix not in CSV_SUFFIXES):
        return _xlsx_rows(data), False
    if suffix in CSV_SUFFIXES or suffix == "":
        if is_zip:
            raise FileRefused([RowError(None, None, NOT_A_FILE_WE_READ)])
        return _csv_rows(data)
    raise FileRefused([RowError(None, None, NOT_A_FILE_WE_READ)])


def _csv_rows(data: bytes) -> tuple[Iterator[tuple[int, Sequence[Cell]]], bool]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            [
                RowError(
                    None,
                    None,
                    "This file is not a CSV file in UTF-8 text, nor an Excel workbook (.xlsx). "
                    "In Excel, save it as ‘CSV UTF-8’ and try again.",
                )
            ]
        ) from None
    if "\x00" in text:
        raise FileRefused([RowError(None, None, NOT_A_FILE_WE_READ)])
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, Sequence[Cell]]]:
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as error:
            problem = f"this line cannot be read as CSV ({error})."
            raise FileRefused([RowError(reader.line_num, None, problem)]) from None

    return rows(), delimiter == ";"


def _delimiter(text: str) -> str:
    """Commas, unless the first line names the columns with semicolons or tabs between them
    (Excel in many European settings saves "CSV" with semicolons)."""
    first = text.lstrip("\r\n").partition("\n")[0]
    if "," in first:
        return ","
    for separator in (";", "\t"):
        names = [name.strip().strip('"').lower() for name in first.split(separator)]
        if separator in first and any(name in COLUMNS for name in names):
            return separator
    return ","


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, Sequence[Cell]]]:
    _check_workbook_parts(data)
    try:
        workbook = _open_first_sheet(data)
    except Exception:  # zipfile, openpyxl and XML errors alike: whatever it is, it is not a workbook
        raise FileRefused([RowError(None, None, NOT_A_FILE_WE_READ)]) from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        workbook.close()
        raise FileRefused([RowError(None, None, "The workbook has no sheets.")])

    def rows() -> Iterator[tuple[int, Sequence[Cell]]]:
        cells = 0
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells += len(row)
                if cells > MAX_CELLS_READ:
                    raise FileRefused([_too_many_cells()])
                end = len(row)
                while end and row[end - 1] is None:  # the empty cells openpyxl filled in at the end
                    end -= 1
                yield number, row[:end]
        except FileRefused:
            raise
        except Exception:  # a part that is not well-formed XML, or lies about its size
            raise FileRefused([RowError(None, None, NOT_A_FILE_WE_READ)]) from None
        finally:
            workbook.close()

    return rows()


def _open_first_sheet(data: bytes) -> Any:
    """The workbook, read-only (rows are parsed as they are asked for), with only its first sheet.

    openpyxl's own `load_workbook(read_only=True)` reads every sheet from end to end when it opens
    the file if a sheet does not state its size, which a small file of millions of empty rows
    turns into half a minute and hundreds of megabytes before the first row is read. The size is
    not needed (each row is read as it comes, within the budget), so it is not worked out."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            pass

    class FirstSheetReader(ExcelReader):  # type: ignore[misc]
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.wb._sheets.append(UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings))
                    return

    reader = FirstSheetReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _too_many_cells() -> RowError:
    return RowError(
        None,
        None,
        f"The first sheet has more than {MAX_CELLS_READ:,} cells, counting empty ones. Delete the empty "
        "columns to the right of your data, or copy just the period, value and note columns into a new "
        "workbook, and try again.",
    )


def _too_large(what: str) -> FileRefused:
    return FileRefused(
        [
            RowError(
                None,
                None,
                f"The workbook’s {what} is too large to read. Copy just the period, value and note "
                "columns into a new workbook, or save the sheet as CSV, and try again.",
            )
        ]
    )


_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _check_workbook_parts(data: bytes) -> None:
    """Measure the workbook's parts before openpyxl parses any of them, and refuse one that would
    unpack to more than the budget. The sizes a zip declares can be trusted here: Python's zipfile
    stops at the declared size and then fails the checksum, so a part that lies cannot be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused([RowError(None, None, NOT_A_FILE_WE_READ)]) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _too_large("number of parts")
        for part in parts:
            name = part.filename.lower()
            if name.startswith("xl/worksheets/") and not name.startswith("xl/worksheets/_rels/"):
                if part.file_size > MAX_SHEET_BYTES:
                    raise FileRefused(
                        [
                            RowError(
                                None,
                                None,
                                f"A sheet of this workbook unpacks to more than {MAX_SHEET_BYTES // (1024 * 1024)} MB, "
                                "too large to read. Delete the empty rows below your data and the empty columns to "
                                "its right, or save the sheet as CSV, and try again.",
                            )
                        ]
                    )
            elif name.endswith("sharedstrings.xml"):
                if part.file_size > MAX_SHARED_STRINGS_BYTES:
                    raise _too_large("table of text")
                if _count_shared_strings(archive, part) > MAX_SHARED_STRINGS:
                    raise _too_large("table of text")
            elif name.endswith((".xml", ".rels", ".vml")) and part.file_size > MAX_OTHER_PART_BYTES:
                raise _too_large("formatting or layout")


def _count_shared_strings(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """The number of pieces of text in the shared-string table, counted while unpacking it in
    chunks (openpyxl would load them all before the first row is read); stops past the budget."""
    count = 0
    carry = b""
    overlap = 64  # longer than any opening tag counted, so none is split between two chunks
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(1024 * 1024):
                text = carry + chunk
                end = max(len(text) - overlap, 0)
                count += sum(1 for match in _SHARED_STRING.finditer(text) if match.start() < end)
                carry = text[end:]
                if count > MAX_SHARED_STRINGS:
                    return count
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise FileRefused([RowError(None, None, NOT_A_FILE_WE_READ)]) from None
    return count + sum(1 for _ in _SHARED_STRING.finditer(carry))


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _blank(cells: Sequence[Cell]) -> bool:
    return all(_text(c) == "" for c in cells)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# Checking rows ---------------------------------------------------------------------------------


def _header(cells: Sequence[Cell]) -> tuple[dict[str, int], set[int], list[RowError]]:
    """Map column name → index; the indexes of unnamed columns; the header's problems."""
    names = [_text(c).lower() for c in cells]
    errors: list[RowError] = []
    if not any(name in COLUMNS for name in names):
        shown = ", ".join(_text(c) for c in cells if _text(c))[:80]
        hint = " Separate the columns with commas, semicolons or tabs." if "|" in shown else ""
        return (
            {},
            set(),
            [
                RowError(
                    1,
                    None,
                    "the first row must name the columns: period, value and, if you like, note. "
                    f"This file's first row is ‘{shown}’.{hint}",
                )
            ],
        )
    found: dict[str, int] = {}
    unnamed: set[int] = set()
    for index, name in enumerate(names):
        if name == "":
            unnamed.add(index)
        elif name not in COLUMNS:
            errors.append(
                RowError(1, _text(cells[index]), "Headway does not know this column. Use only period, value and note.")
            )
        elif name in found:
            errors.append(RowError(1, name, "this column appears twice."))
        else:
            found[name] = index
    for name in REQUIRED:
        if name not in found:
            errors.append(RowError(1, None, f"the ‘{name}’ column is missing."))
    return found, unnamed, errors


def _number(cell: Cell, unit: str, decimal_comma: bool = False) -> float | str:
    """The cell as a finite number, or the message saying why it is not one (`values.read_value`:
    "72%" is read for a metric measured in %). With `decimal_comma`, "72,5" is 72.5."""
    if decimal_comma and isinstance(cell, str) and cell.count(",") == 1 and "." not in cell:
        cell = cell.replace(",", ".")
    try:
        return read_value(cell if isinstance(cell, bool | int | float) else _text(cell), unit)
    except ValueTextError as error:
        return str(error)


def _period(cell: Cell, frequency: str) -> dt.date | str:
    try:
        if isinstance(cell, dt.datetime):
            return period_in_window(cell.date(), frequency)
        if isinstance(cell, dt.date):
            return period_in_window(cell, frequency)
        return parse_period(_text(cell), frequency)
    except PeriodError as error:
        return _lower_first(str(error))


def _lower_first(message: str) -> str:
    """A sentence placed after "Row 3, column period:" reads on from it."""
    return message[:1].lower() + message[1:] if message.startswith(("The ", "Give ")) else message


def _check(
    rows: Iterable[tuple[int, Sequence[Cell]]],
    frequency: str,
    unit: str,
    today: dt.date | None,
    decimal_comma: bool = False,
) -> list[ObservationRow]:
    errors: list[RowError] = []
    checked: list[ObservationRow] = []
    seen: dict[dt.date, int] = {}
    header: dict[str, int] | None = None
    unnamed: set[int] = set()
    data_rows = 0
    for number, cells in rows:
        if number > MAX_ROWS_READ:
            raise FileRefused(
                [
                    RowError(
                        None,
                        None,
                        f"The file has more than {MAX_ROWS_READ:,} rows, counting empty ones. Delete the empty "
                        f"rows below your data, or split it into files of at most {MAX_ROWS:,} rows, and try again.",
                    )
                ]
            )
        if header is None:
            if number != 1 or _blank(cells):
                raise FileRefused(
                    [
                        RowError(
                            1,
                            None,
                            "the first row must name the columns: period, value and, if you like, note. It is empty.",
                        )
                    ]
                )
            header, unnamed, header_errors = _header(cells)
            if header_errors:
                raise FileRefused(header_errors)
            continue
        if _blank(cells):
            continue  # spreadsheets often leave empty rows at the end
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise FileRefused(
                [RowError(None, None, f"The file has more than {MAX_ROWS:,} rows of data. Split it into smaller ones.")]
            )
        errors.extend(_check_row(number, cells, header, unnamed, frequency, unit, decimal_comma, seen, checked))
    if header is None:
        raise FileRefused([RowError(None, None, "The file is empty.")])
    if data_rows == 0 and not errors:
        raise FileRefused([RowError(None, None, "The file has no rows of data under the column names.")])
    if today is not None:
        for row in checked:
            try:
                check_period(row.period, today=today)
            except BoundsError as error:
                errors.append(RowError(row.row, "period", _lower_first(str(error))))
    if errors:
        errors.sort(key=lambda error: error.row or 0)
        raise FileRefused(errors)
    return checked


def _check_row(
    number: int,
    cells: Sequence[Cell],
    header: dict[str, int],
    unnamed: set[int],
    frequency: str,
    unit: str,
    decimal_comma: bool,
    seen: dict[dt.date, int],
    checked: list[ObservationRow],
) -> list[RowError]:
    errors: list[RowError] = []

    def cell(name: str) -> Cell:
        index = header.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    period = _period(cell("period"), frequency)
    if isinstance(period, str):
        errors.append(RowError(number, "period", period))
    elif period in seen:
        errors.append(
            RowError(
                number,
                "period",
                f"the period {period_label(period, frequency)} is already "
                f"on row {seen[period]}. Give each period once.",
            )
        )
    else:
        seen[period] = number
    value = _number(cell("value"), unit, decimal_comma)
    if isinstance(value, str):
        errors.append(RowError(number, "value", value))
    note: str | None = None
    if "note" in header:
        note = _text(cell("note"))
        if len(note) > MAX_NOTE:
            errors.append(RowError(number, "note", f"the note is longer than {MAX_NOTE} characters."))
    width = len(header) + len(unnamed)
    for index in sorted(unnamed):
        if index < len(cells) and _text(cells[index]):
            errors.append(
                RowError(
                    number,
                    _column_letter(index),
                    "this column has no name in row 1, so Headway cannot tell what it holds.",
                )
            )
    for index in range(width, len(cells)):
        if _text(cells[index]):
            errors.append(
                RowError(number, _column_letter(index), "this row has more cells than there are column names in row 1.")
            )
            break
    if not errors and isinstance(period, dt.date) and isinstance(value, float):
        checked.append(ObservationRow(row=number, period=period, value=value, note=note))
    return errors
