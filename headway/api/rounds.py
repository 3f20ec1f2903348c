"""Prioritisation rounds and their results through the API (read only): the rounds, and a
round's candidates ranked by its current result, from the figures the round page shows
(`prioritisation.figures.candidate_figures`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema
from pydantic import Field

from headway.api.auth import ApiRequest
from headway.api.portfolio import Id, Limit, Offset
from headway.api.schemas import Page, paged, responses
from headway.prioritisation import access, figures
from headway.prioritisation.models import Round
from headway.prioritisation.queries import load_round

router = Router(tags=["Prioritisation"])


class RoundOut(Schema):
    id: int
    name: str
    held_on: dt.date
    method: str
    status: str = Field(description="open or closed.")
    has_result: bool


class CandidateOut(Schema):
    initiative: str = Field(description="The initiative's reference.")
    title: str
    must_do: bool
    withdrawn: bool = Field(description="Taken out of the round by a decision (stopped, paused or closed).")
    capital: int = Field(description="Capital the round counts for it, in whole pounds.")
    revenue: int = Field(description="Revenue the round counts for it, in whole pounds.")
    score: float | None
    rank: int | None
    selected: bool | None = Field(description="Chosen by the current result; null before a result.")
    robustness: float | None = Field(description="How often it was chosen when the costs were drawn again (0 to 1).")


class RoundDetailOut(RoundOut):
    candidates: list[CandidateOut]


def _round(round: Round) -> dict[str, Any]:
    return {
        "id": round.pk,
        "name": round.name,
        "held_on": round.held_on,
        "method": round.method,
        "status": round.status,
        "has_result": round.current_result_id is not None,
    }


@router.get("/rounds", response=responses({200: Page[RoundOut]}), summary="Prioritisation rounds, newest first")
def list_rounds(request: ApiRequest, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rounds = access.rounds_of(request).rounds().order_by("-held_on", "-pk")  # type: ignore[arg-type]
    return paged(request, rounds, limit, offset, _round)


@router.get("/rounds/{round_id}", response=responses({200: RoundDetailOut}), summary="A round and its result")
def get_round(request: ApiRequest, round_id: Id) -> dict[str, Any]:
    round = access.get_round(request, round_id)  # type: ignore[arg-type]
    rows = figures.candidate_figures(load_round(round, round.current_result))
    return {
        **_round(round),
        "candidates": [
            {
                "initiative": row.candidate.initiative.reference,
                "title": row.candidate.initiative.title,
                "must_do": row.candidate.must_do,
                "withdrawn": row.candidate.withdrawn_by_id is not None,
                "capital": row.capital,
                "revenue": row.revenue,
                "score": row.score,
                "rank": row.rank,
                "selected": row.selected,
                "robustness": row.robustness,
            }
            for row in rows
        ],
    }
