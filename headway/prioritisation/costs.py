"""Where a candidate's money comes from: money is entered once.

Pure Python; no Django. A candidate's cost by financial year is, in order:

1. what was entered for the round, when someone overrode the finance figures (with a reason);
2. otherwise the initiative's latest business case (full, then outline, then strategic outline),
   its cost lines summed by year and kind, if it has any;
3. otherwise its funding lines (every state: requested, approved, committed or spent);
4. otherwise nothing, and the page asks for the costs.

Team days have no other home in Headway, so they are always entered for the round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from headway.prioritisation.problem import MONEY_KINDS, stored_pounds

ENTERED = "entered"
BUSINESS_CASE = "business_case"
FUNDING_LINES = "funding_lines"
NO_COSTS = "none"

ENTERED_LABEL = "Entered for this round"
FUNDING_LABEL = "Funding lines"
NO_COSTS_LABEL = "No costs recorded"
#: The reason given to money typed into rounds before business cases were read.
MIGRATED_REASON = "Entered before business cases were read"


@dataclass(frozen=True)
class CostSource:
    """A candidate's cost by year and where it came from, in words for the page."""

    origin: str
    label: str
    costs: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, int]:
        return {kind: sum(year.get(kind, 0) for year in self.costs.values()) for kind in MONEY_KINDS}


def by_year(lines: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """{year: {capital, revenue}} from (financial year, kind, amount) lines, summed."""
    money: dict[str, dict[str, int]] = {}
    for year, kind, amount in lines:
        if kind not in MONEY_KINDS:
            continue
        row = money.setdefault(year, dict.fromkeys(MONEY_KINDS, 0))
        row[kind] += int(amount)
    return dict(sorted(money.items()))


def entered(costs: Mapping[str, Mapping[str, Any]], reason: str) -> CostSource:
    reason = reason.strip()
    return CostSource(
        origin=ENTERED,
        label=f"{ENTERED_LABEL}: {reason}" if reason else ENTERED_LABEL,
        costs={y: {k: stored_pounds(m.get(k)) for k in MONEY_KINDS} for y, m in sorted(costs.items())},
    )


def effective_costs(
    *,
    entered_costs: Mapping[str, Mapping[str, Any]],
    reason: str,
    case: CostSource | None,
    funding: CostSource | None,
) -> CostSource:
    """The cost the round uses (see the module's docstring for the order)."""
    if entered_costs:
        return entered(entered_costs, reason)
    for source in (case, funding):
        if source is not None and source.costs:
            return source
    return CostSource(origin=NO_COSTS, label=NO_COSTS_LABEL)
