"""What every app's views share: the typed request, `member_required`, the organisation-scoped
look-up, the form-and-action round trip, paging and the header navigation.

The accounts middleware puts `organisation` and `membership` on every request; `member_required`
guarantees they are there, so a view under it is annotated with `MemberRequest` and reads
`request.organisation` directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from headway import derived
from headway.accounts.models import Membership, Organisation, Submission, User
from headway.accounts.roles import Action, Role
from headway.accounts.sessions import carry_kept_post, take_kept_post
from headway.forms import SUBMISSION_INPUT, NHSFormMixin

log = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
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
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
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
    """The form data for a bound form: the POST on a post; on opening the page, what the person
    had typed into it when their session ended, if they have just signed in again (shown to check
    and save, never saved by opening it); otherwise None (an unbound form)."""
    if request.method == "POST":
        return request.POST
    return take_kept_post(request)


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


SAVED_AT_THE_SAME_MOMENT = (
    "Someone else saved the same thing at the same moment, so this was not saved. "
    "Check the page and submit again: what you typed is kept below."
)


# How long a saved form's token is remembered: far longer than any retry.
SUBMISSION_KEPT = dt.timedelta(days=1)


def _submission_key(request: HttpRequest) -> str | None:
    """The posted submission token and everything posted with it, as one key: the same post
    again is a retry; the same page posted with other values (after going back) is not."""
    token = request.POST.get(SUBMISSION_INPUT)
    if not token:
        return None
    posted_values = sorted(
        (name, value) for name in request.POST for value in request.POST.getlist(name) if name != "csrfmiddlewaretoken"
    )
    return hashlib.sha256(repr(posted_values).encode()).hexdigest()


def _replayed(request: HttpRequest, key: str | None) -> HttpResponse | None:
    """The result of a post already saved with this key: its message again, and its redirect."""
    if key is None:
        return None
    done = Submission.objects.filter(user=cast(User, request.user), key=key).first()
    if done is None:
        return None
    messages.success(request, done.message)
    return redirect(done.url)


def saved(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[], T],
    message: str | Callable[[T], str],
    to: str | Callable[[T], str],
) -> HttpResponse | None:
    """Run the action for a posted, valid form. Done: the success message and the redirect.
    Refused (or not posted, or invalid): None, with the action's reasons put on the form, so the
    page is shown again with everything the person typed.

    The form carries a single-use submission token (ADR 16): a post that repeats one already
    saved (a double click, or a retry after a timeout) is not saved again but answered as the
    first was. The token is claimed in the same transaction as the action, so of two at once
    one saves and the other waits for it and is answered the same way."""
    if isinstance(form, NHSFormMixin):
        form.offer_submission(request.POST.get(SUBMISSION_INPUT, "") if request.method == "POST" else "")
    if request.method != "POST":
        return None
    key = _submission_key(request)
    if (replay := _replayed(request, key)) is not None:
        return replay
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            claim = None
            if key is not None:
                Submission.objects.filter(created_at__lt=timezone.now() - SUBMISSION_KEPT).delete()
                claim = Submission.objects.create(user=cast(User, request.user), key=key)
            # A page that saves through several actions refreshes the derived data once (ADR 26).
            with derived.batch():
                result = save()
            text = message(result) if callable(message) else message
            url = to(result) if callable(to) else to
            if claim is not None:
                claim.message, claim.url = text, url
                claim.save(update_fields=["message", "url"])
    except ValidationError as error:
        attach(form, error)
        return None
    except IntegrityError:
        # The same post, saved by a request that ran at the same time: answer as it was answered.
        if (replay := _replayed(request, key)) is not None:
            return replay
        # The actions lock the parent before creating (ADR 17), so this is a uniqueness rule that
        # another request met first in a create no action guards yet. Its transaction is rolled
        # back; say so and keep the form rather than answer with a 500. Inside an outer transaction
        # the connection is unusable until that ends, so there it still fails loudly.
        if transaction.get_connection().in_atomic_block:
            raise
        log.warning("A save met a uniqueness rule, probably two requests at once", exc_info=True)
        form.add_error(None, SAVED_AT_THE_SAME_MOMENT)
        return None
    messages.success(request, text)
    return redirect(url)


def unless_posted(request: HttpRequest, page: str, *args: Any, **kwargs: Any) -> HttpResponse | None:
    """For an address that only takes a form's POST: None for a POST. Opened by GET (a reload
    after the form was refused, a bookmark, a copied address) it goes back to `page`, the page
    the form is on, rather than to a blank "method not allowed"; other methods are refused.
    Call it after the object has been fetched within the organisation, so that another
    organisation's address is still "not found"."""
    if request.method == "POST":
        return None
    if request.method in ("GET", "HEAD"):
        back = redirect(page, *args, **kwargs)
        carry_kept_post(request, urlsplit(back.url).path)
        return back
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
    Section("Risks", "portfolio:risks", "portfolio", frozenset({"risks", "baf"})),
    Section("Board packs", "portfolio:packs", "portfolio", frozenset({"packs"})),
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


# Seconds a browser (or a script) is asked to wait before trying again after a 503.
RETRY_AFTER_SECONDS = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. A database that is lost, refuses connections or stops a statement at
    its time limit (settings.py, ADR 17) is a passing problem: say "try again" with a 503 and
    Retry-After. Anything else is a fault of ours: a 500. Both pages are drawn without the request's
    context, because reading the signed-in person would need the database that may be gone."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
