"""The shared vocabulary in headway/lib: financial years, quarters, weeks, money, percentages."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from headway.lib import financial_years as fy
from headway.lib.errors import InputError
from headway.lib.money import MoneyError, parse_pounds, pounds, short_pounds
from headway.lib.percentages import parse_percent, percent, points
from headway.lib.quarters import (
    CalendarQuarter,
    FinancialQuarter,
    QuarterError,
    parse_calendar_quarter,
    parse_financial_quarter,
    stored_financial_quarter,
)
from headway.lib.weeks import WeekError, parse_week, week_label


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("2026/27", 2026),
        (" 2026/27 ", 2026),
        ("2026-27", 2026),
        ("2026/2027", 2026),
        ("2099/00", 2099),
        ("2000/01", 2000),
    ],
)
def test_it_reads_a_financial_year_written_any_accepted_way(text: str, start: int) -> None:
    assert fy.parse_financial_year(text) == start
    assert fy.normalise_financial_year(text) == fy.year_label(start)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026/28", "after 2026 comes 27"),
        ("2026/2028", "after 2026 comes 27"),
        ("1999/00", "outside the years Headway accepts"),
        ("2100/01", "outside the years Headway accepts"),
        ("26/27", "write it like 2026/27"),
        ("", "write it like 2026/27"),
        ("2026", "write it like 2026/27"),
    ],
)
def test_it_refuses_a_financial_year_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(fy.FinancialYearError, match=says):
        fy.parse_financial_year(text)


def test_financial_years_run_from_april_to_march() -> None:
    assert fy.financial_year_start(dt.date(2027, 3, 31)) == 2026
    assert fy.financial_year_start(dt.date(2027, 4, 1)) == 2027
    assert fy.financial_year_label(dt.date(2026, 12, 4)) == "2026/27"
    assert fy.first_day("2026/27") == dt.date(2026, 4, 1)
    assert fy.last_day(2026) == dt.date(2027, 3, 31)
    assert fy.years_between(2026, 2028) == ["2026/27", "2027/28", "2028/29"]


def test_a_financial_quarter_one_is_april_to_june_and_a_calendar_quarter_one_is_january_to_march() -> None:
    financial = parse_financial_quarter("2026/27 Q1")
    calendar = parse_calendar_quarter("2026 Q1")
    assert financial.first_day == dt.date(2026, 4, 1)
    assert calendar.first_day == dt.date(2026, 1, 1)
    assert parse_financial_quarter("2026/27   q4").first_day == dt.date(2027, 1, 1)
    assert parse_calendar_quarter("2026-Q3").first_day == dt.date(2026, 7, 1)
    assert FinancialQuarter.containing(dt.date(2027, 2, 10)) == FinancialQuarter(2026, 4)
    assert CalendarQuarter.containing(dt.date(2027, 2, 10)) == CalendarQuarter(2027, 1)
    assert financial.label == "2026/27 Q1" and calendar.label == "2026 Q1"
    assert FinancialQuarter(2026, 4).next() == FinancialQuarter(2027, 1)
    assert FinancialQuarter(2026, 1).next() == FinancialQuarter(2026, 2)


@pytest.mark.parametrize("text", ["2026 Q1", "2026/27 Q5", "1999/00 Q1", "2026/28 Q2", "Q1"])
def test_a_financial_quarter_is_not_read_from_a_calendar_quarter_or_nonsense(text: str) -> None:
    with pytest.raises(QuarterError, match="is not a quarter"):
        parse_financial_quarter(text)


@pytest.mark.parametrize("text", ["2026/27 Q1", "2026 Q5", "Q1"])
def test_a_calendar_quarter_is_not_read_from_a_financial_quarter(text: str) -> None:
    with pytest.raises(QuarterError, match="is not a quarter"):
        parse_calendar_quarter(text)


def test_a_reporting_week_is_a_monday_and_nothing_else() -> None:
    assert parse_week("2026-11-30") == dt.date(2026, 11, 30)
    assert week_label(dt.date(2026, 11, 30)) == "w/c 30 Nov 2026"
    with pytest.raises(WeekError, match="is a Wednesday: a reporting week starts on a Monday \\(2026-11-30\\)"):
        parse_week("2026-12-02")
    with pytest.raises(WeekError, match="not a reporting week"):
        parse_week("not-a-week")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("£250,000", 250_000),
        ("250000", 250_000),
        (" £ 250,000 ", 250_000),
        ("1200.00", 1_200),
        ("£1,200", 1_200),
        ("1.2m", 1_200_000),
        ("£1.25M", 1_250_000),
        ("250k", 250_000),
        ("0", 0),
        (1200, 1_200),
        (1200.0, 1_200),
    ],
)
def test_it_reads_pounds_as_people_type_them_and_spreadsheets_write_them(text: str, amount: int) -> None:
    assert parse_pounds(text) == amount


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("-£5", "cannot be negative"),
        ("£-5", "cannot be negative"),
        (-5, "cannot be negative"),
        ("1200.50", "has pence"),
        ("1.2345678m", "has pence"),
        ("lots", "is not an amount in whole pounds"),
        ("1,2,3", "is not an amount in whole pounds"),
        ("", "is not an amount in whole pounds"),
        (math.inf, "is not an amount in whole pounds"),
        (True, "is not an amount in whole pounds"),
    ],
)
def test_it_refuses_an_amount_with_a_reason(text: object, says: str) -> None:
    with pytest.raises(MoneyError, match=says):
        parse_pounds(text)  # type: ignore[arg-type]


def test_it_shows_pounds_one_way() -> None:
    assert pounds(1234567) == "£1,234,567"
    assert pounds(-1234.4) == "-£1,234"
    assert pounds(None) == ""
    assert short_pounds(1_250_000) == "£1.2m"
    assert short_pounds(-2_000_000) == "-£2.0m"
    assert short_pounds(450_000) == "£450,000"


def test_it_reads_and_shows_percentages() -> None:
    assert parse_percent("72%") == 72.0
    assert parse_percent(" 72.5 % ") == 72.5
    assert parse_percent("72") == 72.0
    assert percent(0.725) == "72.5%"
    assert percent(0.7) == "70%"
    assert percent(None) == ""
    assert points(72.0) == "72%"
    for bad in ("seventy", "", "72%%", "nan"):
        with pytest.raises(InputError):
            parse_percent(bad)


def test_what_is_stored_is_written_one_way() -> None:
    assert fy.stored_financial_year("2026/27") == "2026/27"
    with pytest.raises(fy.FinancialYearError, match="as stored: write it like 2026/27"):
        fy.stored_financial_year("2026-27")
    with pytest.raises(fy.FinancialYearError, match="outside the years Headway accepts"):
        fy.stored_financial_year("1999/00")
    assert stored_financial_quarter("2026/27 Q3") == "2026/27 Q3"
    with pytest.raises(QuarterError, match="as stored: write it like 2026/27 Q3"):
        stored_financial_quarter("2026-27 q3")
