"""The one rule for "is this metric better?" (headway.metrics.improvement): the rule itself
without a database, and every page that gives the answer, through its own code, with one."""

import datetime as dt

import pytest

from headway.finance import actions as finance_actions
from headway.finance import queries as finance_queries
from headway.metrics import actions as metric_actions
from headway.metrics import improvement, spc
from headway.metrics import queries as metric_queries
from headway.metrics.imports import ObservationRow
from headway.metrics.improvement import MIN_SPC_POINTS, assess
from headway.metrics.models import Verdict
from headway.portfolio.models import Initiative
from tests.factories import make_business_case, make_initiative, make_metric, make_organisation, make_person

FLAT = [50.0, 52.0, 49.0, 51.0, 50.0, 48.0, 52.0, 50.0, 51.0, 49.0, 50.0, 52.0, 48.0, 50.0]
# Long enough for SPC, and ending in a shift well above the old level.
SHIFTED = [*FLAT, 58.0, 59.0, 60.0, 58.0, 61.0, 59.0, 60.0, 62.0]


def months(count: int) -> list[dt.date]:
    return [dt.date(2025 + (m // 12), m % 12 + 1, 1) for m in range(count)]


def rows(metric_id: int, values: list[float], baseline: float | None, direction: str):
    return [
        (metric_id, period, value, baseline, direction)
        for period, value in zip(months(len(values)), values, strict=True)
    ]


def by_every_page(values: list[float], baseline: float | None, direction: str) -> dict[str, bool | None]:
    """The answer each page gives for one metric, from each page's own code: the data goes in
    through the actions, and each answer is read the way its page reads it, so a page that drifts
    from the one rule fails here."""
    organisation = make_organisation()
    owner = make_person(organisation)
    initiative = make_initiative(organisation)
    metric = make_metric(organisation, baseline_value=baseline, improvement_direction=direction)
    metric.initiatives.add(initiative)
    case = make_business_case(initiative)
    benefits = finance_actions.add_benefit_lines(
        case=case,
        by=None,
        kind="non_cash",
        description="Better care",
        owner=owner,
        amounts={"2026/27": 0},
        metric=metric,
    )
    dated = zip(months(len(values)), values, strict=True)
    metric_actions.import_observations(
        metric=metric,
        by=None,
        rows=[ObservationRow(n, period, value, None) for n, (period, value) in enumerate(dated, start=1)],
    )
    metric.refresh_from_db()
    points = sum(v is not None for v in values)
    [evidence] = finance_queries.metric_evidence(benefits, organisation)  # the money page
    assert evidence.better == metric_queries.improvements([metric])[metric.pk]  # the metrics pages
    result = spc.analyse(values, improvement_direction=direction)  # type: ignore[arg-type]
    flags = improvement.better_points(values, baseline, direction, special_cause=result.special_cause)
    data = finance_queries.load(Initiative.objects.filter(pk=initiative.pk))  # delivery shape's first benefit
    verdict = Verdict.objects.get(initiative=initiative).state  # the stored verdict every page reads
    return {
        "money page": evidence.better.better,
        "latest point by the rule": flags[-1],
        "first measured benefit found": bool(data.improved.get(initiative.pk)),
        "verdict improving": verdict == "improving" if points >= MIN_SPC_POINTS else None,
    }


@pytest.mark.django_db
def test_a_metric_with_a_special_cause_improvement_is_better_on_every_page():
    answers = by_every_page(SHIFTED, baseline=50, direction="increase")
    assert answers == {
        "money page": True,
        "latest point by the rule": True,
        "first measured benefit found": True,
        "verdict improving": True,
    }


@pytest.mark.django_db
def test_a_metric_above_its_baseline_by_ordinary_noise_is_better_on_no_page():
    # With enough points for SPC, three in a row above the baseline is not enough: the chart shows
    # that much movement by chance. (The old money page said "Better" here.)
    noisy = [*FLAT[:-3], 51.0, 52.0, 51.0]
    answers = by_every_page(noisy, baseline=49, direction="increase")
    assert improvement.better_than(noisy[-1], 49, "increase") is True
    assert answers == {
        "money page": False,
        "latest point by the rule": False,
        "first measured benefit found": False,
        "verdict improving": False,
    }


@pytest.mark.django_db
def test_a_short_series_falls_back_to_three_in_a_row_better_than_the_baseline():
    values = [48.0, 55.0, 47.0, 56.0, 57.0, 58.0]
    answers = by_every_page(values, baseline=50, direction="increase")
    assert answers["money page"] is True
    assert answers["latest point by the rule"] is True
    assert answers["first measured benefit found"] is True
    assert answers["verdict improving"] is None  # the verdict says "not enough data" instead


@pytest.mark.django_db
def test_a_short_series_with_only_two_good_points_is_not_better_yet():
    answers = by_every_page([48.0, 49.0, 56.0, 57.0], baseline=50, direction="increase")
    assert answers["money page"] is False
    assert answers["latest point by the rule"] is False
    assert answers["first measured benefit found"] is False


def test_lower_is_better_counts_points_below_the_baseline():
    assert assess(direction="decrease", baseline=10, point_count=3, variation_icon=None, latest_values=[9, 8, 7]) == (
        improvement.Assessment(True, "baseline")
    )


def test_with_no_direction_it_cannot_say_even_with_a_special_cause():
    answer = assess(direction="neutral", baseline=10, point_count=20, variation_icon="neutral_high")
    assert answer == improvement.Assessment(None, "no_direction")
    assert improvement.better_points([1.0, 2.0, 3.0, 4.0], 0, "neutral") == [False] * 4


def test_with_too_few_points_and_no_baseline_it_cannot_say():
    answer = assess(direction="increase", baseline=None, point_count=5, variation_icon=None, latest_values=[1, 2, 3])
    assert answer == improvement.Assessment(None, "no_baseline")


def test_with_enough_points_spc_decides_without_a_baseline():
    answer = assess(direction="increase", baseline=None, point_count=MIN_SPC_POINTS, variation_icon="improvement_high")
    assert answer == improvement.Assessment(True, "spc")


def test_every_run_start_is_reported_for_a_short_series():
    values = [60.0, 61.0, 62.0, 40.0, 55.0, 49.0, 55.0, 56.0, 58.0]
    starts = improvement.run_starts(improvement.better_points(values, 50, "increase"))
    assert starts == [0, 6]


def test_two_points_are_not_yet_a_run_and_three_are():
    assert improvement.run_starts(improvement.better_points([60.0, 61.0], 50, "increase")) == []
    assert improvement.run_starts(improvement.better_points([60.0, 61.0, 62.0], 50, "increase")) == [0]


def test_the_first_better_point_of_a_shift_is_where_the_chart_marks_it():
    result = spc.analyse(SHIFTED, improvement_direction="increase")
    first = improvement.first_better(SHIFTED, 50, "increase", special_cause=result.special_cause)
    assert first == result.special_cause.index("improvement")
    assert first is not None and first >= len(FLAT) - 1
