"""The portfolio at a glance: the board's one page, composed from the portfolio's figures and the
metrics' stored verdicts (ADR 7).

Figures only — numbers, values and the initiatives behind them. The words for each value are the
page's business (`assurance.views`), so that the board pack and the API can read the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from headway.accounts.models import Organisation
from headway.assurance.initiatives import NO_VERDICT_FLAGS
from headway.lib.weeks import week_start
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


@dataclass(frozen=True)
class Named:
    """The initiatives and risks the board should see by name, not only counted."""

    red: list[Initiative]  # active initiatives whose latest delivery confidence is red
    extreme_risks: list[Risk]  # open risks scoring 15 or more, highest first
    asks: list[Checkpoint]  # this and last week's checkpoints that ask the board for something


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


def named(organisation: Organisation, today: dt.date) -> Named:
    """Who is behind the worst of the counts, and what the board is asked to decide: three queries."""
    red = Initiative.objects.for_organisation(organisation).filter(
        status=Status.ACTIVE, current_confidence=Confidence.RED
    )
    extreme = Risk.objects.for_organisation(organisation).open().extreme().select_related("initiative")
    asks = (
        Checkpoint.objects.filter(
            initiative__organisation=organisation, week_start__gte=week_start(today) - dt.timedelta(weeks=1)
        )
        .exclude(asks_of_the_board="")
        .select_related("initiative")
        .order_by("-week_start", "initiative__reference")
    )
    return Named(
        red=list(red.order_by("reference")),
        extreme_risks=sorted(extreme, key=lambda r: (-r.score, r.next_review, r.pk)),
        asks=list(asks),
    )


def glance(organisation: Organisation, today: dt.date) -> Glance:
    return Glance(
        portfolio=portfolio_queries.glance(organisation, today),
        working=working(organisation, today),
        named=named(organisation, today),
    )
