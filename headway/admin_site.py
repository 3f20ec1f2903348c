"""The Django admin is for the people who run a Headway installation, not for trusts.

Trust staff administer their organisation through the portfolio office pages, which keep the
organisation boundary. The admin shows every organisation's data, so only superusers may use
it; for anyone else who is signed in, every admin address is "not found" (404), the same answer
the organisation boundary gives everywhere else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse

from headway.forms import apply_bounds, hold_to
from headway.lib import bounds


def bounded(form: type[forms.ModelForm[Any]]) -> type[forms.ModelForm[Any]]:
    """The admin's form for a model, held to the same limits as every other form (`lib.bounds`,
    through `forms.apply_bounds`): an installation's staff cannot store what a page cannot show."""
    if getattr(form, "headway_bounded", False):
        return form

    def __init__(self: forms.ModelForm[Any], *args: Any, **kwargs: Any) -> None:
        form.__init__(self, *args, **kwargs)
        for field in self.fields.values():
            apply_bounds(field)
            # Headway's only big whole numbers are pounds: held to the money limit.
            largest = field.max_value if isinstance(field, forms.IntegerField) else None
            if isinstance(largest, int) and largest > bounds.MAX_WHOLE_NUMBER:
                hold_to(field, minimum=0, maximum=bounds.MAX_POUNDS)

    return type(form.__name__, (form,), {"__init__": __init__, "headway_bounded": True})


class HeadwayAdminSite(admin.AdminSite):
    site_header = "Headway administration"
    site_title = "Headway administration"
    index_title = "Installation administration"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        super().register(model_or_iterable, admin_class, **options)
        models = model_or_iterable if isinstance(model_or_iterable, list | tuple) else [model_or_iterable]
        for model in models:
            model_admin = self._registry.get(model)
            if model_admin is None:  # not registered: a swapped or abstract model
                continue
            model_admin.form = bounded(model_admin.form)
            if hasattr(model_admin, "add_form"):  # the people admin's form for adding someone
                model_admin.add_form = bounded(model_admin.add_form)
            for inline in model_admin.inlines:
                inline.form = bounded(inline.form)

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
