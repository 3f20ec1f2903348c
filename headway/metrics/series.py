"""From a metric's observations and annotations to the series the SPC engine analyses.

Periods with no observation between the first and the last are gaps (None), so the chart's
x-axis is true time. Annotations that start a new period become rebase points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from headway.lib.periods import period_label, periods_between
from headway.metrics import spc
from headway.metrics.models import Annotation, Metric, Observation


@dataclass(frozen=True)
class Series:
    metric: Metric
    periods: list[dt.date]
    labels: list[str]
    values: list[float | None]
    notes: list[str]
    annotations: list[Annotation]
    rebase_at: list[int]
    result: spc.SPCResult

    @property
    def points(self) -> int:
        return sum(v is not None for v in self.values)


def build_series(
    metric: Metric,
    observations: Iterable[Observation] | None = None,
    annotations: Iterable[Annotation] | None = None,
) -> Series:
    """Pass `observations` and `annotations` when already fetched (for example by a prefetch)."""
    observed = sorted(observations if observations is not None else metric.observations.all(), key=lambda o: o.period)
    notes_list = sorted(annotations if annotations is not None else metric.annotations.all(), key=lambda a: a.period)
    periods = periods_between(observed[0].period, observed[-1].period, metric.frequency) if observed else []
    by_period = {o.period: o for o in observed}
    values = [by_period[p].value if p in by_period else None for p in periods]
    rebase_at = sorted(
        {
            next((i for i, p in enumerate(periods) if p >= a.period), len(periods))
            for a in notes_list
            if a.starts_new_period
        }
        - {0, len(periods)}
    )
    result = spc.analyse(
        values,
        improvement_direction=metric.improvement_direction,  # type: ignore[arg-type]
        target=metric.target_value,
        rebase_at=rebase_at,
        screen_outliers=metric.screen_outliers,
        fix_after_n_points=metric.fix_after_n_points,
    )
    return Series(
        metric=metric,
        periods=periods,
        labels=[period_label(p, metric.frequency) for p in periods],
        values=values,
        notes=[by_period[p].note if p in by_period else "" for p in periods],
        annotations=notes_list,
        rebase_at=rebase_at,
        result=result,
    )
