""" "Is it working?" — one verdict per initiative, from its metrics' SPC summaries (ADR 7).

The rules, in order (the first that applies decides):

1. Only outcome, adoption and experience metrics (`IMPACT_KINDS`) can show that an initiative is
   working. Financial and activity metrics are shown on the page but never decide the verdict:
   counting activity (logins, tickets closed) says nothing about whether patients or staff are
   better off.
2. No impact metric linked → **not measured**, flagged `no_outcome_or_adoption`; also flagged
   `activity_only` when every linked metric counts activity.
3. Impact metrics, but none with at least `MIN_POINTS` points → **not enough data**. The drivers
   are the impact metrics still gathering points. `MIN_POINTS` is `spc.TRIAL_BELOW` (13):
   NHSRplotthedots 0.2.2 treats the limits of a period with fewer points as trial limits, which
   move with every new point, so a special cause read from them is not yet safe to report to a
   board. (The package's warning text says "n < 12"; its code uses 13, and so do we.)
4. Any impact metric with enough points whose latest point is a special cause concern
   (variation icon `concern_high` or `concern_low`) → **deteriorating**; the drivers are those
   metrics. One worsening measure outweighs others improving, because a board needs to know
   about harm first; the flag `mixed` says that something else is improving.
5. Otherwise any that `improvement.assess` calls better (with enough points that is a special
   cause improvement, `improvement_high` or `improvement_low`: the one rule every page uses,
   ADR 13) → **improving**; the drivers are those metrics.
6. Otherwise → **no change yet**; the drivers are every impact metric with enough points.

Impact metrics with too few points alongside ones with enough are flagged `some_without_enough_data`.

Staleness (no data for twice the metric's frequency) depends on today's date, so it is not
stored: `verdict_figures` adds it when a page is shown.

`decide` is pure (no database); `refresh_verdicts` reads the cached summaries and writes the
verdicts in a fixed number of queries, however many initiatives it is given.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from headway.metrics import improvement
from headway.metrics.models import IMPACT_KINDS, Kind, Metric, Verdict
from headway.portfolio.models import Initiative

MIN_POINTS: int = improvement.MIN_SPC_POINTS

_IMPACT = frozenset(str(kind) for kind in IMPACT_KINDS)

State = Verdict.State

STATE_LABELS: dict[str, str] = {str(value): str(label) for value, label in State.choices}

# What each state means, in a sentence a board member can read aloud.
STATE_EXPLANATIONS: dict[str, str] = {
    State.IMPROVING: "At least one outcome, adoption or experience measure shows a real improvement "
    "(special cause variation), and none shows a real deterioration.",
    State.NO_CHANGE: "Its measures vary only as much as they always have (common cause variation): no real change yet.",
    State.DETERIORATING: "At least one outcome, adoption or experience measure shows a real deterioration "
    "(special cause concern).",
    State.NOT_MEASURED: "No outcome, adoption or experience measure is linked to it, so nobody can tell "
    "whether it is working.",
    State.NOT_ENOUGH_DATA: f"Its measures have fewer than {MIN_POINTS} points so far: too few to tell a real "
    "change from normal variation.",
}

FLAG_LABELS: dict[str, str] = {
    "no_outcome_or_adoption": "No outcome, adoption or experience measure is linked",
    "activity_only": "Only activity is counted, which does not show impact",
    "mixed": "Some measures are improving while another deteriorates",
    "some_without_enough_data": f"Some measures have fewer than {MIN_POINTS} points and are not yet counted",
}


@dataclass(frozen=True)
class MetricSummary:
    id: int
    name: str
    kind: str
    point_count: int
    variation_icon: str | None
    improvement_direction: str = "increase"

    @property
    def is_impact(self) -> bool:
        return self.kind in _IMPACT

    @property
    def has_enough_data(self) -> bool:
        return improvement.uses_spc(self.point_count)

    @property
    def is_better(self) -> bool:
        # No baseline is passed: the verdict reads only metrics with enough points, which SPC decides.
        answer = improvement.assess(
            direction=self.improvement_direction,
            baseline=None,
            point_count=self.point_count,
            variation_icon=self.variation_icon,
        )
        return bool(answer.better)

    def as_driver(self) -> dict[str, Any]:
        return {
            "metric": self.id,
            "name": self.name,
            "kind": self.kind,
            "variation_icon": self.variation_icon or "",
            "point_count": self.point_count,
        }


@dataclass(frozen=True)
class Decision:
    state: str
    drivers: list[dict[str, Any]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def decide(metrics: Sequence[MetricSummary]) -> Decision:
    """The verdict for one initiative from the summaries of the metrics linked to it."""
    impact = sorted((m for m in metrics if m.is_impact), key=lambda m: (m.name, m.id))
    if not impact:
        flags = ["no_outcome_or_adoption"]
        if metrics and all(m.kind == Kind.ACTIVITY for m in metrics):
            flags.append("activity_only")
        return Decision(State.NOT_MEASURED, [], flags)
    ready = [m for m in impact if m.has_enough_data]
    if not ready:
        return Decision(State.NOT_ENOUGH_DATA, [m.as_driver() for m in impact], [])
    flags = ["some_without_enough_data"] if len(ready) < len(impact) else []
    concerns = [m for m in ready if (m.variation_icon or "").startswith("concern")]
    improvements = [m for m in ready if m.is_better]
    if concerns:
        if improvements:
            flags.insert(0, "mixed")
        return Decision(State.DETERIORATING, [m.as_driver() for m in concerns], flags)
    if improvements:
        return Decision(State.IMPROVING, [m.as_driver() for m in improvements], flags)
    return Decision(State.NO_CHANGE, [m.as_driver() for m in ready], flags)


def refresh_verdicts(initiative_ids: Iterable[int]) -> None:
    """Recompute and store the verdicts of these initiatives from their metrics' cached summaries.

    Two queries (plus the upsert's batches on very large sets): one reads every initiative with
    its linked metrics, one inserts or updates the verdicts. Ids of initiatives that no longer
    exist are ignored."""
    ids = sorted(set(initiative_ids))
    if not ids:
        return
    rows = (
        Initiative.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "metrics__id",
            "metrics__name",
            "metrics__kind",
            "metrics__point_count",
            "metrics__variation_icon",
            "metrics__improvement_direction",
        )
    )
    linked: dict[int, list[MetricSummary]] = defaultdict(list)
    found: set[int] = set()
    for pk, metric_id, name, kind, points, icon, direction in rows:
        found.add(pk)
        if metric_id is not None:
            linked[pk].append(MetricSummary(metric_id, name, kind, points or 0, icon or None, direction))
    verdicts = []
    for pk in sorted(found):
        decision = decide(linked[pk])
        verdicts.append(Verdict(initiative_id=pk, state=decision.state, drivers=decision.drivers, flags=decision.flags))
    Verdict.objects.bulk_create(
        verdicts,
        update_conflicts=True,
        unique_fields=["initiative"],
        update_fields=["state", "drivers", "flags", "updated_at"],
    )


def summary_of(metric: Metric) -> MetricSummary:
    return MetricSummary(
        id=metric.pk,
        name=metric.name,
        kind=metric.kind,
        point_count=metric.point_count,
        variation_icon=metric.variation_icon or None,
        improvement_direction=metric.improvement_direction,
    )


# For pages, the board pack and the API ----------------------------------------------------------


@dataclass(frozen=True)
class DriverFigures:
    """A measure behind a verdict, as stored with it."""

    metric_id: int
    name: str
    kind: str
    variation_icon: str
    point_count: int


@dataclass(frozen=True)
class StaleMeasure:
    """A linked metric whose data is out of date (`Metric.is_stale`); `latest_period` is None when
    it has no data at all."""

    name: str
    latest_period: dt.date | None
    frequency: str


@dataclass(frozen=True)
class VerdictFigures:
    """One initiative's verdict as figures: the stored one, or decided now from its metrics when
    none is stored yet, so a page never contradicts the charts below it. Staleness depends on
    today, so it is added here rather than stored. The words are `metrics.presenters.verdict_words`."""

    state: str
    drivers: list[DriverFigures]
    flags: list[str]  # codes, with "stale" when any linked metric's data is stale
    stale: list[StaleMeasure]


def verdict_figures(verdict: Verdict | None, metrics: Sequence[Metric], today: dt.date) -> VerdictFigures:
    if verdict is None:
        decision = decide([summary_of(m) for m in metrics])
        state, drivers, flags = decision.state, decision.drivers, list(decision.flags)
    else:
        state, drivers, flags = verdict.state, list(verdict.drivers or []), list(verdict.flags or [])
    stale = [StaleMeasure(m.name, m.latest_period, m.frequency) for m in metrics if m.is_stale(today)]
    if stale and "stale" not in flags:
        flags.append("stale")
    return VerdictFigures(
        state=state,
        drivers=[
            DriverFigures(
                metric_id=int(d.get("metric", 0)),
                name=str(d.get("name", "")),
                kind=str(d.get("kind", "")),
                variation_icon=str(d.get("variation_icon", "")),
                point_count=int(d.get("point_count", 0)),
            )
            for d in drivers
        ],
        flags=flags,
        stale=stale,
    )
