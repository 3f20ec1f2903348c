"""The Django admin is for the people who run a Headway installation, not for trusts.

Trust staff administer their organisation through the portfolio office pages, which keep the
organisation boundary. The admin shows every organisation's data, so only superusers may use
it; for anyone else who is signed in, every admin address is "not found" (404), the same answer
the organisation boundary gives everywhere else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse


class HeadwayAdminSite(admin.AdminSite):
    site_header = "Headway administration"
    site_title = "Headway administration"
    index_title = "Installation administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not request.user.is_superuser:
                raise Http404("Not found")
            return inner(request, *args, **kwargs)

        guarded.__wrapped__ = inner  # type: ignore[attr-defined]
        for attr in ("csrf_exempt", "login_required"):
            if hasattr(inner, attr):
                setattr(guarded, attr, getattr(inner, attr))
        return guarded

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated and not request.user.is_superuser:
            raise Http404("Not found")
        return super().login(request, extra_context)
