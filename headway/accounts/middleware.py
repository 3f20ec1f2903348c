from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse

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
