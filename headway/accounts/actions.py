"""Writes about people and their memberships. Keyword-only, `by=` the acting person, atomic."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Role
from headway.concurrency import lock_for_create


def _would_leave_no_portfolio_office(membership: Membership, new_role: str | None) -> bool:
    if membership.role != Role.PORTFOLIO_OFFICE or new_role == Role.PORTFOLIO_OFFICE:
        return False
    others = Membership.objects.for_organisation(membership.organisation).filter(role=Role.PORTFOLIO_OFFICE)
    return not others.exclude(pk=membership.pk).exists()


@transaction.atomic
def add_member(
    *, organisation: Organisation, by: User | None, email: str, full_name: str, role: str, directorate: str = ""
) -> tuple[Membership, bool]:
    """Give a person a role in the organisation, creating their account if they have none.

    Returns the membership and whether a new account was made (it has no password until the
    person sets one through the emailed link)."""
    email = email.strip().lower()
    # The same person added twice at once: the second waits, then finds the first membership.
    lock_for_create(Organisation.objects.filter(pk=organisation.pk))
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean(exclude=["password", "username"])
        user.save()
    elif Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"email": f"{user} is already a member of {organisation.name}."})
    membership = Membership(user=user, organisation=organisation, role=role, directorate=directorate.strip())
    membership.full_clean()
    membership.save()
    return membership, created


@transaction.atomic
def change_member(*, membership: Membership, by: User | None, role: str, directorate: str) -> Membership:
    if _would_leave_no_portfolio_office(membership, role):
        raise ValidationError({"role": "Someone must stay in the portfolio office to administer the organisation."})
    membership.role = role
    membership.directorate = directorate.strip()
    membership.full_clean()
    membership.save()
    return membership


def why_not_removable(*, membership: Membership, by: User | None) -> str:
    """Why `by` may not remove this membership, or "" if they may (the role check is the view's)."""
    if by is not None and membership.user_id == by.pk:
        return "You cannot remove yourself; ask someone else in the portfolio office."
    if _would_leave_no_portfolio_office(membership, None):
        return "Someone must stay in the portfolio office to administer the organisation."
    return ""


@transaction.atomic
def remove_member(*, membership: Membership, by: User | None) -> None:
    reason = why_not_removable(membership=membership, by=by)
    if reason:
        raise ValidationError(reason)
    membership.delete()
