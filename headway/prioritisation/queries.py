"""What the prioritisation pages show, gathered in a fixed number of queries.

The round page reads its candidates once, with their initiatives, and takes scores, in/out,
robustness and reasons from the stored result, so the number of queries does not grow with
the number of candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from headway.lib.money import pounds
from headway.prioritisation.models import Candidate, Result, Round, RoundChange


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
    demand: str = ""


@dataclass
class CapacityRow:
    name: str
    capacity: str
    used: str
    binding: bool


def _robust_share(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dict):
        for key in ("share", "selected_share", "probability", "frequency"):
            if isinstance(value.get(key), int | float):
                return float(value[key])
    return None


def _reason(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("reason") or "")
    return ""


def _number(value: Any) -> str:
    return f"{float(value):.1f}"


def short_reason(candidate: Candidate, explanation: Any, score: float | None) -> str:
    """One line a board member can read at a glance; the full reason sits behind it."""
    if not isinstance(explanation, dict):
        return ""
    now = f" (now {_number(score)})" if score is not None else ""
    if candidate.must_do:
        return f"Must do: {candidate.must_do_reason}" if candidate.must_do_reason else "Must do."
    if explanation.get("selected"):
        leave = explanation.get("value_to_leave")
        if isinstance(leave, int | float):
            if leave <= 0:
                return "In at any score: nothing else would fit in its place."
            return f"In unless its score falls below {_number(leave)}{now}."
        return "In."
    enter = explanation.get("value_to_enter")
    if isinstance(enter, int | float):
        displaced = explanation.get("displaced") or []
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
    requires: dict[int, list[str]] = {}
    for candidate_id, needed in round.dependencies.values_list("candidate_id", "requires_id"):
        requires.setdefault(candidate_id, []).append(by_id[needed].initiative.reference)
    exclusive: dict[int, list[str]] = {}
    for a, b in round.exclusives.values_list("a_id", "b_id"):
        exclusive.setdefault(a, []).append(by_id[b].initiative.reference)
        exclusive.setdefault(b, []).append(by_id[a].initiative.reference)
    rows = []
    for candidate in candidates:
        total = {
            kind: sum(int(m.get(kind, 0) or 0) for m in candidate.costs.values()) for kind in ("capital", "revenue")
        }
        demand = sum(float(d or 0) for quarters in candidate.team_demand.values() for d in quarters.values())
        row = CandidateRow(
            candidate=candidate,
            requires=requires.get(candidate.pk, []),
            exclusive=exclusive.get(candidate.pk, []),
            costs=f"{pounds(total['capital'])} capital, {pounds(total['revenue'])} revenue" if candidate.costs else "",
            demand=days(demand) if demand else "",
        )
        stored = result.scores.get(str(candidate.pk)) if result is not None else None
        if result is not None and stored is not None:
            row.score, row.spread, row.wide = stored["value"], stored["spread"], bool(stored["wide"])
            row.scorers, row.rank = int(stored.get("scorers", 0)), int(stored["rank"])
            row.selected, row.greedy = bool(stored["selected"]), bool(stored["greedy"])
            row.robustness = _robust_share(result.robustness.get(str(candidate.pk)))
            row.robustness_label = robustness_label(row.robustness)
            explanation = result.explanations.get(str(candidate.pk))
            row.reason = _reason(explanation)
            row.short_reason = short_reason(candidate, explanation, row.score)
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
        for row in result.capacity
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
