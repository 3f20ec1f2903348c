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

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from headway.accounts.models import Organisation
from headway.lib.weeks import checkpoint_state, recent_weeks, week_start
from headway.portfolio.models import (
    CONFIDENCE_RANK,
    EXTREME_RISK,
    Checkpoint,
    Comment,
    Decision,
    Initiative,
    Phase,
    Risk,
    Service,
    Status,
    StrategicGoal,
    UserNeed,
    confidence_choices,
    reversible,
)

# Keyed by plain strings so annotated values (str) can be looked up.
RANK: dict[str, int] = {str(k): v for k, v in CONFIDENCE_RANK.items()}


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


# The portfolio list's status filter can ask for every initiative still in play at once: the ones
# at-a-glance counts by phase.
CURRENT = "current"
CURRENT_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.PAUSED)

# The risk register's level filter: the NHS 5×5 bands of `Risk.rating`, as score ranges.
RISK_BANDS: dict[str, tuple[int, int]] = {"extreme": (15, 25), "high": (8, 12), "moderate": (4, 6), "low": (1, 3)}


def decision_log(organisation: Organisation, kind: str) -> QuerySet[Decision]:
    """The decision log, newest first; `kind` narrows it to one kind of decision when it names one
    (anything else shows them all, as the page always has)."""
    decisions = Decision.objects.for_organisation(organisation).select_related(
        "initiative", "recorded_by", "reverses", "reversed_by"
    )
    if kind in Decision.Kind.values:
        decisions = decisions.filter(kind=kind)
    return decisions.order_by("-decided_on", "-pk")


def risk_register(organisation: Organisation, filters: Mapping[str, Any], today: dt.date) -> list[Risk]:
    """The open risks, highest score first, filtered by a cleaned `RiskFilterForm`."""
    qs = Risk.objects.for_organisation(organisation).open().select_related("initiative", "owner", "principal_risk")
    if level := filters.get("level"):
        low, high = RISK_BANDS[level]
        qs = qs.annotate(score_value=F("likelihood") * F("consequence")).filter(
            score_value__gte=low, score_value__lte=high
        )
    if filters.get("review_overdue"):
        qs = qs.filter(next_review__lt=today)
    risks = list(qs)
    risks.sort(key=lambda r: (-r.score, r.next_review, r.pk))
    return risks


def asks_since(today: dt.date) -> dt.date:
    """The asks of the board still current: those in this week's and last week's checkpoints."""
    return week_start(today) - dt.timedelta(weeks=1)


def asking_q(today: dt.date) -> Q:
    """Initiatives whose checkpoint this week or last week asks the board for something: the
    asks at-a-glance names (`assurance.glance.named`)."""
    asking = Checkpoint.objects.filter(initiative=OuterRef("pk"), week_start__gte=asks_since(today)).exclude(
        asks_of_the_board=""
    )
    return Q(Exists(asking))


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
    """The filtered, sorted portfolio list. `filters` is a cleaned PortfolioFilterForm.

    Whether each initiative is working is the metrics app's answer: the page that shows it beside
    the portfolio (`assurance.portfolio_list`) adds that filter and column."""
    from headway.portfolio.forms import SORTS

    qs = annotated_initiatives(organisation).select_related("sro", "delivery_lead")
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=text) | Q(reference__icontains=text) | Q(problem__icontains=text))
    if status := filters.get("status"):
        qs = qs.filter(status__in=CURRENT_STATUSES) if status == CURRENT else qs.filter(status=status)
    if phase := filters.get("phase"):
        qs = qs.filter(phase=phase)
    if goal := filters.get("goal"):
        qs = qs.filter(goals=goal)
    if confidence := filters.get("confidence"):
        # "none" means no checkpoint yet, stored as an empty rating.
        qs = qs.filter(current_confidence="" if confidence == "none" else confidence)
    if filters.get("overdue"):
        qs = qs.filter(overdue_q(today))
    if filters.get("asks"):
        qs = qs.filter(asking_q(today))
    if week := filters.get("week"):
        # One filter() call, so the week and the rating are the same checkpoint's.
        rating = filters.get("week_confidence")
        if rating == "none":
            qs = qs.exclude(checkpoints__week_start=week)
        elif rating:
            qs = qs.filter(checkpoints__week_start=week, checkpoints__confidence=rating)
        else:
            qs = qs.filter(checkpoints__week_start=week)
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
        .select_related("initiative", "reversed_by")
        .order_by("-decided_on", "-pk")[:limit]
    )


@dataclass(frozen=True)
class FallenConfidence:
    """An active initiative whose delivery confidence is lower than four weeks ago."""

    pk: int
    reference: str
    title: str
    was: str  # ratings as stored ("green"); the page words them
    now: str
    since: dt.date


@dataclass
class PortfolioGlance:
    """The portfolio's own figures for the at-a-glance page (`assurance.glance` adds the rest):
    values as stored and counts, worded by the page that shows them."""

    by_status: list[tuple[str, int]]  # (status, initiatives), every status in order
    by_phase: list[tuple[str, int]]  # (phase, initiatives not stopped or completed)
    active: int
    wip_limit: int
    overdue: list[Initiative]
    confidence_now: list[tuple[str, int]]  # (rating, in-progress initiatives whose latest it is)
    no_checkpoint: int
    weeks: list[dt.date]
    confidence_by_week: list[tuple[dt.date, list[int], int]]  # (week, count per rating in `scale`, missing)
    fallen: list[FallenConfidence]
    decisions: list[Decision]
    open_risks: int
    risks_review_overdue: int
    extreme_risks: int
    total: int = 0
    scale: list[str] = field(default_factory=list)  # the ratings, best first, as the weekly columns

    @property
    def over_wip_limit(self) -> bool:
        return self.active > self.wip_limit

    @property
    def over_by(self) -> int:
        return max(self.active - self.wip_limit, 0)


def glance(organisation: Organisation, today: dt.date) -> PortfolioGlance:
    initiatives = Initiative.objects.for_organisation(organisation)
    status_counts = dict(initiatives.order_by().values_list("status").annotate(n=Count("pk")))
    phase_counts = dict(
        initiatives.filter(status__in=CURRENT_STATUSES).order_by().values_list("phase").annotate(n=Count("pk"))
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
    used: list[str] = [str(value) for value, _ in scale]
    used += [str(v) for v in confidence_counts if v and v not in used]
    used.sort(key=lambda v: -RANK.get(v, 0))
    confidence_now = [(v, confidence_counts.get(v, 0)) for v in used]

    weeks = recent_weeks(today, 4)
    # Ratings only (no join for names): the names are read for the few whose confidence fell.
    # Counting these rows here beat grouping and comparing in the database on both engines.
    rows = list(
        Checkpoint.objects.filter(
            initiative__organisation=organisation,
            initiative__status=Status.ACTIVE,
            week_start__gte=weeks[0],
            week_start__lte=weeks[-1],
        )
        .order_by("initiative_id", "week_start")
        .values_list("initiative_id", "week_start", "confidence")
    )
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    series: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for pk, week, rating in rows:
        counts[week][rating] += 1
        series[pk].append((week, rating))
        if rating not in used:
            used.append(rating)
    by_week = [
        (week, [counts[week].get(v, 0) for v in used], max(active - sum(counts[week].values()), 0)) for week in weeks
    ]
    fell = {
        pk: (points[0], points[-1])
        for pk, points in series.items()
        if RANK.get(points[-1][1], 0) < RANK.get(points[0][1], 0)
    }
    names = {
        pk: (reference, title)
        for pk, reference, title in (
            Initiative.objects.filter(pk__in=fell).order_by().values_list("pk", "reference", "title") if fell else ()
        )
    }
    fallen = [
        FallenConfidence(pk=pk, reference=names[pk][0], title=names[pk][1], was=first[1], now=last[1], since=first[0])
        for pk, (first, last) in fell.items()
    ]
    fallen.sort(key=lambda f: f.reference)

    risk_counts = (
        Risk.objects.for_organisation(organisation)
        .open()
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(next_review__lt=today)),
            extreme=Count("pk", filter=EXTREME_RISK),
        )
    )

    return PortfolioGlance(
        by_status=[(str(value), status_counts.get(value, 0)) for value in Status.values],
        by_phase=[(str(value), phase_counts.get(value, 0)) for value in Phase.values],
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
        scale=used,
    )


@dataclass
class TimelineEntry:
    when: dt.date
    kind: str  # "checkpoint" or "decision"
    item: Checkpoint | Decision


def timeline(initiative: Initiative, since: dt.date | None) -> list[TimelineEntry]:
    """Checkpoints and decisions mixed, newest first; `since` limits how far back."""
    checkpoints = initiative.checkpoints.select_related("recorded_by")
    decisions = initiative.decisions.select_related("recorded_by", "reverses", "reversed_by")
    if since is not None:
        checkpoints = checkpoints.filter(week_start__gte=since)
        decisions = decisions.filter(decided_on__gte=since)
    entries = [TimelineEntry(c.week_start, "checkpoint", c) for c in checkpoints] + [
        TimelineEntry(d.decided_on, "decision", d) for d in decisions
    ]
    # On the same day a decision sits above the checkpoint that led to it.
    entries.sort(key=lambda e: (e.when, e.kind == "decision"), reverse=True)
    return entries


def decision_behind_status(initiative: Initiative) -> Decision | None:
    """The newest decision that put the initiative in the status it has now, if any."""
    changed = [d for d in initiative.decisions.order_by("-pk") if d.changes_status]
    return next((d for d in changed[:1] if d.status_after == initiative.status), None)


def reversible_decisions(initiative: Initiative) -> set[int]:
    """The ids of the initiative's decisions that can be reversed now (`models.reversible`), in one query."""
    return reversible(
        initiative.decisions.only("pk", "kind", "status_before", "status_after", "reverses_id"), initiative.status
    )


# History ---------------------------------------------------------------------------------------


def history_sources(initiative: Initiative) -> list[tuple[type[Model], Any]]:
    """The history of the initiative and of the records that belong to it, for
    `headway.history.history_entries`; the initiative's history page (`assurance.views`) adds its money."""
    return [
        (Initiative, Initiative.history.filter(id=initiative.pk)),  # type: ignore[attr-defined]
        (UserNeed, UserNeed.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
        (Checkpoint, Checkpoint.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
        (Decision, Decision.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
        (Risk, Risk.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
        (Comment, Comment.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
    ]


def settings_history_sources(organisation: Organisation) -> list[tuple[type[Model], Any]]:
    """The history of the organisation's settings, goals and services."""
    return [
        (Organisation, Organisation.history.filter(id=organisation.pk)),  # type: ignore[attr-defined]
        (StrategicGoal, StrategicGoal.history.filter(organisation_id=organisation.pk)),  # type: ignore[attr-defined]
        (Service, Service.history.filter(organisation_id=organisation.pk)),  # type: ignore[attr-defined]
    ]


def risk_history_sources(organisation: Organisation) -> list[tuple[type[Model], Any]]:
    """The history of every risk in the register: the portfolio's own and each initiative's."""
    return [(Risk, Risk.history.filter(organisation_id=organisation.pk))]  # type: ignore[attr-defined]
