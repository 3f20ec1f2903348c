"""Writes for personal access tokens (ADR 32): made by a person for themselves, revoked by them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from headway.accounts.models import Membership, User
from headway.api.models import PREFIX_LENGTH, AccessToken, new_secret, token_digest
from headway.history import stamp
from headway.lib import bounds


@transaction.atomic
def create_token(
    *,
    membership: Membership,
    by: User,
    name: str,
    can_write: bool,
    days: int,
    secret: str | None = None,
    reason: str | None = None,
) -> tuple[AccessToken, str]:
    """A new token for the person's membership, and its secret (returned here and never stored).
    `secret` is given only by the demo loader, whose token is published on purpose."""
    if membership.user_id != by.pk:
        raise ValidationError("A token is made by the person it belongs to.")
    if not 1 <= days <= bounds.TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"A token lasts from 1 to {bounds.TOKEN_MAX_DAYS} days."})
    name = name.strip()
    try:
        bounds.check_text(name, limit=100)
    except bounds.BoundsError as error:
        raise ValidationError({"name": str(error)}) from None
    if not name:
        raise ValidationError({"name": "Say what the token is for, so you can tell it apart later."})
    secret = secret or new_secret()
    now = timezone.now()
    token = AccessToken(
        user=by,
        organisation_id=membership.organisation_id,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        digest=token_digest(secret),
        can_write=can_write,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    token.full_clean(exclude=["user", "organisation"])
    stamp(token, by, reason or "Created")
    token.save()
    return token, secret


@transaction.atomic
def revoke_token(*, token: AccessToken, by: User) -> AccessToken:
    """Stop a token working, at once. It stays listed (revoked), as the record of it."""
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        stamp(token, by, "Revoked")
        token.save()
    return token


@transaction.atomic
def renew_token(*, token: AccessToken, by: User | None, days: int, reason: str) -> AccessToken:
    """Give a token a new expiry (the demo loader's published token, each time the demo loads)."""
    token.expires_at = timezone.now() + dt.timedelta(days=min(days, bounds.TOKEN_MAX_DAYS))
    token.revoked_at = None
    stamp(token, by, reason)
    token.save()
    return token
