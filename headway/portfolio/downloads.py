"""The columns of the portfolio app's list downloads (ADR 34): the decision log and the risk
register, as `headway.downloads` writes them."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from headway.downloads import Column
from headway.lib.exports import Cell
from headway.portfolio.models import Decision, Risk


def _reversal(decision: Decision) -> Cell:
    """Which decision this one reverses, or which reversed it (the log shows both)."""
    if decision.reverses_id is not None:
        return f"Reverses the decision of {decision.reverses.decided_on:%d/%m/%Y}"  # type: ignore[union-attr]
    try:
        later = decision.reversed_by  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return None
    return f"Reversed on {later.decided_on:%d/%m/%Y}"


def decision_columns(link: Callable[[str], str]) -> list[Column[Decision]]:
    return [
        Column("Date decided", lambda d: d.decided_on),
        Column("Initiative reference", lambda d: d.initiative.reference),
        Column("Initiative", lambda d: d.initiative.title),
        Column("Decision", lambda d: d.get_kind_display()),
        Column("Status before", lambda d: d.get_status_before_display()),
        Column("Status after", lambda d: d.get_status_after_display()),
        Column("Why", lambda d: d.rationale),
        Column("Evidence considered", lambda d: d.evidence),
        Column("Decided by", lambda d: d.decided_by),
        Column("Reversal", _reversal),
        Column("Initiative link", lambda d: link(reverse("portfolio:detail", args=[d.initiative_id]))),
    ]


def risk_columns(link: Callable[[str], str]) -> list[Column[Risk]]:
    return [
        Column("Risk", lambda r: r.title),
        Column("Description", lambda r: r.description),
        Column("Initiative reference", lambda r: r.initiative.reference if r.initiative else None),
        Column("Applies to", lambda r: r.initiative.title if r.initiative else "The whole portfolio"),
        Column("Likelihood (1 to 5)", lambda r: r.likelihood),
        Column("Consequence (1 to 5)", lambda r: r.consequence),
        Column("Score (1 to 25)", lambda r: r.score),
        Column("Rating", lambda r: r.rating.capitalize()),
        Column("Owner", lambda r: r.owner.full_name if r.owner else "No owner"),
        Column("Mitigation", lambda r: r.mitigation),
        Column("Next review", lambda r: r.next_review),
        Column(
            "Principal risk (board assurance framework)",
            lambda r: f"{r.principal_risk.reference} {r.principal_risk.title}" if r.principal_risk else None,
        ),
        Column(
            "Link",
            lambda r: link(
                reverse("portfolio:detail", args=[r.initiative_id]) if r.initiative_id else reverse("portfolio:risks")
            ),
        ),
    ]
