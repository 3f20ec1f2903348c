"""The composite pages: the portfolio at a glance, the portfolio list and the initiative page,
each showing the portfolio beside whether it is working (metrics) and, on the initiative page,
its money (finance).

They keep their addresses and names in the portfolio's URL namespace ("portfolio:glance",
"portfolio:list", "portfolio:detail"); `headway/urls.py` mounts them there.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from headway.accounts.roles import Action
from headway.assurance import glance as glance_figures
from headway.assurance import initiatives
from headway.assurance import money as assurance_money
from headway.assurance.forms import PortfolioFilterForm
from headway.lib.weeks import checkpoint_state, week_start
from headway.metrics import presenters as metric_presenters
from headway.metrics.access import can_edit_metric
from headway.metrics.verdicts import FLAG_LABELS, STATE_LABELS
from headway.portfolio import presenters as portfolio_presenters
from headway.portfolio import queries as portfolio_queries
from headway.portfolio.access import can_do, can_edit_initiative, get_initiative
from headway.portfolio.forms import CommentForm
from headway.portfolio.models import Decision, Phase, Status
from headway.views import MemberRequest, member_required, page_of, query_without_page

TIMELINE_WEEKS = 12  # a quarter in full on the page; the rest behind "show the whole timeline"


# At a glance ---------------------------------------------------------------------------------


@member_required(Action.VIEW)
def glance(request: MemberRequest) -> HttpResponse:
    today = timezone.localdate()
    figures = glance_figures.glance(request.organisation, today)
    portfolio = figures.portfolio
    flags = dict(figures.working.flags)
    statuses, phases = dict(Status.choices), dict(Phase.choices)
    rating = portfolio_presenters.LABELS
    return render(
        request,
        "assurance/glance.html",
        {
            "g": portfolio,
            "by_status": [(value, statuses[value], n) for value, n in portfolio.by_status],
            "by_phase": [(value, phases[value], n) for value, n in portfolio.by_phase],
            "confidence_now": [(value, rating.get(value, value), n) for value, n in portfolio.confidence_now],
            "scale": [(value, rating.get(value, value)) for value in portfolio.scale],
            "fallen": [
                {"initiative": f, "was": rating.get(f.was, f.was), "now": rating.get(f.now, f.now)}
                for f in portfolio.fallen
            ],
            "working": figures.working,
            "verdicts": [(state, STATE_LABELS[state], n) for state, n in figures.working.verdicts],
            # Worded, and in the order the board should read them; a flag without words is not shown.
            "verdict_flags": [(flag, label, flags[flag]) for flag, label in FLAG_LABELS.items() if flags.get(flag)],
            "today": today,
        },
    )


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
def initiative_list(request: MemberRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation = request.organisation
    form = PortfolioFilterForm(request.GET or None, organisation=organisation)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = page_of(request, initiatives.portfolio(organisation, filters, today))
    rows = []
    for initiative in page.object_list:
        state = portfolio_queries.state_of(initiative, today)
        verdict = glance_figures.verdict_state(initiative)
        rows.append(
            {
                "initiative": initiative,
                "verdict": verdict,
                "verdict_label": STATE_LABELS.get(verdict, ""),
                "state": state,
                "state_label": portfolio_presenters.CHECKPOINT_STATE_LABELS.get(state or "", ""),
                "confidence": initiative.current_confidence,
                "confidence_label": portfolio_presenters.LABELS.get(initiative.current_confidence or "", ""),
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
        "assurance/portfolio_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "headers": headers,
            "page_query": query_without_page(request.GET),
            "filtered": bool(
                filters and any(filters.get(k) for k in ("q", "status", "phase", "goal", "confidence", "overdue"))
            ),
            "decisions": portfolio_queries.recent_decisions(organisation),
            "can_create": can_do(request, Action.CREATE_INITIATIVE),
        },
    )


# One initiative ------------------------------------------------------------------------------


@member_required(Action.VIEW)
def initiative_detail(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    today = timezone.localdate()
    show_all = request.GET.get("timeline") == "all"
    since = None if show_all else week_start(today) - dt.timedelta(weeks=TIMELINE_WEEKS - 1)
    # The newest checkpoint's week and confidence are kept on the initiative (ADR 6).
    state = (
        checkpoint_state(initiative.last_checkpoint_week, initiative.start_date, today)
        if initiative.status == Status.ACTIVE
        else None
    )
    impact = initiatives.impact(initiative, today)
    return render(
        request,
        "assurance/initiative.html",
        {
            "initiative": initiative,
            "needs": list(initiative.user_needs.all()),
            "goals": list(initiative.goals.all()),
            "services": list(initiative.services.all()),
            "joins_up_with": list(initiative.joins_up_with.all()),
            "joined_up_by": list(initiative.joined_up_by.all()),
            "timeline": portfolio_queries.timeline(initiative, since),
            "show_all": show_all,
            "timeline_weeks": TIMELINE_WEEKS,
            "state": state,
            "state_label": portfolio_presenters.CHECKPOINT_STATE_LABELS.get(state or "", ""),
            "risks": list(initiative.risks.open().select_related("owner")),
            "comments": list(initiative.comments.select_related("author")),
            "comment_form": CommentForm() if can_do(request, Action.COMMENT) else None,
            "can_edit": can_edit_initiative(request, initiative),
            # The link shows only to those the metric form lets in (the view's own check).
            "can_add_metric": can_edit_metric(request),
            "can_decide": can_do(request, Action.DECIDE) and bool(Decision.allowed_kinds(initiative.status)),
            "needs_checkpoint": initiative.status == Status.ACTIVE,
            "impact": metric_presenters.impact_section(impact.verdict, impact.series),
            "money": assurance_money.initiative_money(initiative, today),
            "today": today,
        },
    )
