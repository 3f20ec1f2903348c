import datetime as dt

from headway.lib.financial_years import financial_year_label, financial_year_start
from headway.lib.weeks import checkpoint_state, latest_complete_week, recent_weeks, week_start, weeks_between

THURSDAY = dt.date(2026, 11, 26)
MONDAY = dt.date(2026, 11, 23)


def test_a_week_starts_on_the_monday_that_contains_the_day():
    assert week_start(THURSDAY) == MONDAY
    assert week_start(MONDAY) == MONDAY
    assert week_start(dt.date(2026, 11, 29)) == MONDAY  # Sunday belongs to the same week


def test_the_latest_complete_week_is_last_week_whatever_the_day():
    assert latest_complete_week(THURSDAY) == dt.date(2026, 11, 16)
    assert latest_complete_week(MONDAY) == dt.date(2026, 11, 16)
    assert latest_complete_week(dt.date(2026, 11, 29)) == dt.date(2026, 11, 16)  # a Sunday


def test_weeks_between_counts_whole_reporting_weeks():
    assert weeks_between(MONDAY, THURSDAY) == 0
    assert weeks_between(dt.date(2026, 11, 16), THURSDAY) == 1
    assert weeks_between(dt.date(2026, 11, 9), THURSDAY) == 2


def test_recent_weeks_lists_mondays_oldest_first_ending_this_week():
    assert recent_weeks(THURSDAY, 3) == [dt.date(2026, 11, 9), dt.date(2026, 11, 16), MONDAY]


def test_a_checkpoint_this_week_is_up_to_date():
    assert checkpoint_state(MONDAY, None, THURSDAY) == "up_to_date"


def test_missing_only_this_weeks_checkpoint_is_due():
    assert checkpoint_state(dt.date(2026, 11, 16), None, THURSDAY) == "due"


def test_two_weeks_without_a_checkpoint_is_overdue():
    assert checkpoint_state(dt.date(2026, 11, 9), None, THURSDAY) == "overdue"


def test_a_new_initiative_is_due_then_overdue_counted_from_its_start():
    assert checkpoint_state(None, THURSDAY, THURSDAY) == "due"
    assert checkpoint_state(None, dt.date(2026, 11, 10), THURSDAY) == "overdue"
    assert checkpoint_state(None, None, THURSDAY) == "due"


def test_financial_years_run_april_to_march_and_are_written_with_a_slash():
    assert financial_year_start(dt.date(2026, 4, 1)) == 2026
    assert financial_year_start(dt.date(2026, 3, 31)) == 2025
    assert financial_year_label(dt.date(2027, 1, 15)) == "2026/27"
    assert financial_year_label(dt.date(2099, 6, 1)) == "2099/00"
