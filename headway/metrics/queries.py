"""Loading metrics for pages, the board layer and other apps: reads only, no rules.

Each function reads in a fixed number of queries however many metrics it is given; the rules
they feed (SPC, "is it better?") live in the pure modules `spc` and `improvement`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import OuterRef, QuerySet, Subquery

from headway.accounts.models import Organisation
from headway.metrics import improvement, spc
from headway.metrics.models import Annotation, Metric, Observation
from headway.metrics.series import Series, build_series
from headway.portfolio.models import Initiative


def metrics_for_list(organisation: Organisation) -> QuerySet[Metric]:
    """The organisation's metrics with their owner, initiatives and latest value, in a fixed
    number of queries however many there are."""
    latest = Observation.objects.filter(metric=OuterRef("pk")).order_by("-period").values("value")[:1]
    return (
        Metric.objects.for_organisation(organisation)
        .select_related("owner")
        .prefetch_related("initiatives")
        .annotate(latest_value=Subquery(latest))
        .order_by("name")
    )


def initiatives_of(organisation: Organisation) -> QuerySet[Initiative]:
    return Initiative.objects.for_organisation(organisation).order_by("reference")


def initiative_ids(organisation: Organisation, asked: Iterable[int]) -> list[int]:
    """Those of the asked initiative ids that are the organisation's (a link may name any)."""
    return list(initiatives_of(organisation).filter(pk__in=list(asked)).values_list("pk", flat=True))


def detail_data(metric: Metric) -> tuple[list[Observation], list[Annotation], list[Initiative]]:
    """What the metric's page reads: observations (with who recorded them), annotations (with who
    made them) and the initiatives it serves."""
    observations = list(metric.observations.select_related("recorded_by"))
    annotations = list(metric.annotations.select_related("created_by"))
    return observations, annotations, list(metric.initiatives.order_by("reference"))


def observation_for(metric: Metric, period: dt.date) -> Observation | None:
    """The metric's value for one period, if it has one."""
    return metric.observations.filter(period=period).first()


def series_or_none(
    metric: Metric, observations: Iterable[Observation], annotations: Iterable[Annotation]
) -> Series | None:
    """The chart's series, or None where the SPC engine refuses the data."""
    try:
        return build_series(metric, list(observations), list(annotations))
    except spc.SPCInputError:
        return None


def improvements(metrics: Sequence[Metric]) -> dict[int, improvement.Assessment]:
    """Is each metric better now, by the one rule (`improvement.assess`)? At most one query: the
    cached SPC summary is on the metric, and only metrics with too few points for SPC need their
    latest values (at most MIN_SPC_POINTS - 1 each) for the baseline fallback."""
    short = [m.pk for m in metrics if not improvement.uses_spc(m.point_count)]
    latest: dict[int, list[float]] = defaultdict(list)
    if short:
        rows = Observation.objects.filter(metric_id__in=short).order_by("metric_id", "period")
        for metric_id, value in rows.values_list("metric_id", "value"):
            latest[metric_id].append(value)
    return {
        m.pk: improvement.assess(
            direction=m.improvement_direction,
            baseline=m.baseline_value,
            point_count=m.point_count,
            variation_icon=m.variation_icon or None,
            latest_values=latest[m.pk],
        )
        for m in metrics
    }


def improvement_starts(metric_ids: Iterable[int]) -> list[tuple[int, dt.date]]:
    """(metric id, period) of the start of every run of points the one rule counts as better,
    read from each metric's own chart (its gaps and rebased periods included), ordered by metric
    then period. Three queries."""
    ids = sorted(set(metric_ids))
    if not ids:
        return []
    found: list[tuple[int, dt.date]] = []
    for metric in Metric.objects.filter(pk__in=ids).prefetch_related("observations", "annotations").order_by("pk"):
        series = series_or_none(metric, metric.observations.all(), metric.annotations.all())
        if series is None:
            continue
        flags = improvement.better_points(
            series.values,
            metric.baseline_value,
            metric.improvement_direction,
            special_cause=series.result.special_cause,
        )
        found.extend((metric.pk, series.periods[i]) for i in improvement.run_starts(flags))
    return found
