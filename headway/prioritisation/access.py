"""Look-ups that keep the organisation boundary for prioritisation, and who may do what.

Everyone in the organisation reads rounds. Those who may run prioritisation (the executive
and the portfolio office) set rounds up, score and run them; closing a round records decisions,
so it needs the right to decide.
"""

from __future__ import annotations

from django.http import HttpRequest

from headway.accounts.roles import Action
from headway.prioritisation.models import Candidate, Round, RoundQuerySet
from headway.views import MemberRequest, can_do, scoped_get


def rounds_of(request: MemberRequest) -> RoundQuerySet:
    return Round.objects.for_organisation(request.organisation)


def get_round(request: MemberRequest, pk: int) -> Round:
    return scoped_get(
        request,
        Round.objects.select_related("organisation", "previous", "scenario_of", "current_result", "created_by"),
        pk,
    )


def get_scenario(request: MemberRequest, pk: int) -> Round:
    return scoped_get(
        request, Round.objects.filter(scenario_of__isnull=False).select_related("scenario_of", "current_result"), pk
    )


def get_candidate(request: MemberRequest, pk: int) -> Candidate:
    return scoped_get(
        request,
        Candidate.objects.select_related("initiative", "round", "round__organisation"),
        pk,
        through="round__organisation",
    )


def can_set_up(request: HttpRequest) -> bool:
    return can_do(request, Action.RUN_PRIORITISATION)


def can_close(request: HttpRequest) -> bool:
    return can_do(request, Action.DECIDE)
