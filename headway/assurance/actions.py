"""Writes that reach across the apps: a decision on an initiative, with what follows from it in
the open prioritisation rounds (ADR 20).

A decision is recorded by `portfolio.actions`; the portfolio app knows nothing of rounds, which
are built on it, so the step that keeps the rounds in line with the decision is taken here, in
the same transaction: a stop, pause or close takes the initiative out of the open rounds, and
the reversal of one puts it back. The decision pages, and anything else that records decisions
for people (an import, the API), come through here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from headway import derived
from headway.accounts.models import User
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Decision, Initiative
from headway.prioritisation import actions as prioritisation_actions
from headway.prioritisation.models import Round


@dataclass(frozen=True)
class Decided:
    """A decision, and the open rounds it took the initiative out of or put it back into."""

    decision: Decision
    taken_out_of: list[Round] = field(default_factory=list)
    put_back_into: list[Round] = field(default_factory=list)


@transaction.atomic
@derived.batch()  # the decision and its rounds refresh the pitfall findings once
def record_decision(
    *,
    initiative: Initiative,
    by: User | None,
    kind: str,
    rationale: str,
    evidence: str,
    decided_by: str,
    decided_on: dt.date,
    reason: str | None = None,
) -> Decided:
    decision = portfolio_actions.record_decision(
        initiative=initiative,
        by=by,
        kind=kind,
        rationale=rationale,
        evidence=evidence,
        decided_by=decided_by,
        decided_on=decided_on,
        reason=reason,
    )
    return Decided(decision, *prioritisation_actions.follow_decision(decision=decision, by=by))


@transaction.atomic
@derived.batch()
def reverse_decision(
    *,
    decision: Decision,
    by: User | None,
    rationale: str,
    evidence: str,
    decided_by: str,
    decided_on: dt.date,
) -> Decided:
    reversal = portfolio_actions.reverse_decision(
        decision=decision,
        by=by,
        rationale=rationale,
        evidence=evidence,
        decided_by=decided_by,
        decided_on=decided_on,
    )
    return Decided(reversal, *prioritisation_actions.follow_decision(decision=reversal, by=by))
