"""A round's figures in words, for the round page and the scenario comparison.

Everything here turns `figures` into text: the one-line reason beside each candidate, what its
robustness means, where its money came from, its team days, and which limits are full. No
database access and no sums: those are in `queries` and `figures`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.template.defaultfilters import pluralize

from headway.history import HistoryEntry, display, history_entries
from headway.lib.money import pounds
from headway.lib.percentages import percent
from headway.prioritisation.costs import CostSource
from headway.prioritisation.figures import FIRM_IN, FIRM_OUT, MARGINAL, CandidateFigures, LimitUse
from headway.prioritisation.models import Budget, Candidate, Dependency, Exclusive, Rating, Round, TeamCapacity

FIRMNESS_WORDS = {FIRM_IN: "Firmly in", FIRM_OUT: "Firmly out", MARGINAL: "Marginal"}


def days(value: float | int | None) -> str:
    return "" if value is None else f"{float(value):,.0f} days"


def _number(value: float) -> str:
    return f"{float(value):.1f}"


def robustness_label(firmness: str | None) -> str:
    """Firm or marginal: how the weight what-ifs read."""
    return FIRMNESS_WORDS.get(firmness or "", "")


def short_reason(row: CandidateFigures) -> str:
    """One line a board member can read at a glance; the full reason sits behind it."""
    explanation, candidate = row.explanation, row.candidate
    if explanation is None:
        return ""
    now = f" (now {_number(row.score)})" if row.score is not None else ""
    if candidate.must_do:
        return f"Must do: {candidate.must_do_reason}" if candidate.must_do_reason else "Must do."
    exact = explanation.get("exact", True)
    if explanation["selected"]:
        leave = explanation["value_to_leave"]
        if leave is not None:
            if leave <= 0:
                return "In at any score: nothing else would fit in its place."
            if not exact:
                return f"In while its score stays above {_number(leave)}{now}; perhaps lower (not proven in time)."
            return f"In unless its score falls below {_number(leave)}{now}."
        return "In." if exact else "In; how far its score could fall was not worked out in time."
    enter = explanation["value_to_enter"]
    if enter is not None:
        displaced = explanation["displaced"]
        instead = f", in place of {', '.join(displaced)}" if displaced else ""
        if not exact:
            unproven = "perhaps lower (not proven in time)"
            return f"Would come in with a score above {_number(enter)}{now}{instead}; {unproven}."
        return f"Would need a score above {_number(enter)}{now} to come in{instead}."
    if not exact:
        return "Out; what score it would need was not worked out in time."
    return "Cannot come in under the present limits."


@dataclass
class CandidateRow:
    """A candidate's figures and the words the round page shows beside them."""

    figures: CandidateFigures
    costs: str  # the money in total, or "" when there is none
    costs_source: str  # where the money comes from, in words
    costs_at_run: str  # where it came from when the selection was worked out, if that differs
    demand: str
    robustness: str  # how often it was chosen when the weights moved, as a percentage
    robustness_label: str
    reason: str
    short_reason: str


def candidate_rows(rows: Sequence[CandidateFigures]) -> list[CandidateRow]:
    return [
        CandidateRow(
            figures=row,
            costs=f"{pounds(row.capital)} capital, {pounds(row.revenue)} revenue"
            if row.money is not None and row.money.costs
            else "",
            costs_source=row.money.label if row.money is not None else "",
            costs_at_run=row.money_at_run or "",
            demand=days(row.team_days) if row.team_days else "",
            robustness=percent(row.robustness, places=0),
            robustness_label=robustness_label(row.firmness),
            reason=row.explanation["reason"] if row.explanation is not None else "",
            short_reason=short_reason(row),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CapacityRow:
    name: str
    capacity: str
    used: str
    binding: bool


def _amount(use: LimitUse, value: float) -> str:
    return pounds(value) if use.is_money else days(value)


def capacity_rows(uses: Sequence[LimitUse]) -> list[CapacityRow]:
    return [CapacityRow(u.name, _amount(u, u.capacity), _amount(u, u.used), u.full) for u in uses]


def chosen_text(rows: Sequence[CandidateFigures]) -> str:
    return f"{sum(1 for r in rows if r.selected)} of {len(rows)} initiatives"


def full_limits(round: Round, uses: Sequence[LimitUse], selected: int | None) -> list[str]:
    """The limits the selection fills: money and teams, and the number at once. `selected` is
    how many the selection chose, None before it is worked out."""
    limits = [u.name for u in uses if u.full]
    if selected is not None and round.wip_limit and selected >= round.wip_limit:
        limits.append(f"No more than {round.wip_limit} initiative{pluralize(round.wip_limit)} at once")
    return limits


def marginal(rows: Sequence[CandidateFigures]) -> list[str]:
    return [r.candidate.initiative.reference for r in rows if r.firmness == MARGINAL]


def money_years(source: CostSource) -> list[tuple[str, str, str]]:
    """(year, capital, revenue) in pounds, for a table of a candidate's money."""
    return [(year, pounds(m["capital"]), pounds(m["revenue"])) for year, m in source.costs.items()]


def budget_rows(round: Round) -> list[tuple[object, str, str]]:
    """Each budget with its capital and revenue in pounds."""
    return [(b, pounds(b.capital), pounds(b.revenue)) for b in round.budgets.all()]


# History ---------------------------------------------------------------------------------------

_MONEY_FIELDS = frozenset({"capital", "revenue"})
_MONEY_TABLES = frozenset({"costs", "committed"})


def _table_words(name: str, value: Mapping[str, Any]) -> str:
    """A candidate's money or team days as a sentence: "2026/27: capital £120,000, revenue £0"."""
    if not value:
        return "(none)"
    parts = []
    for key, inner in sorted(value.items()):
        if isinstance(inner, Mapping):
            if name in _MONEY_TABLES:
                said = ", ".join(f"{k} {pounds(v)}" for k, v in sorted(inner.items()))
            else:
                said = ", ".join(f"{k} {v:g} days" for k, v in sorted(inner.items()))
            parts.append(f"{key}: {said}")
        else:
            parts.append(f"{key}: {inner}")
    return "; ".join(parts)


def round_history(
    sources: Sequence[tuple[type[Model], Any]], people: Mapping[int, str], candidates: Mapping[int, str]
) -> list[HistoryEntry]:
    """Every recorded change to a round, newest first: "Budget for 2026/27", "Team days: Data,
    2026/27 Q1", "Candidate: DIG-004 Patient portal", "Constraint: DIG-004 ... needs DIG-002 ...",
    "Score from Bea Board: DIG-004 ..."."""

    def named(candidate_id: int) -> str:
        return candidates.get(candidate_id, "an initiative since removed")

    def describe(model: type[Model], record: Any) -> str:
        if model is Budget:
            return f"Budget for {record.financial_year}"
        if model is TeamCapacity:
            return f"Team days: {record.team}, {record.quarter}"
        if model is Candidate:
            return f"Candidate: {candidates.get(record.id, 'an initiative since removed')}"
        if model is Dependency:
            return f"Constraint: {named(record.candidate_id)} needs {named(record.requires_id)}"
        if model is Exclusive:
            return f"Constraint: {named(record.a_id)} or {named(record.b_id)}, not both"
        if model is Rating:
            scorer = people.get(record.scorer_id, "a scorer")
            return f"Score from {scorer} for {candidates.get(record.candidate_id, 'an initiative since removed')}"
        return "Round"

    def show(model: type[Model], name: str, value: Any) -> str:
        if model is Budget and name in _MONEY_FIELDS and value is not None:
            return pounds(value)
        if model is Candidate and isinstance(value, Mapping):
            return _table_words(name, value)
        return display(model, name, value, people)

    # The candidates a score or a constraint is about are already in the entry's title.
    skip = {"round", "candidate", "requires", "a", "b"}
    return history_entries(sources, people, describe=describe, show=show, skip=skip, keep_unchanged=False)
