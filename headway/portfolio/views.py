"""Portfolio pages: the board's view of what the organisation is doing and whether it works.

Function views only. Objects are fetched through `portfolio.access`, which keeps the
organisation boundary; every write goes through `portfolio.actions`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from headway.accounts.access import current_organisation, member_required
from headway.accounts.models import User
from headway.accounts.roles import Action
from headway.assurance import money as assurance_money
from headway.confirm import Removal, confirm_removal
from headway.lib.weeks import checkpoint_state, week_start
from headway.portfolio import actions, queries
from headway.portfolio.access import (
    can_do,
    can_edit_initiative,
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
    DecisionForm,
    GoalForm,
    InitiativeForm,
    PortfolioFilterForm,
    RiskForm,
    ServiceForm,
    SettingsForm,
    UserNeedForm,
)
from headway.portfolio.models import Decision, Initiative, Risk, Service, Status, StrategicGoal

PAGE_SIZE = 50
TIMELINE_WEEKS = 12  # a quarter in full on the page; the rest behind "show the whole timeline"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _attach(form: BaseForm, error: ValidationError) -> None:
    """Put an action's ValidationError on the form so the person's input is kept."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


def _page(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def _query_without_page(query: QueryDict) -> str:
    params = query.copy()
    params.pop("page", None)
    return params.urlencode()


# At a glance ---------------------------------------------------------------------------------


@member_required(Action.VIEW)
def glance(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation = current_organisation(request)
    data = queries.glance(organisation, today)
    return render(request, "portfolio/glance.html", {"g": data, "today": today})


# The portfolio list --------------------------------------------------------------------------


# The table's columns in order: (sort key or None, heading).
COLUMNS = [
    ("reference", "Reference"),
    ("title", "Title"),
    ("phase", "Phase"),
    ("status", "Status"),
    (None, "Is it working?"),
    (None, "SRO"),
    (None, "Delivery lead"),
    ("confidence", "Confidence"),
    (None, "Checkpoint"),
    ("go_live", "Planned go-live"),
]


@member_required(Action.VIEW)
def initiative_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation = current_organisation(request)
    form = PortfolioFilterForm(request.GET or None, organisation=organisation)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = _page(request, queries.portfolio(organisation, filters, today))
    rows = []
    for initiative in page.object_list:
        state = queries.state_of(initiative, today)
        verdict = queries.verdict_state(initiative)
        rows.append(
            {
                "initiative": initiative,
                "verdict": verdict,
                "verdict_label": queries.STATE_LABELS.get(verdict, ""),
                "state": state,
                "state_label": queries.CHECKPOINT_STATE_LABELS.get(state or "", ""),
                "confidence": initiative.current_confidence,  # type: ignore[attr-defined]
                "confidence_label": queries.LABELS.get(initiative.current_confidence or "", ""),  # type: ignore[attr-defined]
            }
        )
    sort = filters.get("sort") or "reference"
    order = filters.get("order") or "asc"
    base = request.GET.copy()
    base.pop("page", None)
    headers = []
    for key, label in COLUMNS:
        if key is None:
            headers.append({"key": None, "label": label, "url": "", "current": None})
            continue
        params = base.copy()
        params["sort"] = key
        params["order"] = "desc" if (sort == key and order == "asc") else "asc"
        current = None
        if sort == key:
            current = "ascending" if order == "asc" else "descending"
        headers.append({"key": key, "label": label, "url": "?" + params.urlencode(), "current": current})
    return render(
        request,
        "portfolio/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "headers": headers,
            "page_query": _query_without_page(request.GET),
            "filtered": bool(
                filters and any(filters.get(k) for k in ("q", "status", "phase", "goal", "confidence", "overdue"))
            ),
            "decisions": queries.recent_decisions(organisation),
            "can_create": can_do(request, Action.CREATE_INITIATIVE),
        },
    )


# One initiative ------------------------------------------------------------------------------


@member_required(Action.VIEW)
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    today = timezone.localdate()
    show_all = request.GET.get("timeline") == "all"
    since = None if show_all else week_start(today) - dt.timedelta(weeks=TIMELINE_WEEKS - 1)
    latest = initiative.checkpoints.order_by("-week_start").first()
    state = (
        checkpoint_state(latest.week_start if latest else None, initiative.start_date, today)
        if initiative.status == Status.ACTIVE
        else None
    )
    can_edit = can_edit_initiative(request, initiative)
    return render(
        request,
        "portfolio/detail.html",
        {
            "initiative": initiative,
            "needs": list(initiative.user_needs.all()),
            "goals": list(initiative.goals.all()),
            "services": list(initiative.services.all()),
            "joins_up_with": list(initiative.joins_up_with.all()),
            "joined_up_by": list(initiative.joined_up_by.all()),
            "timeline": queries.timeline(initiative, since),
            "show_all": show_all,
            "timeline_weeks": TIMELINE_WEEKS,
            "latest": latest,
            "state": state,
            "state_label": queries.CHECKPOINT_STATE_LABELS.get(state or "", ""),
            "risks": list(initiative.risks.open().select_related("owner")),
            "comments": list(initiative.comments.select_related("author")),
            "comment_form": CommentForm() if can_do(request, Action.COMMENT) else None,
            "can_edit": can_edit,
            "can_decide": can_do(request, Action.DECIDE) and bool(Decision.allowed_kinds(initiative.status)),
            "needs_checkpoint": initiative.status == Status.ACTIVE,
            "impact": queries.impact(initiative, today),
            "money": assurance_money.initiative_money(initiative, today),
            "today": today,
        },
    )


@member_required(Action.CREATE_INITIATIVE)
def initiative_create(request: HttpRequest) -> HttpResponse:
    organisation = current_organisation(request)
    form = InitiativeForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = actions.create_initiative(
                organisation=organisation,
                by=_user(request),
                fields=form.model_fields(),
                goals=form.cleaned_data["goals"],
                services=form.cleaned_data["services"],
                joins_up_with=form.cleaned_data["joins_up_with"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, f"{initiative.reference} {initiative.title} has been proposed.")
            return redirect("portfolio:detail", pk=initiative.pk)
    return render(request, "portfolio/initiative_form.html", {"form": form, "initiative": None})


@member_required(Action.VIEW)
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_edit(request, initiative)
    heading = str(initiative)
    form = InitiativeForm(request.POST or None, instance=initiative, organisation=current_organisation(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_initiative(
                initiative=initiative,
                by=_user(request),
                fields=form.model_fields(),
                goals=form.cleaned_data["goals"],
                services=form.cleaned_data["services"],
                joins_up_with=form.cleaned_data["joins_up_with"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("portfolio:detail", pk=initiative.pk)
    return render(
        request,
        "portfolio/initiative_form.html",
        {"form": form, "initiative": initiative, "heading": heading},
    )


@member_required(Action.VIEW)
def initiative_history(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    page = _page(request, queries.history(initiative), 30)
    return render(request, "portfolio/history.html", {"initiative": initiative, "page": page})


# Checkpoints ---------------------------------------------------------------------------------


@member_required(Action.VIEW)
def checkpoint(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_edit(request, initiative)
    organisation = current_organisation(request)
    today = timezone.localdate()
    week = week_start(today)
    asked = request.GET.get("week") or request.POST.get("week")
    if asked:
        try:
            week = week_start(dt.date.fromisoformat(asked))
        except ValueError:
            week = week_start(today)
    if week > week_start(today):
        week = week_start(today)
    existing = initiative.checkpoints.filter(week_start=week).first()
    initial = CheckpointForm.initial_from(existing) if existing else None
    form = CheckpointForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _, created = actions.record_checkpoint(
                initiative=initiative, by=_user(request), week=week, fields=form.checkpoint_fields()
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            verb = "recorded" if created else "updated"
            messages.success(request, f"The checkpoint for the week of {week:%-d %B %Y} has been {verb}.")
            return redirect("portfolio:detail", pk=initiative.pk)
    return render(
        request,
        "portfolio/checkpoint_form.html",
        {
            "form": form,
            "initiative": initiative,
            "week": week,
            "week_end": week + dt.timedelta(days=6),
            "existing": existing,
            "this_week": week == week_start(today),
        },
    )


# Decisions -----------------------------------------------------------------------------------


@member_required(Action.DECIDE)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    form = DecisionForm(request.POST or None, initiative=initiative, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.record_decision(
                initiative=initiative,
                by=_user(request),
                kind=form.cleaned_data["kind"],
                rationale=form.cleaned_data["rationale"],
                evidence=form.cleaned_data["evidence"],
                decided_by=form.cleaned_data["decided_by"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(
                request,
                f"The decision to {decision.get_kind_display().lower()} {initiative.reference} "
                f"has been recorded. Its status is now {decision.get_status_after_display().lower()}.",
            )
            return redirect("portfolio:detail", pk=initiative.pk)
    return render(request, "portfolio/decision_form.html", {"form": form, "initiative": initiative})


@member_required(Action.VIEW)
def decision_log(request: HttpRequest) -> HttpResponse:
    organisation = current_organisation(request)
    kind = request.GET.get("kind", "")
    decisions = Decision.objects.for_organisation(organisation).select_related("initiative", "recorded_by")
    if kind in Decision.Kind.values:
        decisions = decisions.filter(kind=kind)
    page = _page(request, decisions.order_by("-decided_on", "-pk"))
    return render(
        request,
        "portfolio/decisions.html",
        {
            "page": page,
            "kind": kind,
            "kinds": Decision.Kind.choices,
            "page_query": _query_without_page(request.GET),
        },
    )


# User needs ----------------------------------------------------------------------------------


@member_required(Action.VIEW)
def need_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_edit(request, initiative)
    form = UserNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_user_need(initiative=initiative, by=_user(request), fields=form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, "The user need has been added.")
            return redirect(reverse("portfolio:detail", args=[initiative.pk]) + "#user-needs")
    return render(request, "portfolio/need_form.html", {"form": form, "initiative": initiative, "need": None})


@member_required(Action.VIEW)
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_user_need(request, pk)
    initiative = need.initiative
    require_edit(request, initiative)
    form = UserNeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_user_need(initiative=initiative, by=_user(request), fields=form.cleaned_data, need=need)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, "The user need has been updated.")
            return redirect(reverse("portfolio:detail", args=[initiative.pk]) + "#user-needs")
    return render(request, "portfolio/need_form.html", {"form": form, "initiative": initiative, "need": need})


@member_required(Action.VIEW)
def need_delete(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_user_need(request, pk)  # first, so another organisation's need is "not found" by any method
    initiative = need.initiative
    require_edit(request, initiative)
    back = reverse("portfolio:detail", args=[initiative.pk]) + "#user-needs"

    def remove() -> HttpResponse:
        actions.delete_user_need(need=need, by=_user(request))
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
    request: HttpRequest, *, initiative: Initiative | None, risk: Risk | None, back: str
) -> HttpResponse:
    organisation = current_organisation(request)
    form = RiskForm(request.POST or None, instance=risk, organisation=organisation)
    heading = risk.title if risk else ""
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if risk is None:
            fields["initiative"] = initiative
        try:
            saved = actions.save_risk(organisation=organisation, by=_user(request), fields=fields, risk=risk)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, f'The risk "{saved.title}" has been {"updated" if risk else "added"}.')
            return redirect(back)
    return render(
        request,
        "portfolio/risk_form.html",
        {"form": form, "initiative": initiative, "risk": risk, "heading": heading, "back": back},
    )


@member_required(Action.VIEW)
def risk_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_edit(request, initiative)
    back = reverse("portfolio:detail", args=[initiative.pk]) + "#risks"
    return _risk_form_page(request, initiative=initiative, risk=None, back=back)


@member_required(Action.MANAGE_PORTFOLIO_RISKS)
def portfolio_risk_add(request: HttpRequest) -> HttpResponse:
    return _risk_form_page(request, initiative=None, risk=None, back=reverse("portfolio:risks"))


@member_required(Action.VIEW)
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk(request, pk)
    require_risk_edit(request, risk)
    back = (
        reverse("portfolio:detail", args=[risk.initiative_id]) + "#risks"
        if risk.initiative_id
        else reverse("portfolio:risks")
    )
    return _risk_form_page(request, initiative=risk.initiative, risk=risk, back=back)


@member_required(Action.VIEW)
def risk_register(request: HttpRequest) -> HttpResponse:
    organisation = current_organisation(request)
    today = timezone.localdate()
    risks = list(Risk.objects.for_organisation(organisation).open().select_related("initiative", "owner"))
    risks.sort(key=lambda r: (-r.score, r.next_review, r.pk))
    overdue = sum(1 for r in risks if r.next_review < today)
    return render(
        request,
        "portfolio/risks.html",
        {
            "risks": risks,
            "overdue": overdue,
            "today": today,
            "can_add": can_do(request, Action.MANAGE_PORTFOLIO_RISKS),
        },
    )


# Comments ------------------------------------------------------------------------------------


@member_required(Action.COMMENT)
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(initiative=initiative, by=_user(request), body=form.cleaned_data["body"])
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, "Your comment has been posted.")
            return redirect(reverse("portfolio:detail", args=[initiative.pk]) + "#comments")
    return render(request, "portfolio/comment_form.html", {"form": form, "initiative": initiative}, status=400)


# Goals, services and settings (the portfolio office) -----------------------------------------


@member_required(Action.VIEW)
def goals(request: HttpRequest) -> HttpResponse:
    organisation = current_organisation(request)
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
    request: HttpRequest, form: BaseForm, *, template: str, success: str, context: dict[str, Any]
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        form.save()  # type: ignore[attr-defined]
        messages.success(request, success)
        return redirect("portfolio:goals")
    return render(request, template, {"form": form, **context})


@member_required(Action.ADMINISTER)
def goal_add(request: HttpRequest) -> HttpResponse:
    goal = StrategicGoal(organisation=current_organisation(request))
    form = GoalForm(request.POST or None, instance=goal)
    return _simple_form_page(
        request,
        form,
        template="portfolio/goal_form.html",
        success="The goal has been added.",
        context={"goal": None},
    )


@member_required(Action.ADMINISTER)
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal(request, pk)
    heading = goal.title
    form = GoalForm(request.POST or None, instance=goal)
    return _simple_form_page(
        request,
        form,
        template="portfolio/goal_form.html",
        success="The goal has been updated.",
        context={"goal": goal, "heading": heading},
    )


@member_required(Action.ADMINISTER)
def service_add(request: HttpRequest) -> HttpResponse:
    organisation = current_organisation(request)
    form = ServiceForm(request.POST or None, instance=Service(organisation=organisation), organisation=organisation)
    return _simple_form_page(
        request,
        form,
        template="portfolio/service_form.html",
        success="The service has been added.",
        context={"service": None},
    )


@member_required(Action.ADMINISTER)
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_service(request, pk)
    heading = service.name
    form = ServiceForm(request.POST or None, instance=service, organisation=current_organisation(request))
    return _simple_form_page(
        request,
        form,
        template="portfolio/service_form.html",
        success="The service has been updated.",
        context={"service": service, "heading": heading},
    )


@member_required(Action.ADMINISTER)
def organisation_settings(request: HttpRequest) -> HttpResponse:
    organisation = current_organisation(request)
    form = SettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The settings have been saved.")
        return redirect("portfolio:settings")
    active = Initiative.objects.for_organisation(organisation).in_progress().count()
    return render(request, "portfolio/settings.html", {"form": form, "active": active})
