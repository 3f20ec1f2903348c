"""What every app's views share: the typed request, `member_required`, the organisation-scoped
look-up, the form-and-action round trip, paging and the header navigation.

The accounts middleware puts `organisation` and `membership` on every request; `member_required`
guarantees they are there, so a view under it is annotated with `MemberRequest` and reads
`request.organisation` directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Action, Role

View = TypeVar("View", bound=Callable[..., HttpResponse])
M = TypeVar("M", bound=Model)
T = TypeVar("T")


class HeadwayRequest(HttpRequest):
    """Any request, as the accounts middleware leaves it: the organisation and membership are
    None for someone signed out or belonging to no organisation."""

    organisation: Organisation | None
    membership: Membership | None
    memberships: list[Membership]


class MemberRequest(HttpRequest):
    """A request that `member_required` has let through: a signed-in member of the organisation."""

    user: User
    organisation: Organisation
    membership: Membership
    memberships: list[Membership]


def member_required(action: str = Action.VIEW) -> Callable[[View], View]:
    """The person must be signed in, belong to the organisation they are working in, and hold a
    role that allows `action`."""

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


def can_do(request: HttpRequest, action: str) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership is not None and membership.can(action))


def scoped_get(request: MemberRequest, objects: QuerySet[M], pk: Any, *, through: str = "organisation") -> M:
    """The object with this key in the request's organisation, or 404 — never 403, so another
    organisation's object is not confirmed to exist. `through` is the path to the organisation
    for objects that reach it by way of another (for example "initiative__organisation")."""
    return get_object_or_404(objects.filter(**{through: request.organisation}), pk=pk)


# Forms and actions ---------------------------------------------------------------------------


def posted(request: HttpRequest) -> Any:
    """The form data for a bound form: the POST on a post, otherwise None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def attach(form: BaseForm, error: ValidationError) -> None:
    """Put an action's ValidationError on the form so the person's input is kept."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def saved(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[], T],
    message: str | Callable[[T], str],
    to: str | Callable[[T], str],
) -> HttpResponse | None:
    """Run the action for a posted, valid form. Done: the success message and the redirect.
    Refused (or not posted, or invalid): None, with the action's reasons put on the form, so the
    page is shown again with everything the person typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as error:
        attach(form, error)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return redirect(to(result) if callable(to) else to)


def unless_posted(request: HttpRequest, page: str, *args: Any, **kwargs: Any) -> HttpResponse | None:
    """For an address that only takes a form's POST: None for a POST. Opened by GET (a reload
    after the form was refused, a bookmark, a copied address) it goes back to `page`, the page
    the form is on, rather than to a blank "method not allowed"; other methods are refused.
    Call it after the object has been fetched within the organisation, so that another
    organisation's address is still "not found"."""
    if request.method == "POST":
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(page, *args, **kwargs)
    return HttpResponseNotAllowed(["GET", "HEAD", "POST"])


# Lists ---------------------------------------------------------------------------------------

PAGE_SIZE = 50


def page_of(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def query_without_page(query: QueryDict) -> str:
    params = query.copy()
    params.pop("page", None)
    return params.urlencode()


# The header navigation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    text: str
    url_name: str
    # A section is a URL namespace; in the portfolio's namespace, which holds several sections,
    # it is also the first part of the address ("risks/…").
    namespace: str
    first_parts: frozenset[str] | None = None
    role: str | None = None  # shown only to this role


SECTIONS = [
    Section("At a glance", "portfolio:glance", "portfolio", frozenset({""})),
    Section("Portfolio", "portfolio:list", "portfolio", frozenset({"initiatives", "needs"})),
    Section("Metrics", "metrics:list", "metrics"),
    Section("Prioritisation", "prioritisation:list", "prioritisation"),
    Section("Money", "finance:overview", "finance"),
    Section("Decisions", "portfolio:decisions", "portfolio", frozenset({"decisions"})),
    Section("Risks", "portfolio:risks", "portfolio", frozenset({"risks"})),
    Section("Goals", "portfolio:goals", "portfolio", frozenset({"goals", "services"})),
    Section("Settings", "portfolio:settings", "portfolio", frozenset({"settings"}), role=Role.PORTFOLIO_OFFICE),
]


@dataclass(frozen=True)
class NavigationItem:
    text: str
    url: str
    current: str  # "page" on the section's own page, "true" elsewhere in it, "" outside it


def navigation(request: HttpRequest) -> dict[str, Any]:
    """A context processor: the header's sections, with the one the page belongs to marked."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"navigation": []}
    match = request.resolver_match
    namespace = match.namespace if match else ""
    view_name = match.view_name if match else ""
    first_part = (match.route if match else "").split("/", 1)[0]
    items = []
    for section in SECTIONS:
        if section.role is not None and membership.role != section.role:
            continue
        inside = namespace == section.namespace and (section.first_parts is None or first_part in section.first_parts)
        current = ("page" if view_name == section.url_name else "true") if inside else ""
        items.append(NavigationItem(section.text, reverse(section.url_name), current))
    return {"navigation": items}


# Error pages ---------------------------------------------------------------------------------


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {}, status=404)
