"""Look-ups that keep the organisation boundary for prioritisation, and who may do what.

Everyone in the organisation reads rounds. Those who may run prioritisation (the executive
and the portfolio office) set rounds up, score and run them; closing a round records decisions,
so it needs the right to decide.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from headway.accounts.access import current_organisation
from headway.accounts.roles import Action
from headway.prioritisation.models import Candidate, Round, RoundQuerySet


def rounds_of(request: HttpRequest) -> RoundQuerySet:
    return Round.objects.for_organisation(current_organisation(request))


def get_round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(
        rounds_of(request).select_related("organisation", "previous", "scenario_of", "current_result", "created_by"),
        pk=pk,
    )


def get_scenario(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(
        rounds_of(request).filter(scenario_of__isnull=False).select_related("scenario_of", "current_result"), pk=pk
    )


def get_candidate(request: HttpRequest, pk: int) -> Candidate:
    return get_object_or_404(
        Candidate.objects.for_organisation(current_organisation(request)).select_related(
            "initiative", "round", "round__organisation"
        ),
        pk=pk,
    )


def can(request: HttpRequest, action: str) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership is not None and membership.can(action))


def can_set_up(request: HttpRequest) -> bool:
    return can(request, Action.RUN_PRIORITISATION)


def can_close(request: HttpRequest) -> bool:
    return can(request, Action.DECIDE)
