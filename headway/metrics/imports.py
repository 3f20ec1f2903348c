"""Reading a metric's observations from a CSV file or an Excel workbook.

The file has a first row naming its columns — `period`, `value` and, if wanted, `note`, in any
order and any case — and one row per period under it. Every row is checked before anything is
saved, and every problem is reported with the row and column a person would see in their
spreadsheet (the column names are row 1), so they can fix the whole file in one go. A file with
any problem is refused whole: `metrics.actions.import_observations` saves all of it or none.

No Django models here: the web upload, the `import_observations` command and the tests share it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from headway.lib.bounds import BoundsError, check_period
from headway.lib.periods import PeriodError, parse_period, period_in_window, period_label
from headway.lib.tables import (
    MAX_BYTES,
    MAX_ROWS,
    Cell,
    FileRefused,
    Layout,
    RowError,
    Table,
    read_table,
    text_of,
)
from headway.metrics.values import ValueTextError, read_value

__all__ = ["MAX_BYTES", "MAX_ROWS", "MAX_ROWS_READ", "FileRefused", "ObservationRow", "RowError", "read_observations"]

MAX_NOTE = 500
COLUMNS = ("period", "value", "note")
REQUIRED = ("period", "value")
# The file reading and its budgets (ADR 19) are shared with every other import: `headway.lib.tables`.
LAYOUT = Layout(columns=COLUMNS, required=REQUIRED)
MAX_ROWS_READ = LAYOUT.max_rows_read


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
    table = read_table(data, filename=filename, layout=LAYOUT)
    return _check(table, frequency, unit, today)


# Checking rows ---------------------------------------------------------------------------------


def number_of(cell: Cell, unit: str, decimal_comma: bool = False) -> float | str:
    """The cell as a finite number, or the message saying why it is not one (`values.read_value`:
    "72%" is read for a metric measured in %). With `decimal_comma`, "72,5" is 72.5."""
    if decimal_comma and isinstance(cell, str) and cell.count(",") == 1 and "." not in cell:
        cell = cell.replace(",", ".")
    try:
        return read_value(cell if isinstance(cell, bool | int | float) else text_of(cell), unit)
    except ValueTextError as error:
        return str(error)


def period_of(cell: Cell, frequency: str) -> dt.date | str:
    try:
        if isinstance(cell, dt.datetime):
            return period_in_window(cell.date(), frequency)
        if isinstance(cell, dt.date):
            return period_in_window(cell, frequency)
        return parse_period(text_of(cell), frequency)
    except PeriodError as error:
        return lower_first(str(error))


def lower_first(message: str) -> str:
    """A sentence placed after "Row 3, column period:" reads on from it."""
    return message[:1].lower() + message[1:] if message.startswith(("The ", "Give ")) else message


def _check(table: Table, frequency: str, unit: str, today: dt.date | None) -> list[ObservationRow]:
    errors: list[RowError] = []
    checked: list[ObservationRow] = []
    seen: dict[dt.date, int] = {}
    has_note = "note" in table.columns
    for row in table.rows:
        number = row.number
        before = len(errors)
        period = period_of(row.cells.get("period"), frequency)
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
        value = number_of(row.cells.get("value"), unit, table.decimal_comma)
        if isinstance(value, str):
            errors.append(RowError(number, "value", value))
        note: str | None = None
        if has_note:
            note = text_of(row.cells.get("note"))
            if len(note) > MAX_NOTE:
                errors.append(RowError(number, "note", f"the note is longer than {MAX_NOTE} characters."))
        if len(errors) == before and isinstance(period, dt.date) and isinstance(value, float):
            checked.append(ObservationRow(row=number, period=period, value=value, note=note))
    if today is not None:
        for observation in checked:
            try:
                check_period(observation.period, today=today)
            except BoundsError as error:
                errors.append(RowError(observation.row, "period", lower_first(str(error))))
    # A row's own problems come before those with its shape, as a person reads it left to right.
    errors = [*errors, *table.problems]
    if errors:
        errors.sort(key=lambda error: error.row or 0)
        raise FileRefused(errors)
    return checked
