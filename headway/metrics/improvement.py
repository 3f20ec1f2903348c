"""Is this metric better? One answer, for every page that asks (pure; no Django; ADR 13).

Every question Headway asks of a metric's movement goes through here: the "is it working?"
verdict, delivery shape's "first measured benefit" and the money page's linked-metric evidence.
Directions are the stored values of `Metric.improvement_direction`.

The rule, in order (the first that applies decides):

1. **No better direction → cannot say.** A metric whose direction is neutral (or unknown) has no
   "better"; the answer is None, whatever its data.
2. **Enough points for SPC → SPC decides.** With at least `MIN_SPC_POINTS` observations
   (`spc.TRIAL_BELOW`, the point where the verdicts start reading the chart), a point is better
   when the XmR chart marks it as special-cause improvement in the metric's direction, and the
   metric is better now when its latest point is (variation icon `improvement_high` or
   `improvement_low`). Being above the baseline is not enough here: the chart already shows how
   much the measure moves by chance, and a board should not hear "better" for ordinary noise.
3. **Too few points → the baseline fallback.** With fewer points the limits are trial limits
   that move with every new point, so the fallback is the baseline: a point is better when it
   ends a run of at least `SUSTAINED_RUN` observations in a row better than the baseline, so that
   one good week is not taken for a benefit.
4. **Too few points and no baseline → cannot say** (None).

`assess` answers "is it better now?" from a metric's cached SPC summary and its latest values;
`better_points`, `run_starts` and `first_better` answer "since when?" from the whole series (the
pages ask `metrics.queries.improvement_starts`, which reads each chart's own periods). Both read
the same rule, so a metric that one page calls better is better on every other page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from headway.metrics import spc

INCREASE, DECREASE, NEUTRAL = "increase", "decrease", "neutral"

#: Below this many points a benefit is judged against the baseline, from this many by SPC.
MIN_SPC_POINTS: int = spc.TRIAL_BELOW

#: A benefit counts as measured once this many observations in a row beat the baseline, so that
#: one good week of ordinary noise is not taken for a benefit.
SUSTAINED_RUN = 3

#: How an answer was reached: by the SPC chart, by the baseline fallback, or not at all.
Basis = Literal["spc", "baseline", "no_direction", "no_baseline"]

IMPROVEMENT_ICONS = frozenset({"improvement_high", "improvement_low"})


@dataclass(frozen=True)
class Assessment:
    """Whether a metric is better now (None: cannot say) and which part of the rule said so."""

    better: bool | None
    basis: Basis


def better_than(value: float | None, baseline: float | None, direction: str | None) -> bool | None:
    """Whether one value beats the baseline in the metric's direction; None where that cannot be
    said (no value, no baseline, or a metric with no better direction). A comparison the rule is
    built from, not the rule itself: to ask whether a metric is better, use `assess`."""
    if value is None or baseline is None:
        return None
    if direction == INCREASE:
        return value > baseline
    if direction == DECREASE:
        return value < baseline
    return None


def has_direction(direction: str | None) -> bool:
    return direction in (INCREASE, DECREASE)


def uses_spc(point_count: int) -> bool:
    return point_count >= MIN_SPC_POINTS


def assess(
    *,
    direction: str | None,
    baseline: float | None,
    point_count: int,
    variation_icon: str | None,
    latest_values: Sequence[float | None] = (),
) -> Assessment:
    """Is the metric better now? `variation_icon` and `point_count` are the metric's SPC summary
    (as cached on the metric); `latest_values` are its newest observations, oldest first (only
    the last SUSTAINED_RUN are read, and only by the baseline fallback)."""
    if not has_direction(direction):
        return Assessment(None, "no_direction")
    if uses_spc(point_count):
        return Assessment((variation_icon or "") in IMPROVEMENT_ICONS, "spc")
    if baseline is None:
        return Assessment(None, "no_baseline")
    recent = list(latest_values)[-SUSTAINED_RUN:]
    better = len(recent) == SUSTAINED_RUN and all(better_than(v, baseline, direction) for v in recent)
    return Assessment(better, "baseline")


def better_points(
    values: Sequence[float | None],
    baseline: float | None,
    direction: str | None,
    *,
    special_cause: Sequence[str] | None = None,
) -> list[bool]:
    """Per point, whether the rule counts it as better. `special_cause` is the SPC result's per-point
    causes for this series (pass it when the chart's own analysis, with its rebases, is at hand);
    without it a series with enough points is analysed here as one period."""
    if not has_direction(direction):
        return [False] * len(values)
    if uses_spc(sum(v is not None for v in values)):
        if special_cause is None:
            special_cause = spc.analyse(values, improvement_direction=direction).special_cause  # type: ignore[arg-type]
        return [cause == "improvement" for cause in special_cause]
    flags = [False] * len(values)
    run: list[int] = []
    for index, value in enumerate(values):
        if value is None:
            continue  # a missing period neither breaks a run nor extends it: "in a row" counts observations
        run = [*run, index] if better_than(value, baseline, direction) else []
        if len(run) >= SUSTAINED_RUN:
            # The whole run counts from its first point: that is when the benefit began.
            for back in run:
                flags[back] = True
    return flags


def run_starts(flags: Sequence[bool]) -> list[int]:
    """The index of the first point of every run of better points."""
    return [i for i, flag in enumerate(flags) if flag and (i == 0 or not flags[i - 1])]


def first_better(
    values: Sequence[float | None],
    baseline: float | None,
    direction: str | None,
    *,
    special_cause: Sequence[str] | None = None,
) -> int | None:
    """The index of the first point the rule counts as better, or None."""
    starts = run_starts(better_points(values, baseline, direction, special_cause=special_cause))
    return starts[0] if starts else None
