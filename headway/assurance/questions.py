"""The board's questions answered from the data (ADR 27): the questions from the reference table,
the counts each rule needs, read from the apps' own figures and rules, and the rating from
`assurance.ratings`.

Figures only: each answer carries its rating, its evidence as (key, count, initiatives) and the
initiatives behind the rating. The words are the page's (`assurance.views`), so the board pack and
the API can read the same answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from headway.accounts.models import Organisation
from headway.assurance import glance as glance_figures
from headway.assurance import money as assurance_money
from headway.assurance import ratings
from headway.assurance.models import Question
from headway.finance import flags as finance_flags
from headway.finance.figures import Overview
from headway.lib.weeks import recent_weeks
from headway.metrics.models import Verdict
from headway.portfolio import queries as portfolio_queries
from headway.portfolio.models import Checkpoint, Decision, Initiative, Risk, Status, UserNeed
from headway.portfolio.queries import RANK as CONFIDENCE_RANK

#: The weeks (this one and those before it) in which an initiative should have shown something.
SHOWN_WEEKS = 4

#: How far back a stop or pause decision counts as the organisation stopping things.
STOPPING_WINDOW_DAYS = 365

#: The finance checks that say funding or value is not incremental (`finance.flags`).
NOT_INCREMENTAL_FLAGS = (finance_flags.FUNDING_ENDS, finance_flags.VALUE_ONLY_AT_END, finance_flags.NO_EARLY_RELEASE)


@dataclass(frozen=True)
class Evidence:
    """One number behind an answer, and the initiatives it counts (empty for a count of risks or
    decisions, or a yes/no)."""

    key: str
    count: int
    initiatives: list[Initiative] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    question: Question
    rating: str | None  # None: no rule in `assurance.ratings` answers this question's key yet
    evidence: list[Evidence]
    behind: list[Initiative]  # the initiatives that bring the rating down, by reference


@dataclass(frozen=True)
class Facts:
    """What the rules read, loaded once for every question."""

    organisation: Organisation
    active: list[Initiative]
    open_count: int
    money_flagged: dict[str, list[Initiative]]  # finance check code → open initiatives failing it
    overdue: list[Initiative]
    risks_past_review: int
    stopped_or_paused: int
    shown: set[int]  # active initiatives that demonstrated something or reached real users lately


def _facts(organisation: Organisation, today: dt.date, *, overview: Overview | None = None) -> Facts:
    active: list[Initiative] = list(
        Initiative.objects.for_organisation(organisation)
        .filter(status=Status.ACTIVE)
        .select_related("verdict")
        .annotate(
            needs=Count("user_needs", distinct=True),
            evidenced_needs=Count(
                "user_needs", filter=~Q(user_needs__evidence=UserNeed.Evidence.ASSUMED), distinct=True
            ),
            open_risks=Count("risks", filter=Q(risks__status=Risk.State.OPEN), distinct=True),
            joins=Count("joins_up_with", distinct=True) + Count("joined_up_by", distinct=True),
        )
        .order_by("reference")
    )
    if overview is None:
        overview = assurance_money.organisation_money(organisation, today)
    money_flagged: dict[str, list[Initiative]] = {}
    for group in overview.flags:
        if group.code in NOT_INCREMENTAL_FLAGS:
            money_flagged[group.code] = sorted((m.initiative for m in group.moneys), key=lambda i: i.reference)
    overdue = list(
        portfolio_queries.annotated_initiatives(organisation)
        .filter(portfolio_queries.overdue_q(today))
        .order_by("reference")
    )
    return Facts(
        organisation=organisation,
        active=active,
        open_count=len(overview.current),
        money_flagged=money_flagged,
        overdue=overdue,
        risks_past_review=Risk.objects.for_organisation(organisation).review_overdue(today).count(),
        stopped_or_paused=Decision.objects.for_organisation(organisation)
        .filter(
            kind__in=[Decision.Kind.STOP, Decision.Kind.PAUSE],
            reversed_by__isnull=True,  # a stop recorded by mistake and reversed stopped nothing
            decided_on__gt=today - dt.timedelta(days=STOPPING_WINDOW_DAYS),
            decided_on__lte=today,
        )
        .count(),
        shown=set(
            Checkpoint.objects.filter(
                initiative__organisation=organisation,
                initiative__status=Status.ACTIVE,
                week_start__gte=recent_weeks(today, SHOWN_WEEKS)[0],
                week_start__lte=today,
            )
            .filter(Q(reached_real_users=True) | ~Q(demonstrated=""))
            .values_list("initiative_id", flat=True)
        ),
    )


def _union(*groups: Iterable[Initiative]) -> list[Initiative]:
    seen: dict[int, Initiative] = {}
    for group in groups:
        for initiative in group:
            seen.setdefault(initiative.pk, initiative)
    return sorted(seen.values(), key=lambda i: i.reference)


def _deteriorating(facts: Facts) -> list[Initiative]:
    return [i for i in facts.active if glance_figures.verdict_state(i) == Verdict.State.DETERIORATING]


def _user_needs(facts: Facts) -> tuple[str, list[Evidence], list[Initiative]]:
    none = [i for i in facts.active if not i.needs]  # type: ignore[attr-defined]
    assumed = [i for i in facts.active if i.needs and not i.evidenced_needs]  # type: ignore[attr-defined]
    behind = _union(none, assumed)
    rating = ratings.user_needs(ratings.UserNeeds(active=len(facts.active), without_evidenced_need=len(behind)))
    evidence = [
        Evidence("active", len(facts.active)),
        Evidence("no_user_need", len(none), none),
        Evidence("only_assumed_needs", len(assumed), assumed),
    ]
    return rating, evidence, behind


def _impact(facts: Facts) -> tuple[str, list[Evidence], list[Initiative]]:
    # "Not measured" is the metrics app's own verdict: no outcome, adoption or experience measure.
    unmeasured = [i for i in facts.active if glance_figures.verdict_state(i) == Verdict.State.NOT_MEASURED]
    unnamed = [i for i in facts.active if not (i.patients_served.strip() or i.staff_served.strip())]
    behind = _union(unmeasured, unnamed)
    rating = ratings.impact(ratings.Impact(active=len(facts.active), unclear=len(behind)))
    deteriorating = _deteriorating(facts)
    evidence = [
        Evidence("active", len(facts.active)),
        Evidence("no_impact_measure", len(unmeasured), unmeasured),
        Evidence("nobody_served_named", len(unnamed), unnamed),
        Evidence("deteriorating", len(deteriorating), deteriorating),
    ]
    return rating, evidence, behind


def _incremental(facts: Facts) -> tuple[str, list[Evidence], list[Initiative]]:
    money = [facts.money_flagged.get(code, []) for code in NOT_INCREMENTAL_FLAGS]
    behind = _union(*money, facts.overdue)
    rating = ratings.incremental(ratings.Incremental(open=facts.open_count, flagged=len(behind)))
    evidence = [Evidence("open", facts.open_count)]
    evidence += [Evidence(code, len(found), found) for code, found in zip(NOT_INCREMENTAL_FLAGS, money, strict=True)]
    evidence.append(Evidence("overdue_checkpoint", len(facts.overdue), facts.overdue))
    return rating, evidence, behind


def _honest_risk(facts: Facts) -> tuple[str, list[Evidence], list[Initiative]]:
    # The top of either confidence scale is green (`portfolio.queries.RANK`).
    top = max(CONFIDENCE_RANK.values())
    watermelon = [i for i in _deteriorating(facts) if CONFIDENCE_RANK.get(i.current_confidence, 0) == top]
    without = [i for i in facts.active if not i.open_risks]  # type: ignore[attr-defined]
    rating = ratings.honest_risk(
        ratings.HonestRisk(
            active=len(facts.active),
            green_while_deteriorating=len(watermelon),
            without_risk=len(without),
            risks_past_review=facts.risks_past_review,
        )
    )
    evidence = [
        Evidence("active", len(facts.active)),
        Evidence("green_while_deteriorating", len(watermelon), watermelon),
        Evidence("no_open_risk", len(without), without),
        Evidence("risks_past_review", facts.risks_past_review),
    ]
    return rating, evidence, _union(watermelon, without)


def _system_partners(facts: Facts) -> tuple[str, list[Evidence], list[Initiative]]:
    joined = [i for i in facts.active if i.joins]  # type: ignore[attr-defined]
    alone = [i for i in facts.active if not i.joins]  # type: ignore[attr-defined]
    in_system = facts.organisation.integrated_care_system_id is not None  # type: ignore[attr-defined]
    rating = ratings.system_partners(
        ratings.SystemPartners(active=len(facts.active), joined_up=len(joined), in_care_system=in_system)
    )
    evidence = [
        Evidence("active", len(facts.active)),
        Evidence("joined_up", len(joined), joined),
        Evidence("not_joined_up", len(alone), alone),
        Evidence("in_care_system", int(in_system)),
    ]
    return rating, evidence, alone


def _stopping(facts: Facts) -> tuple[str, list[Evidence], list[Initiative]]:
    deteriorating = _deteriorating(facts)
    rating = ratings.stopping(
        ratings.Stopping(
            active=len(facts.active),
            wip_limit=facts.organisation.wip_limit,
            stopped_or_paused=facts.stopped_or_paused,
            deteriorating=len(deteriorating),
        )
    )
    evidence = [
        Evidence("active", len(facts.active)),
        Evidence("wip_limit", facts.organisation.wip_limit),
        Evidence("stopped_or_paused", facts.stopped_or_paused),
        Evidence("deteriorating", len(deteriorating), deteriorating),
    ]
    return rating, evidence, deteriorating


def _shown_to_users(facts: Facts) -> tuple[str, list[Evidence], list[Initiative]]:
    nothing = [i for i in facts.active if i.pk not in facts.shown]
    rating = ratings.shown_to_users(ratings.ShownToUsers(active=len(facts.active), nothing_shown=len(nothing)))
    shown = [i for i in facts.active if i.pk in facts.shown]
    evidence = [
        Evidence("active", len(facts.active)),
        Evidence("shown_lately", len(shown), shown),
        Evidence("nothing_shown_lately", len(nothing), nothing),
    ]
    return rating, evidence, nothing


#: How each question's rule reads the facts, by the question's key. The rule itself is in
#: `assurance.ratings.RULES` under the same key; a test checks the two lists agree.
GATHER = {
    "user_needs": _user_needs,
    "impact": _impact,
    "incremental": _incremental,
    "honest_risk": _honest_risk,
    "system_partners": _system_partners,
    "stopping": _stopping,
    "shown_to_users": _shown_to_users,
}


def answers(organisation: Organisation, today: dt.date, *, overview: Overview | None = None) -> list[Answer]:
    """Every active question, in order, answered from the organisation's data as of `today`
    (`overview`: the organisation's money, when the caller has it already)."""
    questions = list(Question.objects.active())
    facts = _facts(organisation, today, overview=overview)
    found = []
    for question in questions:
        gather = GATHER.get(question.key)
        if gather is None:
            found.append(Answer(question, None, [], []))
            continue
        rating, evidence, behind = gather(facts)
        found.append(Answer(question, rating, evidence, behind))
    return found
