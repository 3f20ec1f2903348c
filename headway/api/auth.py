"""Who is calling the API: a personal access token, and nothing else (ADR 32).

The token is sent as `Authorization: Bearer <secret>`. It must be current (not revoked, not
expired) and its person must still be a member of its organisation; the request then carries the
same `user`, `organisation` and `membership` a page's request does, so the apps' `access.py`
look-ups (another organisation's object is 404) and role rules apply unchanged. A session cookie
is not accepted: an API that took cookies would need CSRF protection on every write, and scripts
have no use for it.

Each token may make `API_RATE_LIMIT_PER_MINUTE` requests a minute (a setting the self-hoster
controls), counted in Django's cache; past it the API answers 429 with `Retry-After`.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Action
from headway.api.models import SECRET_START, AccessToken, token_digest
from headway.api.problems import Problem

# How stale `last_used_at` may be before a request updates it: once a minute at most, so a
# script making hundreds of calls writes the row once, not hundreds of times.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class ApiRequest(HttpRequest):
    """A request the token let through (see `TokenAuth.authenticate`)."""

    user: User
    organisation: Organisation
    membership: Membership
    memberships: list[Membership]
    api_token: AccessToken


def rate_limit(token: AccessToken) -> None:
    """Count this request against the token's minute; refuse past the limit (429)."""
    limit = int(getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120))
    if limit <= 0:
        return
    now = time.time()
    minute = int(now // 60)
    key = f"headway-api-rate:{token.pk}:{minute}"
    if cache.add(key, 1, timeout=120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=120)
            count = 1
    if count > limit:
        wait = max(1, 60 - int(now % 60))
        raise Problem(
            429,
            f"This token has made more than {limit} requests this minute. Try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        if not token.startswith(SECRET_START) or len(token) > 200:
            return None
        now = timezone.now()
        found = (
            AccessToken.objects.usable(now)
            .select_related("user", "organisation")
            .filter(digest=token_digest(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user_id=found.user_id, organisation_id=found.organisation_id)
            .first()
        )
        if membership is None:
            return None  # the person left the organisation: the token stops with the membership
        rate_limit(found)
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
            AccessToken.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
        carried = cast(Any, request)
        carried.user = found.user
        carried.organisation = membership.organisation
        carried.membership = membership
        carried.memberships = [membership]
        carried.api_token = found
        return found


def require(request: ApiRequest, action: str) -> None:
    """The token's person must hold a role allowing `action` (403 otherwise)."""
    if not request.membership.can(action):
        role = request.membership.get_role_display()
        raise Problem(403, f"Your role ({role}) cannot do this: it needs ‘{Action(action).label}’.")


def require_write(request: ApiRequest) -> None:
    """A read-only token changes nothing, whatever its person's role (403)."""
    if not request.api_token.can_write:
        raise Problem(403, "This token is read-only. Make a read-write token on your account page to change data.")
