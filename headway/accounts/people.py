"""The people of an organisation: the one place that says who counts as a member.

Forms offer `members_of` (active members, by name); history pages name people through
`names_of` (everyone who has ever been a member, so a record made by someone who has since left
still names them); commands and actions find or check a person with `member_by_email` and
`is_member`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from headway.accounts.models import Organisation, User


def members_of(organisation: Organisation | int) -> QuerySet[User]:
    """Active people with a membership of the organisation, by name."""
    return User.objects.filter(memberships__organisation=organisation, is_active=True).order_by("full_name")


def names_of(organisation: Organisation | int) -> dict[int, str]:
    """Each member's name (or email, where no name was given) by id, including inactive people."""
    return {
        pk: name or email
        for pk, name, email in User.objects.filter(memberships__organisation=organisation).values_list(
            "pk", "full_name", "email"
        )
    }


def member_by_email(organisation: Organisation, email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower(), memberships__organisation=organisation).first()


def is_member(organisation: Organisation, person: User) -> bool:
    return bool(person.is_active and person.memberships.filter(organisation=organisation).exists())
