"""Scoring candidates for a prioritisation round: weighted criteria, WSJF and RICE, and combining raters.

Pure Python (numpy only for the vectorised form used by the robustness check); no Django. Every
formula here is absolute: a candidate's score depends only on its own inputs and the round's
weights, never on the other candidates, so adding or removing a candidate never changes anyone
else's score, and the same inputs always give the same score. `METHOD_VERSION` is stored with
every result; bump it whenever a formula below changes so past rankings stay reproducible.
See docs/prioritisation.md for the maths and references.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict, cast

import numpy as np
import numpy.typing as npt

METHOD_VERSION = "1"

#: The scoring methods and ways of combining scorers, as a round stores them (the values of
#: `models.Method` and `models.Combine`, which are kept here so this module needs no Django).
WEIGHTED, WSJF, RICE = "weighted", "wsjf", "rice"
MEAN, MEDIAN = "mean", "median"

#: (key, label, default weight, higher_is_better). Weights are relative: they are divided by
#: their sum, so they need not add up to 100 (these do).
DEFAULT_CRITERIA: list[tuple[str, str, float, bool]] = [
    ("strategic_fit", "Strategic fit", 20.0, True),
    ("patient_impact", "Patient impact", 20.0, True),
    ("staff_impact", "Staff impact", 10.0, True),
    ("safety_risk_reduction", "Safety and risk reduction", 15.0, True),
    ("urgency", "Urgency or cost of delay", 15.0, True),
    ("evidence", "Strength of evidence", 10.0, True),
    ("effort", "Effort", 10.0, False),
]

#: A spread of ratings wider than this share of the rating scale's range is flagged as "wide".
WIDE_SHARE = 0.25


class ScoringError(ValueError):
    """Inputs a formula cannot use; the message names the input."""


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScoringError(f"{name} must be a finite number, not {value!r}.")
    return float(value)


def _check_scale(scale_min: float, scale_max: float) -> None:
    _finite("scale_min", scale_min)
    _finite("scale_max", scale_max)
    if scale_max <= scale_min:
        raise ScoringError(f"scale_max ({scale_max:g}) must be above scale_min ({scale_min:g}).")


def weighted_score(
    ratings: Mapping[str, float],
    weights: Mapping[str, float],
    higher_is_better: Mapping[str, bool],
    scale_max: float = 5,
    *,
    scale_min: float = 1,
) -> float:
    """Weighted-criteria score on 0–100.

    Each rating r on [scale_min, scale_max] becomes u = (r − min)/(max − min) when higher is
    better and u = (max − r)/(max − min) when lower is better (effort), so u is in [0, 1]. The
    score is 100 · Σ w·u / Σ w over the criteria in `weights`. Criteria with weight 0 may be left
    unrated; ratings for criteria not in `weights` are ignored. Criteria are summed in key order
    with math.fsum, so the result does not depend on the order of the mappings.
    """
    _check_scale(scale_min, scale_max)
    total_weight = 0.0
    terms: list[float] = []
    for key in sorted(weights):
        weight = _finite(f"weight {key!r}", weights[key])
        if weight < 0:
            raise ScoringError(f"weight {key!r} is negative ({weight:g}).")
        if weight == 0:
            continue
        if key not in ratings:
            raise ScoringError(f"criterion {key!r} has a weight but no rating.")
        if key not in higher_is_better:
            raise ScoringError(f"criterion {key!r} has no direction (higher_is_better).")
        rating = _finite(f"rating {key!r}", ratings[key])
        if not scale_min <= rating <= scale_max:
            raise ScoringError(f"rating {key!r} is {rating:g}, outside the scale {scale_min:g}–{scale_max:g}.")
        unit = (rating - scale_min) / (scale_max - scale_min)
        if not higher_is_better[key]:
            unit = 1.0 - unit
        terms.append(weight * unit)
        total_weight += weight
    if total_weight <= 0:
        raise ScoringError("at least one criterion needs a positive weight.")
    return 100.0 * math.fsum(terms) / total_weight


def weighted_scores(
    ratings: npt.ArrayLike,
    weights: npt.ArrayLike,
    higher_is_better: Sequence[bool],
    scale_max: float = 5,
    *,
    scale_min: float = 1,
) -> npt.NDArray[np.float64]:
    """Vectorised `weighted_score`: ratings is candidates × criteria; weights is one row per
    criterion, or draws × criteria for many weight vectors at once (then the result is
    draws × candidates). Agrees with `weighted_score` to rounding (it does not use fsum)."""
    _check_scale(scale_min, scale_max)
    matrix = np.asarray(ratings, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(higher_is_better) or w.shape[-1] != matrix.shape[1]:
        raise ScoringError("ratings must be candidates × criteria, matching weights and higher_is_better.")
    if not (np.isfinite(matrix).all() and np.isfinite(w).all()) or (w < 0).any():
        raise ScoringError("ratings and weights must be finite, and weights not negative.")
    if ((matrix < scale_min) | (matrix > scale_max)).any():
        raise ScoringError(f"every rating must be on the scale {scale_min:g}–{scale_max:g}.")
    totals = w.sum(axis=-1)
    if (totals <= 0).any():
        raise ScoringError("at least one criterion needs a positive weight.")
    unit = (matrix - scale_min) / (scale_max - scale_min)
    lower = ~np.asarray(higher_is_better, dtype=bool)
    unit[:, lower] = 1.0 - unit[:, lower]
    result: npt.NDArray[np.float64] = 100.0 * (w @ unit.T) / totals[..., None]
    return result


def wsjf(business_value: float, time_criticality: float, risk_reduction: float, job_size: float) -> float:
    """Weighted shortest job first (SAFe): cost of delay ÷ job size, with cost of delay =
    business value + time criticality + risk reduction (or opportunity enablement)."""
    parts = {
        "business_value": business_value,
        "time_criticality": time_criticality,
        "risk_reduction": risk_reduction,
    }
    for name, value in parts.items():
        if _finite(name, value) < 0:
            raise ScoringError(f"{name} must not be negative ({value:g}).")
    if _finite("job_size", job_size) <= 0:
        raise ScoringError(f"job_size must be above zero ({job_size:g}).")
    return math.fsum(parts.values()) / job_size


def rice(reach: float, impact: float, confidence: float, effort: float) -> float:
    """RICE (Intercom): reach × impact × confidence ÷ effort, with confidence as a share 0–1."""
    for name, value in (("reach", reach), ("impact", impact)):
        if _finite(name, value) < 0:
            raise ScoringError(f"{name} must not be negative ({value:g}).")
    if not 0 <= _finite("confidence", confidence) <= 1:
        raise ScoringError(f"confidence is a share from 0 to 1, not {confidence:g}.")
    if _finite("effort", effort) <= 0:
        raise ScoringError(f"effort must be above zero ({effort:g}).")
    return reach * impact * confidence / effort


@dataclass(frozen=True)
class Combined:
    value: float  # the mean or median of the raters' values
    spread: float  # max − min
    stdev: float  # sample standard deviation (n − 1); 0 for a single rater
    n: int
    wide: bool  # spread > WIDE_SHARE of the scale's range: the raters disagree and should talk


def combine(
    values: Sequence[float],
    how: Literal["mean", "median"] = "mean",
    *,
    scale_min: float = 1,
    scale_max: float = 5,
) -> Combined:
    """Combine several raters' values for one criterion (or several 0–100 scores).

    The spread is "wide" when it is more than a quarter of the scale's range: on a 1–5 scale
    (range 4) that is more than 1 point, so whole-number ratings two or more points apart (2 and
    4) are wide and neighbours (3 and 4) are not; on 0–100 (pass scale_min=0, scale_max=100) it
    is more than 25 points.
    """
    _check_scale(scale_min, scale_max)
    if how not in ("mean", "median"):
        raise ScoringError(f"how must be 'mean' or 'median', not {how!r}.")
    numbers = [_finite(f"value {index}", value) for index, value in enumerate(values)]
    if not numbers:
        raise ScoringError("there are no values to combine.")
    centre = math.fsum(numbers) / len(numbers) if how == "mean" else float(statistics.median(numbers))
    spread = max(numbers) - min(numbers)
    stdev = statistics.stdev(numbers) if len(numbers) > 1 else 0.0
    wide = spread > WIDE_SHARE * (scale_max - scale_min)
    return Combined(value=centre, spread=spread, stdev=stdev, n=len(numbers), wide=wide)


# Scoring from a stored snapshot ----------------------------------------------------------------


class CriterionWeight(TypedDict):
    key: str
    label: str
    weight: float
    higher_is_better: bool


class Weights(TypedDict):
    """How a run scored: the method, how scorers were combined, the criteria (weighted method
    only) and the inputs each scorer gave."""

    method: str
    combine: str
    criteria: list[CriterionWeight]
    inputs: list[str]


#: {candidate key: {scorer key: {input key: value}}}: every rating a run used.
Inputs = Mapping[str, Mapping[str, Mapping[str, float]]]


class CandidateScore(TypedDict):
    value: float
    spread: float
    stdev: float
    n: int
    wide: bool


def one_scorer(weights: Weights, values: Mapping[str, float]) -> float | None:
    """One scorer's score for one candidate, or None when they left an input empty (such a scorer
    is not counted for that candidate)."""
    method = weights["method"]
    keys = list(weights["inputs"])
    if any(key not in values for key in keys):
        return None
    if method == WSJF:
        return float(wsjf(**{key: values[key] for key in keys}))
    if method == RICE:
        given = {key: values[key] for key in keys}
        given["confidence"] = given["confidence"] / 100  # asked as a percentage, used as a share
        return float(rice(**given))
    criteria = weights["criteria"]
    return float(
        weighted_score(
            {c["key"]: values[c["key"]] for c in criteria},
            {c["key"]: c["weight"] for c in criteria},
            {c["key"]: c["higher_is_better"] for c in criteria},
            scale_max=5,
        )
    )


def score_from_snapshot(weights: Weights, inputs: Inputs) -> dict[str, CandidateScore]:
    """Each candidate's combined score, worked out only from a stored snapshot.

    A run scores through this too, so a stored result re-scored here gives the same numbers.
    Weighted scores are on 0–100. WSJF and RICE have no fixed top, so scorers are called far
    apart when they differ by more than a quarter of the highest of their scores.
    """
    scores: dict[str, CandidateScore] = {}
    for candidate, by_scorer in inputs.items():
        values = [v for v in (one_scorer(weights, by_scorer[s]) for s in sorted(by_scorer, key=int)) if v is not None]
        if not values:
            continue
        top = 100.0 if weights["method"] == WEIGHTED else max(max(values), 1e-9)
        combined = combine(values, cast(Literal["mean", "median"], weights["combine"]), scale_min=0, scale_max=top)
        scores[candidate] = {
            "value": float(combined.value),
            "spread": float(combined.spread),
            "stdev": float(combined.stdev),
            "n": int(combined.n),
            "wide": bool(combined.wide),
        }
    return scores
