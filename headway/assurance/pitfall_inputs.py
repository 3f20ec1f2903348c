"""Loading the facts the pitfall detectors read (`pitfalls.PortfolioFacts`), in a fixed number of
queries however many initiatives an organisation has.

The answers other apps own are read from them, not worked out again: the stored verdicts and
their flags (`metrics.verdicts`), the money checks (`finance.flags`, through `finance.figures`)
and the P80 cost to go-live (`finance.figures.class_forecasts`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Max, Model, Q

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
from headway.metrics.models import Verdict
from headway.portfolio.models import Checkpoint, Decision, Initiative, Risk, Status, UserNeed
from headway.prioritisation.models import Candidate, Round, TeamCapacity


def thresholds_for(organisation: Organisation) -> Thresholds:
    found = PitfallSettings.objects.filter(organisation=organisation).first()
    return found.thresholds if found is not None else Thresholds()


_UNREAD = ("problem", "patients_served", "staff_served", "created_at", "updated_at")


def _name(user: object) -> str:
    if user is None:
        return ""
    return str(getattr(user, "full_name", "") or getattr(user, "email", ""))


def _links_per_initiative(through: type[Model], column: str, organisation: Organisation) -> dict[int, int]:
    return dict(
        through._default_manager.filter(**{f"{column}__organisation": organisation})
        .order_by()
        .values_list(f"{column}_id")
        .annotate(n=Count("pk"))
        .values_list(f"{column}_id", "n")
    )


def load(organisation: Organisation, today: dt.date, thresholds: Thresholds) -> PortfolioFacts:
    # Long text and timestamps no detector or money check reads: at thousands of initiatives,
    # turning them into Python objects is a good part of the refresh's time.
    initiatives = Initiative.objects.for_organisation(organisation).defer(*_UNREAD)
    money = finance_queries.load(initiatives)
    # Each initiative's money and the track record, without the portfolio's totals by year.
    by_pk = {i.pk: finance_figures.initiative_money(money, i, today) for i in money.initiatives}
    members = finance_figures.reference_class(money)
    # The verdict's state and flags are read; what drove it (a list per metric) is not.
    verdicts: dict[int, tuple[str, tuple[str, ...]]] = {
        initiative_id: (state, tuple(flags or ()))
        for initiative_id, state, flags in Verdict.objects.filter(initiative__organisation=organisation).values_list(
            "initiative_id", "state", "flags"
        )
    }

    # Counted in each link table on its own: joining all three and counting distinct rows costs
    # several times as much (on SQLite most of all). Each pair is stored once, so rows are links.
    goals = _links_per_initiative(Initiative.goals.through, "initiative", organisation)
    services = _links_per_initiative(Initiative.services.through, "initiative", organisation)
    joins_up = _links_per_initiative(Initiative.joins_up_with.through, "from_initiative", organisation)
    needs: dict[int, tuple[int, int]] = {
        pk: (n, assumed)
        for pk, n, assumed in UserNeed.objects.filter(initiative__organisation=organisation)
        .order_by()
        .values_list("initiative_id")
        .annotate(n=Count("pk"), assumed=Count("pk", filter=Q(evidence=UserNeed.Evidence.ASSUMED)))
    }
    # How many checkpoints running share the newest one's rating: those since the newest week rated
    # otherwise (kept on the initiative, ADR 36), counted over twice `unchanged_checkpoints` weeks so
    # that a missed week or two does not hide a rating that never moves.
    window = today - dt.timedelta(weeks=2 * thresholds.unchanged_checkpoints)
    steady = dict(
        Checkpoint.objects.filter(
            initiative__organisation=organisation, initiative__status=Status.ACTIVE, week_start__gt=window
        )
        .filter(
            Q(initiative__confidence_changed_week__isnull=True)
            | Q(week_start__gt=F("initiative__confidence_changed_week"))
        )
        .order_by()
        .values_list("initiative_id")
        .annotate(n=Count("pk"))
        .values_list("initiative_id", "n")
    )
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
        # Counted only up to the threshold: the detector asks "fewer than that?", nothing more.
        (reference, kind, on, bounds.count_real_words(evidence, up_to=thresholds.min_evidence_words))
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
        verdict_state, verdict_flags = verdicts.get(pk, ("", (NO_OUTCOME,)))
        p80 = None
        if m.latest is not None and i.status == Status.ACTIVE:  # only active work is judged on it
            p80 = finance_figures.class_forecasts(m.latest, members, i).cost.p80
        joins = services.get(pk, 0) + joins_up.get(pk, 0)
        need_count, assumed = needs.get(pk, (0, 0))
        facts.append(
            InitiativeFacts(
                pk=pk,
                reference=i.reference,
                status=i.status,
                verdict_state=verdict_state,
                verdict_flags=verdict_flags,
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
                steady_checkpoints=steady.get(pk, 0),
                current_confidence=i.current_confidence,
                sro=_name(i.sro),
                sro_directorate=i.sro_directorate,
                delivery_lead=_name(i.delivery_lead),
                goals=goals.get(pk, 0),
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
