"""NHS financial years run from 1 April to 31 March and are written 2026/27.

A financial year is held as the calendar year it starts in (2026 for 2026/27) and shown as its
label. Every part of Headway reads, checks and writes years through this module, so there is one
accepted range and one way of writing them.
"""

from __future__ import annotations

import datetime as dt
import re

from headway.lib.errors import InputError

#: The financial years Headway accepts: those starting from 2000 to 2099 (2000/01 to 2099/00).
#: Outside them a year is almost certainly a typing slip, and far-off years break the date
#: arithmetic (there is no year 0) or make a forecast run for centuries.
FIRST_FINANCIAL_YEAR = 2000
LAST_FINANCIAL_YEAR = 2099

# 2026/27 is how years are written; 2026-27 and 2026/2027 are read too, as spreadsheets write them.
_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")


class FinancialYearError(InputError):
    pass


def financial_year_start(day: dt.date) -> int:
    """The calendar year in which the financial year containing `day` began."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(start: int) -> str:
    """ "2026/27" for the year starting in 2026."""
    return f"{start}/{(start + 1) % 100:02d}"


def financial_year_label(day: dt.date) -> str:
    """The label of the financial year containing `day`."""
    return year_label(financial_year_start(day))


def year_start(label: str) -> int:
    """2026 for "2026/27". The label must already be valid (see `parse_financial_year`)."""
    return int(label.strip()[:4])


def first_day(year: int | str) -> dt.date:
    """1 April of the year (given by its start or its label)."""
    start = year if isinstance(year, int) else year_start(year)
    return dt.date(start, 4, 1)


def last_day(year: int | str) -> dt.date:
    """31 March at the end of the year (given by its start or its label)."""
    start = year if isinstance(year, int) else year_start(year)
    return dt.date(start + 1, 3, 31)


def in_range(start: int) -> bool:
    return FIRST_FINANCIAL_YEAR <= start <= LAST_FINANCIAL_YEAR


def range_text() -> str:
    return f"{year_label(FIRST_FINANCIAL_YEAR)} to {year_label(LAST_FINANCIAL_YEAR)}"


def parse_financial_year(text: str) -> int:
    """The start year of a financial year written 2026/27 (or 2026-27, or 2026/2027).

    Refused, with a message that says why: anything else, a second part that does not follow the
    first (2026/28), and a year outside the accepted range."""
    raw = (text or "").strip()
    match = _YEAR.match(raw)
    if not match:
        raise FinancialYearError(
            f"‘{raw}’ is not a financial year: write it like 2026/27 (the year it starts, a slash, "
            "the next year's last two digits)."
        )
    start, end = int(match[1]), match[2]
    following = start + 1
    if (len(end) == 2 and int(end) != following % 100) or (len(end) == 4 and int(end) != following):
        raise FinancialYearError(f"‘{raw}’ is not a financial year: after {start} comes {following % 100:02d}.")
    if not in_range(start):
        raise FinancialYearError(
            f"‘{raw}’ is outside the years Headway accepts: give a financial year from {range_text()}."
        )
    return start


def normalise_financial_year(text: str) -> str:
    """The label, written the one way Headway stores it, of a year typed any accepted way."""
    return year_label(parse_financial_year(text))


def stored_financial_year(text: str) -> str:
    """A year as it is stored: valid by `parse_financial_year` and already written 2026/27 (the
    forms read the other spellings and store the label; what is stored is never another shape)."""
    raw = (text or "").strip()
    label = normalise_financial_year(raw)
    if label != raw:
        raise FinancialYearError(f"‘{raw}’ is not a financial year as stored: write it like {label}.")
    return label


def years_between(first: int, last: int) -> list[str]:
    """The labels from the year starting `first` to the year starting `last`, inclusive."""
    return [year_label(start) for start in range(first, last + 1)]
