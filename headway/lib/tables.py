"""Reading a table of rows from an uploaded CSV file, Excel workbook or JSON file, within budgets.

Every import shares this reader: a metric's values (`metrics.imports`) and the portfolio imports
(`headway.imports`). A spreadsheet's first row names the columns, in any order and any case; a
JSON file is a list of objects keyed by the same names (or `{"rows": [...]}`). Problems are
placed where the person will find them: the row and column they see in their spreadsheet (the
column names are row 1), or for JSON the object's place in the list (the first is row 1).

The budgets (ADR 19): a workbook is a zip of XML, so a file well under the size limit can unpack
to gigabytes or describe millions of empty rows. Its parts are measured before anything is
parsed, and every row and cell read counts, the empty ones included.

No Django here: the web uploads, the commands and the tests share it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from headway.lib.exports import is_formula_like

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
#: Cells read from a workbook, empty ones included (a cell far to the right fills its row).
MAX_CELLS_READ = 500_000
#: The unpacked size of the sheet that is read, and of the shared-string table it refers to.
MAX_SHEET_BYTES = 16 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
#: Every other part openpyxl reads when it opens a workbook (styles, theme, the workbook itself).
MAX_OTHER_PART_BYTES = 2 * 1024 * 1024
MAX_PARTS = 2_000
CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
JSON_SUFFIXES = {".json"}

_ZIP_MAGIC = b"PK\x03\x04"

Cell = object  # str from a CSV file; str, int, float, bool, datetime or None from a workbook or JSON


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
class Layout:
    """The columns a kind of file has: their names (lower case) and which must be there."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    max_rows: int = MAX_ROWS
    json: bool = False  # whether a JSON file is read too

    @property
    def max_rows_read(self) -> int:
        """Rows read, empty ones included: room for every row of data and as many blank ones."""
        return 2 * self.max_rows

    @property
    def max_shared_strings(self) -> int:
        """Distinct pieces of text in a workbook's shared-string table: a row of data has at most
        one per column, and a little room besides."""
        return (len(self.columns) + 2) * self.max_rows

    def listed(self) -> str:
        """ "period, value and note"."""
        return _and(list(self.columns))

    def expected(self) -> str:
        """ "period, value and, if you like, note"."""
        optional = [c for c in self.columns if c not in self.required]
        required = _and(list(self.required))
        if not optional:
            return required
        return f"{', '.join(self.required)} and, if you like, {_and(optional)}"

    def not_a_file_we_read(self) -> str:
        if self.json:
            return (
                "This file is not a CSV file, an Excel workbook (.xlsx) or a JSON file. Save it as one of those "
                "and try again."
            )
        return "This file is neither a CSV file nor an Excel workbook (.xlsx). Save it as one of those and try again."


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass
class TableRow:
    """One row of data: its number as the person sees it, and its cells by column name (only
    the columns the file has)."""

    number: int
    cells: dict[str, Cell]


@dataclass
class Table:
    columns: tuple[str, ...]  # the columns the file has, as named in `Layout.columns`
    rows: list[TableRow] = field(default_factory=list)
    #: Problems with a row's shape (a cell under no column name), to be reported with the rest.
    problems: list[RowError] = field(default_factory=list)
    #: A comma in a number is its decimal point (a CSV file separated by semicolons).
    decimal_comma: bool = False


def read_table(data: bytes, *, filename: str, layout: Layout) -> Table:
    """Every row of data in the file, or FileRefused listing the problems with the file as a whole
    (its size, its kind, its column names, its budgets). Blank rows are skipped."""
    if len(data) > MAX_BYTES:
        raise FileRefused([RowError(None, None, f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")])
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileRefused([RowError(None, None, "The file is empty.")])
    suffix = PurePath(filename).suffix.lower()
    if layout.json and (suffix in JSON_SUFFIXES or (suffix == "" and data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] in b"[{")):
        return _json_table(data, layout)
    rows, decimal_comma = _rows(data, suffix, layout)
    table = _table(rows, layout)
    table.decimal_comma = decimal_comma
    return table


def _rows(data: bytes, suffix: str, layout: Layout) -> tuple[Iterator[tuple[int, Sequence[Cell]]], bool]:
    """(row number, cells) for every row, the column names being row 1; and whether a comma in a
    number is its decimal point (a CSV file separated by semicolons, as European Excel saves it)."""
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
        return _xlsx_rows(data, layout), False
    if suffix in CSV_SUFFIXES or suffix == "":
        if is_zip:
            raise FileRefused([RowError(None, None, layout.not_a_file_we_read())])
        return _csv_rows(data, layout)
    raise FileRefused([RowError(None, None, layout.not_a_file_we_read())])


def _csv_rows(data: bytes, layout: Layout) -> tuple[Iterator[tuple[int, Sequence[Cell]]], bool]:
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
        raise FileRefused([RowError(None, None, layout.not_a_file_we_read())])
    delimiter = _delimiter(text, layout)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, Sequence[Cell]]]:
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, [_unguarded(cell) for cell in cells]
        except csv.Error as error:
            problem = f"this line cannot be read as CSV ({error})."
            raise FileRefused([RowError(reader.line_num, None, problem)]) from None

    return rows(), delimiter == ";"


def _unguarded(cell: str) -> str:
    """A cell as typed: the apostrophe `headway.lib.exports` puts before text a spreadsheet would run
    as a formula is taken off again, so a file Headway wrote imports as it was."""
    if cell[:1] == "'" and cell[1:2] and is_formula_like(cell[1:]):
        return cell[1:]
    return cell


def _delimiter(text: str, layout: Layout) -> str:
    """Commas, unless the first line names the columns with semicolons or tabs between them
    (Excel in many European settings saves "CSV" with semicolons)."""
    first = text.lstrip("\r\n").partition("\n")[0]
    if "," in first:
        return ","
    for separator in (";", "\t"):
        names = [name.strip().strip('"').lower() for name in first.split(separator)]
        if separator in first and any(name in layout.columns for name in names):
            return separator
    return ","


def _xlsx_rows(data: bytes, layout: Layout) -> Iterator[tuple[int, Sequence[Cell]]]:
    _check_workbook_parts(data, layout)
    try:
        workbook = _open_first_sheet(data)
    except Exception:  # zipfile, openpyxl and XML errors alike: whatever it is, it is not a workbook
        raise FileRefused([RowError(None, None, layout.not_a_file_we_read())]) from None
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
                    raise FileRefused([_too_many_cells(layout)])
                end = len(row)
                while end and row[end - 1] is None:  # the empty cells openpyxl filled in at the end
                    end -= 1
                yield number, row[:end]
        except FileRefused:
            raise
        except Exception:  # a part that is not well-formed XML, or lies about its size
            raise FileRefused([RowError(None, None, layout.not_a_file_we_read())]) from None
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


def _too_many_cells(layout: Layout) -> RowError:
    return RowError(
        None,
        None,
        f"The first sheet has more than {MAX_CELLS_READ:,} cells, counting empty ones. Delete the empty "
        f"columns to the right of your data, or copy just the {layout.listed()} columns into a new "
        "workbook, and try again.",
    )


def _too_large(what: str, layout: Layout) -> FileRefused:
    return FileRefused(
        [
            RowError(
                None,
                None,
                f"The workbook’s {what} is too large to read. Copy just the {layout.listed()} "
                "columns into a new workbook, or save the sheet as CSV, and try again.",
            )
        ]
    )


_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _check_workbook_parts(data: bytes, layout: Layout) -> None:
    """Measure the workbook's parts before openpyxl parses any of them, and refuse one that would
    unpack to more than the budget. The sizes a zip declares can be trusted here: Python's zipfile
    stops at the declared size and then fails the checksum, so a part that lies cannot be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused([RowError(None, None, layout.not_a_file_we_read())]) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _too_large("number of parts", layout)
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
                    raise _too_large("table of text", layout)
                if _count_shared_strings(archive, part, layout) > layout.max_shared_strings:
                    raise _too_large("table of text", layout)
            elif name.endswith((".xml", ".rels", ".vml")) and part.file_size > MAX_OTHER_PART_BYTES:
                raise _too_large("formatting or layout", layout)


def _count_shared_strings(archive: zipfile.ZipFile, part: zipfile.ZipInfo, layout: Layout) -> int:
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
                if count > layout.max_shared_strings:
                    return count
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise FileRefused([RowError(None, None, layout.not_a_file_we_read())]) from None
    return count + sum(1 for _ in _SHARED_STRING.finditer(carry))


def text_of(cell: Cell) -> str:
    """A cell as the text a person sees in it (a whole number without ".0")."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _blank(cells: Sequence[Cell]) -> bool:
    return all(text_of(c) == "" for c in cells)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# The column names and the rows under them ------------------------------------------------------


def _header(cells: Sequence[Cell], layout: Layout) -> tuple[dict[str, int], set[int], list[RowError]]:
    """Map column name → index; the indexes of unnamed columns; the header's problems."""
    names = [text_of(c).lower() for c in cells]
    errors: list[RowError] = []
    if not any(name in layout.columns for name in names):
        shown = ", ".join(text_of(c) for c in cells if text_of(c))[:80]
        hint = " Separate the columns with commas, semicolons or tabs." if "|" in shown else ""
        return (
            {},
            set(),
            [
                RowError(
                    1,
                    None,
                    f"the first row must name the columns: {layout.expected()}. "
                    f"This file's first row is ‘{shown}’.{hint}",
                )
            ],
        )
    found: dict[str, int] = {}
    unnamed: set[int] = set()
    for index, name in enumerate(names):
        if name == "":
            unnamed.add(index)
        elif name not in layout.columns:
            errors.append(
                RowError(1, text_of(cells[index]), f"Headway does not know this column. Use only {layout.listed()}.")
            )
        elif name in found:
            errors.append(RowError(1, name, "this column appears twice."))
        else:
            found[name] = index
    for name in layout.required:
        if name not in found:
            errors.append(RowError(1, None, f"the ‘{name}’ column is missing."))
    return found, unnamed, errors


def _too_many_rows_read(layout: Layout) -> FileRefused:
    return FileRefused(
        [
            RowError(
                None,
                None,
                f"The file has more than {layout.max_rows_read:,} rows, counting empty ones. Delete the empty "
                f"rows below your data, or split it into files of at most {layout.max_rows:,} rows, and try again.",
            )
        ]
    )


def _too_many_rows(layout: Layout) -> FileRefused:
    return FileRefused(
        [RowError(None, None, f"The file has more than {layout.max_rows:,} rows of data. Split it into smaller ones.")]
    )


def _table(rows: Iterator[tuple[int, Sequence[Cell]]], layout: Layout) -> Table:
    header: dict[str, int] | None = None
    unnamed: set[int] = set()
    table = Table(columns=())
    for number, cells in rows:
        if number > layout.max_rows_read:
            raise _too_many_rows_read(layout)
        if header is None:
            if number != 1 or _blank(cells):
                raise FileRefused(
                    [RowError(1, None, f"the first row must name the columns: {layout.expected()}. It is empty.")]
                )
            header, unnamed, header_errors = _header(cells, layout)
            if header_errors:
                raise FileRefused(header_errors)
            table.columns = tuple(name for name in layout.columns if name in header)
            continue
        if _blank(cells):
            continue  # spreadsheets often leave empty rows at the end
        if len(table.rows) >= layout.max_rows:
            raise _too_many_rows(layout)
        table.rows.append(
            TableRow(
                number=number,
                cells={name: cells[index] if index < len(cells) else None for name, index in header.items()},
            )
        )
        width = len(header) + len(unnamed)
        for index in sorted(unnamed):
            if index < len(cells) and text_of(cells[index]):
                table.problems.append(
                    RowError(
                        number,
                        column_letter(index),
                        "this column has no name in row 1, so Headway cannot tell what it holds.",
                    )
                )
        for index in range(width, len(cells)):
            if text_of(cells[index]):
                table.problems.append(
                    RowError(
                        number, column_letter(index), "this row has more cells than there are column names in row 1."
                    )
                )
                break
    if header is None:
        raise FileRefused([RowError(None, None, "The file is empty.")])
    if not table.rows and not table.problems:
        raise FileRefused([RowError(None, None, "The file has no rows of data under the column names.")])
    return table


def _json_table(data: bytes, layout: Layout) -> Table:
    """A JSON file: a list of objects keyed by the column names, or {"rows": [...]}. The first
    object is row 1. A value must be a string, a number, true, false or null."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        where = f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        raise FileRefused([RowError(None, None, f"This file cannot be read as JSON{where}.")]) from None
    if isinstance(parsed, dict) and set(parsed) == {"rows"}:
        parsed = parsed["rows"]
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise FileRefused(
            [
                RowError(
                    None,
                    None,
                    'A JSON file must be a list of objects, one for each row, or {"rows": [...]} holding that list.',
                )
            ]
        )
    if len(parsed) > layout.max_rows:
        raise _too_many_rows(layout)
    errors: list[RowError] = []
    found: list[str] = []
    unknown: set[str] = set()
    for number, item in enumerate(parsed, start=1):
        for key in item:
            name = str(key).strip().lower()
            if name in layout.columns:
                if name not in found:
                    found.append(name)
            elif key not in unknown:
                unknown.add(key)
                errors.append(
                    RowError(number, str(key)[:80], f"Headway does not know this name. Use only {layout.listed()}.")
                )
    for name in layout.required:
        if name not in found:
            errors.append(RowError(None, None, f"No row gives ‘{name}’, which every row needs."))
    if errors:
        raise FileRefused(errors)
    table = Table(columns=tuple(name for name in layout.columns if name in found))
    for number, item in enumerate(parsed, start=1):
        cells: dict[str, Cell] = {name: None for name in table.columns}
        for key, value in item.items():
            name = str(key).strip().lower()
            if isinstance(value, list | dict):
                table.problems.append(RowError(number, name, "give a single value here, not a list or an object."))
                value = None
            cells[name] = value
        table.rows.append(TableRow(number=number, cells=cells))
    if not table.rows:
        raise FileRefused([RowError(None, None, "The file has no rows of data.")])
    return table
