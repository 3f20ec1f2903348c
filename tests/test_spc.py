"""The SPC engine's own behaviour: edge cases, validation, and properties over random series.

Agreement with the reference package is in test_spc_reference.py. These need no database.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from headway.metrics.spc import SPCInputError, analyse, analyse_many

STEADY = [10.0, 11.0, 10.0, 9.0, 10.0, 11.0, 10.0, 9.0, 10.0, 11.0, 10.0, 9.0, 10.0, 11.0]


def test_limits_are_the_mean_plus_and_minus_2_66_mean_moving_ranges():
    result = analyse([1.0, 3.0, 2.0, 4.0])
    (period,) = result.periods
    assert period.mean == 2.5
    mean_moving_range = (2 + 1 + 2) / 3
    assert period.upl == pytest.approx(2.5 + 2.66 * mean_moving_range, rel=1e-12)
    assert period.lpl == pytest.approx(2.5 - 2.66 * mean_moving_range, rel=1e-12)


def test_a_moving_range_above_3_267_times_the_mean_is_screened_out_once_unless_switched_off():
    values = [*STEADY[:8], 40.0, *STEADY[8:]]
    screened = analyse(values).periods[0]
    unscreened = analyse(values, screen_outliers=False).periods[0]
    assert screened.upl is not None and unscreened.upl is not None
    assert screened.upl < unscreened.upl


def test_an_empty_series_has_no_periods_and_no_icons():
    result = analyse([])
    assert result.periods == ()
    assert result.special_cause == ()
    assert result.variation_icon is None
    assert result.assurance_icon is None
    assert result.trial_limits is True


def test_a_series_of_only_missing_values_has_no_mean_no_limits_and_no_icons():
    result = analyse([None, float("nan"), None], target=3)
    (period,) = result.periods
    assert (period.mean, period.lpl, period.upl) == (None, None, None)
    assert result.special_cause == ("neither",) * 3
    assert result.variation_icon is None
    assert result.assurance_icon is None


def test_nan_is_a_missing_value_like_none():
    with_none = analyse([*STEADY[:5], None, *STEADY[5:]])
    with_nan = analyse([*STEADY[:5], float("nan"), *STEADY[5:]])
    assert with_none == with_nan
    assert with_none.values[5] is None
    assert with_none.mean[5] is None
    assert with_none.mean[4] == with_none.periods[0].mean


def test_a_missing_value_inside_a_rising_run_means_no_trend_rather_than_a_crash():
    # The package stops with an error here; we read the gap as breaking the run.
    result = analyse([5.0, 4.0, 6.0, 1.0, 2.0, 3.0, None, 5.0, 6.0, 7.0, 8.0, 4.0, 5.0, 6.0])
    assert "trend" not in result.special_cause_rule


def test_one_point_has_a_mean_but_no_limits_and_compares_as_inconsistent_with_a_target():
    result = analyse([3.0], target=1.0)
    assert result.periods[0].mean == 3.0
    assert result.periods[0].upl is None
    assert result.variation_icon == "common_cause"
    assert result.assurance_icon == "inconsistent"
    assert result.trial_limits is True


def test_a_constant_series_has_no_limits_when_screened_and_zero_width_limits_when_not():
    assert analyse([7.0] * 15).periods[0].upl is None
    unscreened = analyse([7.0] * 15, screen_outliers=False, target=5.0)
    assert (unscreened.periods[0].lpl, unscreened.periods[0].upl) == (7.0, 7.0)
    assert unscreened.assurance_icon == "pass"


def test_a_constant_series_with_a_target_passes_or_fails_by_its_value_not_inconsistent():
    # The reference package says "inconsistent" for a screened constant series (its limits are
    # undefined); Headway passes or fails it by its value (ADR 19). The limits stay undefined.
    for screen in (True, False):
        for direction, target, icon in (
            ("increase", 5.0, "pass"),
            ("increase", 7.0, "pass"),  # equal to the target meets it
            ("increase", 9.0, "fail"),
            ("decrease", 9.0, "pass"),
            ("decrease", 5.0, "fail"),
        ):
            result = analyse([7.0] * 15, improvement_direction=direction, target=target, screen_outliers=screen)
            assert result.assurance_icon == icon, (screen, direction, target)
    assert analyse([7.0] * 15, target=5.0).periods[0].upl is None
    # Only the latest period counts: a constant stretch after a rebase is judged by its own value.
    rebased = analyse([*STEADY, 3.0, 3.0, 3.0], rebase_at=[len(STEADY)], target=5.0)
    assert rebased.assurance_icon == "fail"
    # A single point still says nothing; a varying series is still compared with its limits.
    assert analyse([3.0], target=1.0).assurance_icon == "inconsistent"
    assert analyse([7.0] * 14 + [None], target=5.0).assurance_icon == "pass"


def test_limits_are_trial_below_thirteen_points_in_a_period():
    assert analyse(STEADY[:12]).trial_limits is True
    assert analyse(STEADY[:13]).trial_limits is False
    rebased = analyse(STEADY * 2, rebase_at=[20])
    assert [period.trial for period in rebased.periods] == [False, True]
    assert rebased.trial_limits is True


def test_each_rebase_point_starts_a_new_period_with_its_own_limits():
    values = STEADY + [v + 20 for v in STEADY]
    result = analyse(values, rebase_at=[len(STEADY)])
    first, second = result.periods
    assert (first.first_index, first.last_index, second.first_index, second.last_index) == (0, 13, 14, 27)
    assert second.mean == pytest.approx(first.mean + 20)  # type: ignore[operator]
    assert set(result.special_cause) == {"neither"}


def test_rebasing_at_the_first_point_or_twice_at_one_point_changes_nothing():
    assert analyse(STEADY, rebase_at=[0]) == analyse(STEADY)
    assert analyse(STEADY * 2, rebase_at=[14, 14]) == analyse(STEADY * 2, rebase_at=[14])


def test_fixed_limits_come_from_the_first_n_points_only():
    values = STEADY[:12] + [30.0] * 10
    fixed = analyse(values, fix_after_n_points=12).periods[0]
    assert fixed.mean == pytest.approx(sum(STEADY[:12]) / 12)
    assert analyse(values).periods[0].mean != fixed.mean


def test_the_variation_icon_follows_the_direction_of_improvement():
    values = [*STEADY, 30.0]
    assert analyse(values).variation_icon == "improvement_high"
    assert analyse(values, improvement_direction="decrease").variation_icon == "concern_high"
    assert analyse(values, improvement_direction="neutral").variation_icon == "neutral_high"
    low = [*STEADY, -10.0]
    assert analyse(low).variation_icon == "concern_low"
    assert analyse(low, improvement_direction="decrease").variation_icon == "improvement_low"
    assert analyse(low, improvement_direction="neutral").variation_icon == "neutral_low"


def test_the_variation_icon_reads_only_the_last_point():
    result = analyse([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1])
    assert result.special_cause[4] == "improvement"
    assert result.variation_icon == "common_cause"


def test_assurance_compares_the_target_with_the_latest_limits():
    assert analyse(STEADY, target=5.0).assurance_icon == "pass"
    assert analyse(STEADY, target=15.0).assurance_icon == "fail"
    assert analyse(STEADY, target=10.0).assurance_icon == "inconsistent"
    assert analyse(STEADY, target=5.0, improvement_direction="decrease").assurance_icon == "fail"
    assert analyse(STEADY, target=15.0, improvement_direction="decrease").assurance_icon == "pass"
    assert analyse(STEADY, target=5.0, improvement_direction="neutral").assurance_icon is None
    assert analyse(STEADY).assurance_icon is None


def test_a_target_exactly_on_a_limit_is_inconsistent():
    upl = analyse(STEADY).periods[0].upl
    assert analyse(STEADY, target=upl).assurance_icon == "inconsistent"


def test_to_json_gives_exactly_the_published_fields():
    data = analyse([*STEADY, None], target=5.0).to_json()
    assert set(data) == {
        "periods",
        "special_cause",
        "special_cause_rule",
        "variation_icon",
        "assurance_icon",
        "trial_limits",
    }
    assert set(data["periods"][0]) == {"first_index", "last_index", "mean", "lpl", "upl"}
    assert len(data["special_cause"]) == len(STEADY) + 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"values": [1.0, "2"]}, "values"),
        ({"values": [1.0, True]}, "values"),
        ({"values": [1.0, math.inf]}, "values"),
        ({"values": "12"}, "values"),
        ({"values": [1.0], "improvement_direction": "up"}, "improvement_direction"),
        ({"values": [1.0], "target": math.nan}, "target"),
        ({"values": [1.0], "target": "5"}, "target"),
        ({"values": [1.0, 2.0], "rebase_at": [2]}, "rebase_at"),
        ({"values": [1.0, 2.0], "rebase_at": [-1]}, "rebase_at"),
        ({"values": [1.0, 2.0], "rebase_at": [1.5]}, "rebase_at"),
        ({"values": [1.0], "screen_outliers": "yes"}, "screen_outliers"),
        ({"values": [1.0], "fix_after_n_points": 11}, "fix_after_n_points"),
        ({"values": [1.0], "fix_after_n_points": 12.5}, "fix_after_n_points"),
    ],
)
def test_bad_input_raises_an_error_naming_the_field(kwargs, field):
    values = kwargs.pop("values")
    with pytest.raises(SPCInputError, match=f"'{field}'"):
        analyse(values, **kwargs)


def test_analyse_many_names_the_series_that_is_wrong():
    with pytest.raises(SPCInputError, match="series 1, field 'values': item 2"):
        analyse_many([{"values": [1.0]}, {"values": [1.0, 2.0, "x"]}])
    with pytest.raises(SPCInputError, match="series 0: unknown field 'colour'"):
        analyse_many([{"values": [1.0], "colour": "red"}])


def test_it_accepts_integers_and_numpy_arrays():
    assert analyse([1, 3, 2, 4]) == analyse([1.0, 3.0, 2.0, 4.0])
    assert analyse(np.array([1.0, 3.0, 2.0, 4.0])) == analyse([1.0, 3.0, 2.0, 4.0])


def _random_series(rng: random.Random) -> dict:
    n = rng.choice([0, 1, 2, 5, 12, 13, 20, 40])
    values: list[float | None] = [float(rng.randint(0, 6)) for _ in range(n)]
    for _ in range(rng.randint(0, 2)):
        if n:
            values[rng.randrange(n)] = None
    kwargs: dict = {
        "values": values,
        "improvement_direction": rng.choice(["increase", "decrease", "neutral"]),
        "target": rng.choice([None, 2.0, 10.0]),
        "screen_outliers": rng.random() < 0.7,
        "fix_after_n_points": rng.choice([None, None, 12]),
    }
    if n > 3 and rng.random() < 0.3:
        kwargs["rebase_at"] = [rng.randrange(1, n)]
    return kwargs


def test_analysing_many_series_at_once_gives_the_same_as_one_at_a_time():
    rng = random.Random(2024)
    series = [_random_series(rng) for _ in range(300)]
    assert analyse_many(series) == [analyse(**kwargs) for kwargs in series]


def test_random_series_always_give_well_formed_results():
    rng = random.Random(7)
    for _ in range(300):
        kwargs = _random_series(rng)
        result = analyse(**kwargs)
        n = len(kwargs["values"])
        assert len(result.special_cause) == len(result.special_cause_rule) == len(result.mean) == n
        assert sum(p.last_index - p.first_index + 1 for p in result.periods) == n
        for cause, rule in zip(result.special_cause, result.special_cause_rule, strict=True):
            assert (cause == "neither") == (rule is None)
        for period in result.periods:
            if period.upl is not None:
                assert period.lpl <= period.mean <= period.upl  # type: ignore[operator]


def test_swapping_the_direction_swaps_improvement_and_concern():
    rng = random.Random(11)
    swap = {"improvement": "concern", "concern": "improvement", "neither": "neither"}
    for _ in range(100):
        kwargs = _random_series(rng)
        kwargs["improvement_direction"] = "increase"
        up = analyse(**kwargs)
        kwargs["improvement_direction"] = "decrease"
        down = analyse(**kwargs)
        assert down.special_cause == tuple(swap[c] for c in up.special_cause)
        assert down.special_cause_rule == up.special_cause_rule
