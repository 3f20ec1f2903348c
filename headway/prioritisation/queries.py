"""Loading what the prioritisation pages show, in a fixed number of queries.

The round page reads its candidates once, with their initiatives, their dependencies and
exclusive pairs, and their money's sources in three more queries; scores, in/out, robustness
and reasons come from the stored result, read only through `Result.stored()` (the loader in
`results.py`), so the number of queries does not grow with the number of candidates.

Nothing here builds a sentence: `figures` turns what is loaded into typed rows and
`presenters` into the round page's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from headway.prioritisation import costs, sources
from headway.prioritisation.costs import CostSource
from headway.prioritisation.models import (
    Budget,
    Candidate,
    Dependency,
    Exclusive,
    Rating,
    Result,
    Round,
    RoundChange,
    TeamCapacity,
)
from headway.prioritisation.results import StoredResult


@dataclass
class RoundData:
    """A round's candidates and what hangs off them, as loaded."""

    round: Round
    candidates: list[Candidate]
    money: dict[int, CostSource]  # candidate id → the money the round uses for it
    requires: dict[int, list[int]] = field(default_factory=dict)  # candidate id → candidate ids it needs
    exclusive: dict[int, list[int]] = field(default_factory=dict)  # candidate id → candidates it excludes
    stored: StoredResult | None = None


def load_round(round: Round, result: Result | None) -> RoundData:
    candidates = list(round.candidates.select_related("initiative", "withdrawn_by").order_by("initiative__reference"))
    requires: dict[int, list[int]] = {}
    for candidate_id, needed in round.dependencies.values_list("candidate_id", "requires_id"):
        requires.setdefault(candidate_id, []).append(needed)
    exclusive: dict[int, list[int]] = {}
    for a, b in round.exclusives.values_list("a_id", "b_id"):
        exclusive.setdefault(a, []).append(b)
        exclusive.setdefault(b, []).append(a)
    return RoundData(
        round=round,
        candidates=candidates,
        money=sources.effective_costs(candidates),
        requires=requires,
        exclusive=exclusive,
        stored=result.stored() if result is not None else None,
    )


def from_finance_only(candidate: Candidate) -> CostSource:
    """What the round would use for this candidate if no cost were entered for it: the same
    rule as the selection's, in three queries."""
    case, funding = sources.finance_sources([candidate.initiative_id]).get(candidate.initiative_id, (None, None))
    return costs.effective_costs(entered_costs={}, reason="", case=case, funding=funding)


def closed_history(rounds: list[Round]) -> dict[int, list[RoundChange]]:
    """Each closed round's changes with their reasons, in two queries for the lot."""
    closed = [r.pk for r in rounds if r.status == Round.State.CLOSED]
    history: dict[int, list[RoundChange]] = {pk: [] for pk in closed}
    if closed:
        changes = (
            RoundChange.objects.filter(round_id__in=closed)
            .exclude(change=RoundChange.Kind.CONTINUED)
            .select_related("initiative")
        )
        for change in changes:
            history[change.round_id].append(change)
    return history


# History ---------------------------------------------------------------------------------------


def history_sources(round: Round) -> list[tuple[type[Model], Any]]:
    """The history of a round: its setting-up and closing, budgets, team capacity, candidates with
    their constraints, and the scorers' ratings, for `headway.history.history_entries`."""
    return [
        (Round, Round.history.filter(id=round.pk)),  # type: ignore[attr-defined]
        (Budget, Budget.history.filter(round_id=round.pk)),  # type: ignore[attr-defined]
        (TeamCapacity, TeamCapacity.history.filter(round_id=round.pk)),  # type: ignore[attr-defined]
        (Candidate, Candidate.history.filter(round_id=round.pk)),  # type: ignore[attr-defined]
        (Rating, Rating.history.filter(round_id=round.pk)),  # type: ignore[attr-defined]
        (Dependency, Dependency.history.filter(round_id=round.pk)),  # type: ignore[attr-defined]
        (Exclusive, Exclusive.history.filter(round_id=round.pk)),  # type: ignore[attr-defined]
    ]


def candidate_names(round: Round) -> dict[int, str]:
    """Each candidate's initiative ("DIG-004 Patient portal") by candidate id, for the history."""
    return {c.pk: str(c.initiative) for c in round.candidates.select_related("initiative")}
