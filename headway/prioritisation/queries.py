"""What the prioritisation pages show, gathered in a fixed number of queries.

The round page reads its candidates once, with their initiatives, and their money's sources in
three more queries; it takes scores, in/out, robustness and reasons from the stored result,
read only through `Result.stored()` (the loader in `results.py`), so the number of queries does
not grow with the number of candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from headway.lib.money import pounds
from headway.prioritisation import sources
from headway.prioritisation.models import Candidate, Result, Round, RoundChange
from headway.prioritisation.results import StoredExplanation


def days(value: float | int | None) -> str:
    return "" if value is None else f"{float(value):,.0f} days"


@dataclass
class CandidateRow:
    candidate: Candidate
    score: float | None = None
    spread: float | None = None
    wide: bool = False
    scorers: int = 0
    rank: int | None = None
    selected: bool | None = None
    greedy: bool | None = None
    robustness: float | None = None
    robustness_label: str = ""
    reason: str = ""
    short_reason: str = ""
    requires: list[str] = field(default_factory=list)
    exclusive: list[str] = field(default_factory=list)
    costs: str = ""
    costs_source: str = ""  # where the money comes from, in words
    costs_origin: str = ""
    costs_at_run: str = ""  # where it came from when the selection was worked out, if that differs
    demand: str = ""


@dataclass
class CapacityRow:
    name: str
    capacity: str
    used: str
    binding: bool


def _number(value: float) -> str:
    return f"{float(value):.1f}"


def short_reason(candidate: Candidate, explanation: StoredExplanation | None, score: float | None) -> str:
    """One line a board member can read at a glance; the full reason sits behind it."""
    if explanation is None:
        return ""
    now = f" (now {_number(score)})" if score is not None else ""
    if candidate.must_do:
        return f"Must do: {candidate.must_do_reason}" if candidate.must_do_reason else "Must do."
    if explanation["selected"]:
        leave = explanation["value_to_leave"]
        if leave is not None:
            if leave <= 0:
                return "In at any score: nothing else would fit in its place."
            return f"In unless its score falls below {_number(leave)}{now}."
        return "In."
    enter = explanation["value_to_enter"]
    if enter is not None:
        displaced = explanation["displaced"]
        instead = f", in place of {', '.join(displaced)}" if displaced else ""
        return f"Would need a score above {_number(enter)}{now} to come in{instead}."
    return "Cannot come in under the present limits."


def robustness_label(share: float | None) -> str:
    """Firm or marginal: how the weight what-ifs read."""
    if share is None:
        return ""
    if share >= 0.95:
        return "Firmly in"
    if share <= 0.05:
        return "Firmly out"
    return "Marginal"


def _capacity_label(name: str, value: float) -> str:
    # Money rows end "capital" or "revenue"; every other row is a team's days.
    return pounds(value) if name.endswith((" capital", " revenue")) else days(value)


def candidate_rows(round: Round, result: Result | None) -> list[CandidateRow]:
    candidates = list(round.candidates.select_related("initiative").order_by("initiative__reference"))
    by_id = {c.pk: c for c in candidates}
    money = sources.effective_costs(candidates)
    requires: dict[int, list[str]] = {}
    for candidate_id, needed in round.dependencies.values_list("candidate_id", "requires_id"):
        requires.setdefault(candidate_id, []).append(by_id[needed].initiative.reference)
    exclusive: dict[int, list[str]] = {}
    for a, b in round.exclusives.values_list("a_id", "b_id"):
        exclusive.setdefault(a, []).append(by_id[b].initiative.reference)
        exclusive.setdefault(b, []).append(by_id[a].initiative.reference)
    stored = result.stored() if result is not None else None
    rows = []
    for candidate in candidates:
        source = money[candidate.pk]
        total = source.totals
        demand = sum(float(d or 0) for quarters in candidate.team_demand.values() for d in quarters.values())
        row = CandidateRow(
            candidate=candidate,
            requires=requires.get(candidate.pk, []),
            exclusive=exclusive.get(candidate.pk, []),
            costs=f"{pounds(total['capital'])} capital, {pounds(total['revenue'])} revenue" if source.costs else "",
            costs_source=source.label,
            costs_origin=source.origin,
            demand=days(demand) if demand else "",
        )
        score = stored.score(candidate.pk) if stored is not None else None
        if stored is not None and score is not None:
            row.score, row.spread, row.wide = score["value"], score["spread"], score["wide"]
            row.scorers, row.rank = score["scorers"], score["rank"]
            row.selected, row.greedy = score["selected"], score["greedy"]
            row.robustness = stored.robustness.get(str(candidate.pk))
            row.robustness_label = robustness_label(row.robustness)
            explanation = stored.explanations.get(str(candidate.pk))
            row.reason = explanation["reason"] if explanation is not None else ""
            row.short_reason = short_reason(candidate, explanation, row.score)
            used = stored.costs.get(str(candidate.pk))
            if used is not None and used["label"] != source.label:
                row.costs_at_run = used["label"]
        rows.append(row)
    if result is not None:
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0))
    return rows


def capacity_rows(result: Result | None) -> list[CapacityRow]:
    if result is None:
        return []
    return [
        CapacityRow(
            name=row["name"],
            capacity=_capacity_label(row["name"], row["capacity"]),
            used=_capacity_label(row["name"], row["used"]),
            binding=row["capacity"] > 0 and row["used"] >= row["capacity"] * 0.98,
        )
        for row in result.stored().capacity
    ]


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
