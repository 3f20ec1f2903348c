import datetime as dt

import pytest

from headway.lib.periods import PeriodError, next_period, parse_period, period_label, period_start, periods_between


def test_periods_start_on_monday_the_first_of_the_month_or_the_quarter():
    day = dt.date(2026, 11, 26)
    assert period_start(day, "weekly") == dt.date(2026, 11, 23)
    assert period_start(day, "monthly") == dt.date(2026, 11, 1)
    assert period_start(day, "quarterly") == dt.date(2026, 10, 1)


def test_next_period_crosses_year_ends():
    assert next_period(dt.date(2026, 12, 1), "monthly") == dt.date(2027, 1, 1)
    assert next_period(dt.date(2026, 10, 1), "quarterly") == dt.date(2027, 1, 1)
    assert next_period(dt.date(2026, 12, 28), "weekly") == dt.date(2027, 1, 4)


def test_periods_between_lists_every_period_including_both_ends():
    assert periods_between(dt.date(2026, 1, 15), dt.date(2026, 4, 2), "monthly") == [
        dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)]


@pytest.mark.parametrize(
    ("text", "frequency", "expected"),
    [
        ("2026-03-04", "weekly", dt.date(2026, 3, 2)),
        ("04/03/2026", "monthly", dt.date(2026, 3, 1)),
        ("2026-03", "monthly", dt.date(2026, 3, 1)),
        ("2026-Q2", "quarterly", dt.date(2026, 4, 1)),
        ("2026q4", "quarterly", dt.date(2026, 10, 1)),
        ("2026-05", "quarterly", dt.date(2026, 4, 1)),
    ],
)
def test_periods_are_read_in_the_forms_people_write_them(text, frequency, expected):
    assert parse_period(text, frequency) == expected


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        ("", "monthly", "empty"),
        ("March 2026", "monthly", "is not a period"),
        ("2026-13", "monthly", "no month 13"),
        ("2026-03", "weekly", "is a month, but this metric is weekly"),
        ("2026-Q1", "monthly", "is a quarter"),
        ("31/02/2026", "monthly", "is not a period"),
    ],
)
def test_unreadable_periods_say_what_is_wrong(text, frequency, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text, frequency)


def test_labels_read_naturally():
    assert period_label(dt.date(2026, 3, 2), "weekly") == "w/c 2 Mar 2026"
    assert period_label(dt.date(2026, 3, 1), "monthly") == "Mar 2026"
    assert period_label(dt.date(2026, 4, 1), "quarterly") == "2026 Q2"
