"""How long a signed-in session lasts: an idle limit and an absolute one (ADR 23).

A board member who walks away from a shared computer is signed out after
`SESSION_IDLE_TIMEOUT` seconds without a request, and nobody stays signed in longer than
`SESSION_ABSOLUTE_TIMEOUT` seconds after signing in, however busy. Both times are kept in the
session (server side), so a copied cookie carries no clock of its own. The time last seen is
written at most once a minute, so reading pages does not write the session on every request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

SIGNED_IN_AT = "headway_signed_in_at"
SEEN_AT = "headway_seen_at"
# What a person had typed into a form when their session ended, kept for them to save after
# signing in again: the address, who they were, when, and the posted fields.
KEPT_POST = "headway_kept_post"
# How long the kept post waits for its person to sign in again.
KEPT_FOR = 60 * 60
# Fields never kept: the form's protection token (a new one is issued) and any password.
NOT_KEPT = ("csrfmiddlewaretoken", "password")
# Beyond this much text a post is not kept (no form of Headway's comes near it).
KEPT_AT_MOST = 200_000
# How stale the "last seen" time may get before it is written again.
SEEN_RESOLUTION = 60


def still_here_seconds() -> int:
    """How often a page someone is typing into reports that they are still there: well inside the
    idle limit, and no more than once every five minutes."""
    idle: int = settings.SESSION_IDLE_TIMEOUT
    return max(SEEN_RESOLUTION, min(5 * 60, idle // 3))


def still_here(request: HttpRequest) -> HttpResponse:
    """What a page being typed into calls. The middleware has already noted the request as
    activity; there is nothing to answer."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)


def _now() -> float:
    return timezone.now().timestamp()


@receiver(user_logged_in)
def start_the_clocks(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        now = _now()
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now


def _minutes(seconds: int) -> str:
    minutes = round(seconds / 60)
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def why_expired(session: SessionBase, now: float) -> str:
    """Why this session should end now, or "" if it may go on."""
    signed_in = session.get(SIGNED_IN_AT)
    seen = session.get(SEEN_AT)
    if signed_in is None or seen is None:
        return ""
    idle: int = settings.SESSION_IDLE_TIMEOUT
    absolute: int = settings.SESSION_ABSOLUTE_TIMEOUT
    if now - float(signed_in) > absolute:
        return (
            f"You have been signed out because you signed in more than {_minutes(absolute)} ago. "
            "Sign in again to carry on."
        )
    if now - float(seen) > idle:
        return (
            f"You have been signed out after {_minutes(idle)} without using Headway, to keep the information safe. "
            "Sign in again to carry on."
        )
    return ""


def _keepable(request: HttpRequest, now: float) -> dict[str, Any] | None:
    """A form post arriving just after its session ended, as it can be kept (files cannot be)."""
    if request.method != "POST":
        return None
    fields = [
        [name, value]
        for name in request.POST
        if not any(word in name for word in NOT_KEPT)
        for value in request.POST.getlist(name)
    ]
    if not fields or sum(len(value) for _, value in fields) > KEPT_AT_MOST:
        return None
    return {"path": request.path, "user": request.user.pk, "at": now, "fields": fields}


def carry_kept_post(request: HttpRequest, to_path: str) -> None:
    """A form that posts to an address of its own (a comment) is kept for the page it sits on:
    opening that address after signing in again goes back to the page, and the post goes too."""
    session = getattr(request, "session", None)
    if session is not None and KEPT_POST in session and session[KEPT_POST].get("path") == request.path:
        session[KEPT_POST] = {**session[KEPT_POST], "path": to_path}


def take_kept_post(request: HttpRequest) -> QueryDict | None:
    """What this person typed into this page's form before their session ended, once: the
    form's data to show again for them to check and save (never saved by opening the page)."""
    session = getattr(request, "session", None)
    if session is None or KEPT_POST not in session or not request.user.is_authenticated:
        return None
    kept = session[KEPT_POST]
    if kept.get("path") != request.path:
        return None
    del session[KEPT_POST]
    if kept.get("user") != request.user.pk or _now() - float(kept.get("at", 0)) > KEPT_FOR:
        return None
    data = QueryDict(mutable=True)
    for name, value in kept.get("fields", []):
        data.appendlist(name, value)
    data._mutable = False
    messages.info(
        request, "You were signed out before this was saved. What you typed is below: check it and save it again."
    )
    return data


class SessionTimeoutMiddleware:
    """Ends a session that has been idle too long or has lasted too long. Place it after the
    authentication and message middleware, and before anything that reads `request.user`'s
    organisation."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = _now()
            reason = why_expired(session, now)
            if reason:
                kept = _keepable(request, now)
                logout(request)
                if kept is not None:
                    request.session[KEPT_POST] = kept
                    reason += " What you typed is kept: it will be on the form for you to check and save."
                messages.info(request, reason)
            elif session.get(SIGNED_IN_AT) is None or session.get(SEEN_AT) is None:
                # A session from before these clocks existed starts them now.
                session.setdefault(SIGNED_IN_AT, now)
                session[SEEN_AT] = now
            elif now - float(session[SEEN_AT]) >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
        return self.get_response(request)
