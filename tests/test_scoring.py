"""Scoring: weighted criteria, WSJF, RICE and combining raters (headway.prioritisation.scoring)."""

from __future__ import annotations

import numpy as np
import pytest

from headway.prioritisation import scoring
from headway.prioritisation.scoring import (
    DEFAULT_CRITERIA,
    METHOD_VERSION,
    ScoringError,
    combine,
    rice,
    weighted_score,
    weighted_scores,
    wsjf,
)

WEIGHTS = {key: weight for key, _, weight, _ in DEFAULT_CRITERIA}
DIRECTION = {key: better for key, _, _, better in DEFAULT_CRITERIA}


def ratings(value: float, effort: float) -> dict[str, float]:
    return {**{key: value for key in WEIGHTS}, "effort": effort}


def test_the_method_version_and_default_criteria_are_published():
    assert METHOD_VERSION == "1"
    assert [key for key, *_ in DEFAULT_CRITERIA] == [
        "strategic_fit",
        "patient_impact",
        "staff_impact",
        "safety_risk_reduction",
        "urgency",
        "evidence",
        "effort",
    ]
    assert DIRECTION["effort"] is False
    assert sum(WEIGHTS.values()) == 100


def test_the_best_ratings_score_100_and_the_worst_score_0():
    assert weighted_score(ratings(5, 1), WEIGHTS, DIRECTION) == 100
    assert weighted_score(ratings(1, 5), WEIGHTS, DIRECTION) == 0


def test_more_effort_lowers_the_score():
    assert weighted_score(ratings(4, 2), WEIGHTS, DIRECTION) > weighted_score(ratings(4, 4), WEIGHTS, DIRECTION)


def test_a_hand_worked_score_is_reproduced():
    # strategic fit 5 (u=1, w=3), effort 3 (lower is better: u=0.5, w=1): 100 × (3 + 0.5) / 4 = 87.5
    score = weighted_score({"fit": 5, "effort": 3}, {"fit": 3, "effort": 1}, {"fit": True, "effort": False})
    assert score == 87.5


def test_the_same_inputs_always_give_the_same_score_whatever_the_order_of_the_mappings():
    first = weighted_score(ratings(3.7, 2.2), WEIGHTS, DIRECTION)
    reordered = dict(reversed(list(WEIGHTS.items())))
    assert weighted_score(ratings(3.7, 2.2), reordered, DIRECTION) == first
    assert weighted_score(ratings(3.7, 2.2), WEIGHTS, DIRECTION) == first


def test_adding_a_candidate_never_changes_another_candidates_score():
    rng = np.random.default_rng(7)
    keys = list(WEIGHTS)
    candidates = [dict(zip(keys, rng.integers(1, 6, len(keys)).tolist(), strict=True)) for _ in range(5)]
    before = [weighted_score(c, WEIGHTS, DIRECTION) for c in candidates]
    candidates.append(dict.fromkeys(keys, 5))  # a dominant newcomer
    after = [weighted_score(c, WEIGHTS, DIRECTION) for c in candidates[:5]]
    assert after == before
    matrix = [[c[k] for k in keys] for c in candidates]
    vector = weighted_scores(matrix, [WEIGHTS[k] for k in keys], [DIRECTION[k] for k in keys])
    assert vector[:5] == pytest.approx(before, abs=1e-9)
    assert weighted_scores(matrix[:5], [WEIGHTS[k] for k in keys], [DIRECTION[k] for k in keys]) == pytest.approx(
        vector[:5], abs=1e-12
    )


def test_scaling_every_weight_leaves_the_score_unchanged():
    doubled = {key: 2 * weight for key, weight in WEIGHTS.items()}
    assert weighted_score(ratings(3, 2), doubled, DIRECTION) == pytest.approx(
        weighted_score(ratings(3, 2), WEIGHTS, DIRECTION)
    )


def test_a_criterion_with_zero_weight_need_not_be_rated():
    assert weighted_score({"fit": 5}, {"fit": 1, "effort": 0}, {"fit": True}) == 100


@pytest.mark.parametrize(
    ("rating_values", "weights", "message"),
    [
        ({"fit": 6}, {"fit": 1}, "outside the scale"),
        ({"fit": 0}, {"fit": 1}, "outside the scale"),
        ({}, {"fit": 1}, "no rating"),
        ({"fit": 3}, {"fit": -1}, "negative"),
        ({"fit": 3}, {"fit": 0}, "positive weight"),
        ({"fit": float("nan")}, {"fit": 1}, "finite"),
    ],
)
def test_unusable_ratings_or_weights_are_refused_by_name(rating_values, weights, message):
    with pytest.raises(ScoringError, match=message):
        weighted_score(rating_values, weights, {"fit": True})


def test_wsjf_is_cost_of_delay_over_job_size():
    assert wsjf(8, 5, 3, 4) == 4.0
    with pytest.raises(ScoringError, match="job_size"):
        wsjf(8, 5, 3, 0)
    with pytest.raises(ScoringError, match="business_value"):
        wsjf(-1, 5, 3, 2)


def test_rice_is_reach_times_impact_times_confidence_over_effort():
    assert rice(1000, 2, 0.8, 4) == 400.0
    with pytest.raises(ScoringError, match="confidence"):
        rice(1000, 2, 80, 4)
    with pytest.raises(ScoringError, match="effort"):
        rice(1000, 2, 0.8, 0)


def test_combining_raters_reports_centre_spread_and_standard_deviation():
    combined = combine([2, 3, 4], "mean")
    assert (combined.value, combined.spread, combined.n) == (3.0, 2.0, 3)
    assert combined.stdev == pytest.approx(1.0)
    assert combine([1, 2, 5], "median").value == 2.0
    assert combine([4], "mean").stdev == 0.0


def test_ratings_two_points_apart_on_a_one_to_five_scale_are_wide_and_neighbours_are_not():
    assert scoring.WIDE_SHARE == 0.25
    assert combine([2, 4], "mean").wide is True
    assert combine([3, 4, 4], "mean").wide is False
    assert combine([40, 70], "mean", scale_min=0, scale_max=100).wide is True
    assert combine([40, 60], "mean", scale_min=0, scale_max=100).wide is False


def test_combining_nothing_is_refused():
    with pytest.raises(ScoringError, match="no values"):
        combine([], "mean")
