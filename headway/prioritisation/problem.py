"""A round's limits and candidates as plain data, and the selection problem built from them.

Pure Python; no Django. `actions.py` reads the round into these types and hands them here, so
the rows the optimiser sees (each year's capital and revenue, less what is committed, and each
team's days in each quarter) are worked out in one place that is tested without a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headway.lib.errors import InputError
from headway.lib.money import parse_pounds
from headway.prioritisation import selection

MONEY_KINDS = ("capital", "revenue")
SOLVE_SECONDS = 10.0

#: {"2026/27": {"capital": 120000, "revenue": 40000}}: whole pounds by financial year.
Money = Mapping[str, Mapping[str, Any]]
#: {"Team name": {"2026/27 Q1": 20}}: days by team and financial quarter.
Days = Mapping[str, Mapping[str, Any]]


def stored_pounds(value: Any) -> int:
    """Whole pounds from an amount as stored. What cannot be read counts as nothing, because
    snapshots written by older code may hold empty values; a negative amount is returned as it
    is so that a check can refuse it."""
    if value is None or value == "":
        return 0
    try:
        return parse_pounds(value)
    except InputError:
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0


@dataclass(frozen=True)
class CandidateLimits:
    """What one candidate would use: money by year (already the effective costs, wherever they
    came from), money already committed, and team days."""

    key: str
    reference: str
    must_do: bool = False
    costs: Money = field(default_factory=dict)
    committed: Money = field(default_factory=dict)
    team_demand: Days = field(default_factory=dict)


@dataclass(frozen=True)
class Budget:
    financial_year: str
    capital: int
    revenue: int


@dataclass(frozen=True)
class TeamDays:
    team: str
    quarter: str
    days: float


@dataclass(frozen=True)
class RoundLimits:
    budgets: Sequence[Budget] = ()
    teams: Sequence[TeamDays] = ()
    requires: Sequence[tuple[str, str]] = ()  # (candidate key, the candidate key it needs)
    exclusive: Sequence[tuple[str, str]] = ()
    wip_limit: int | None = None


def capacity_rows(
    limits: RoundLimits, candidates: Sequence[CandidateLimits]
) -> tuple[list[str], list[list[float]], list[float]]:
    """One row for each financial year's capital and revenue (less committed spend) and one
    for each team's days in each quarter: (names, usage by candidate, capacities)."""
    names: list[str] = []
    rows: list[list[float]] = []
    capacities: list[float] = []
    for budget in limits.budgets:
        year = budget.financial_year
        for kind in MONEY_KINDS:
            committed = sum(stored_pounds(c.committed.get(year, {}).get(kind)) for c in candidates)
            names.append(f"{year} {kind}")
            capacities.append(float(max(getattr(budget, kind) - committed, 0)))
            rows.append([float(stored_pounds(c.costs.get(year, {}).get(kind))) for c in candidates])
    for team in limits.teams:
        names.append(f"{team.team} {team.quarter}")
        capacities.append(float(team.days))
        rows.append([float(c.team_demand.get(team.team, {}).get(team.quarter, 0) or 0) for c in candidates])
    return names, rows, capacities


def build_problem(
    limits: RoundLimits,
    candidates: Sequence[CandidateLimits],
    values: Mapping[str, float],
    *,
    time_limit_s: float = SOLVE_SECONDS,
) -> selection.Problem:
    """The selection problem: `values` are the candidates' scores by key (0 for one not scored)."""
    index = {c.key: i for i, c in enumerate(candidates)}
    names, rows, capacities = capacity_rows(limits, candidates)
    return selection.Problem(
        values=[float(values.get(c.key, 0.0)) for c in candidates],
        weights=rows,
        capacities=capacities,
        must=[index[c.key] for c in candidates if c.must_do],
        requires=[(index[a], index[b]) for a, b in limits.requires],
        exclusive=[(index[a], index[b]) for a, b in limits.exclusive],
        max_selected=limits.wip_limit or None,
        names=[c.reference for c in candidates],
        constraint_names=names,
        time_limit_s=time_limit_s,
        # A round's selection is proven the best, not within a relative gap: its explanations are
        # differences of totals that a gap of 1e-4 can get wrong on a near-tie (ADR 19).
        mip_rel_gap=0.0,
    )
