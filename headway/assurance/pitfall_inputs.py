"""Loading the facts the pitfall detectors read (`pitfalls.PortfolioFacts`), in a fixed number of
queries however many initiatives an organisation has.

The answers other apps own are read from them, not worked out again: the stored verdicts and
their flags (`metrics.verdicts`), the money checks (`finance.flags`, through `finance.figures`)
and the P80 cost to go-live (`finance.figures.class_forecasts`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber

from headway.accounts.models import Organisation
from headway.assurance.models import PitfallSettings
from headway.assurance.pitfalls import (
    NO_OUTCOME,
    Finding,
    InitiativeFacts,
    PortfolioFacts,
    TeamLoad,
    Thresholds,
    detect,
    for_initiative,
    months_ago,
)
from headway.finance import figures as finance_figures
from headway.finance import queries as finance_queries
from headway.lib import bounds
from headway.portfolio.models import Checkpoint, Decision, Initiative, Risk, Status, UserNeed
from headway.prioritisation.models import Candidate, Round, TeamCapacity


def thresholds_for(organisation: Organisation) -> Thresholds:
    found = PitfallSettings.objects.filter(organisation=organisation).first()
    return found.thresholds if found is not None else Thresholds()


_PERSON_UNREAD = ("password", "last_login", "date_joined", "job_title", "first_name", "last_name")
_UNREAD = (
    "problem",
    "patients_served",
    "staff_served",
    "created_at",
    "updated_at",
    # The verdict's state and flags are read; what drove it (a list per metric) is not.
    "verdict__drivers",
    "verdict__updated_at",
    *(f"{person}__{field}" for person in ("sro", "delivery_lead") for field in _PERSON_UNREAD),
)


def _name(user: object) -> str:
    if user is None:
        return ""
    return str(getattr(user, "full_name", "") or getattr(user, "email", ""))


def load(organisation: Organisation, today: dt.date, thresholds: Thresholds) -> PortfolioFacts:
    initiatives = (
        Initiative.objects.for_organisation(organisation)
        .select_related("verdict")
        # Long text and timestamps no detector or money check reads: at thousands of initiatives,
        # turning them into Python objects is a good part of the refresh's time.
        .defer(*_UNREAD)
    )
    money = finance_queries.load(initiatives)
    overview = finance_figures.overview(money, organisation.first_release_weeks, today)
    by_pk = {m.initiative.pk: m for m in overview.moneys}

    links: dict[int, tuple[int, int]] = {
        pk: (goals, services + joins)
        for pk, goals, services, joins in Initiative.objects.for_organisation(organisation)
        .order_by()
        .values_list("pk")
        .annotate(
            Count("goals", distinct=True), Count("services", distinct=True), Count("joins_up_with", distinct=True)
        )
    }
    needs: dict[int, tuple[int, int]] = {
        pk: (n, assumed)
        for pk, n, assumed in UserNeed.objects.filter(initiative__organisation=organisation)
        .order_by()
        .values_list("initiative_id")
        .annotate(n=Count("pk"), assumed=Count("pk", filter=Q(evidence=UserNeed.Evidence.ASSUMED)))
    }
    # The newest `unchanged_checkpoints` ratings, looked for over twice as many weeks so that a
    # missed week or two does not hide a rating that never moves.
    window = today - dt.timedelta(weeks=2 * thresholds.unchanged_checkpoints)
    recent: dict[int, list[str]] = defaultdict(list)
    # Numbered newest first within each initiative, so only the ratings the detector reads leave
    # the database (about half the rows of the window at the benchmark's scale).
    for initiative_id, confidence in (
        Checkpoint.objects.filter(
            initiative__organisation=organisation, initiative__status=Status.ACTIVE, week_start__gt=window
        )
        .annotate(newest=Window(RowNumber(), partition_by=F("initiative_id"), order_by=F("week_start").desc()))
        .filter(newest__lte=thresholds.unchanged_checkpoints)
        .order_by("initiative_id", "-week_start")
        .values_list("initiative_id", "confidence")
    ):
        recent[initiative_id].append(confidence)
    overdue = dict(
        Risk.objects.review_overdue(today)
        .filter(initiative__organisation=organisation)
        .order_by()
        .values_list("initiative_id")
        .annotate(n=Count("pk"))
    )
    # Only the decisions the detectors look at: those of the last year (or of the longest window a
    # threshold sets), and the date of the last stop or pause, however old.
    window_start = months_ago(today, max(12, thresholds.months_without_stop))
    recorded = (
        Decision.objects.for_organisation(organisation)
        .exclude(kind=Decision.Kind.REVERSE)
        .filter(reversed_by__isnull=True)
        .order_by()
    )
    decisions = tuple(
        (reference, kind, on, len(bounds.real_words(evidence)))
        for reference, kind, on, evidence in recorded.filter(decided_on__gt=window_start).values_list(
            "initiative__reference", "kind", "decided_on", "evidence"
        )
    )
    last_stop = recorded.filter(kind__in=[Decision.Kind.STOP, Decision.Kind.PAUSE]).aggregate(last=Max("decided_on"))[
        "last"
    ]
    round_, loads = team_loads(organisation)

    facts = []
    for pk, m in by_pk.items():
        i = m.initiative
        verdict = getattr(i, "verdict", None)
        p80 = None
        if m.latest is not None and i.status == Status.ACTIVE:  # only active work is judged on it
            p80 = finance_figures.class_forecasts(m.latest, overview.members, i).cost.p80
        goals, joins = links.get(pk, (0, 0))
        need_count, assumed = needs.get(pk, (0, 0))
        facts.append(
            InitiativeFacts(
                pk=pk,
                reference=i.reference,
                status=i.status,
                verdict_state=verdict.state if verdict is not None else "",
                verdict_flags=tuple(verdict.flags or ()) if verdict is not None else (NO_OUTCOME,),
                money_flags=tuple(f.code for f in m.flags),
                has_case=m.latest is not None,
                bias_scored=m.latest.bias.scored if m.latest is not None else 0,
                bias_mitigated=sum(1 for r in m.latest.bias.factors if r.mitigation > 0) if m.latest else 0,
                cost_bias=m.latest.bias.cost_bias if m.latest is not None else None,
                p80_cost=p80,
                funding_secured=m.funding_secured,
                unowned_benefits=sum(1 for b in m.latest.benefits if b.owner_id is None) if m.latest else 0,
                started_on=i.start_date,
                went_live_on=i.went_live_on,
                last_checkpoint_week=i.last_checkpoint_week,
                # Kept on the initiative by the checkpoint actions (ADR 6), not searched for here.
                last_demonstrated_week=i.last_demonstrated_week,
                last_reached_users_week=i.last_reached_users_week,
                recent_confidence=tuple(recent.get(pk, ())),
                current_confidence=i.current_confidence,
                sro=_name(i.sro),
                sro_directorate=i.sro_directorate,
                delivery_lead=_name(i.delivery_lead),
                goals=goals,
                joins=joins,
                user_needs=need_count,
                assumed_needs=assumed,
                riskiest_assumption=bool(i.riskiest_assumption.strip()),
                risks_past_review=overdue.get(pk, 0),
            )
        )
    return PortfolioFacts(
        today=today,
        wip_limit=organisation.wip_limit,
        initiatives=tuple(sorted(facts, key=lambda f: f.reference)),
        decisions=decisions,
        last_stop=last_stop,
        round_name=round_.name if round_ is not None else "",
        round_pk=round_.pk if round_ is not None else None,
        team_loads=loads,
    )


def team_loads(organisation: Organisation) -> tuple[Round | None, tuple[TeamLoad, ...]]:
    """Each team's days per quarter in the organisation's latest real prioritisation round, against
    the days its active, not withdrawn, candidates ask for (three queries)."""
    round_ = Round.objects.for_organisation(organisation).rounds().order_by("-held_on", "-pk").first()
    if round_ is None:
        return None, ()
    capacities = list(TeamCapacity.objects.filter(round=round_).order_by("team", "quarter"))
    candidates = list(
        Candidate.objects.filter(round=round_, withdrawn_by__isnull=True, initiative__status=Status.ACTIVE)
        .order_by("initiative__reference")
        .values_list("initiative__reference", "team_demand")
    )
    loads = []
    for capacity in capacities:
        asking = []
        demand = 0.0
        for reference, wanted in candidates:
            days = float((wanted or {}).get(capacity.team, {}).get(capacity.quarter, 0) or 0)
            if days > 0:
                asking.append(reference)
                demand += days
        loads.append(TeamLoad(capacity.team, capacity.quarter, capacity.days, demand, tuple(asking)))
    return round_, tuple(loads)


def findings(organisation: Organisation, today: dt.date) -> list[Finding]:
    """Every pitfall found for the organisation, with its own thresholds."""
    thresholds = thresholds_for(organisation)
    return detect(load(organisation, today, thresholds), thresholds)


def initiative_findings(initiative: Initiative, today: dt.date) -> list[Finding]:
    """The findings that name this initiative (for its page). The portfolio's facts are loaded
    whole, because some checks (one person on too many initiatives, one holding most of the
    money) compare it with the rest."""
    return for_initiative(findings(initiative.organisation, today), initiative.reference)
