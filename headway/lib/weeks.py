"""Reporting weeks. A reporting week starts on Monday; a checkpoint belongs to one week."""

from __future__ import annotations

import datetime as dt


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week that contains `day`."""
    return day - dt.timedelta(days=day.weekday())


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
