"""Measurement periods for metrics: weekly (starting Monday), monthly and quarterly (calendar
quarters starting January, April, July and October: `quarters.CalendarQuarter`, never the
financial quarters that prioritisation plans capacity in). A period is named by its first day."""

from __future__ import annotations

import datetime as dt
import re

from headway.lib.bounds import BoundsError, check_date
from headway.lib.errors import InputError
from headway.lib.quarters import CalendarQuarter, looks_like_calendar_quarter, parse_calendar_quarter
from headway.lib.weeks import week_label, week_start

WEEKLY, MONTHLY, QUARTERLY = "weekly", "monthly", "quarterly"


class PeriodError(InputError):
    """A period that cannot be read, with a message saying why."""


def period_start(day: dt.date, frequency: str) -> dt.date:
    if frequency == WEEKLY:
        return week_start(day)
    if frequency == MONTHLY:
        return day.replace(day=1)
    if frequency == QUARTERLY:
        return CalendarQuarter.containing(day).first_day
    raise PeriodError(f"Unknown frequency {frequency!r}.")


def next_period(start: dt.date, frequency: str) -> dt.date:
    if frequency == WEEKLY:
        return start + dt.timedelta(weeks=1)
    months = 1 if frequency == MONTHLY else 3
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def periods_between(first: dt.date, last: dt.date, frequency: str) -> list[dt.date]:
    """Every period start from the period of `first` to the period of `last`, inclusive."""
    current, end = period_start(first, frequency), period_start(last, frequency)
    out: list[dt.date] = []
    while current <= end:
        out.append(current)
        current = next_period(current, frequency)
    return out


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_period(text: str, frequency: str) -> dt.date:
    """Read a period written as a date (2026-03-02 or 02/03/2026), a month (2026-03) or a
    quarter (2026-Q1), and return the start of the period of the metric's frequency.

    A date inside a period is accepted and moved to the period's start; a month is refused for
    a weekly metric, and a quarter for anything but a quarterly one, because they are ambiguous.
    A period outside the window in `headway.lib.bounds` is refused.
    """
    return period_in_window(_parse_period(text, frequency), frequency)


def period_in_window(day: dt.date, frequency: str) -> dt.date:
    """The start of the period containing `day`, refused if `day` is outside the window in
    `headway.lib.bounds` (checked before moving it, so that no arithmetic runs off the calendar)."""
    try:
        check_date(day)
    except BoundsError as error:
        raise PeriodError(str(error)) from None
    return period_start(day, frequency)


def _parse_period(text: str, frequency: str) -> dt.date:
    """The day `text` names (the first day of a month or quarter), not yet moved or checked."""
    text = (text or "").strip()
    if not text:
        raise PeriodError("The period is empty.")
    if looks_like_calendar_quarter(text):
        if frequency != QUARTERLY:
            raise PeriodError(f"{text!r} is a quarter, but this metric is {frequency}.")
        try:
            return parse_calendar_quarter(text).first_day
        except (InputError, ValueError) as error:
            raise PeriodError(f"{text!r} is not a quarter: write it like 2026-Q1.") from error
    if match := _MONTH.match(text):
        if frequency == WEEKLY:
            raise PeriodError(f"{text!r} is a month, but this metric is weekly: give the week's date.")
        month = int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"{text!r} has no month {month}.")
        year = int(match[1])
        if year < 1:
            raise PeriodError(f"{text!r} has no year {year}.")
        return dt.date(year, month, 1)
    day: dt.date | None = None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        try:
            day = dt.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            day = None
    if day is None:
        raise PeriodError(
            f"{text!r} is not a period: write a date (2026-03-02 or 02/03/2026), a month (2026-03) "
            "or a quarter (2026-Q1)."
        )
    return day


def period_label(start: dt.date, frequency: str) -> str:
    if frequency == WEEKLY:
        return week_label(start)
    if frequency == MONTHLY:
        return f"{start:%b %Y}"
    return CalendarQuarter.containing(start).label
