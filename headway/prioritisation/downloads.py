"""The columns of the prioritisation downloads (ADR 34): the list of rounds, and one round's
initiatives with their scores, whether each is in or out and why, as `headway.downloads`
writes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from headway.downloads import Column
from headway.prioritisation.models import Round, RoundChange
from headway.prioritisation.presenters import CandidateRow


@dataclass(frozen=True)
class RoundLine:
    """A round with its closed history (None while it is open), as the list shows them."""

    round: Round
    history: list[RoundChange] | None


def round_columns(link: Callable[[str], str]) -> list[Column[RoundLine]]:
    return [
        Column("Round", lambda r: r.round.name),
        Column("Held on", lambda r: r.round.held_on),
        Column("Scoring method", lambda r: r.round.get_method_display()),
        Column("Open or closed", lambda r: "Open" if r.round.is_open else "Closed"),
        Column(
            "Initiatives chosen",
            lambda r: len(r.round.current_result.selected) if r.round.current_result is not None else None,
        ),
        Column(
            "What changed, and why",
            lambda r: (
                None
                if r.history is None
                else (
                    "; ".join(
                        f"{c.get_change_display()} {c.initiative.reference} {c.initiative.title}: {c.reason}"
                        for c in r.history
                    )
                    or "Everything carried on as before."
                )
            ),
        ),
        Column("Link", lambda r: link(reverse("prioritisation:detail", args=[r.round.pk]))),
    ]


def _in_or_out(row: CandidateRow) -> str | None:
    if row.figures.selected is None:
        return None
    return "In" if row.figures.selected else "Out"


def candidate_columns(link: Callable[[str], str]) -> list[Column[CandidateRow]]:
    """Over `presenters.candidate_rows`, so the reasons and robustness words are the round page's."""
    return [
        Column("Rank", lambda r: r.figures.rank),
        Column("Reference", lambda r: r.figures.candidate.initiative.reference),
        Column("Initiative", lambda r: r.figures.candidate.initiative.title),
        Column("Status", lambda r: r.figures.candidate.initiative.get_status_display()),
        Column("Must do", lambda r: "Yes" if r.figures.candidate.must_do else "No"),
        Column("Taken out of the round", lambda r: "Yes" if r.figures.candidate.withdrawn_by_id else "No"),
        Column("Score", lambda r: None if r.figures.score is None else round(r.figures.score, 2)),
        Column("Scorers", lambda r: r.figures.scorers),
        Column("In or out", _in_or_out),
        Column(
            "Chosen when the weights move",
            lambda r: None if r.figures.robustness is None else round(r.figures.robustness, 3),
        ),
        Column("Capital (£)", lambda r: r.figures.capital),
        Column("Revenue (£)", lambda r: r.figures.revenue),
        Column("Where the money comes from", lambda r: r.costs_source),
        Column("Team days", lambda r: r.figures.team_days or None),
        Column("Needs", lambda r: ", ".join(r.figures.requires)),
        Column("Not with", lambda r: ", ".join(r.figures.exclusive)),
        Column("Why", lambda r: r.reason),
        Column("Link", lambda r: link(reverse("portfolio:detail", args=[r.figures.candidate.initiative_id]))),
    ]
