"""Is this metric better? One answer, for every page that asks (pure; no Django).

Every question Headway asks of a metric's movement goes through here: the "is it working?"
verdict, delivery shape's "first measured benefit" and the money page's linked-metric evidence.

Today this module holds the baseline comparisons that the money pages used; the metrics work
of issue 9 makes it the single rule (SPC first, with the stated fallbacks) and records it in an
ADR. Directions are the stored values of `Metric.improvement_direction`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

INCREASE, DECREASE, NEUTRAL = "increase", "decrease", "neutral"

#: A benefit counts as measured once this many observations in a row beat the baseline, so that
#: one good week of ordinary noise is not taken for a benefit.
SUSTAINED_RUN = 3


def better_than(value: float | None, baseline: float | None, direction: str | None) -> bool | None:
    """Whether one value beats the baseline in the metric's direction; None where that cannot be
    said (no value, no baseline, or a metric with no better direction)."""
    if value is None or baseline is None:
        return None
    if direction == INCREASE:
        return value > baseline
    if direction == DECREASE:
        return value < baseline
    return None


def sustained_improvements(rows: Iterable[tuple[int, dt.date, float, float | None, str]]) -> list[tuple[int, dt.date]]:
    """(metric id, period) of the start of every run of at least SUSTAINED_RUN observations in a
    row better than the metric's baseline. Rows are (metric id, period, value, baseline,
    improvement direction), ordered by metric then period; metrics with no baseline or no
    direction never count."""
    found: list[tuple[int, dt.date]] = []
    current: int | None = None
    run: list[dt.date] = []
    for metric_id, period, value, baseline, direction in rows:
        if metric_id != current:
            current, run = metric_id, []
        run = [*run, period] if better_than(value, baseline, direction) else []
        if len(run) == SUSTAINED_RUN:
            found.append((metric_id, run[0]))
    return found
