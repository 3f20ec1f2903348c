"""Loading the finance figures a round reads for its candidates' money, in three queries.

This reads `headway.finance.models` only. The "latest business case" is finance's own rule,
`BusinessCase.stage_rank` (full, then outline, then strategic outline case).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from headway.finance.models import BusinessCase, CostLine, FundingLine
from headway.prioritisation import costs
from headway.prioritisation.costs import CostSource
from headway.prioritisation.models import Candidate


def finance_sources(initiative_ids: Iterable[int]) -> dict[int, tuple[CostSource | None, CostSource | None]]:
    """{initiative id: (its latest business case's costs, its funding lines)}, each None when
    there is nothing of that kind."""
    ids = sorted(set(initiative_ids))
    if not ids:
        return {}
    latest: dict[int, BusinessCase] = {}
    for case in BusinessCase.objects.filter(initiative_id__in=ids).only("pk", "initiative_id", "stage"):
        held = latest.get(case.initiative_id)
        if held is None or case.stage_rank > held.stage_rank:
            latest[case.initiative_id] = case
    case_lines: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for case_id, year, kind, amount in CostLine.objects.filter(
        business_case_id__in=[c.pk for c in latest.values()]
    ).values_list("business_case_id", "financial_year", "kind", "amount"):
        case_lines[case_id].append((year, kind, amount))
    funding: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    # Every state counts: a request is the initiative's own statement of what it needs.
    for initiative_id, year, kind, amount in FundingLine.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "financial_year", "kind", "amount"
    ):
        funding[initiative_id].append((year, kind, amount))
    sources: dict[int, tuple[CostSource | None, CostSource | None]] = {}
    for initiative_id in ids:
        latest_case = latest.get(initiative_id)
        from_case = None
        if latest_case is not None and case_lines.get(latest_case.pk):
            from_case = CostSource(
                origin=costs.BUSINESS_CASE,
                label=latest_case.get_stage_display(),
                costs=costs.by_year(case_lines[latest_case.pk]),
            )
        from_funding = None
        if funding.get(initiative_id):
            from_funding = CostSource(
                origin=costs.FUNDING_LINES, label=costs.FUNDING_LABEL, costs=costs.by_year(funding[initiative_id])
            )
        sources[initiative_id] = (from_case, from_funding)
    return sources


def effective_costs(candidates: Sequence[Candidate]) -> dict[int, CostSource]:
    """{candidate id: the money the round uses for it, and where it came from}."""
    sources = finance_sources(c.initiative_id for c in candidates)
    return {
        c.pk: costs.effective_costs(
            entered_costs=c.costs,
            reason=c.costs_reason,
            case=sources.get(c.initiative_id, (None, None))[0],
            funding=sources.get(c.initiative_id, (None, None))[1],
        )
        for c in candidates
    }
