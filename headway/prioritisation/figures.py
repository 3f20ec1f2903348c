"""A round's figures: typed rows worked out from what `queries.load_round` read, with no
database access and no sentences.

Each candidate's score, rank, in or out, robustness (and whether that is firm), the numbers of
its explanation, its money and where it came from (as a code), and its team days; and the
selection's use of each limit. `presenters` puts them into words for the round page; a board
pack or the API would read the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from headway.prioritisation.costs import CostSource
from headway.prioritisation.models import Candidate
from headway.prioritisation.queries import RoundData
from headway.prioritisation.results import StoredExplanation, StoredResult

#: How the weight what-ifs read: chosen this often or more is firmly in, this rarely or less
#: firmly out, anything between marginal.
FIRMLY_IN = 0.95
FIRMLY_OUT = 0.05
FIRM_IN = "firm_in"
FIRM_OUT = "firm_out"
MARGINAL = "marginal"
#: A limit the selection uses this share of, or more, is full.
FULL_SHARE = 0.98


@dataclass
class CandidateFigures:
    candidate: Candidate
    requires: list[str] = field(default_factory=list)  # initiative references
    exclusive: list[str] = field(default_factory=list)
    money: CostSource | None = None  # what the round uses now
    capital: int = 0
    revenue: int = 0
    money_at_run: str | None = None  # the source the selection used, when it differs from now
    team_days: float = 0.0
    score: float | None = None
    spread: float | None = None
    wide: bool = False
    scorers: int = 0
    rank: int | None = None
    selected: bool | None = None
    greedy: bool | None = None
    robustness: float | None = None
    firmness: str | None = None  # FIRM_IN, FIRM_OUT or MARGINAL
    explanation: StoredExplanation | None = None


@dataclass(frozen=True)
class LimitUse:
    name: str
    is_money: bool
    capacity: float
    used: float
    full: bool


def firmness(share: float | None) -> str | None:
    if share is None:
        return None
    if share >= FIRMLY_IN:
        return FIRM_IN
    if share <= FIRMLY_OUT:
        return FIRM_OUT
    return MARGINAL


def candidate_figures(data: RoundData) -> list[CandidateFigures]:
    """One row for each candidate, by rank once the selection has been worked out."""
    reference = {c.pk: c.initiative.reference for c in data.candidates}
    stored = data.stored
    rows = []
    for candidate in data.candidates:
        source = data.money[candidate.pk]
        totals = source.totals
        row = CandidateFigures(
            candidate=candidate,
            requires=[reference[pk] for pk in data.requires.get(candidate.pk, [])],
            exclusive=[reference[pk] for pk in data.exclusive.get(candidate.pk, [])],
            money=source,
            capital=totals["capital"],
            revenue=totals["revenue"],
            team_days=sum(float(d or 0) for quarters in candidate.team_demand.values() for d in quarters.values()),
        )
        # One taken out of the round by a decision shows no rank or choice from a selection
        # worked out before it: it is not a candidate any more, whatever that selection said.
        if stored is not None and candidate.withdrawn_by_id is None:
            _add_result(row, stored)
        rows.append(row)
    if stored is not None:
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0))
    return rows


def _add_result(row: CandidateFigures, stored: StoredResult) -> None:
    key = row.candidate.pk
    score = stored.score(key)
    if score is None:
        return
    row.score, row.spread, row.wide = score["value"], score["spread"], score["wide"]
    row.scorers, row.rank = score["scorers"], score["rank"]
    row.selected, row.greedy = score["selected"], score["greedy"]
    row.robustness = stored.robustness.get(str(key))
    row.firmness = firmness(row.robustness)
    row.explanation = stored.explanations.get(str(key))
    used = stored.costs.get(str(key))
    if used is not None and row.money is not None and used["label"] != row.money.label:
        row.money_at_run = used["label"]


def overtaken(data: RoundData) -> list[str]:
    """The references of candidates taken out of the round by a decision (a stop, pause or close)
    that the stored selection still chooses: it was worked out before, and needs working out again."""
    stored = data.stored
    if stored is None:
        return []
    chosen = set(stored.selected)
    return [c.initiative.reference for c in data.candidates if c.withdrawn_by_id is not None and c.pk in chosen]


def limit_uses(stored: StoredResult | None) -> list[LimitUse]:
    if stored is None:
        return []
    return [
        LimitUse(
            name=row["name"],
            # Money rows end "capital" or "revenue"; every other row is a team's days.
            is_money=row["name"].endswith((" capital", " revenue")),
            capacity=row["capacity"],
            used=row["used"],
            full=row["capacity"] > 0 and row["used"] >= row["capacity"] * FULL_SHARE,
        )
        for row in stored.capacity
    ]
