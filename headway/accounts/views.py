from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from headway.accounts.forms import SwitchOrganisationForm
from headway.accounts.middleware import SESSION_KEY


@login_required
def switch_organisation(request: HttpRequest) -> HttpResponse:
    memberships = request.memberships  # type: ignore[attr-defined]
    choices = [(m.organisation_id, f"{m.organisation.name} ({m.get_role_display()})") for m in memberships]
    current = request.organisation.pk if request.organisation else None  # type: ignore[attr-defined]
    form = SwitchOrganisationForm(request.POST or None, choices=choices, initial={"organisation": current})
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["organisation"]
        chosen = next(m for m in memberships if m.organisation_id == form.cleaned_data["organisation"])
        messages.success(request, f"You are now working in {chosen.organisation.name}.")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "portfolio:glance"
        return redirect(target)
    return render(request, "accounts/switch.html", {"form": form, "next": request.GET.get("next", "")})
