"""NHS financial years run from 1 April to 31 March and are written 2026/27."""

from __future__ import annotations

import datetime as dt


def financial_year_start(day: dt.date) -> int:
    """The calendar year in which the financial year containing `day` began."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(day: dt.date) -> str:
    start = financial_year_start(day)
    return f"{start}/{(start + 1) % 100:02d}"
