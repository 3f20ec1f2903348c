from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote as urlquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from headway.accounts import actions, presenters
from headway.accounts.access import find_invitation, get_invitation, get_membership
from headway.accounts.forms import AccountSetUpForm, MemberForm, SwitchOrganisationForm
from headway.accounts.middleware import SESSION_KEY
from headway.accounts.models import Invitation, Membership, User, normalise_email
from headway.accounts.roles import Action
from headway.confirm import Removal, confirm_removal
from headway.views import HeadwayRequest, MemberRequest, attach, member_required, page_of, posted, saved


class SignOutView(auth_views.LogoutView):
    """Signing out takes the header's POST. The address opened by GET (a bookmark, the signed-out
    page reloaded) goes to the home page, which sends someone signed out on to sign in, rather
    than to a blank "method not allowed"; it does not sign anyone out."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return redirect("portfolio:glance")


@login_required
def switch_organisation(request: HeadwayRequest) -> HttpResponse:
    memberships = request.memberships
    choices = [(m.organisation_id, f"{m.organisation.name} ({m.get_role_display()})") for m in memberships]
    current = request.organisation.pk if request.organisation else None
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


# People and roles: the portfolio office administers who can use Headway in its organisation.


def _day(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def _send_invitation(request: MemberRequest, invitation: Invitation, token: str) -> None:
    link = request.build_absolute_uri(reverse("accounts:invitation", kwargs={"token": token}))
    context = {"invitation": invitation, "link": link, "by": request.user, "until": _day(invitation.expires_at)}
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(f"You are invited to use Headway for {invitation.organisation.name}", body, None, [invitation.email])


@member_required(Action.ADMINISTER)
def people(request: MemberRequest) -> HttpResponse:
    members = (
        Membership.objects.for_organisation(request.organisation).select_related("user").order_by("user__full_name")
    )
    invitations = (
        Invitation.objects.for_organisation(request.organisation)
        .unanswered()
        .select_related("invited_by")
        .order_by("email")
    )
    # Who gave or changed each person's access, and who removed those who have left.
    history = page_of(request, presenters.access_history(request.organisation), 20)
    return render(
        request,
        "accounts/people.html",
        {"members": members, "invitations": invitations, "now": timezone.now(), "page": history},
    )


@member_required(Action.ADMINISTER)
def person_add(request: MemberRequest) -> HttpResponse:
    """Invite a person. What the page says afterwards depends only on what was typed, never on
    whether the address has an account in another organisation (ADR 23)."""
    form = MemberForm(posted(request))

    def invite() -> Invitation:
        invitation, token = actions.invite_member(
            organisation=request.organisation, by=request.user, **form.cleaned_data
        )
        _send_invitation(request, invitation, token)
        return invitation

    def said(invitation: Invitation) -> str:
        return (
            f"An invitation to join {invitation.organisation.name} as {invitation.get_role_display().lower()} "
            f"has been emailed to {invitation.email}. They will have access once they accept it; "
            f"the link works until {_day(invitation.expires_at)}."
        )

    done = saved(request, form, invite, said, reverse("accounts:people"))
    context = {"form": form, "membership": None, "invitation_days": settings.INVITATION_DAYS}
    return done or render(request, "accounts/person_form.html", context)


@member_required(Action.ADMINISTER)
def invitation_withdraw(request: MemberRequest, pk: int) -> HttpResponse:
    invitation = get_invitation(request, pk)  # first, so another organisation's is 404 by any method

    def ask() -> Removal:
        return Removal(
            question=f"Withdraw the invitation to {invitation.email}?",
            caption=request.organisation.name,
            back=reverse("accounts:people"),
            details=[
                ("Name", invitation.full_name),
                ("Email", invitation.email),
                ("Role offered", invitation.get_role_display()),
                ("Invited by", str(invitation.invited_by or "–")),
            ],
            consequences=[
                "The link in the invitation email will stop working. They will not be told.",
                "You can invite them again later.",
            ],
            kept_in_history=False,
            refused=actions.why_not_withdrawable(invitation=invitation),
        )

    def withdraw() -> HttpResponse:
        try:
            actions.withdraw_invitation(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
        return redirect("accounts:people")

    return confirm_removal(request, ask=ask, remove=withdraw)


@never_cache
def invitation(request: HeadwayRequest, token: str) -> HttpResponse:
    """The link in an invitation email. Opening it changes nothing; the person accepts with a POST,
    signed in as the invited address or setting up their account here."""
    found = find_invitation(token)
    if found is None:
        reason = "This invitation link is not recognised. Check that you used the whole link from the email."
        return render(request, "accounts/invitation_unusable.html", {"reason": reason}, status=404)
    reason = found.why_not_usable()
    if reason:
        return render(request, "accounts/invitation_unusable.html", {"reason": reason, "invitation": found}, status=410)
    context: dict[str, Any] = {"invitation": found}
    user = request.user
    if isinstance(user, User):
        if normalise_email(user.email) != found.email:
            return render(request, "accounts/invitation.html", {**context, "wrong_account": True})
        if request.method == "POST":
            return _accepted(request, found, user, set_up=False)
        return render(request, "accounts/invitation.html", {**context, "accept": True})
    account = found.account()
    if account is not None and account.has_usable_password():
        sign_in = f"{reverse('accounts:login')}?next={urlquote(request.path)}"
        return render(request, "accounts/invitation.html", {**context, "sign_in": sign_in})
    person = account or User(email=found.email)
    form = AccountSetUpForm(person, posted(request), initial={"full_name": person.full_name or found.full_name})
    if request.method == "POST" and form.is_valid():
        return _accepted(request, found, form.save(), set_up=True, form=form)
    return render(request, "accounts/invitation.html", {**context, "form": form})


def _accepted(
    request: HeadwayRequest, invitation: Invitation, user: User, *, set_up: bool, form: AccountSetUpForm | None = None
) -> HttpResponse:
    try:
        membership = actions.accept_invitation(invitation=invitation, user=user, set_up=set_up)
    except ValidationError as error:
        if form is not None:
            attach(form, error)
            return render(request, "accounts/invitation.html", {"invitation": invitation, "form": form})
        return render(request, "accounts/invitation_unusable.html", {"reason": " ".join(error.messages)}, status=409)
    if set_up:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(
        request,
        f"You have joined {membership.organisation.name} as {membership.get_role_display().lower()}.",
    )
    return redirect("portfolio:glance")


@member_required(Action.ADMINISTER)
def person_edit(request: MemberRequest, pk: int) -> HttpResponse:
    membership = get_membership(request, pk)
    initial = {"role": membership.role, "directorate": membership.directorate}
    form = MemberForm(posted(request), initial=initial, membership=membership)
    done = saved(
        request,
        form,
        lambda: actions.change_member(membership=membership, by=request.user, **form.cleaned_data),
        f"{membership.user}'s role has been saved.",
        reverse("accounts:people"),
    )
    return done or render(request, "accounts/person_form.html", {"form": form, "membership": membership})


@member_required(Action.ADMINISTER)
def person_remove(request: MemberRequest, pk: int) -> HttpResponse:
    membership = get_membership(request, pk)  # first, so another organisation's is 404 by any method
    organisation = membership.organisation
    by = request.user

    def ask() -> Removal:
        return Removal(
            question=f"Remove {membership.user} from {organisation.name}?",
            caption=organisation.name,
            back=reverse("accounts:people"),
            details=[
                ("Email", membership.user.email),
                ("Role", membership.get_role_display()),
                ("Directorate", membership.directorate),
            ],
            consequences=[
                f"They will lose access to {organisation.name}: they will no longer see or change anything in it. "
                "Their access to any other organisation is not affected.",
                "Their past records stay: the decisions, checkpoints, comments and other work they recorded "
                "keep their name, and initiatives, risks and benefits they are named on are not changed. "
                "You can add them again later.",
            ],
            refused=actions.why_not_removable(membership=membership, by=by),
        )

    def remove() -> HttpResponse:
        try:
            actions.remove_member(membership=membership, by=by)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{membership.user} no longer has access to {organisation.name}.")
        return redirect("accounts:people")

    return confirm_removal(request, ask=ask, remove=remove)
