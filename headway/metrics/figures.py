"""Typed numbers about a metric: what the metrics pages, the board pack and the API all read.

Numbers, dates and codes only, never sentences (the words are `presenters`' job, for one page
at a time). Built from what is already loaded: no queries here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from headway.metrics import improvement

if TYPE_CHECKING:
    from headway.metrics.models import Metric


@dataclass(frozen=True)
class MetricFigures:
    id: int
    name: str
    kind: str  # a `Kind` value
    unit: str
    frequency: str
    improvement_direction: str
    baseline: float | None
    target: float | None
    latest_value: float | None
    latest_period: dt.date | None
    point_count: int
    variation_icon: str  # "" where not assessed
    assurance_icon: str  # "" where not assessed (no target, or a neutral metric)
    trial_limits: bool
    stale: bool  # data, but none for twice the metric's frequency
    better: improvement.Assessment | None  # None where the caller did not ask (it may need a query)

    @property
    def is_activity(self) -> bool:
        return self.kind == "activity"

    @property
    def provisional(self) -> bool:
        """Assessed from trial limits, so the icons may still change."""
        return bool(self.variation_icon) and self.trial_limits


def metric_figures(
    metric: Metric,
    today: dt.date,
    *,
    latest_value: float | None = None,
    values: Sequence[float] | None = None,
) -> MetricFigures:
    """The metric's figures from its cached SPC summary. Pass `values` (its observations' values,
    oldest first) when they are loaded anyway, to answer "is it better?" by the one rule, and
    `latest_value` when only the newest is (as the list's annotation gives it)."""
    if values is not None and values:
        latest_value = values[-1]
    better = (
        None
        if values is None
        else improvement.assess(
            direction=metric.improvement_direction,
            baseline=metric.baseline_value,
            point_count=metric.point_count,
            variation_icon=metric.variation_icon or None,
            latest_values=values,
        )
    )
    return MetricFigures(
        id=metric.pk,
        name=metric.name,
        kind=metric.kind,
        unit=metric.unit,
        frequency=metric.frequency,
        improvement_direction=metric.improvement_direction,
        baseline=metric.baseline_value,
        target=metric.target_value,
        latest_value=latest_value,
        latest_period=metric.latest_period,
        point_count=metric.point_count,
        variation_icon=metric.variation_icon,
        assurance_icon=metric.assurance_icon,
        trial_limits=metric.trial_limits,
        stale=metric.latest_period is not None and metric.is_stale(today),
        better=better,
    )
