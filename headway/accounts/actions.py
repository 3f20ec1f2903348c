"""Writes about people and their memberships. Keyword-only, `by=` the acting person, atomic."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from headway import derived
from headway.accounts.models import Invitation, Membership, Organisation, User, invitation_digest, normalise_email
from headway.accounts.roles import Role
from headway.concurrency import lock_for_create
from headway.history import stamp


def _would_leave_no_portfolio_office(membership: Membership, new_role: str | None) -> bool:
    if membership.role != Role.PORTFOLIO_OFFICE or new_role == Role.PORTFOLIO_OFFICE:
        return False
    others = Membership.objects.for_organisation(membership.organisation).filter(role=Role.PORTFOLIO_OFFICE)
    return not others.exclude(pk=membership.pk).exists()


@transaction.atomic
def add_member(
    *, organisation: Organisation, by: User | None, email: str, full_name: str, role: str, directorate: str = ""
) -> tuple[Membership, bool]:
    """Give a person a role in the organisation at once, creating their account if they have none.

    Only for trusted set-up paths (the demo loader, an installation administrator's command):
    it attaches an existing account without asking its owner. The portfolio office's page invites
    instead (`invite_member`), so it never learns who else has an account.

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
    stamp(membership, by, "Access given")
    membership.save()
    return membership, created


@transaction.atomic
def change_member(*, membership: Membership, by: User | None, role: str, directorate: str) -> Membership:
    if _would_leave_no_portfolio_office(membership, role):
        raise ValidationError({"role": "Someone must stay in the portfolio office to administer the organisation."})
    membership.role = role
    membership.directorate = directorate.strip()
    membership.full_clean()
    stamp(membership, by, "Role changed")
    membership.save()
    # People are named in the pitfall findings (ADR 26).
    derived.organisation_changed(membership.organisation_id)
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
    stamp(membership, by, "Access removed")
    membership.delete()
    derived.organisation_changed(membership.organisation_id)


# Invitations (ADR 23) ------------------------------------------------------------------------


@transaction.atomic
def invite_member(
    *, organisation: Organisation, by: User | None, email: str, full_name: str, role: str, directorate: str = ""
) -> tuple[Invitation, str]:
    """Invite an email address to a role in the organisation. Returns the invitation and the
    token for its link (only its digest is stored).

    Whether the address already has an account elsewhere is never looked at here, so nothing the
    portfolio office sees can depend on it. Inviting an address again replaces its pending
    invitation, whose link stops working."""
    email = normalise_email(email)
    existing = Membership.objects.for_organisation(organisation).filter(user__email=email).first()
    if existing is not None:
        raise ValidationError({"email": f"{email} is already a member of {organisation.name}."})
    now = timezone.now()
    Invitation.objects.for_organisation(organisation).pending(now).filter(email=email).update(
        withdrawn_at=now, withdrawn_by=by
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        role=role,
        directorate=directorate.strip(),
        token_digest=invitation_digest(token),
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, token


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User, set_up: bool = False) -> Membership:
    """The invited person says yes: they join the organisation in the role offered.

    `user` must have the invited address. With `set_up`, `user` is the account the person has just
    set up (or given a first password) on the invitation page, and is saved here too."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    reason = invitation.why_not_usable()
    if reason:
        raise ValidationError(reason)
    if normalise_email(user.email) != invitation.email:
        raise ValidationError(f"This invitation is for {invitation.email}.")
    if user.pk is not None and not user.is_active:
        raise ValidationError("This Headway account has been closed. Ask the portfolio office to help.")
    if set_up:
        if user.pk is None and User.objects.filter(email=invitation.email).exists():
            raise ValidationError("An account with this email address already exists: sign in to accept.")
        user.full_clean(exclude=["password", "username"])
        user.save()
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        membership = Membership(
            user=user, organisation=invitation.organisation, role=invitation.role, directorate=invitation.directorate
        )
        membership.full_clean()
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if set_up:  # a name given here is the name the pitfall findings use, wherever they work (ADR 26)
        for organisation_id in Membership.objects.filter(user=user).values_list("organisation_id", flat=True):
            derived.organisation_changed(organisation_id)
    return membership


def why_not_withdrawable(*, invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return "This invitation has already been accepted: change or remove the person's access instead."
    if invitation.withdrawn_at is not None:
        return "This invitation has already been withdrawn."
    return ""


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by: User | None) -> None:
    """The link stops working. An expired invitation may be withdrawn too, to clear the list."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    reason = why_not_withdrawable(invitation=invitation)
    if reason:
        raise ValidationError(reason)
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = by
    invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
