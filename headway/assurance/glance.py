"""The portfolio at a glance: the board's one page, composed from the portfolio's figures and the
metrics' stored verdicts (ADR 7).

Figures only — numbers, values and the initiatives behind them. The words for each value are the
page's business (`assurance.views`), so that the board pack and the API can read the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F

from headway.accounts.models import Organisation
from headway.assurance.initiatives import NO_VERDICT_FLAGS
from headway.metrics.models import IMPACT_KINDS, Metric, Verdict
from headway.portfolio import queries as portfolio_queries
from headway.portfolio.models import Checkpoint, Confidence, Initiative, Risk, Status

# Worst first: the order the board should read them in.
VERDICT_ORDER: list[str] = [
    Verdict.State.DETERIORATING,
    Verdict.State.NOT_MEASURED,
    Verdict.State.NOT_ENOUGH_DATA,
    Verdict.State.NO_CHANGE,
    Verdict.State.IMPROVING,
]


@dataclass(frozen=True)
class Working:
    """Whether the active initiatives are working, from their stored verdicts."""

    verdicts: list[tuple[str, int]]  # (state, active initiatives in it), worst first, every state
    deteriorating: list[Initiative]
    flags: list[tuple[str, int]]  # (flag, active initiatives with it), only the flags that occur
    stale: int  # active initiatives with an impact measure whose data is out of date


# How many of each the page names; the rest are a click away, in the list filtered to them all.
NAMED_AT_MOST = 20


@dataclass(frozen=True)
class Named:
    """The initiatives and risks the board should see by name, not only counted: the first
    `NAMED_AT_MOST` of each, with how many there are in all."""

    red: list[Initiative]  # active initiatives whose latest delivery confidence is red
    red_total: int
    extreme_risks: list[Risk]  # open risks scoring 15 or more, highest first
    extreme_total: int
    asks: list[Checkpoint]  # this and last week's checkpoints that ask the board for something
    asks_total: int  # how many checkpoints ask
    asking_initiatives: int  # how many initiatives they belong to (the list the rest link to)


@dataclass(frozen=True)
class Glance:
    portfolio: portfolio_queries.PortfolioGlance
    working: Working
    named: Named


def verdict_state(initiative: Initiative) -> str:
    """The stored verdict's state; an initiative without one has never had a metric: not measured."""
    verdict = getattr(initiative, "verdict", None)  # select_related caches a missing row as None
    return verdict.state if verdict is not None else str(Verdict.State.NOT_MEASURED)


def working(organisation: Organisation, today: dt.date) -> Working:
    """ "Is it working?" for the active initiatives, in three queries whatever their number."""
    active = Initiative.objects.for_organisation(organisation).filter(status=Status.ACTIVE)
    counts: dict[str, int] = defaultdict(int)
    flags: dict[str, int] = defaultdict(int)
    for state, verdict_flags in active.order_by().values_list("verdict__state", "verdict__flags"):
        counts[state or Verdict.State.NOT_MEASURED] += 1
        for flag in verdict_flags if state else NO_VERDICT_FLAGS:
            flags[flag] += 1
    deteriorating = list(
        active.filter(verdict__state=Verdict.State.DETERIORATING).select_related("verdict").order_by("reference")
    )
    stale_impact = Metric.objects.stale(today).filter(kind__in=IMPACT_KINDS)
    stale = active.filter(metrics__in=stale_impact).order_by().values("pk").distinct().count()
    return Working(
        verdicts=[(str(state), counts.get(state, 0)) for state in VERDICT_ORDER],
        deteriorating=deteriorating,
        flags=sorted(flags.items()),
        stale=stale,
    )


def named(organisation: Organisation, today: dt.date, *, extreme_total: int | None = None) -> Named:
    """Who is behind the worst of the counts, and what the board is asked to decide: a fixed
    number of queries, and never more rows than the page names. `extreme_total`: the count of
    extreme risks when the caller has it already (the portfolio's figures count them)."""
    red = Initiative.objects.for_organisation(organisation).filter(
        status=Status.ACTIVE, current_confidence=Confidence.RED
    )
    extreme = (
        Risk.objects.for_organisation(organisation)
        .open()
        .extreme()
        .select_related("initiative")
        .annotate(ranked_score=F("likelihood") * F("consequence"))
    )
    # The same window as the portfolio list's "asking the board" filter, which the rest link to.
    asks = Checkpoint.objects.filter(
        initiative__organisation=organisation, week_start__gte=portfolio_queries.asks_since(today)
    ).exclude(asks_of_the_board="")
    asked = asks.order_by().aggregate(total=Count("pk"), initiatives=Count("initiative", distinct=True))
    return Named(
        red=list(red.order_by("reference")[:NAMED_AT_MOST]),
        red_total=red.count(),
        extreme_risks=list(extreme.order_by("-ranked_score", "next_review", "pk")[:NAMED_AT_MOST]),
        extreme_total=extreme.count() if extreme_total is None else extreme_total,
        asks=list(asks.select_related("initiative").order_by("-week_start", "initiative__reference")[:NAMED_AT_MOST]),
        asks_total=asked["total"],
        asking_initiatives=asked["initiatives"],
    )


def glance(organisation: Organisation, today: dt.date) -> Glance:
    portfolio = portfolio_queries.glance(organisation, today)
    return Glance(
        portfolio=portfolio,
        working=working(organisation, today),
        named=named(organisation, today, extreme_total=portfolio.extreme_risks),
    )
