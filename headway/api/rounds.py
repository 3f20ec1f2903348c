"""Prioritisation rounds through the API (ADR 31), read only: rounds, and the results of their
selection runs, which are never changed once stored (ADR 8).

A result is read as the round page reads it: the round's candidates loaded by
`prioritisation.queries.load_round` with the stored result, and each candidate's figures (rank,
score, whether chosen, how firmly) from `prioritisation.figures.candidate_figures`. Everyone in
the organisation reads the round pages, so every role reads them here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from headway.accounts.roles import Action
from headway.api.auth import ApiRequest, require
from headway.api.portfolio import Id, Limit, Offset
from headway.api.schemas import Page, paged, responses
from headway.prioritisation import access, figures
from headway.prioritisation.models import Result, Round
from headway.prioritisation.queries import load_round

router = Router(tags=["Prioritisation"])


# Rounds --------------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    name: str
    held_on: dt.date
    method: str = Field(description="weighted, wsjf or rice.")
    combine: str = Field(description="How scorers' scores are combined: mean or median.")
    wip_limit: int | None = Field(description="The most initiatives in progress at once; null for no limit.")
    status: str = Field(description="open or closed.")
    previous_id: int | None = Field(description="The round before it.")
    current_result_id: int | None = Field(description="The result the round page shows; null before a run.")
    created_at: dt.datetime
    closed_at: dt.datetime | None


class RoundFilters(Schema):
    status: str | None = Field(None, pattern="^(open|closed)$", description="open or closed.")


def _round(round: Round) -> dict[str, Any]:
    return {
        "id": round.pk,
        "name": round.name,
        "held_on": round.held_on,
        "method": round.method,
        "combine": round.combine,
        "wip_limit": round.wip_limit,
        "status": round.status,
        "previous_id": round.previous_id,
        "current_result_id": round.current_result_id,
        "created_at": round.created_at,
        "closed_at": round.closed_at,
    }


@router.get("/rounds", response=responses({200: Page[RoundOut]}), summary="Prioritisation rounds")
def list_rounds(
    request: ApiRequest, filters: Query[RoundFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The organisation's rounds (not their what-if scenarios), newest first, as on the rounds page."""
    require(request, Action.VIEW)
    rows = access.rounds_of(request).rounds()  # type: ignore[arg-type]
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paged(request, rows.order_by("-held_on", "-pk"), limit, offset, _round)


@router.get("/rounds/{round_id}", response=responses({200: RoundOut}), summary="A prioritisation round")
def get_round(request: ApiRequest, round_id: Id) -> dict[str, Any]:
    require(request, Action.VIEW)
    return _round(access.get_round(request, round_id))  # type: ignore[arg-type]


# Results -------------------------------------------------------------------------------------


class ResultOut(Schema):
    id: int
    is_current: bool = Field(description="Whether it is the result the round page shows.")
    created_at: dt.datetime
    method: str
    method_version: str
    status: str = Field(description="How the selection ended (for example Optimal).")
    objective: float | None = Field(description="The total score of the chosen initiatives.")
    greedy_objective: float | None = Field(description="What picking by score alone would have reached.")
    seconds: float


class CandidateResultOut(Schema):
    initiative: str = Field(description="The initiative's reference.")
    initiative_id: int
    rank: int | None
    score: float | None
    spread: float | None
    wide: bool = Field(description="The scorers disagreed widely.")
    scorers: int
    selected: bool | None = Field(description="Chosen by the selection; null for a candidate taken out since.")
    greedy: bool | None = Field(description="Would be chosen by score alone.")
    robustness: float | None = Field(description="Share of perturbed runs that chose it.")
    firmness: str | None = Field(description="firm_in, firm_out or marginal.")
    must_do: bool
    withdrawn: bool = Field(description="Taken out of the round by a decision (stop, pause or close).")
    capital: int = Field(description="Pounds, as the round uses now.")
    revenue: int
    money_from: str | None = Field(description="Where the money figures come from.")
    team_days: float
    requires: list[str]
    excludes: list[str]
    reason: str | None = Field(description="Why it was chosen or not, in words.")


class CapacityOut(Schema):
    name: str
    is_money: bool
    capacity: float
    used: float
    full: bool


class ResultDetailOut(ResultOut):
    candidates: list[CandidateResultOut] = Field(description="By rank.")
    capacity: list[CapacityOut]
    conflicts: list[str] = Field(description="Why no selection could meet every rule, when none could.")


def _result(result: Result, round: Round) -> dict[str, Any]:
    return {
        "id": result.pk,
        "is_current": result.pk == round.current_result_id,
        "created_at": result.created_at,
        "method": result.method,
        "method_version": result.method_version,
        "status": result.status,
        "objective": result.objective,
        "greedy_objective": result.greedy_objective,
        "seconds": result.seconds,
    }


def _candidate(row: figures.CandidateFigures) -> dict[str, Any]:
    candidate = row.candidate
    return {
        "initiative": candidate.initiative.reference,
        "initiative_id": candidate.initiative_id,
        "rank": row.rank,
        "score": row.score,
        "spread": row.spread,
        "wide": row.wide,
        "scorers": row.scorers,
        "selected": row.selected,
        "greedy": row.greedy,
        "robustness": row.robustness,
        "firmness": row.firmness,
        "must_do": candidate.must_do,
        "withdrawn": candidate.withdrawn_by_id is not None,
        "capital": row.capital,
        "revenue": row.revenue,
        "money_from": row.money.label if row.money is not None else None,
        "team_days": row.team_days,
        "requires": row.requires,
        "excludes": row.exclusive,
        "reason": row.explanation["reason"] if row.explanation else None,
    }


@router.get(
    "/rounds/{round_id}/results",
    response=responses({200: Page[ResultOut]}),
    summary="A round's selection runs, newest first",
)
def list_results(request: ApiRequest, round_id: Id, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Every time the round's selection was worked out. A stored result is never changed."""
    require(request, Action.VIEW)
    round = access.get_round(request, round_id)  # type: ignore[arg-type]
    rows = round.results.order_by("-created_at", "-pk")
    return paged(request, rows, limit, offset, lambda r: _result(r, round))


@router.get(
    "/rounds/{round_id}/results/{result_id}",
    response=responses({200: ResultDetailOut}),
    summary="One selection run: each candidate's rank, score and whether chosen",
)
def get_result(request: ApiRequest, round_id: Id, result_id: Id) -> dict[str, Any]:
    """A stored result read as the round page reads it, for the round's candidates now."""
    require(request, Action.VIEW)
    round = access.get_round(request, round_id)  # type: ignore[arg-type]
    result = get_object_or_404(round.results.all(), pk=result_id)
    data = load_round(round, result)
    return {
        **_result(result, round),
        "candidates": [_candidate(row) for row in figures.candidate_figures(data)],
        "capacity": [
            {"name": use.name, "is_money": use.is_money, "capacity": use.capacity, "used": use.used, "full": use.full}
            for use in figures.limit_uses(data.stored)
        ],
        "conflicts": list(data.stored.conflicts) if data.stored is not None else [],
    }
