"""Forecasting (headway.finance.forecast): discounting, HM Treasury's optimism-bias worked examples,
reference-class forecasts, delivery shape and the portfolio Monte Carlo, including its calibration
to Flyvbjerg and Budzier (2011)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from headway.finance.forecast import (
    GREEN_BOOK_RATE,
    MIN_REFERENCE_CLASS,
    OverrunModel,
    PlannedItem,
    adjust,
    appraise,
    combined_upper_bound,
    delivery_shape,
    discount_factors,
    npv,
    overrun_ratios,
    reference_class_forecast,
    resultant_bias,
    simulate_portfolio,
    year_rate,
)

# A model with no uncertainty at all: every trial is the plan.
CERTAIN = OverrunModel(
    black_swan_share=0,
    cost_mean_overrun=0,
    cost_spread=0,
    schedule_mean_overrun=0,
    schedule_spread=0,
    benefit_mean_shortfall=0,
    benefit_spread=0,
)


def portfolio(n: int, *, seed: int = 7, groups: int = 10) -> list[PlannedItem]:
    """n initiatives of varied size and timing over five years; two in three share a group."""
    rng = np.random.default_rng(seed)
    items = []
    for i in range(n):
        size = float(np.exp(rng.normal(0, 0.8)) * 250_000)
        start = float(rng.integers(0, 24))
        months = float(rng.integers(3, 36))
        cost = [0.0] * 5
        for month in range(int(start), int(start + months)):
            if month < 60:
                cost[month // 12] += size / months
        benefits = [0.0] * 5
        for year in range(int((start + months) // 12) + 1, 5):
            benefits[year] = 0.6 * size
        group = f"supplier {i % groups}" if i % 3 else ""
        items.append(PlannedItem(f"item {i}", cost, benefits, start + months, start, group))
    return items


# --------------------------------------------------------------------------- discounting


def test_the_green_book_rate_is_three_and_a_half_per_cent_real():
    assert GREEN_BOOK_RATE == 0.035


def test_year_zero_is_not_discounted_and_year_t_is_divided_by_one_plus_the_rate_to_the_t():
    assert npv([250.0]) == 250.0
    # 103.5 a year from now and 1.035² × 100 two years from now are each worth 100 today.
    assert npv([100.0, 103.5, 100 * 1.035**2]) == pytest.approx(300.0)
    assert npv([0.0, 0.0, 121.0], rate=0.10) == pytest.approx(100.0)


def test_after_year_30_the_green_book_long_term_rates_apply():
    # HM Treasury, The Green Book (2022), annex A6: 3.5% to year 30, 3.0% for years 31-75, 2.5% for 76-125.
    factors = discount_factors(126)
    assert factors[30] == pytest.approx(1 / 1.035**30)
    assert factors[30] == pytest.approx(0.3563, abs=5e-5)  # the Green Book's own table, to 4 places
    assert factors[31] == pytest.approx(1 / (1.035**30 * 1.03))
    assert factors[31] == pytest.approx(0.3459, abs=5e-5)
    assert factors[75] == pytest.approx(1 / (1.035**30 * 1.03**45))
    assert factors[76] == pytest.approx(1 / (1.035**30 * 1.03**45 * 1.025))
    assert factors[125] == pytest.approx(1 / (1.035**30 * 1.03**45 * 1.025**50))
    assert [year_rate(t) for t in (1, 30, 31, 75, 76, 125, 126, 201, 301)] == pytest.approx(
        [0.035, 0.035, 0.03, 0.03, 0.025, 0.025, 0.02, 0.015, 0.01]
    )
    flows = [0.0] * 40 + [1000.0]
    assert npv(flows) == pytest.approx(1000 / (1.035**30 * 1.03**10))
    # The Green Book's health rate (1.5%) falls by the same shares: 1.29% and 1.07% (its table 9).
    assert year_rate(31, 0.015) == pytest.approx(0.01286, abs=1e-5)
    assert year_rate(76, 0.015) == pytest.approx(0.01071, abs=1e-5)


def test_an_appraisal_nets_discounted_benefits_against_discounted_costs_of_different_lengths():
    appraisal = appraise([100.0], [0.0, 103.5, 100 * 1.035**2])
    assert appraisal.pv_costs == pytest.approx(100.0)
    assert appraisal.pv_benefits == pytest.approx(200.0)
    assert appraisal.npv == pytest.approx(100.0)
    assert appraisal.bcr == pytest.approx(2.0)


def test_an_appraisal_without_costs_has_no_benefit_cost_ratio():
    assert appraise([], [50.0]).bcr is None
    assert appraise([0.0, 0.0], [50.0]).npv == 50.0


@pytest.mark.parametrize(("flows", "rate"), [([1.0, math.nan], 0.035), ([1.0, math.inf], 0.035), ([1.0], -1.0)])
def test_discounting_refuses_flows_or_rates_that_are_not_numbers_it_can_use(flows, rate):
    with pytest.raises(ValueError, match=r"flows\[1\]|rate"):
        npv(flows, rate)


# --------------------------------------------------------------------------- optimism bias (HMT worked examples)
# HM Treasury, Supplementary Green Book Guidance: Optimism Bias (2003), sections 2.4 and 4.


def test_hmt_combined_building_capital_cost_upper_bound_is_32_1_per_cent():
    # 30% non-standard building (upper bound 51%) and 70% standard building (24%).
    assert combined_upper_bound([(0.3, 0.51), (0.7, 0.24)]) == pytest.approx(0.321)


def test_hmt_combined_building_works_duration_upper_bound_is_14_5_per_cent():
    # 30% non-standard building (39%) and 70% standard building (4%).
    assert combined_upper_bound([(0.3, 0.39), (0.7, 0.04)]) == pytest.approx(0.145)


NON_STANDARD_DURATION_FACTORS = [
    (0.05, 1.0),  # poor contractor capabilities
    (0.02, 1.0),  # design complexity
    (0.22, 0.4),  # inadequacy of the business case
    (0.05, 1.0),  # poor project intelligence
    (0.03, 1.0),  # site characteristics
]


def test_hmt_non_standard_building_duration_of_28_months_becomes_36_3_after_managing_risks():
    bias = resultant_bias(0.39, NON_STANDARD_DURATION_FACTORS)
    assert 1 - bias / 0.39 == pytest.approx(0.238)  # the managed share of the bias
    assert round(bias, 3) == 0.297
    assert round(adjust(28, bias), 1) == 36.3


def test_hmt_non_standard_building_duration_unmitigated_is_38_9_months():
    assert resultant_bias(0.39, []) == pytest.approx(0.39)
    assert round(adjust(28, resultant_bias(0.39, [])), 1) == 38.9


def test_hmt_contract_award_example_a_92_per_cent_reduction_of_51_per_cent_leaves_4_per_cent():
    bias = resultant_bias(0.51, [(0.92, 1.0)], lower=0.04)
    assert bias == pytest.approx(0.04, abs=0.001)
    assert adjust(100_000_000, 0.04) == pytest.approx(104_000_000)
    assert adjust(100_000_000, bias) == pytest.approx(104_000_000, abs=100_000)


def test_the_lower_bound_stops_claimed_mitigation_going_below_what_contract_award_reaches():
    everything_managed = [(1.0, 1.0)]
    assert resultant_bias(0.51, everything_managed) == 0.0
    assert resultant_bias(0.51, everything_managed, lower=0.04) == 0.04
    # Above the lower bound, the lower bound changes nothing.
    assert resultant_bias(0.39, NON_STANDARD_DURATION_FACTORS, lower=0.02) == resultant_bias(
        0.39, NON_STANDARD_DURATION_FACTORS
    )


def test_contributions_rounded_in_the_published_tables_may_add_up_to_a_little_over_100_per_cent():
    assert resultant_bias(2.0, [(0.51, 1.0), (0.52, 0.0)]) == pytest.approx(2.0 * 0.49)


@pytest.mark.parametrize(
    ("factors", "lower", "message"),
    [
        ([(0.2, 1.5)], None, "mitigation"),
        ([(0.2, -0.1)], None, "mitigation"),
        ([(-0.2, 1.0)], None, "contribution"),
        ([(0.7, 1.0), (0.6, 0.0)], None, "add up to 130%"),
        ([(0.2, math.nan)], None, "finite"),
        ([(0.2,)], None, "pair"),
        ([(0.2, 1.0)], 0.6, "lower bound"),
    ],
)
def test_resultant_bias_says_which_input_is_wrong(factors, lower, message):
    with pytest.raises(ValueError, match=message):
        resultant_bias(0.51, factors, lower=lower)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([(0.3, 0.51), (0.6, 0.24)], "add up to 1"),
        ([(0.3, 0.51), (0.7000001, 0.24)], "add up to 1"),
        ([(1.2, 0.51), (-0.2, 0.24)], "between 0 and 1"),
        ([(1.0, -0.1)], "negative"),
        ([], "at least one part"),
    ],
)
def test_combined_upper_bound_refuses_shares_that_do_not_make_a_whole(parts, message):
    with pytest.raises(ValueError, match=message):
        combined_upper_bound(parts)


# --------------------------------------------------------------------------- reference classes


def test_a_reference_class_gives_p50_and_p80_from_the_interpolated_percentiles_of_past_ratios():
    ratios = [1.3, 0.9, 3.0, 1.1, 1.0, 2.0, 1.2, 1.5]
    forecast = reference_class_forecast(100.0, ratios, fallback_bias=2.0)
    # Sorted: 0.9 1.0 1.1 1.2 1.3 1.5 2.0 3.0. The 50th percentile sits halfway between the 4th and
    # 5th (1.25); the 80th 0.6 of the way from the 6th to the 7th (1.5 + 0.6 × 0.5 = 1.8).
    assert forecast.p50 == pytest.approx(125.0)
    assert forecast.p80 == pytest.approx(180.0)
    assert forecast.n == 8
    assert not forecast.fallback
    assert "8 finished initiatives" in forecast.explanation
    assert "1.25×" in forecast.explanation and "1.80×" in forecast.explanation


def test_the_reference_class_sentence_counts_the_share_at_or_below_each_ratio():
    # The 80th percentile of 8 ratios has 6 of them at or below it, not "four in five".
    forecast = reference_class_forecast(100.0, [1.3, 0.9, 3.0, 1.1, 1.0, 2.0, 1.2, 1.5], fallback_bias=2.0)
    assert forecast.explanation.startswith(
        "Based on 8 finished initiatives of ours: 4 of the 8 ended at or below 1.25× what they planned, "
        "and 6 of the 8 at or below 1.80×."
    )
    assert "four in five" not in forecast.explanation and "half" not in forecast.explanation
    # With 5, the median is the 3rd, and the 4th ties with it: 4 of the 5 are at or below it.
    odd = reference_class_forecast(100.0, [1.0, 1.2, 1.4, 1.4, 2.0], fallback_bias=2.0)
    assert "4 of the 5 ended at or below 1.40×" in odd.explanation
    assert "4 of the 5 at or below 1.52×" in odd.explanation


def test_with_too_few_finished_initiatives_the_green_book_adjustment_is_used_and_no_range_given():
    forecast = reference_class_forecast(28.0, [1.1, 1.6, 0.9], fallback_bias=0.54)
    assert forecast.fallback
    assert forecast.p50 == forecast.p80 == pytest.approx(28 * 1.54)
    assert forecast.n == 3
    assert "Only 3 finished initiatives" in forecast.explanation
    assert f"{MIN_REFERENCE_CLASS} needed" in forecast.explanation
    assert "Green Book" in forecast.explanation and "54%" in forecast.explanation


def test_the_minimum_reference_class_is_enough_and_one_fewer_is_not():
    ratios = [1.0, 1.1, 1.2, 1.3, 1.4]
    assert not reference_class_forecast(10.0, ratios, fallback_bias=0.5).fallback
    assert reference_class_forecast(10.0, ratios[:4], fallback_bias=0.5).fallback
    assert "No finished initiatives" in reference_class_forecast(10.0, [], fallback_bias=0.5).explanation


@pytest.mark.parametrize("bad", [0.0, -1.2, math.nan, math.inf])
def test_a_reference_class_refuses_ratios_that_cannot_be_actual_over_planned(bad):
    with pytest.raises(ValueError, match=r"ratios\[2\]"):
        reference_class_forecast(100.0, [1.0, 1.2, bad, 1.1, 1.3], fallback_bias=0.5)


# --------------------------------------------------------------------------- delivery shape

TODAY = dt.date(2026, 6, 1)


def weeks_ago(weeks: int) -> dt.date:
    return TODAY - dt.timedelta(weeks=weeks)


def test_nothing_is_flagged_without_a_start_date():
    shape = delivery_shape(None, None, dt.date(2030, 1, 1), None, TODAY)
    assert shape == delivery_shape(None, None, None, None, TODAY)
    assert not shape.no_early_release and not shape.value_only_at_end and shape.flags == ()


def test_work_with_nothing_in_users_hands_after_twelve_weeks_is_flagged():
    shape = delivery_shape(weeks_ago(20), None, None, None, TODAY)
    assert shape.no_early_release
    assert shape.weeks_to_first_release is None
    assert shape.flags == (
        "Nothing has reached real users in the 20 weeks since work started; something usable should be in "
        "users' hands within 12 weeks.",
    )


def test_work_younger_than_twelve_weeks_is_not_yet_flagged():
    assert not delivery_shape(weeks_ago(8), None, None, None, TODAY).no_early_release
    assert not delivery_shape(weeks_ago(12), None, None, None, TODAY).no_early_release


def test_a_release_within_twelve_weeks_is_fine_and_a_later_one_is_flagged():
    start = weeks_ago(30)
    early = delivery_shape(start, start + dt.timedelta(weeks=10), None, None, TODAY)
    assert early.weeks_to_first_release == 10
    assert not early.no_early_release and early.flags == ()
    on_the_day = delivery_shape(start, start + dt.timedelta(weeks=12), None, None, TODAY)
    assert not on_the_day.no_early_release
    late = delivery_shape(start, start + dt.timedelta(weeks=15), None, None, TODAY)
    assert late.no_early_release
    assert "15 weeks" in late.flags[0]


def test_the_release_window_can_be_set_by_the_organisation():
    start = weeks_ago(10)
    assert delivery_shape(start, None, None, None, TODAY, release_weeks=6).no_early_release
    assert "within 6 weeks" in delivery_shape(start, None, None, None, TODAY, release_weeks=6).flags[0]


def test_weeks_to_first_benefit_are_counted_from_the_start():
    start = weeks_ago(40)
    shape = delivery_shape(start, start + dt.timedelta(weeks=6), None, start + dt.timedelta(weeks=26), TODAY)
    assert shape.weeks_to_first_benefit == 26


def test_release_and_benefit_dates_after_today_have_not_happened_yet():
    shape = delivery_shape(weeks_ago(20), TODAY + dt.timedelta(days=1), None, TODAY + dt.timedelta(days=5), TODAY)
    assert shape.weeks_to_first_release is None and shape.weeks_to_first_benefit is None
    assert shape.no_early_release


def test_a_go_live_more_than_a_year_out_with_nothing_released_before_it_is_a_big_bang():
    start = dt.date(2026, 1, 5)
    go_live = dt.date(2027, 7, 1)
    shape = delivery_shape(start, None, go_live, None, dt.date(2026, 2, 1))
    assert shape.value_only_at_end
    assert not shape.no_early_release
    assert shape.flags == (
        "All the value is planned to arrive at the end: go-live is about 18 months after the start, with nothing "
        "released to real users before it.",
    )
    # A release before go-live breaks up the big bang; a "release" on go-live day does not.
    assert not delivery_shape(start, dt.date(2026, 3, 1), go_live, None, dt.date(2026, 4, 1)).value_only_at_end
    assert delivery_shape(start, go_live, go_live, None, dt.date(2027, 8, 1)).value_only_at_end


def test_a_go_live_twelve_months_after_the_start_is_not_a_big_bang():
    start = dt.date(2026, 1, 31)
    assert not delivery_shape(start, None, dt.date(2027, 1, 31), None, start).value_only_at_end
    assert delivery_shape(start, None, dt.date(2027, 2, 1), None, start).value_only_at_end


def test_a_big_bang_plan_is_flagged_before_work_starts_but_slow_release_is_not():
    shape = delivery_shape(TODAY + dt.timedelta(weeks=4), None, dt.date(2028, 6, 1), None, TODAY)
    assert shape.value_only_at_end and not shape.no_early_release and len(shape.flags) == 1


def test_a_plan_with_a_first_release_before_go_live_is_not_a_big_bang_before_work_starts():
    start, go_live = TODAY + dt.timedelta(weeks=4), dt.date(2028, 6, 1)
    planned = delivery_shape(start, None, go_live, None, TODAY, planned_first_release=start + dt.timedelta(weeks=10))
    assert not planned.value_only_at_end and planned.flags == ()
    # A planned first release on go-live day breaks nothing up.
    assert delivery_shape(start, None, go_live, None, TODAY, planned_first_release=go_live).value_only_at_end


def test_once_work_has_started_a_planned_first_release_counts_only_until_its_date_passes():
    start, go_live = dt.date(2026, 1, 5), dt.date(2027, 7, 1)
    plan = {"planned_first_release": dt.date(2026, 4, 1)}
    assert not delivery_shape(start, None, go_live, None, dt.date(2026, 2, 1), **plan).value_only_at_end
    overdue = delivery_shape(start, None, go_live, None, dt.date(2026, 6, 1), **plan)
    assert overdue.value_only_at_end and overdue.no_early_release


# --------------------------------------------------------------------------- Monte Carlo: calibration


def test_the_default_model_matches_flyvbjerg_and_budziers_it_overruns():
    # Flyvbjerg and Budzier (2011): mean IT cost overrun 27%; one project in six a black swan with an
    # average cost overrun of about 200% and a schedule overrun of almost 70%.
    model = OverrunModel()
    scores = np.random.default_rng(2011).standard_normal(1_000_000)
    cost, schedule, _ = overrun_ratios(scores, model)
    assert cost.mean() - 1 == pytest.approx(0.27, abs=0.01)
    assert (cost > 2).mean() == pytest.approx(1 / 6, abs=0.005)
    swans = scores > model.swan_threshold
    assert swans.mean() == pytest.approx(1 / 6, abs=0.005)
    assert cost[swans].mean() - 1 == pytest.approx(2.0, abs=0.1)
    assert schedule[swans].mean() - 1 == pytest.approx(0.70, abs=0.03)
    # Budzier and Flyvbjerg (2011): about 8 projects in 10 miss their cost estimate by more than 10%.
    assert 0.7 < (np.abs(cost - 1) > 0.1).mean() < 0.85
    # Fat-tailed: the median project is close to plan while the mean is well above it.
    assert abs(np.median(cost) - 1) < 0.05


def test_simulating_one_item_reproduces_the_calibration():
    item = PlannedItem("EPR", [600_000.0, 400_000.0], [], planned_months=20)
    forecast = simulate_portfolio([item], trials=200_000, seed=11)
    ratio = forecast.total_cost_samples / 1_000_000
    assert ratio.mean() - 1 == pytest.approx(0.27, abs=0.02)
    assert (ratio > 2).mean() == pytest.approx(1 / 6, abs=0.01)
    assert forecast.mean_total_cost == pytest.approx(ratio.mean() * 1_000_000)


def test_benefits_fall_short_of_plan_by_the_model_mean_and_black_swans_by_56_per_cent():
    model = OverrunModel()
    scores = np.random.default_rng(3).standard_normal(1_000_000)
    _, _, benefit = overrun_ratios(scores, model)
    assert 1 - benefit.mean() == pytest.approx(model.benefit_mean_shortfall, abs=0.005)
    assert 1 - benefit[scores > model.swan_threshold].mean() == pytest.approx(0.56)


def test_finishing_months_are_the_exact_percentiles_of_the_schedule_model():
    model = OverrunModel()
    _, schedule, _ = overrun_ratios(np.random.default_rng(5).standard_normal(1_000_000), model)
    item = PlannedItem("PACS", [1.0], [], planned_months=30, start_month=6)
    forecast = simulate_portfolio([item], trials=10, model=model)
    for q, months in forecast.completion_months["PACS"].items():
        # Finish = planned finish + duration × (schedule ratio − 1), duration 24 months.
        assert months == pytest.approx(30 + 24 * (np.percentile(schedule, q) - 1), abs=0.1)
    assert forecast.planned_completion_months == {"PACS": 30.0}


# --------------------------------------------------------------------------- Monte Carlo: behaviour


def test_the_same_seed_gives_the_same_forecast_and_another_seed_a_different_one():
    items = portfolio(50)
    first = simulate_portfolio(items, trials=500, seed=4)
    again = simulate_portfolio(items, trials=500, seed=4)
    other = simulate_portfolio(items, trials=500, seed=5)
    assert np.array_equal(first.total_cost_samples, again.total_cost_samples)
    assert first.cost_by_year == again.cost_by_year and first.benefits_by_year == again.benefits_by_year
    assert not np.array_equal(first.total_cost_samples, other.total_cost_samples)
    assert first.total_cost != other.total_cost


def test_percentiles_are_in_order_every_year_and_in_total():
    forecast = simulate_portfolio(portfolio(200), trials=2_000, seed=1)
    assert forecast.percentiles == (10, 50, 80, 90)
    for bands in (forecast.cost_by_year, forecast.benefits_by_year):
        for year in range(forecast.years):
            values = [bands[q][year] for q in forecast.percentiles]
            assert values == sorted(values)
    totals = [forecast.total_cost[q] for q in forecast.percentiles]
    assert totals == sorted(totals)
    assert np.percentile(forecast.total_cost_samples, 80) == pytest.approx(forecast.total_cost[80])
    for months in forecast.completion_months.values():
        assert list(months.values()) == sorted(months.values())


def test_with_no_uncertainty_every_percentile_is_the_plan():
    items = portfolio(40)
    forecast = simulate_portfolio(items, trials=200, seed=3, model=CERTAIN)
    for q in forecast.percentiles:
        assert forecast.cost_by_year[q] == pytest.approx(forecast.planned_cost_by_year, rel=1e-9, abs=1e-6)
        assert forecast.benefits_by_year[q] == pytest.approx(forecast.planned_benefits_by_year, rel=1e-9, abs=1e-6)
        assert forecast.total_cost[q] == pytest.approx(forecast.planned_total_cost)
        for item in items:
            assert forecast.completion_months[item.key][q] == pytest.approx(item.planned_months)
    assert forecast.planned_total_cost == pytest.approx(sum(sum(item.cost_by_year) for item in items))
    assert forecast.planned_cost_by_year[:5] == pytest.approx([sum(i.cost_by_year[y] for i in items) for y in range(5)])
    assert forecast.years == 5 + OverrunModel().extra_years


def test_a_slip_stretches_delivery_and_moves_later_benefits_by_the_same_months():
    # Every item exactly 50% late and on budget: a 12-month delivery from the forecast's start takes 18.
    late = OverrunModel(
        black_swan_share=0,
        cost_mean_overrun=0,
        cost_spread=0,
        schedule_mean_overrun=0.5,
        schedule_spread=0,
        benefit_mean_shortfall=0,
        benefit_spread=0,
        extra_years=1,
    )
    item = PlannedItem("e-obs", [120.0], [0.0, 100.0], planned_months=12)
    forecast = simulate_portfolio([item], trials=5, model=late)
    # The 120 spent evenly over 18 months: 80 in year 0, 40 in year 1. Benefits planned for year 1
    # start 6 months late: half in year 1, half in year 2. (The re-timing grid is 5% steps, hence approx.)
    assert forecast.cost_by_year[50] == pytest.approx([80.0, 40.0, 0.0], abs=0.5)
    assert forecast.benefits_by_year[50] == pytest.approx([0.0, 50.0, 50.0], abs=0.5)
    assert forecast.completion_months["e-obs"][50] == pytest.approx(18.0)


def test_a_forecast_part_way_through_the_year_gives_year_zero_only_its_remaining_months():
    late = OverrunModel(
        black_swan_share=0,
        cost_mean_overrun=0,
        cost_spread=0,
        schedule_mean_overrun=1.0,
        schedule_spread=0,
        benefit_mean_shortfall=0,
        benefit_spread=0,
        extra_years=1,
    )
    # Six months into the year; 60 planned over the remaining six months, twice as long in fact.
    item = PlannedItem("Wi-Fi", [60.0], [], planned_months=6)
    forecast = simulate_portfolio([item], trials=3, model=late, months_into_year=6)
    assert forecast.cost_by_year[50] == pytest.approx([30.0, 30.0], abs=0.5)


# A model in which every item is exactly 50% late and on budget.
HALF_AS_LONG_AGAIN = OverrunModel(
    black_swan_share=0,
    cost_mean_overrun=0,
    cost_spread=0,
    schedule_mean_overrun=0.5,
    schedule_spread=0,
    benefit_mean_shortfall=0,
    benefit_spread=0,
    extra_years=1,
)


def test_work_already_under_way_is_stretched_over_its_whole_duration_from_its_start():
    # A 12-month plan that started 6 months ago: 50% late, it finishes 18 months after its start, 12
    # months from now, not 6 × 1.5 = 9 months from now.
    item = PlannedItem("PACS", [120.0], [], planned_months=6, start_month=-6)
    forecast = simulate_portfolio([item], trials=5, model=HALF_AS_LONG_AGAIN)
    assert forecast.completion_months["PACS"][50] == pytest.approx(12.0)
    # By now it has done 6 months' worth at the slower pace, 4 months of the plan, so the plan's year 0
    # (months 0 to 12, of which the months from 4 on are still to do) runs to month 12 × 1.5 − 6 = 12:
    # half of it, 60, falls in each of the two years.
    assert forecast.cost_by_year[50] == pytest.approx([60.0, 60.0], abs=0.5)


def test_work_past_its_planned_go_live_never_finishes_before_the_forecasts_start():
    # An 18-month plan that started 24 months ago is 6 months overdue. It has already taken at least
    # 24/18 of its plan, so its finish is a percentile of the schedule ratio given at least that.
    model = OverrunModel()
    item = PlannedItem("EPR", [100.0], [], planned_months=-6, start_month=-24)
    months = simulate_portfolio([item], trials=10, model=model).completion_months["EPR"]
    assert all(m > 0 for m in months.values())
    assert list(months.values()) == sorted(months.values())
    floor = 24 / 18
    _, schedule, _ = overrun_ratios(np.random.default_rng(12).standard_normal(2_000_000), model)
    still_going = schedule[schedule >= floor]
    for q, finish in months.items():
        assert finish == pytest.approx(-24 + 18 * np.percentile(still_going, q), abs=0.3)


def test_an_item_with_no_time_between_start_and_finish_finishes_on_its_date_or_today():
    items = [
        PlannedItem("live", [10.0], [], planned_months=0, start_month=0),
        PlannedItem("stale", [10.0], [], planned_months=-3, start_month=-3),
    ]
    forecast = simulate_portfolio(items, trials=5)
    assert set(forecast.completion_months["live"].values()) == {0.0}
    assert set(forecast.completion_months["stale"].values()) == {0.0}


def test_money_that_slips_past_the_horizon_is_kept_in_the_last_year():
    forecast = simulate_portfolio(portfolio(100), trials=1, seed=9, model=OverrunModel(extra_years=0))
    # One trial: every percentile is that trial, and its years add up to its total.
    assert sum(forecast.cost_by_year[50]) == pytest.approx(forecast.total_cost_samples[0])
    assert sum(forecast.benefits_by_year[50]) == pytest.approx(forecast.total_benefits_samples[0])
    assert forecast.years == 5


def test_correlated_overruns_give_a_much_wider_portfolio_range_than_independent_ones():
    # Independent draws average out across 300 items and squeeze the range to almost nothing: false
    # comfort, because real overruns share causes (the market, the trust's capacity, suppliers).
    items = portfolio(300)
    correlated = simulate_portfolio(items, trials=4_000, seed=2)
    independent = simulate_portfolio(items, trials=4_000, seed=2, model=OverrunModel(common_weight=0, group_weight=0))
    spread_correlated = correlated.total_cost[90] / correlated.total_cost[50] - 1
    spread_independent = independent.total_cost[90] / independent.total_cost[50] - 1
    assert spread_independent < 0.1
    assert spread_correlated > 3 * spread_independent


def test_items_sharing_a_supplier_widen_the_range_even_without_a_portfolio_wide_shock():
    base = portfolio(150, groups=1)
    same_supplier = [
        PlannedItem(i.key, i.cost_by_year, i.benefits_by_year, i.planned_months, i.start_month, "one") for i in base
    ]
    unrelated = [PlannedItem(i.key, i.cost_by_year, i.benefits_by_year, i.planned_months, i.start_month) for i in base]
    model = OverrunModel(common_weight=0, group_weight=0.3)
    shared = simulate_portfolio(same_supplier, trials=3_000, seed=8, model=model)
    apart = simulate_portfolio(unrelated, trials=3_000, seed=8, model=model)
    assert shared.total_cost[90] - shared.total_cost[10] > 3 * (apart.total_cost[90] - apart.total_cost[10])


def test_black_swans_skew_the_portfolio_total_to_the_right():
    forecast = simulate_portfolio(portfolio(200), trials=5_000, seed=6)
    p10, p50, p90 = (forecast.total_cost[q] for q in (10, 50, 90))
    assert p90 - p50 > p50 - p10
    assert forecast.mean_total_cost > p50
    assert forecast.mean_total_cost == pytest.approx(1.27 * forecast.planned_total_cost, rel=0.05)
    assert 0 < forecast.chance_within_budget < 0.5


def test_other_percentiles_can_be_asked_for():
    forecast = simulate_portfolio(portfolio(20), trials=300, percentiles=(90, 20, 50))
    assert forecast.percentiles == (20, 50, 90)
    assert set(forecast.cost_by_year) == {20, 50, 90}


# --------------------------------------------------------------------------- Monte Carlo: bad input


def item(**changes) -> PlannedItem:
    fields = {"key": "EPR", "cost_by_year": [100.0, 50.0], "benefits_by_year": [0.0, 80.0], "planned_months": 18.0}
    return PlannedItem(**(fields | changes))


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "no items"),
        ([item(cost_by_year=[100.0, -5.0])], r"'EPR' cost_by_year\[1\] is negative"),
        ([item(benefits_by_year=[math.nan])], r"'EPR' benefits_by_year\[0\] must be a finite number"),
        ([item(planned_months=math.inf)], "planned_months must be a finite number"),
        ([item(start_month=24.0)], "cannot come before the start"),
        ([item(), item()], "Two items have the key 'EPR'"),
        ([item(key="")], "needs a key"),
    ],
)
def test_a_portfolio_with_bad_items_is_refused_with_a_clear_message(items, message):
    with pytest.raises(ValueError, match=message):
        simulate_portfolio(items, trials=10)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"trials": 0}, "trials must be a whole number of at least 1"),
        ({"trials": 2.5}, "trials must be a whole number"),
        ({"seed": -1}, "seed must be"),
        ({"percentiles": (50, 100)}, "percentiles must be whole numbers from 1 to 99"),
        ({"months_into_year": 12}, "months_into_year"),
    ],
)
def test_simulation_options_are_checked(options, message):
    with pytest.raises(ValueError, match=message):
        simulate_portfolio([item()], **options)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"common_weight": 0.7, "group_weight": 0.5}, "together they cannot be above 1"),
        ({"tail_index": 1.0}, "tail_index"),
        ({"black_swan_share": 1.0}, "black_swan_share"),
        ({"cost_spread": -0.1}, "cost_spread"),
        ({"cost_mean_overrun": -0.6}, "black swans alone"),
        ({"benefit_swan_shortfall": 1.5}, "benefit_swan_shortfall"),
        ({"extra_years": -1}, "extra_years"),
    ],
)
def test_an_impossible_overrun_model_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        OverrunModel(**changes)
