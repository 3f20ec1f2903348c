from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode

from headway.accounts import actions
from headway.accounts.access import get_membership
from headway.accounts.forms import MemberForm, SwitchOrganisationForm
from headway.accounts.middleware import SESSION_KEY
from headway.accounts.models import Membership
from headway.accounts.roles import Action
from headway.confirm import Removal, confirm_removal
from headway.views import HeadwayRequest, MemberRequest, member_required, saved


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


def _send_welcome(request: HttpRequest, membership: Membership) -> None:
    user = membership.user
    link = request.build_absolute_uri(
        reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    body = render_to_string("accounts/welcome_email.txt", {"membership": membership, "link": link, "by": request.user})
    send_mail(f"You have been added to Headway for {membership.organisation.name}", body, None, [user.email])


@member_required(Action.ADMINISTER)
def people(request: MemberRequest) -> HttpResponse:
    members = (
        Membership.objects.for_organisation(request.organisation).select_related("user").order_by("user__full_name")
    )
    return render(request, "accounts/people.html", {"members": members})


@member_required(Action.ADMINISTER)
def person_add(request: MemberRequest) -> HttpResponse:
    form = MemberForm(request.POST or None)

    def add() -> tuple[Membership, bool]:
        membership, created = actions.add_member(
            organisation=request.organisation, by=request.user, **form.cleaned_data
        )
        if created:
            _send_welcome(request, membership)
        return membership, created

    def said(result: tuple[Membership, bool]) -> str:
        membership, created = result
        if created:
            return f"{membership.user} has been added and emailed a link to set a password."
        return f"{membership.user} has been added as {membership.get_role_display().lower()}."

    done = saved(request, form, add, said, reverse("accounts:people"))
    return done or render(request, "accounts/person_form.html", {"form": form, "membership": None})


@member_required(Action.ADMINISTER)
def person_edit(request: MemberRequest, pk: int) -> HttpResponse:
    membership = get_membership(request, pk)
    initial = {"role": membership.role, "directorate": membership.directorate}
    form = MemberForm(request.POST or None, initial=initial, membership=membership)
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
