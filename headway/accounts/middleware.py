from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from headway.views import HeadwayRequest

SESSION_KEY = "headway_organisation_id"


class CurrentOrganisationMiddleware:
    """Puts the signed-in person's current organisation and membership on the request.

    A person may belong to several organisations; the one they are working in is kept in the
    session and chosen on the "switch organisation" page. Every view reaches data through
    `request.organisation`, which is how the organisation boundary is kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.place(cast(HeadwayRequest, request))
        return self.get_response(request)

    @staticmethod
    def place(request: HeadwayRequest) -> None:
        request.membership = None
        request.organisation = None
        request.memberships = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = list(user.memberships.select_related("organisation").order_by("organisation__name"))
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            chosen = next((m for m in memberships if m.organisation_id == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
            if chosen is not None:
                request.membership = chosen
                request.organisation = chosen.organisation


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: what browser features pages may use, and that pages
    shown to a signed-in person are never kept in a browser's or proxy's cache (someone at a
    shared computer pressing Back after sign-out must not see the portfolio). The
    Content-Security-Policy is django-csp's (settings.CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
