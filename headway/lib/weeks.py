"""Reporting weeks. A reporting week starts on Monday; a checkpoint belongs to one week."""

from __future__ import annotations

import datetime as dt

from headway.lib.bounds import BoundsError, check_date
from headway.lib.errors import InputError


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week that contains `day`."""
    return day - dt.timedelta(days=day.weekday())


def latest_complete_week(today: dt.date) -> dt.date:
    """The Monday of the last reporting week that has ended: last week, whatever day today is."""
    return week_start(today) - dt.timedelta(weeks=1)


def weeks_between(earlier: dt.date, later: dt.date) -> int:
    """Whole reporting weeks from the week of `earlier` to the week of `later` (0 if the same week)."""
    return (week_start(later) - week_start(earlier)).days // 7


def recent_weeks(today: dt.date, count: int) -> list[dt.date]:
    """The Mondays of the last `count` reporting weeks, oldest first, ending with this week."""
    this_week = week_start(today)
    return [this_week - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def checkpoint_state(last_week: dt.date | None, since: dt.date | None, today: dt.date) -> str:
    """Whether a weekly checkpoint is "up_to_date", "due" or "overdue".

    A checkpoint for this week means up to date. Missing only this week's means due. Two or
    more weeks without one (counted from the last checkpoint, or from `since` — when the
    initiative started — if there has never been one) means overdue.
    """
    reference = last_week if last_week is not None else since
    if reference is None:
        return "due"
    gap = weeks_between(reference, today)
    if last_week is not None and gap <= 0:
        return "up_to_date"
    if gap >= 2:
        return "overdue"
    return "due"


class WeekError(InputError):
    pass


def parse_week(text: str) -> dt.date:
    """The Monday that starts a reporting week, written 2026-11-30.

    A date that is not a Monday is refused rather than moved, so that a slip never lands on a
    different week's checkpoint; so is one outside the window in `headway.lib.bounds`."""
    raw = (text or "").strip()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise WeekError(f"‘{raw}’ is not a reporting week: give the Monday it starts, like 2026-11-30.") from None
    if day.weekday() != 0:
        raise WeekError(f"‘{raw}’ is a {day:%A}: a reporting week starts on a Monday ({week_start(day).isoformat()}).")
    try:
        return check_date(day)
    except BoundsError as error:
        raise WeekError(f"‘{raw}’ is not a reporting week Headway keeps. {error}") from None


def week_label(monday: dt.date) -> str:
    """ "w/c 30 Nov 2026" — the week commencing that Monday."""
    return f"w/c {monday.day} {monday:%b %Y}"
