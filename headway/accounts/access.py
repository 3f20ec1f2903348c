"""The organisation boundary and role checks, in one place.

Views are decorated with `member_required(action)` (in `headway.views`, with the typed request):
the person must be signed in, belong to the organisation they are working in, and hold a role
that allows the action. Objects are fetched through the access helpers in each app (for example
`portfolio.access`), which look them up through `request.organisation`, so another organisation's
object is simply not found (404) rather than forbidden — we do not confirm that it exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from headway.accounts.models import Invitation, Membership, Organisation
from headway.views import MemberRequest, member_required, scoped_get

__all__ = [
    "current_membership",
    "current_organisation",
    "find_invitation",
    "get_invitation",
    "get_membership",
    "member_required",
]


def get_membership(request: MemberRequest, pk: int) -> Membership:
    return scoped_get(request, Membership.objects.select_related("user"), pk)


def get_invitation(request: MemberRequest, pk: int) -> Invitation:
    return scoped_get(request, Invitation.objects.select_related("invited_by"), pk)


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link names, in any organisation: the link itself is the permission, and
    whoever holds it is the person it was emailed to."""
    return Invitation.objects.with_token(token).select_related("organisation", "invited_by").first()


# For views not yet annotated with `headway.views.MemberRequest`: under `member_required`, read
# `request.membership` and `request.organisation` instead.
def current_membership(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied("You are not a member of any organisation.")
    return membership


def current_organisation(request: HttpRequest) -> Organisation:
    return current_membership(request).organisation
