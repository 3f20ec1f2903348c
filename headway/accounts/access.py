"""The organisation boundary and role checks, in one place.

Views are decorated with `member_required(action)`: the person must be signed in, belong to
the organisation they are working in, and hold a role that allows the action. Objects are
fetched through the access helpers in each app (for example `portfolio.access`), which look
them up through `request.organisation`, so another organisation's object is simply not found
(404) rather than forbidden — we do not confirm that it exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from headway.accounts.models import Membership, Organisation
from headway.accounts.roles import Action

View = TypeVar("View", bound=Callable[..., HttpResponse])


def current_membership(request: HttpRequest) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied("You are not a member of any organisation.")
    return cast(Membership, membership)


def current_organisation(request: HttpRequest) -> Organisation:
    return current_membership(request).organisation


def member_required(action: str = Action.VIEW) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return render(request, "accounts/no_organisation.html", status=403)
            if not membership.can(action):
                raise PermissionDenied(f"Your role ({membership.get_role_display()}) cannot do this.")
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
