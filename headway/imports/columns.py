"""The columns of an import and how each cell is read: text, a choice, a date, a reporting week,
a person by email, a whole number, an amount in pounds, a financial year, yes or no.

A reader returns the value to store, or raises `CellError` with a message that reads on from
"Row 3, column sro:". Every bound comes from `headway.lib` (ADR 18), as the forms' do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headway.accounts.models import Organisation, User
from headway.lib import bounds
from headway.lib.errors import InputError
from headway.lib.financial_years import parse_financial_year, stored_financial_year, year_label
from headway.lib.money import parse_pounds
from headway.lib.tables import Cell, text_of
from headway.lib.weeks import parse_week


class CellError(Exception):
    """What is wrong with one cell, in words that follow "Row 3, column sro:"."""


@dataclass
class Lookups:
    """What the readers need to know about the organisation, loaded once for the whole file."""

    organisation: Organisation
    today: dt.date
    members: Mapping[str, User]  # by lower-case email
    decimal_comma: bool = False


Reader = Callable[[Cell, Lookups], Any]


@dataclass(frozen=True)
class Column:
    """One column of a kind of import: its name in the file's first row (lower case), whether
    every row must fill it, how a cell is read, an example for the template and what it means."""

    name: str
    help: str
    example: str
    read: Reader
    required: bool = False
    #: The model field it sets, where that differs from `name`.
    field: str = ""
    choices: Sequence[tuple[str, str]] = ()

    @property
    def target(self) -> str:
        return self.field or self.name


def lower_first(message: str) -> str:
    """A sentence placed after "Row 3, column week:" reads on from it."""
    if message[:1].isupper() and not message[:2].isupper() and not message.startswith("‘"):
        return message[:1].lower() + message[1:]
    return message


def text(limit: int = bounds.LONG_TEXT) -> Reader:
    def read(cell: Cell, lookups: Lookups) -> str:
        value = text_of(cell) if not isinstance(cell, dt.date) else cell.isoformat()
        try:
            return bounds.check_text(value, limit=limit)
        except bounds.BoundsError as error:
            raise CellError(lower_first(str(error))) from None

    return read


def choice(options: Sequence[tuple[str, str]]) -> Reader:
    """One of the options, given by its value (`amber_green`) or its label (`Amber/green`), in any case."""

    def read(cell: Cell, lookups: Lookups) -> str:
        given = text_of(cell).strip().lower()
        if given == "":
            return ""
        for value, label in options:
            if given in (value.lower(), label.lower(), value.lower().replace("_", " ")):
                return value
        listed = ", ".join(value for value, _ in options)
        raise CellError(f"‘{text_of(cell)}’ is not one of the choices: {listed}.")

    return read


def date(cell: Cell, lookups: Lookups) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        day = cell.date()
    elif isinstance(cell, dt.date):
        day = cell
    else:
        raw = text_of(cell)
        if raw == "":
            return None
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            try:
                day = dt.datetime.strptime(raw, "%d/%m/%Y").date()
            except ValueError:
                raise CellError(f"‘{raw}’ is not a date: write it like 2026-03-31 or 31/03/2026.") from None
    try:
        return bounds.check_date(day)
    except bounds.BoundsError as error:
        raise CellError(lower_first(str(error))) from None


def week(cell: Cell, lookups: Lookups) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    raw = cell.isoformat() if isinstance(cell, dt.date) else text_of(cell)
    if raw == "":
        return None
    try:
        return parse_week(raw)
    except InputError as error:
        raise CellError(str(error)) from None


def person(cell: Cell, lookups: Lookups) -> User | None:
    """A member of the organisation, by the email they sign in with. An unknown email is refused:
    an import never makes an account."""
    raw = text_of(cell).lower()
    if raw == "":
        return None
    found = lookups.members.get(raw)
    if found is None:
        raise CellError(
            f"no one with the email ‘{raw}’ is a member of {lookups.organisation.name}. "
            "Invite them first, or give the email of someone who is."
        )
    return found


def whole_number(minimum: int, maximum: int) -> Reader:
    def read(cell: Cell, lookups: Lookups) -> int | None:
        raw = text_of(cell)
        if raw == "":
            return None
        try:
            number = int(raw) if not isinstance(cell, float) or cell.is_integer() else None
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            raise CellError(f"give a whole number from {minimum} to {maximum}, not ‘{raw}’.")
        return number

    return read


def amount(cell: Cell, lookups: Lookups) -> int | None:
    if text_of(cell) == "":
        return None
    try:
        return parse_pounds(cell if isinstance(cell, int | float) else text_of(cell))
    except InputError as error:
        raise CellError(str(error)) from None


def financial_year(cell: Cell, lookups: Lookups) -> str:
    raw = text_of(cell)
    if raw == "":
        return ""
    try:
        return stored_financial_year(year_label(parse_financial_year(raw)))
    except InputError as error:
        raise CellError(str(error)) from None


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


def yes_no(cell: Cell, lookups: Lookups) -> bool:
    if isinstance(cell, bool):
        return cell
    raw = text_of(cell).lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(f"write yes or no, not ‘{text_of(cell)}’.")


def several(cell: Cell, lookups: Lookups) -> list[str]:
    """Several names in one cell, separated by semicolons (or one to a line)."""
    raw = text_of(cell).replace("\n", ";")
    return [part.strip() for part in raw.split(";") if part.strip()]


def shown(value: Any) -> str:
    """A stored or imported value as the preview shows it (old → new)."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, User):
        return value.email
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(sorted(str(v) for v in value)) or "(none)"
    return str(value)
