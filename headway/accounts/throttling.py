"""What django-axes counts sign-in failures against: the person's address and the account.

Locking the pair (ADR 5, ADR 23) only protects people if the address is the person's own. Behind
a load balancer or reverse proxy every request arrives from the proxy, so without this a few
wrong guesses from anywhere would lock an account for everyone in the trust. The setting
`HEADWAY_TRUSTED_PROXIES` says how many proxies of our own stand in front of Headway; the client
is the address the outermost of them saw, read from the right of `X-Forwarded-For` (anything to
its left was written by the client and cannot be trusted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from headway.accounts.models import normalise_email


def client_address(request: HttpRequest) -> str:
    """The address of the person making the request, given how many trusted proxies forward it."""
    proxies: int = settings.HEADWAY_TRUSTED_PROXIES
    peer = str(request.META.get("REMOTE_ADDR", ""))
    if proxies <= 0:
        return peer
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Fewer hops than configured: the request did not come through all our proxies (or the
        # setting is wrong). The peer is the most that can be trusted.
        return peer
    return forwarded[-proxies]


def sign_in_name(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    """The account a sign-in attempt is counted against, in the form addresses are stored.

    Without this, "Bea@example.test" and "bea@example.test" would each get their own five tries.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    value = ""
    if credentials:
        value = str(credentials.get(field) or credentials.get("username") or "")
    elif request is not None:
        value = str(request.POST.get(field, ""))
    return normalise_email(value)
