"""Your personal access tokens for the API, on your account (ADR 32): make one (its secret is
shown once), see when each was last used, and revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from headway.accounts.roles import Action
from headway.api import access, actions
from headway.api.forms import WRITE, TokenForm
from headway.api.models import AccessToken
from headway.confirm import Removal, confirm_removal
from headway.history import history_entries
from headway.lib import bounds
from headway.views import MemberRequest, member_required, page_of, posted, saved

# The new token's secret waits here between the save and the page that shows it, once. The
# session is kept on the server (the database), which holds what signs people in already.
SHOWN_ONCE = "headway.api.new_token"


@member_required(Action.VIEW)
def tokens(request: MemberRequest) -> HttpResponse:
    memberships = access.memberships_of(request)
    by_organisation = {m.organisation_id: m for m in memberships}
    form = TokenForm(
        posted(request),
        memberships=memberships,
        initial={"organisation": request.organisation.pk, "access": "read", "days": bounds.TOKEN_DEFAULT_DAYS},
    )

    def create() -> AccessToken:
        token, secret = actions.create_token(
            membership=by_organisation[form.cleaned_data["organisation"]],
            by=request.user,
            name=form.cleaned_data["name"],
            can_write=form.cleaned_data["access"] == WRITE,
            days=form.cleaned_data["days"],
        )
        request.session[SHOWN_ONCE] = {"pk": token.pk, "secret": secret}
        return token

    done = saved(
        request,
        form,
        create,
        lambda token: f"Your token ‘{token.name}’ has been made. Copy it now: it will not be shown again.",
        reverse("api:tokens"),
    )
    if done is not None:
        return done
    new = request.session.pop(SHOWN_ONCE, None) if request.method == "GET" else None
    now = timezone.now()
    rows = [{"token": t, "state": t.state(now)} for t in access.tokens_of(request)]
    return render(request, "api/tokens.html", {"form": form, "rows": rows, "new": new})


@member_required(Action.VIEW)
def token_revoke(request: MemberRequest, pk: int) -> HttpResponse:
    token = access.get_token(request, pk)  # a person revokes only their own: anyone else's is "not found"
    back = reverse("api:tokens")

    def revoke() -> HttpResponse:
        actions.revoke_token(token=token, by=request.user)
        messages.success(request, f"The token ‘{token.name}’ has been revoked: it no longer works.")
        return redirect(back)

    return confirm_removal(
        request,
        ask=lambda: Removal(
            question=f"Revoke the token ‘{token.name}’?",
            caption="Your account",
            back=back,
            consequences=[
                "Anything using it (a script, a spreadsheet, a report) will be refused from now on.",
                "It stays listed as revoked. You can make a new token at any time.",
            ],
            details=[("Starts with", f"{token.prefix}…"), ("Organisation", token.organisation.name)],
            refused="This token has already been revoked." if token.revoked_at is not None else "",
            verb="revoke",
        ),
        remove=revoke,
    )


@member_required(Action.VIEW)
def token_history(request: MemberRequest) -> HttpResponse:
    """What happened to your tokens: made (for what, where, what it may do, until when) and revoked."""
    sources = [(AccessToken, AccessToken.history.filter(user_id=request.user.pk))]  # type: ignore[attr-defined]
    entries = history_entries(
        sources,
        {request.user.pk: str(request.user)},
        describe=lambda _, record: f"Token ‘{record.name}’ ({record.prefix}…)",
    )
    return render(request, "api/token_history.html", {"page": page_of(request, entries, 30)})
