"""Read-side queries for the portfolio pages.

Each function issues a fixed number of queries whatever the size of the portfolio: counts are
aggregated in the database and per-initiative facts come from annotated subqueries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from headway.accounts.models import Organisation
from headway.accounts.people import names_of
from headway.history import HistoryEntry, history_entries
from headway.lib.weeks import checkpoint_state, recent_weeks, week_start
from headway.metrics import charts as metric_charts
from headway.metrics.models import FREQUENCY_DAYS, IMPACT_KINDS, Kind, Metric, Verdict
from headway.metrics.series import build_series
from headway.metrics.verdicts import FLAG_LABELS, STATE_LABELS, VerdictDisplay, verdict_for_display
from headway.portfolio.models import (
    CONFIDENCE_RANK,
    Checkpoint,
    Confidence,
    Decision,
    Initiative,
    Phase,
    Risk,
    Status,
    UserNeed,
    confidence_choices,
)

# Keyed by plain strings so annotated values (str) can be looked up.
RANK: dict[str, int] = {str(k): v for k, v in CONFIDENCE_RANK.items()}
LABELS: dict[str, str] = {str(k): str(v) for k, v in Confidence.choices}

CHECKPOINT_STATE_LABELS = {"up_to_date": "Up to date", "due": "Due this week", "overdue": "Overdue"}


def _confidence_rank() -> Case:
    return Case(
        *[When(current_confidence=value, then=Value(rank)) for value, rank in CONFIDENCE_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def overdue_before(today: dt.date) -> dt.date:
    """An active initiative whose last checkpoint (or start) is before this date is overdue.

    Matches lib.weeks.checkpoint_state: two or more whole weeks since the reference week.
    """
    return week_start(today) - dt.timedelta(days=7)


def overdue_q(today: dt.date) -> Q:
    return Q(status=Status.ACTIVE, checkpoint_reference__lt=overdue_before(today))


def annotated_initiatives(organisation: Organisation) -> QuerySet[Initiative]:
    return Initiative.objects.for_organisation(organisation).annotate(
        confidence_rank=_confidence_rank(),
        checkpoint_reference=Coalesce("last_checkpoint_week", "start_date"),
    )


def state_of(initiative: Initiative, today: dt.date) -> str | None:
    """The checkpoint state of an annotated initiative; None when it owes no checkpoint."""
    if initiative.status != Status.ACTIVE:
        return None
    return checkpoint_state(getattr(initiative, "last_checkpoint_week", None), initiative.start_date, today)


def portfolio(organisation: Organisation, filters: Mapping[str, Any], today: dt.date) -> QuerySet[Initiative]:
    """The filtered, sorted portfolio list. `filters` is a cleaned PortfolioFilterForm."""
    from headway.portfolio.forms import SORTS

    qs = annotated_initiatives(organisation).select_related("sro", "delivery_lead", "verdict")
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=text) | Q(reference__icontains=text) | Q(problem__icontains=text))
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if phase := filters.get("phase"):
        qs = qs.filter(phase=phase)
    if goal := filters.get("goal"):
        qs = qs.filter(goals=goal)
    if confidence := filters.get("confidence"):
        # "none" means no checkpoint yet, stored as an empty rating.
        qs = qs.filter(current_confidence="" if confidence == "none" else confidence)
    if working := filters.get("working"):
        # An initiative with no verdict row has never had a metric linked: "not measured".
        matches = Q(verdict__state=working)
        if working == Verdict.State.NOT_MEASURED:
            matches |= Q(verdict__isnull=True)
        qs = qs.filter(matches)
    if filters.get("overdue"):
        qs = qs.filter(overdue_q(today))
    column = SORTS.get(filters.get("sort") or "reference", "reference")
    descending = filters.get("order") == "desc"
    if column == "planned_go_live":
        ordering = [
            # Empty dates last, whichever way.
            Case(When(planned_go_live__isnull=True, then=Value(1)), default=Value(0)).asc(),
            "-planned_go_live" if descending else "planned_go_live",
        ]
    else:
        ordering = [f"-{column}" if descending else column]
    return qs.order_by(*ordering, "reference")


def recent_decisions(organisation: Organisation, limit: int = 5) -> list[Decision]:
    return list(
        Decision.objects.for_organisation(organisation)
        .select_related("initiative")
        .order_by("-decided_on", "-pk")[:limit]
    )


@dataclass
class Glance:
    by_status: list[tuple[str, str, int]]
    by_phase: list[tuple[str, str, int]]
    active: int
    wip_limit: int
    overdue: list[Initiative]
    confidence_now: list[tuple[str, str, int]]
    no_checkpoint: int
    weeks: list[dt.date]
    confidence_by_week: list[tuple[dt.date, list[int], int]]
    fallen: list[dict[str, Any]]
    decisions: list[Decision]
    open_risks: int
    risks_review_overdue: int
    extreme_risks: int
    total: int = 0
    scale: list[tuple[str, str]] = field(default_factory=list)
    # "Is it working?" for active initiatives (ADR 7).
    verdicts: list[tuple[str, str, int]] = field(default_factory=list)
    deteriorating: list[Initiative] = field(default_factory=list)
    verdict_flags: list[tuple[str, str, int]] = field(default_factory=list)
    stale: int = 0

    @property
    def over_wip_limit(self) -> bool:
        return self.active > self.wip_limit

    @property
    def over_by(self) -> int:
        return max(self.active - self.wip_limit, 0)


def glance(organisation: Organisation, today: dt.date) -> Glance:
    initiatives = Initiative.objects.for_organisation(organisation)
    status_counts = dict(initiatives.order_by().values_list("status").annotate(n=Count("pk")))
    phase_counts = dict(
        initiatives.filter(status__in=[Status.PROPOSED, Status.ACTIVE, Status.PAUSED])
        .order_by()
        .values_list("phase")
        .annotate(n=Count("pk"))
    )
    active = status_counts.get(Status.ACTIVE, 0)

    overdue = list(
        annotated_initiatives(organisation)
        .filter(overdue_q(today))
        .select_related("delivery_lead")
        .order_by("checkpoint_reference", "reference")  # type: ignore[misc]
    )

    confidence_counts = dict(
        Initiative.objects.for_organisation(organisation)
        .in_progress()
        .order_by()
        .values_list("current_confidence")
        .annotate(n=Count("pk"))
    )
    scale = confidence_choices(organisation)
    # Ratings outside the current scale (recorded before a change of scale) still count.
    labels = LABELS
    used: list[str] = [str(value) for value, _ in scale]
    used += [str(v) for v in confidence_counts if v and v not in used]
    used.sort(key=lambda v: -RANK.get(v, 0))
    columns: list[tuple[str, str]] = [(v, labels.get(v, v)) for v in used]
    confidence_now = [(v, label, confidence_counts.get(v, 0)) for v, label in columns]

    weeks = recent_weeks(today, 4)
    rows = list(
        Checkpoint.objects.filter(
            initiative__organisation=organisation,
            initiative__status=Status.ACTIVE,
            week_start__gte=weeks[0],
            week_start__lte=weeks[-1],
        )
        .order_by("initiative_id", "week_start")
        .values_list("initiative_id", "initiative__reference", "initiative__title", "week_start", "confidence")
    )
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    series: dict[int, list[tuple[dt.date, str, str, str]]] = defaultdict(list)
    for pk, reference, title, week, rating in rows:
        counts[week][rating] += 1
        series[pk].append((week, rating, reference, title))
        if rating not in used:
            used.append(rating)
            columns.append((rating, labels.get(rating, rating)))
    by_week = [
        (week, [counts[week].get(v, 0) for v, _ in columns], max(active - sum(counts[week].values()), 0))
        for week in weeks
    ]
    fallen: list[dict[str, Any]] = []
    for pk, points in series.items():
        first, last = points[0], points[-1]
        if RANK.get(last[1], 0) < RANK.get(first[1], 0):
            fallen.append(
                {
                    "pk": pk,
                    "reference": last[2],
                    "title": last[3],
                    "from": labels.get(first[1], first[1]),
                    "from_value": first[1],
                    "to": labels.get(last[1], last[1]),
                    "to_value": last[1],
                    "since": first[0],
                }
            )
    fallen.sort(key=lambda f: str(f["reference"]))

    risk_counts = (
        Risk.objects.for_organisation(organisation)
        .open()
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(next_review__lt=today)),
            extreme=Count(
                "pk",
                filter=Q(likelihood__gte=3, consequence__gte=5)
                | Q(likelihood__gte=4, consequence__gte=4)
                | Q(likelihood__gte=5, consequence__gte=3),
            ),
        )
    )

    return Glance(
        by_status=[(value, label, status_counts.get(value, 0)) for value, label in Status.choices],
        by_phase=[(value, label, phase_counts.get(value, 0)) for value, label in Phase.choices],
        active=active,
        wip_limit=organisation.wip_limit,
        overdue=overdue,
        confidence_now=confidence_now,
        no_checkpoint=confidence_counts.get("", 0),
        weeks=weeks,
        confidence_by_week=by_week,
        fallen=fallen,
        decisions=recent_decisions(organisation),
        open_risks=risk_counts["open"],
        risks_review_overdue=risk_counts["overdue"],
        extreme_risks=risk_counts["extreme"],
        total=sum(status_counts.values()),
        scale=columns,
        **is_it_working(organisation, today),
    )


# "Is it working?" ------------------------------------------------------------------------------

# Worst first: the order the board should read them in.
VERDICT_ORDER = [
    Verdict.State.DETERIORATING,
    Verdict.State.NOT_MEASURED,
    Verdict.State.NOT_ENOUGH_DATA,
    Verdict.State.NO_CHANGE,
    Verdict.State.IMPROVING,
]


def verdict_state(initiative: Initiative) -> str:
    """The stored verdict's state; an initiative without one has never had a metric: not measured."""
    verdict = getattr(initiative, "verdict", None)  # select_related caches a missing row as None
    return verdict.state if verdict is not None else Verdict.State.NOT_MEASURED


def stale_q(today: dt.date, prefix: str = "") -> Q:
    """Metrics whose newest data is older than twice their frequency, or that have none (as
    Metric.is_stale)."""
    q = Q(**{f"{prefix}latest_period__isnull": True})
    for frequency, days in FREQUENCY_DAYS.items():
        q |= Q(**{f"{prefix}frequency": frequency, f"{prefix}latest_period__lt": today - dt.timedelta(days=2 * days)})
    return q


def is_it_working(organisation: Organisation, today: dt.date) -> dict[str, Any]:
    """The glance page's "is it working?" figures for active initiatives, in three queries."""
    active = Initiative.objects.for_organisation(organisation).filter(status=Status.ACTIVE)
    counts: dict[str, int] = defaultdict(int)
    flags: dict[str, int] = defaultdict(int)
    for state, verdict_flags in active.order_by().values_list("verdict__state", "verdict__flags"):
        counts[state or Verdict.State.NOT_MEASURED] += 1
        for flag in verdict_flags if state else ["no_outcome_or_adoption"]:
            flags[flag] += 1
    deteriorating = list(
        active.filter(verdict__state=Verdict.State.DETERIORATING).select_related("verdict").order_by("reference")
    )
    stale = (
        active.filter(stale_q(today, "metrics__"), metrics__kind__in=IMPACT_KINDS).order_by().values("pk").distinct()
    ).count()
    return {
        "verdicts": [(str(state), STATE_LABELS[state], counts.get(state, 0)) for state in VERDICT_ORDER],
        "deteriorating": deteriorating,
        "verdict_flags": [(flag, label, flags[flag]) for flag, label in FLAG_LABELS.items() if flags.get(flag)],
        "stale": stale,
    }


@dataclass
class Impact:
    verdict: VerdictDisplay
    charts: list[metric_charts.Chart]

    @property
    def impact_charts(self) -> list[metric_charts.Chart]:
        return [c for c in self.charts if c.metric.kind in IMPACT_KINDS]

    @property
    def other_charts(self) -> list[metric_charts.Chart]:
        return [c for c in self.charts if c.metric.kind not in IMPACT_KINDS]


def impact(initiative: Initiative, today: dt.date) -> Impact:
    """The initiative's verdict and the charts of its metrics, in four queries however many metrics
    it has (its verdict, its metrics, their observations, their annotations)."""
    try:
        verdict: Verdict | None = initiative.verdict  # type: ignore[attr-defined]
    except Verdict.DoesNotExist:
        verdict = None
    metrics: list[Metric] = sorted(
        initiative.metrics.prefetch_related("observations", "annotations"),  # type: ignore[attr-defined]
        key=lambda m: (m.kind not in IMPACT_KINDS, m.kind == Kind.ACTIVITY, m.name.lower()),
    )
    charts = [metric_charts.chart(build_series(m, m.observations.all(), m.annotations.all())) for m in metrics]
    return Impact(verdict=verdict_for_display(verdict, metrics, today), charts=charts)


@dataclass
class TimelineEntry:
    when: dt.date
    kind: str  # "checkpoint" or "decision"
    item: Checkpoint | Decision


def timeline(initiative: Initiative, since: dt.date | None) -> list[TimelineEntry]:
    """Checkpoints and decisions mixed, newest first; `since` limits how far back."""
    checkpoints = initiative.checkpoints.select_related("recorded_by")
    decisions = initiative.decisions.select_related("recorded_by")
    if since is not None:
        checkpoints = checkpoints.filter(week_start__gte=since)
        decisions = decisions.filter(decided_on__gte=since)
    entries = [TimelineEntry(c.week_start, "checkpoint", c) for c in checkpoints] + [
        TimelineEntry(d.decided_on, "decision", d) for d in decisions
    ]
    # On the same day a decision sits above the checkpoint that led to it.
    entries.sort(key=lambda e: (e.when, e.kind == "decision"), reverse=True)
    return entries


# History ---------------------------------------------------------------------------------------


def _describe(model: type[Model], record: Any) -> str:
    if model is Initiative:
        return "Initiative"
    if model is Checkpoint:
        return f"Checkpoint, week of {record.week_start:%d %B %Y}"
    if model is Decision:
        return f"Decision: {dict(Decision.Kind.choices).get(record.kind, record.kind)}"
    if model is Risk:
        return f"Risk: {record.title}"
    if model is UserNeed:
        return f"User need: {record.statement[:60]}"
    return model.__name__


def history(initiative: Initiative) -> list[HistoryEntry]:
    """Every recorded change to the initiative and the records that belong to it, newest first."""
    people = names_of(initiative.organisation_id)
    sources: list[tuple[type[Model], Any]] = [
        (Initiative, Initiative.history.filter(id=initiative.pk)),  # type: ignore[attr-defined]
        (UserNeed, UserNeed.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
        (Checkpoint, Checkpoint.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
        (Decision, Decision.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
        (Risk, Risk.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
    ]
    return history_entries(sources, people, describe=_describe, skip={"initiative"})
