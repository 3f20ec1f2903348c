"""Portfolio pages: what the organisation is doing — initiatives, checkpoints, decisions,
user needs, risks, goals and services.

Function views only. Objects are fetched through `portfolio.access`, which keeps the
organisation boundary; every write goes through `portfolio.actions`. The pages that show the
portfolio beside whether it is working (at a glance, the portfolio list, the initiative page) are
composed in `headway.assurance`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from headway import derived, downloads
from headway.accounts.roles import Action
from headway.confirm import Removal, confirm_removal
from headway.lib.weeks import WeekError, parse_week, week_start
from headway.portfolio import actions, presenters, queries
from headway.portfolio import downloads as portfolio_downloads
from headway.portfolio.access import (
    can_do,
    can_edit_risk,
    get_goal,
    get_initiative,
    get_risk,
    get_service,
    get_user_need,
    require_edit,
    require_risk_edit,
)
from headway.portfolio.forms import (
    CheckpointForm,
    CommentForm,
    GoalForm,
    InitiativeForm,
    RiskFilterForm,
    RiskForm,
    ServiceForm,
    SettingsForm,
    UserNeedForm,
)
from headway.portfolio.models import Decision, Initiative, Risk, Service, Status, StrategicGoal
from headway.views import MemberRequest, member_required, page_of, posted, query_without_page, saved, unless_posted


def _detail(initiative: Initiative | int, anchor: str = "") -> str:
    pk = initiative if isinstance(initiative, int) else initiative.pk
    return reverse("portfolio:detail", args=[pk]) + (f"#{anchor}" if anchor else "")


# Initiatives ---------------------------------------------------------------------------------


@member_required(Action.CREATE_INITIATIVE)
def initiative_create(request: MemberRequest) -> HttpResponse:
    form = InitiativeForm(posted(request), organisation=request.organisation)
    done = saved(
        request,
        form,
        lambda: actions.create_initiative(
            organisation=request.organisation,
            by=request.user,
            fields=form.model_fields(),
            goals=form.cleaned_data["goals"],
            services=form.cleaned_data["services"],
            joins_up_with=form.cleaned_data["joins_up_with"],
        ),
        lambda initiative: f"{initiative.reference} {initiative.title} has been proposed.",
        _detail,
    )
    return done or render(request, "portfolio/initiative_form.html", {"form": form, "initiative": None})


@member_required(Action.VIEW)
def initiative_edit(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_edit(request, initiative)
    heading = str(initiative)
    form = InitiativeForm(posted(request), instance=initiative, organisation=request.organisation)
    done = saved(
        request,
        form,
        lambda: actions.update_initiative(
            initiative=initiative,
            by=request.user,
            fields=form.model_fields(),
            goals=form.cleaned_data["goals"],
            services=form.cleaned_data["services"],
            joins_up_with=form.cleaned_data["joins_up_with"],
        ),
        "Your changes have been saved.",
        _detail(initiative),
    )
    return done or render(
        request,
        "portfolio/initiative_form.html",
        {"form": form, "initiative": initiative, "heading": heading},
    )


# Checkpoints ---------------------------------------------------------------------------------


@member_required(Action.VIEW)
def checkpoint(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_edit(request, initiative)
    today = timezone.localdate()
    this_week = week_start(today)
    asked = request.GET.get("week") or request.POST.get("week")
    try:
        # A week that is not a Monday is refused, not moved: the person meant some week, and
        # guessing which would file their update under the wrong one.
        week = parse_week(asked) if asked else this_week
        if week > this_week:
            raise WeekError(f"The week of {week:%-d %B %Y} has not started yet: a checkpoint looks back on a week.")
    except WeekError as error:
        return render(
            request,
            "portfolio/checkpoint_week_error.html",
            {"initiative": initiative, "reason": str(error), "this_week": this_week},
            status=400,
        )
    existing = initiative.checkpoints.filter(week_start=week).first()
    initial = CheckpointForm.initial_from(existing) if existing else None
    form = CheckpointForm(posted(request), organisation=request.organisation, initial=initial)
    done = saved(
        request,
        form,
        lambda: actions.record_checkpoint(
            initiative=initiative, by=request.user, week=week, fields=form.checkpoint_fields()
        ),
        lambda result: (
            f"The checkpoint for the week of {week:%-d %B %Y} has been {'recorded' if result[1] else 'updated'}."
        ),
        _detail(initiative),
    )
    return done or render(
        request,
        "portfolio/checkpoint_form.html",
        {
            "form": form,
            "initiative": initiative,
            "week": week,
            "week_end": week + dt.timedelta(days=6),
            "existing": existing,
            "this_week": week == this_week,
        },
    )


# Decisions -----------------------------------------------------------------------------------


@member_required(Action.VIEW)
def decision_log(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    kind = request.GET.get("kind", "")
    decisions = queries.decision_log(organisation, kind)
    file = downloads.list_file(
        request,
        organisation=organisation,
        what="decisions",
        sheet="Decisions",
        columns=portfolio_downloads.decision_columns(request.build_absolute_uri),
        rows=lambda: decisions,
    )
    if file is not None:
        return file
    page = page_of(request, decisions)
    return render(
        request,
        "portfolio/decisions.html",
        {
            "page": page,
            "kind": kind,
            "kinds": Decision.Kind.choices,
            "page_query": query_without_page(request.GET),
            "downloads": downloads.links(request.GET),
        },
    )


# User needs ----------------------------------------------------------------------------------


@member_required(Action.VIEW)
def need_add(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_edit(request, initiative)
    form = UserNeedForm(posted(request))
    done = saved(
        request,
        form,
        lambda: actions.save_user_need(initiative=initiative, by=request.user, fields=form.cleaned_data),
        "The user need has been added.",
        _detail(initiative, "user-needs"),
    )
    return done or render(request, "portfolio/need_form.html", {"form": form, "initiative": initiative, "need": None})


@member_required(Action.VIEW)
def need_edit(request: MemberRequest, pk: int) -> HttpResponse:
    need = get_user_need(request, pk)
    initiative = need.initiative
    require_edit(request, initiative)
    form = UserNeedForm(posted(request), instance=need)
    done = saved(
        request,
        form,
        lambda: actions.save_user_need(initiative=initiative, by=request.user, fields=form.cleaned_data, need=need),
        "The user need has been updated.",
        _detail(initiative, "user-needs"),
    )
    return done or render(request, "portfolio/need_form.html", {"form": form, "initiative": initiative, "need": need})


@member_required(Action.VIEW)
def need_delete(request: MemberRequest, pk: int) -> HttpResponse:
    need = get_user_need(request, pk)  # first, so another organisation's need is "not found" by any method
    initiative = need.initiative
    require_edit(request, initiative)
    back = _detail(initiative, "user-needs")

    def remove() -> HttpResponse:
        actions.delete_user_need(need=need, by=request.user)
        messages.success(request, "The user need has been removed. It stays in the history of changes.")
        return redirect(back)

    return confirm_removal(
        request,
        ask=lambda: Removal(
            question=f"Remove this user need from {initiative.reference}?",
            caption=str(initiative),
            back=back,
            details=[("User need", need.statement), ("How it is evidenced", need.get_evidence_display())],
            consequences=["The initiative will no longer show this need or its evidence."],
        ),
        remove=remove,
    )


# Risks ---------------------------------------------------------------------------------------


def _risk_form_page(
    request: MemberRequest, *, initiative: Initiative | None, risk: Risk | None, back: str
) -> HttpResponse:
    organisation = request.organisation
    form = RiskForm(posted(request), instance=risk, organisation=organisation)
    heading = risk.title if risk else ""

    def save() -> Risk:
        fields = dict(form.cleaned_data)
        if risk is None:
            fields["initiative"] = initiative
        return actions.save_risk(organisation=organisation, by=request.user, fields=fields, risk=risk)

    done = saved(
        request,
        form,
        save,
        lambda result: f'The risk "{result.title}" has been {"updated" if risk else "added"}.',
        back,
    )
    return done or render(
        request,
        "portfolio/risk_form.html",
        {"form": form, "initiative": initiative, "risk": risk, "heading": heading, "back": back},
    )


@member_required(Action.VIEW)
def risk_add(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_edit(request, initiative)
    back = _detail(initiative, "risks")
    return _risk_form_page(request, initiative=initiative, risk=None, back=back)


@member_required(Action.MANAGE_PORTFOLIO_RISKS)
def portfolio_risk_add(request: MemberRequest) -> HttpResponse:
    return _risk_form_page(request, initiative=None, risk=None, back=reverse("portfolio:risks"))


@member_required(Action.VIEW)
def risk_edit(request: MemberRequest, pk: int) -> HttpResponse:
    risk = get_risk(request, pk)
    require_risk_edit(request, risk)
    back = _detail(risk.initiative_id, "risks") if risk.initiative_id else reverse("portfolio:risks")
    return _risk_form_page(request, initiative=risk.initiative, risk=risk, back=back)


@member_required(Action.VIEW)
def risk_register(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    today = timezone.localdate()
    form = RiskFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    risks = queries.risk_register(organisation, filters, today)
    file = downloads.list_file(
        request,
        form,
        organisation=organisation,
        what="risks",
        sheet="Risks",
        columns=portfolio_downloads.risk_columns(request.build_absolute_uri),
        rows=lambda: risks,
    )
    if file is not None:
        return file
    overdue = sum(1 for r in risks if r.next_review < today)
    return render(
        request,
        "portfolio/risks.html",
        {
            "form": form,
            "filtered": any(filters.values()),
            "risks": [(risk, can_edit_risk(request, risk)) for risk in risks],
            "overdue": overdue,
            "today": today,
            "can_add": can_do(request, Action.MANAGE_PORTFOLIO_RISKS),
            "downloads": downloads.links(request.GET),
        },
    )


# Comments ------------------------------------------------------------------------------------


@member_required(Action.COMMENT)
def comment(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    if (back := unless_posted(request, _detail(initiative, "comments"))) is not None:
        return back
    form = CommentForm(request.POST)
    done = saved(
        request,
        form,
        lambda: actions.add_comment(initiative=initiative, by=request.user, body=form.cleaned_data["body"]),
        "Your comment has been posted.",
        _detail(initiative, "comments"),
    )
    return done or render(request, "portfolio/comment_form.html", {"form": form, "initiative": initiative}, status=400)


# Goals, services and settings (the portfolio office) -----------------------------------------


@member_required(Action.VIEW)
def goals(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    active = Q(initiatives__status=Status.ACTIVE)
    goal_list = StrategicGoal.objects.for_organisation(organisation).annotate(
        initiative_count=Count("initiatives", distinct=True),
        active_count=Count("initiatives", filter=active, distinct=True),
    )
    services = Service.objects.for_organisation(organisation).annotate(
        initiative_count=Count("initiatives", distinct=True)
    )
    unaligned = (
        Initiative.objects.for_organisation(organisation)
        .filter(goals__isnull=True)
        .exclude(status__in=[Status.STOPPED, Status.COMPLETED])
        .order_by("reference")
    )
    return render(
        request,
        "portfolio/goals.html",
        {
            "goals": goal_list,
            "services": services,
            "unaligned": unaligned,
            "can_administer": can_do(request, Action.ADMINISTER),
        },
    )


def _simple_form_page(
    request: MemberRequest, form: BaseForm, *, template: str, success: str, context: dict[str, Any]
) -> HttpResponse:
    done = saved(request, form, form.save, success, reverse("portfolio:goals"))  # type: ignore[attr-defined]
    return done or render(request, template, {"form": form, **context})


@member_required(Action.ADMINISTER)
def goal_add(request: MemberRequest) -> HttpResponse:
    goal = StrategicGoal(organisation=request.organisation)
    form = GoalForm(posted(request), instance=goal)
    return _simple_form_page(
        request,
        form,
        template="portfolio/goal_form.html",
        success="The goal has been added.",
        context={"goal": None},
    )


@member_required(Action.ADMINISTER)
def goal_edit(request: MemberRequest, pk: int) -> HttpResponse:
    goal = get_goal(request, pk)
    heading = goal.title
    form = GoalForm(posted(request), instance=goal)
    return _simple_form_page(
        request,
        form,
        template="portfolio/goal_form.html",
        success="The goal has been updated.",
        context={"goal": goal, "heading": heading},
    )


@member_required(Action.ADMINISTER)
def service_add(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    form = ServiceForm(posted(request), instance=Service(organisation=organisation), organisation=organisation)
    return _simple_form_page(
        request,
        form,
        template="portfolio/service_form.html",
        success="The service has been added.",
        context={"service": None},
    )


@member_required(Action.ADMINISTER)
def service_edit(request: MemberRequest, pk: int) -> HttpResponse:
    service = get_service(request, pk)
    heading = service.name
    form = ServiceForm(posted(request), instance=service, organisation=request.organisation)
    return _simple_form_page(
        request,
        form,
        template="portfolio/service_form.html",
        success="The service has been updated.",
        context={"service": service, "heading": heading},
    )


@member_required(Action.VIEW)
def settings_history(request: MemberRequest) -> HttpResponse:
    page = page_of(request, presenters.settings_history(request.organisation), 30)
    return render(request, "portfolio/settings_history.html", {"page": page})


@member_required(Action.VIEW)
def risk_history(request: MemberRequest) -> HttpResponse:
    page = page_of(request, presenters.risk_history(request.organisation), 30)
    return render(request, "portfolio/risk_history.html", {"page": page})


@member_required(Action.ADMINISTER)
def organisation_settings(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    form = SettingsForm(posted(request), instance=organisation)

    def save_settings() -> object:
        saved_settings = form.save()
        # The work-in-progress limit and weeks to a first release are read by the pitfall findings.
        derived.organisation_changed(organisation.pk)
        return saved_settings

    done = saved(request, form, save_settings, "The settings have been saved.", reverse("portfolio:settings"))
    if done is not None:
        return done
    active = Initiative.objects.for_organisation(organisation).in_progress().count()
    return render(request, "portfolio/settings.html", {"form": form, "active": active})
