"""Metrics' figures into words and SVG, for the metrics pages (one function per page).

Everything a metrics template shows in words comes from here: the icons in plain words for
people who have not met SPC charts, values with their units, period labels, and the chart.
Presenters read figures and what the view has loaded; they issue no queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from headway.lib.periods import period_label
from headway.metrics import charts, improvement, verdicts
from headway.metrics.charts import Chart
from headway.metrics.figures import MetricFigures, metric_figures
from headway.metrics.models import IMPACT_KINDS, Annotation, Kind, Metric, Observation, Verdict
from headway.metrics.series import Series
from headway.portfolio.models import Initiative

# Plain words for the Making Data Count icons, for people who have not met SPC charts.
VARIATION_LABELS = {
    "common_cause": "No significant change",
    "improvement_high": "Improving (unusually high)",
    "improvement_low": "Improving (unusually low)",
    "concern_high": "Getting worse (unusually high)",
    "concern_low": "Getting worse (unusually low)",
    "neutral_high": "Unusually high",
    "neutral_low": "Unusually low",
}
ASSURANCE_LABELS = {
    "pass": "Consistently meets the target",
    "fail": "Consistently misses the target",
    "inconsistent": "May or may not meet the target",
}
ACTIVITY_LABEL = "Activity — not a measure of impact"


def kind_label(metric: Metric) -> str:
    return ACTIVITY_LABEL if metric.kind == Kind.ACTIVITY else metric.get_kind_display()


def value_text(value: float | None, unit: str) -> str:
    """A value as typed, with its unit: 72%, £1,200, 14 minutes."""
    if value is None:
        return ""
    return charts.with_unit(f"{value:,.10g}", unit.strip())


def latest_period_text(figures: MetricFigures) -> str:
    return period_label(figures.latest_period, figures.frequency) if figures.latest_period else ""


class _Context:
    def context(self) -> dict[str, Any]:
        """The page's fields by name, as the template reads them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


# The list ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    metric: Metric
    kind: str
    activity: bool
    latest: str
    latest_period: str
    variation: str
    assurance: str
    stale: bool
    provisional: bool
    initiatives: list[Initiative]


def list_rows(metrics: Iterable[Metric], today: dt.date) -> list[ListRow]:
    """One row per metric, from `queries.metrics_for_list` (its latest value annotated, its
    initiatives prefetched)."""
    rows = []
    for metric in metrics:
        figures = metric_figures(metric, today, latest_value=getattr(metric, "latest_value", None))
        rows.append(
            ListRow(
                metric=metric,
                kind=kind_label(metric),
                activity=figures.is_activity,
                latest=value_text(figures.latest_value, figures.unit),
                latest_period=latest_period_text(figures),
                variation=VARIATION_LABELS.get(figures.variation_icon, ""),
                assurance=ASSURANCE_LABELS.get(figures.assurance_icon, ""),
                stale=figures.stale,
                provisional=figures.provisional,
                initiatives=list(metric.initiatives.all()),
            )
        )
    return rows


# One metric --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataRow:
    observation: Observation
    label: str
    value: str


@dataclass(frozen=True)
class MetricPage(_Context):
    metric: Metric
    figures: MetricFigures
    kind_label: str
    initiatives: list[Initiative]
    series: Series | None
    chart: charts.Chart | None
    rows: list[DataRow]  # newest first
    annotations: list[tuple[Annotation, str]]  # with the period in words
    baseline: str
    target: str
    variation: str
    assurance: str
    latest_period: str
    stale: bool


def metric_page(
    metric: Metric,
    *,
    observations: Sequence[Observation],
    annotations: Sequence[Annotation],
    initiatives: list[Initiative],
    series: Series | None,
    today: dt.date,
) -> MetricPage:
    figures = metric_figures(metric, today, values=[o.value for o in observations])
    return MetricPage(
        metric=metric,
        figures=figures,
        kind_label=kind_label(metric),
        initiatives=initiatives,
        series=series,
        chart=charts.chart(series) if series is not None and observations else None,
        rows=[
            DataRow(o, period_label(o.period, metric.frequency), value_text(o.value, metric.unit))
            for o in reversed(observations)
        ],
        annotations=[(a, period_label(a.period, metric.frequency)) for a in annotations],
        baseline=value_text(metric.baseline_value, metric.unit),
        target=value_text(metric.target_value, metric.unit),
        variation=VARIATION_LABELS.get(metric.variation_icon, ""),
        assurance=ASSURANCE_LABELS.get(metric.assurance_icon, ""),
        latest_period=latest_period_text(figures),
        stale=figures.stale,
    )


# "Is it better?" in words (ADR 13), for any page that shows the answer -----------------------------

FIRST_BENEFIT_WORDS = (
    "a linked metric showing a real improvement (a special cause on its chart or, with fewer than "
    f"{improvement.MIN_SPC_POINTS} points, {improvement.SUSTAINED_RUN} in a row better than its baseline)"
)
BASIS_WORDS = {
    "spc": "from its chart",
    "baseline": f"{improvement.SUSTAINED_RUN} in a row against the baseline; too few points for a chart yet",
    "no_direction": "neither direction is better",
    "no_baseline": "no baseline, and too few points for a chart yet",
}


def better_words(answer: improvement.Assessment) -> str:
    """ "Better", "Not better yet" or "Cannot tell", with how we know."""
    verdict = "Cannot tell" if answer.better is None else "Better" if answer.better else "Not better yet"
    return f"{verdict} ({BASIS_WORDS[answer.basis]})"


# "Is it working?" in words, and an initiative's impact section ----------------------------------


@dataclass(frozen=True)
class Driver:
    metric_id: int
    name: str
    kind: str
    variation_icon: str
    variation: str  # the icon in words
    point_count: int


@dataclass(frozen=True)
class VerdictDisplay:
    state: str
    label: str
    explanation: str
    drivers: list[Driver]
    warnings: list[str]  # the flags in words, stale data included
    flags: list[str]  # codes, with "stale" when any linked metric's data is stale

    @property
    def min_points(self) -> int:
        return verdicts.MIN_POINTS


def verdict_words(figures: verdicts.VerdictFigures) -> VerdictDisplay:
    """The verdict as `templates/metrics/_verdict.html` shows it, with a warning for each linked
    metric whose data is stale."""
    # "stale" is said metric by metric below, not as a flag.
    flags = [flag for flag in figures.flags if not (flag == "stale" and figures.stale)]
    warnings = [verdicts.FLAG_LABELS.get(flag, flag.replace("_", " ").capitalize()) for flag in flags]
    for measure in figures.stale:
        if measure.latest_period is None:
            warnings.append(f"{measure.name} has no data yet")
        else:
            warnings.append(
                f"{measure.name} has no data since {period_label(measure.latest_period, measure.frequency)}"
            )
    return VerdictDisplay(
        state=figures.state,
        label=verdicts.STATE_LABELS.get(figures.state, figures.state),
        explanation=verdicts.STATE_EXPLANATIONS.get(figures.state, ""),
        drivers=[
            Driver(
                metric_id=d.metric_id,
                name=d.name,
                kind=d.kind,
                variation_icon=d.variation_icon,
                variation=charts.variation_words(d.variation_icon or None),
                point_count=d.point_count,
            )
            for d in figures.drivers
        ],
        warnings=warnings,
        flags=list(figures.flags),
    )


def verdict_for_display(verdict: Verdict | None, metrics: Sequence[Metric], today: dt.date) -> VerdictDisplay:
    """The stored verdict (or one decided now) in words, with stale data."""
    return verdict_words(verdicts.verdict_figures(verdict, metrics, today))


@dataclass(frozen=True)
class ImpactSection:
    """An initiative's "Is it working?" section: the verdict in words and each metric's chart,
    impact measures first."""

    verdict: VerdictDisplay
    charts: list[Chart]

    @property
    def impact_charts(self) -> list[Chart]:
        return [c for c in self.charts if c.metric.kind in IMPACT_KINDS]

    @property
    def other_charts(self) -> list[Chart]:
        return [c for c in self.charts if c.metric.kind not in IMPACT_KINDS]


def impact_section(verdict: verdicts.VerdictFigures, series: Sequence[Series]) -> ImpactSection:
    return ImpactSection(verdict=verdict_words(verdict), charts=[charts.chart(s) for s in series])
