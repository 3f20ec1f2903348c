"""Quarters, of two kinds that must never be confused.

- A **financial quarter** belongs to an NHS financial year: Q1 is April to June, Q4 January to
  March. Team capacity in prioritisation is planned in these. Written "2026/27 Q1".
- A **calendar quarter** is a quarter of a calendar year: Q1 is January to March. Quarterly
  metrics are measured in these, as published NHS statistics are. Written "2026 Q1" (and read
  from "2026-Q1" or "2026Q1").

Each has its own type and parser, and each label says which it is, so a "Q1" is never read as
the other kind.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from headway.lib.errors import InputError
from headway.lib.financial_years import FinancialYearError, financial_year_start, parse_financial_year, year_label


class QuarterError(InputError):
    pass


_FINANCIAL = re.compile(r"^(\d{4}\s*[/-]\s*(?:\d{2}|\d{4}))\s+Q([1-4])$", re.IGNORECASE)
_CALENDAR = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    """Quarter `number` (1 = April to June) of the financial year starting in `year`."""

    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{year_label(self.year)} Q{self.number}"

    @property
    def first_day(self) -> dt.date:
        month = 3 * (self.number - 1) + 4
        return dt.date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @classmethod
    def containing(cls, day: dt.date) -> FinancialQuarter:
        start = financial_year_start(day)
        return cls(start, ((day.month - 4) % 12) // 3 + 1)

    def next(self) -> FinancialQuarter:
        return FinancialQuarter(self.year, self.number + 1) if self.number < 4 else FinancialQuarter(self.year + 1, 1)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class CalendarQuarter:
    """Quarter `number` (1 = January to March) of calendar year `year`."""

    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * (self.number - 1) + 1, 1)

    @classmethod
    def containing(cls, day: dt.date) -> CalendarQuarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return self.label


FINANCIAL_QUARTER_HINT = "write it like 2026/27 Q1 (Q1 is April to June)"
CALENDAR_QUARTER_HINT = "write it like 2026 Q1 (Q1 is January to March)"


def parse_financial_quarter(text: str) -> FinancialQuarter:
    raw = " ".join((text or "").split())
    match = _FINANCIAL.match(raw)
    if not match:
        raise QuarterError(f"‘{raw}’ is not a quarter: {FINANCIAL_QUARTER_HINT}.")
    try:
        year = parse_financial_year(match[1])
    except FinancialYearError as error:
        raise QuarterError(f"‘{raw}’ is not a quarter: {error}") from error
    return FinancialQuarter(year, int(match[2]))


def normalise_financial_quarter(text: str) -> str:
    return parse_financial_quarter(text).label


def stored_financial_quarter(text: str) -> str:
    """A financial quarter as it is stored: valid and already written "2026/27 Q1"."""
    raw = " ".join((text or "").split())
    label = parse_financial_quarter(raw).label
    if label != raw:
        raise QuarterError(f"‘{raw}’ is not a quarter as stored: write it like {label}.")
    return label


def looks_like_calendar_quarter(text: str) -> bool:
    return bool(_CALENDAR.match((text or "").strip()))


def parse_calendar_quarter(text: str) -> CalendarQuarter:
    raw = (text or "").strip()
    match = _CALENDAR.match(raw)
    if not match:
        raise QuarterError(f"‘{raw}’ is not a quarter: {CALENDAR_QUARTER_HINT}.")
    return CalendarQuarter(int(match[1]), int(match[2]))
