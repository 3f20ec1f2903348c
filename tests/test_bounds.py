"""The one set of bounds (headway/lib/bounds.py) and the readers in headway/lib that apply it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from headway.lib import bounds
from headway.lib.money import MoneyError, parse_pounds
from headway.lib.periods import MONTHLY, QUARTERLY, WEEKLY, PeriodError, parse_period
from headway.lib.weeks import WeekError, parse_week
from headway.metrics.values import NotThisUnit, OutOfBounds, read_value

TODAY = dt.date(2026, 12, 2)


# Money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["£0", "0", "£10,000,000,000", "10bn", 10_000_000_000, Decimal("10000000000")])
def test_money_is_accepted_from_nothing_to_the_stated_maximum(text: object) -> None:
    assert 0 <= parse_pounds(text) <= bounds.MAX_POUNDS  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["£10,000,000,001", "10.1bn", "9" * 5000, "1" + "0" * 4300, 1e308, 10**400, Decimal("1e4000")],
)
def test_money_above_the_maximum_is_refused_with_the_maximum_named(text: object) -> None:
    with pytest.raises(MoneyError, match="at most £10,000,000,000"):
        parse_pounds(text)  # type: ignore[arg-type]


def test_money_below_nothing_is_refused() -> None:
    with pytest.raises(bounds.BoundsError, match="cannot be negative"):
        bounds.check_pounds(-1)


# Whole numbers and measures ------------------------------------------------------------------


def test_a_whole_number_is_within_what_the_database_holds() -> None:
    assert bounds.check_whole_number(2_147_483_647) == 2_147_483_647
    with pytest.raises(bounds.BoundsError, match="from 0 to 2,147,483,647"):
        bounds.check_whole_number(2_147_483_648)
    with pytest.raises(bounds.BoundsError, match="from 1 to 10"):
        bounds.check_whole_number(0, minimum=1, maximum=10)


@pytest.mark.parametrize("value", [1e308, -1e13, float("inf"), float("nan")])
def test_a_measure_must_be_finite_and_of_a_chartable_size(value: float) -> None:
    with pytest.raises(bounds.BoundsError):
        bounds.check_measure(value)


@pytest.mark.parametrize("cell", ["1e308", 1e308, "1,000,000,000,001", -1e13])
def test_a_metric_value_too_large_to_chart_is_refused_by_the_one_reader(cell: object) -> None:
    with pytest.raises(OutOfBounds, match="at most 1,000,000,000,000"):
        read_value(cell, "patients")


def test_the_largest_allowed_measure_is_read() -> None:
    assert read_value("1,000,000,000,000", "£") == 1e12
    assert read_value("-1e12", "change") == -1e12


# Percentages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "value"), [("72%", 72.0), ("72", 72.0), ("0%", 0.0), ("100 %", 100.0), (0.5, 0.5)])
def test_a_share_is_read_from_0_to_100_including_as_excel_writes_it(cell: object, value: float) -> None:
    assert read_value(cell, "%") == value


@pytest.mark.parametrize("cell", ["150%", "250%", "-5%", "101", -0.1])
def test_a_share_outside_0_to_100_is_refused_with_the_way_to_record_a_change(cell: object) -> None:
    with pytest.raises(OutOfBounds, match="% change"):
        read_value(cell, "%")


def test_a_metric_with_another_unit_can_go_beyond_100_but_not_take_a_percent_sign() -> None:
    assert read_value("150", "% change") == 150.0
    assert read_value("-5", "% change") == -5.0
    with pytest.raises(NotThisUnit):
        read_value("150%", "% change")


# Dates, periods and weeks --------------------------------------------------------------------


@pytest.mark.parametrize("day", [bounds.FIRST_DATE, bounds.LAST_DATE, TODAY])
def test_a_date_inside_the_window_is_accepted(day: dt.date) -> None:
    assert bounds.check_date(day) == day


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(2100, 1, 1), dt.date(9999, 12, 31)])
def test_a_date_outside_the_window_is_refused_with_the_window_named(day: dt.date) -> None:
    with pytest.raises(bounds.BoundsError, match="from 1 January 2000 to 31 December 2099"):
        bounds.check_date(day)


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("0001-01-01", WEEKLY),
        ("9999-12-31", WEEKLY),
        ("9999-12", MONTHLY),
        ("0000-01", MONTHLY),
        ("0001-Q1", QUARTERLY),
        ("0000-Q1", QUARTERLY),
        ("31/12/9999", MONTHLY),
    ],
)
def test_a_period_outside_the_window_is_refused_not_moved(text: str, frequency: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text, frequency)


def test_the_first_period_in_the_window_is_read() -> None:
    assert parse_period("2000-01-03", WEEKLY) == dt.date(2000, 1, 3)
    assert parse_period("2099-Q4", QUARTERLY) == dt.date(2099, 10, 1)


def test_a_period_that_has_not_started_has_not_been_measured() -> None:
    assert bounds.check_period(dt.date(2026, 11, 30), today=TODAY) == dt.date(2026, 11, 30)
    with pytest.raises(bounds.BoundsError, match="has not started yet"):
        bounds.check_period(dt.date(2026, 12, 7), today=TODAY)


@pytest.mark.parametrize("text", ["not-a-week", "", "0001-01-01", "2100-01-04", "2026-12-01"])
def test_a_checkpoint_week_must_be_a_reporting_week_headway_keeps(text: str) -> None:
    with pytest.raises(WeekError):
        parse_week(text)


# Text and reasons ----------------------------------------------------------------------------


def test_text_is_bounded_with_its_length_given() -> None:
    assert bounds.check_text("a" * bounds.LONG_TEXT) == "a" * bounds.LONG_TEXT
    with pytest.raises(bounds.BoundsError, match="10,000 characters or fewer: it has 100,000"):
        bounds.check_text("a" * 100_000)


@pytest.mark.parametrize(
    "text",
    [
        "Usage fell",
        "No longer needed",
        "Four weeks of usage data.",
        "Supplier letter of 18 April.",
        "Évaluation négative",
        "患者 满意度",
    ],
)
def test_a_reason_in_real_words_is_accepted(text: str) -> None:
    assert bounds.check_reason(text) == text


@pytest.mark.parametrize("text", ["x", "x x x", "tbc", "TBC tbc", "Research", "asdf", "zzz qqq", "ok ok ok", "12 34"])
def test_a_reason_that_says_nothing_a_board_can_read_is_refused(text: str) -> None:
    with pytest.raises(bounds.BoundsError, match="words a board member could read later"):
        bounds.check_reason(text, what="the reason")


@pytest.mark.parametrize(
    "text",
    ["", "tbc TBC x", "Usage fell usage FELL", "Four weeks of usage data from the ward, then a letter", "患者 满意度"],
)
def test_real_words_are_counted_as_listed_and_the_count_stops_where_asked(text: str) -> None:
    words = bounds.real_words(text)
    assert bounds.count_real_words(text) == len(words)
    for up_to in range(0, 5):
        assert bounds.count_real_words(text, up_to=up_to) == min(up_to, len(words))


@pytest.mark.parametrize(("text", "ok"), [("x", False), ("", False), ("CEO", True), ("Digital Board", True)])
def test_who_decided_is_a_name(text: str, ok: bool) -> None:
    if ok:
        assert bounds.check_name(text) == text
    else:
        with pytest.raises(bounds.BoundsError, match="name of the person or group"):
            bounds.check_name(text)
