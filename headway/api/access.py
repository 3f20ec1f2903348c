"""Look-ups for the token pages: a person sees only their own tokens and their own memberships,
so another person's token is "not found" (ADR 32)."""

from __future__ import annotations

from django.http import Http404

from headway.accounts.models import Membership
from headway.api.models import AccessToken, AccessTokenQuerySet
from headway.views import MemberRequest


def memberships_of(request: MemberRequest) -> list[Membership]:
    return list(Membership.objects.filter(user=request.user).select_related("organisation"))


def tokens_of(request: MemberRequest) -> AccessTokenQuerySet:
    return AccessToken.objects.for_user(request.user).select_related("organisation")


def get_token(request: MemberRequest, pk: int) -> AccessToken:
    token = tokens_of(request).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token of yours.")
    return token
