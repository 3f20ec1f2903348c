from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from headway.accounts.sessions import still_here_seconds


def organisation(request: HttpRequest) -> dict[str, Any]:
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "all_memberships": getattr(request, "memberships", []),
        # How often a page being typed into tells Headway the person is still there (ADR 23).
        "still_here_seconds": still_here_seconds(),
    }
