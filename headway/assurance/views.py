"""The composite pages: the portfolio at a glance, the portfolio list and the initiative page,
each showing the portfolio beside whether it is working (metrics) and, on the initiative page,
its money (finance).

They keep their addresses and names in the portfolio's URL namespace ("portfolio:glance",
"portfolio:list", "portfolio:detail"); `headway/urls.py` mounts them there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from headway import downloads
from headway.accounts.people import names_of
from headway.accounts.roles import Action
from headway.assurance import actions as assurance_actions
from headway.assurance import answer_words, initiatives, pitfall_presenters, pitfall_store, questions
from headway.assurance import downloads as assurance_downloads
from headway.assurance import glance as glance_figures
from headway.assurance import money as assurance_money
from headway.assurance.forms import PortfolioFilterForm
from headway.assurance.initiatives import STALE, WARNING_LABELS
from headway.finance import presenters as finance_presenters
from headway.finance import queries as finance_queries
from headway.finance.access import can_change_money
from headway.history import HistoryEntry, history_entries
from headway.lib.weeks import checkpoint_state, week_start
from headway.metrics import presenters as metric_presenters
from headway.metrics.access import can_edit_metric
from headway.metrics.models import Verdict
from headway.metrics.verdicts import FLAG_LABELS, STATE_LABELS
from headway.portfolio import actions as portfolio_actions
from headway.portfolio import presenters as portfolio_presenters
from headway.portfolio import queries as portfolio_queries
from headway.portfolio.access import can_do, can_edit_initiative, get_decision, get_initiative
from headway.portfolio.forms import CommentForm, DecisionForm, ReversalForm
from headway.portfolio.models import Confidence, Decision, Initiative, Phase, Status
from headway.views import MemberRequest, member_required, page_of, posted, query_without_page, saved

TIMELINE_WEEKS = 12  # a quarter in full on the page; the rest behind "show the whole timeline"


# At a glance ---------------------------------------------------------------------------------


def _portfolio_list(**filters: str) -> str:
    """The portfolio list's address, filtered to exactly the initiatives behind a count, opened at
    its filters and table (below the recent decisions)."""
    return f"{reverse('portfolio:list')}?{urlencode(filters)}#initiatives"


def _risk_register(**filters: str) -> str:
    return f"{reverse('portfolio:risks')}?{urlencode(filters)}" if filters else reverse("portfolio:risks")


@member_required(Action.VIEW)
def glance(request: MemberRequest) -> HttpResponse:
    """At a glance: every count links to the list of exactly the initiatives or risks it counts
    (tests/test_glance.py follows each link and counts the rows)."""
    today = timezone.localdate()
    figures = glance_figures.glance(request.organisation, today)
    portfolio = figures.portfolio
    flags = dict(figures.working.flags)
    statuses, phases = dict(Status.choices), dict(Phase.choices)
    rating = portfolio_presenters.LABELS
    active = str(Status.ACTIVE)
    warnings = [
        (label, flags[flag], _portfolio_list(status=active, warning=flag))
        for flag, label in FLAG_LABELS.items()
        # Worded, and in the order the board should read them; a flag without words is not shown.
        if flags.get(flag)
    ]
    warnings.append((WARNING_LABELS[STALE], figures.working.stale, _portfolio_list(status=active, warning=STALE)))
    return render(
        request,
        "assurance/glance.html",
        {
            "g": portfolio,
            "urls": {
                "active": _portfolio_list(status=active),
                "overdue": _portfolio_list(overdue="on"),
                "open_risks": _risk_register(),
                "extreme_risks": _risk_register(level="extreme"),
                "risks_review_overdue": _risk_register(review_overdue="on"),
                "deteriorating": _portfolio_list(status=active, working=Verdict.State.DETERIORATING),
                "red": _portfolio_list(status=active, confidence=Confidence.RED),
                "no_checkpoint": _portfolio_list(status=active, confidence="none"),
                "asking": _portfolio_list(asks="on"),
            },
            "by_status": [
                (value, statuses[value], n, _portfolio_list(status=value)) for value, n in portfolio.by_status
            ],
            "by_phase": [
                (value, phases[value], n, _portfolio_list(status=portfolio_queries.CURRENT, phase=value))
                for value, n in portfolio.by_phase
            ],
            "confidence_now": [
                (value, rating.get(value, value), n, _portfolio_list(status=active, confidence=value))
                for value, n in portfolio.confidence_now
            ],
            "scale": [(value, rating.get(value, value)) for value in portfolio.scale],
            "by_week": [
                {
                    "week": week,
                    "counts": [
                        (
                            n,
                            _portfolio_list(status=active, week=week.isoformat(), week_confidence=value),
                            rating.get(value, value),
                        )
                        for value, n in zip(portfolio.scale, counts, strict=True)
                    ],
                    "missing": (missing, _portfolio_list(status=active, week=week.isoformat(), week_confidence="none")),
                }
                for week, counts, missing in portfolio.confidence_by_week
            ],
            "fallen": [
                {"initiative": f, "was": rating.get(f.was, f.was), "now": rating.get(f.now, f.now)}
                for f in portfolio.fallen
            ],
            "working": figures.working,
            "verdicts": [
                (state, STATE_LABELS[state], n, _portfolio_list(status=active, working=state))
                for state, n in figures.working.verdicts
            ],
            "warnings": warnings,
            "named": figures.named,
            # One row, however many initiatives: the stored findings (ADR 26).
            "pitfalls": pitfall_presenters.glance_summary(pitfall_store.stored(request.organisation), _portfolio_list),
            "this_week": week_start(today),
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
    file = downloads.list_file(
        request,
        form,
        organisation=organisation,
        what="portfolio",
        sheet="Portfolio",
        columns=assurance_downloads.portfolio_columns(today, request.build_absolute_uri),
        rows=lambda: initiatives.portfolio(organisation, filters, today),
    )
    if file is not None:
        return file
    page = page_of(request, initiatives.portfolio(organisation, filters, today))
    pitfall = None
    if key := filters.get("pitfall"):
        found = pitfall_store.stored(organisation)
        pitfall = next((f for f in found.findings if f.key == key), None) if found else None
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
            "filtered": any(value for key, value in filters.items() if key not in ("sort", "order")),
            "decisions": portfolio_queries.recent_decisions(organisation),
            "can_create": can_do(request, Action.CREATE_INITIATIVE),
            "pitfall": pitfall,
            "downloads": downloads.links(request.GET),
        },
    )


# One initiative ------------------------------------------------------------------------------


def _history(initiative: Initiative) -> list[HistoryEntry]:
    """Every recorded change to the initiative, the records that belong to it and its money."""
    people = names_of(initiative.organisation_id)
    sources = portfolio_queries.history_sources(initiative) + finance_queries.history_sources(initiative)

    def describe(model: type[Model], record: Any) -> str:
        if model in finance_presenters.MONEY_MODELS:
            return finance_presenters.describe_history(model, record)
        return portfolio_presenters.describe(model, record)

    def show(model: type[Model], name: str, value: Any) -> str:
        return finance_presenters.show_history_value(model, name, value, people)

    return history_entries(sources, people, describe=describe, show=show, skip={"initiative", "business_case"})


@member_required(Action.VIEW)
def initiative_history(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    page = page_of(request, _history(initiative), 30)
    return render(request, "portfolio/history.html", {"initiative": initiative, "page": page})


def _initiative_pitfalls(initiative: Initiative) -> dict[str, Any]:
    found = pitfall_store.stored(initiative.organisation)
    if found is None:
        return {"stored": None, "rows": []}
    rows = pitfall_presenters.shown(
        found.naming(initiative.reference),
        {initiative.reference: (initiative.pk, initiative.title)},
        only=initiative.reference,
    )
    return {"stored": found, "rows": rows}


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
            "risks": list(initiative.risks.open().select_related("owner", "principal_risk")),
            "comments": list(initiative.comments.select_related("author")),
            # A comment being written when the session ended comes back here after signing in.
            "comment_form": CommentForm(posted(request)) if can_do(request, Action.COMMENT) else None,
            "can_edit": can_edit_initiative(request, initiative),
            # The link shows only to those the metric form lets in (the view's own check).
            "can_add_metric": can_edit_metric(request),
            "can_decide": can_do(request, Action.DECIDE) and bool(Decision.allowed_kinds(initiative.status)),
            "reversible": (
                portfolio_queries.reversible_decisions(initiative) if can_do(request, Action.DECIDE) else set()
            ),
            "needs_checkpoint": initiative.status == Status.ACTIVE,
            "impact": metric_presenters.impact_section(impact.verdict, impact.series),
            "money": assurance_money.initiative_money(initiative, today),
            # The stored findings that name it (one query; ADR 26).
            "pitfalls": _initiative_pitfalls(initiative),
            "today": today,
        },
    )


# Decisions, and what follows from them (ADR 20) ---------------------------------------------


def _decision_message(decided: assurance_actions.Decided, said: str) -> str:
    """What a recorded decision or reversal did, including the rounds it took the initiative out
    of or put it back into."""
    parts = [said]
    if decided.taken_out_of:
        names = ", ".join(r.name for r in decided.taken_out_of)
        parts.append(f"It has been taken out of the open prioritisation round {names}.")
    if decided.put_back_into:
        names = ", ".join(r.name for r in decided.put_back_into)
        parts.append(f"It is a candidate in the open prioritisation round {names} again.")
    return " ".join(parts)


def _after_decision(request: MemberRequest, decided: assurance_actions.Decided) -> str:
    """Where to go after a decision or reversal: the offer to release the initiative's future
    funding when a stop, pause or close leaves some, else its page."""
    decision = decided.decision
    initiative = decision.initiative
    if (
        initiative.status in finance_queries.RELEASED_BY
        and can_change_money(request, initiative)
        and finance_queries.releasable_funding(initiative, decision.decided_on)
    ):
        return reverse("finance:funding_release", args=[initiative.pk])
    return reverse("portfolio:detail", args=[initiative.pk])


@member_required(Action.DECIDE)
def decide(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    form = DecisionForm(posted(request), initiative=initiative, initial={"decided_on": timezone.localdate()})

    def said(decided: assurance_actions.Decided) -> str:
        decision = decided.decision
        return _decision_message(
            decided,
            f"The decision to {decision.get_kind_display().lower()} {initiative.reference} "
            f"has been recorded. Its status is now {decision.get_status_after_display().lower()}.",
        )

    done = saved(
        request,
        form,
        lambda: assurance_actions.record_decision(
            initiative=initiative,
            by=request.user,
            kind=form.cleaned_data["kind"],
            rationale=form.cleaned_data["rationale"],
            evidence=form.cleaned_data["evidence"],
            decided_by=form.cleaned_data["decided_by"],
            decided_on=form.cleaned_data["decided_on"],
        ),
        said,
        lambda decided: _after_decision(request, decided),
    )
    if done is not None:
        return done
    return render(request, "portfolio/decision_form.html", {"form": form, "initiative": initiative})


@member_required(Action.DECIDE)
def decision_reverse(request: MemberRequest, pk: int) -> HttpResponse:
    """Correct a decision recorded by mistake with a recorded reversal (ADR 20)."""
    decision = get_decision(request, pk)
    initiative = decision.initiative
    refusal = portfolio_actions.reversal_refusal(decision)
    form = ReversalForm(
        None if refusal else posted(request), decision=decision, initial={"decided_on": timezone.localdate()}
    )

    def said(decided: assurance_actions.Decided) -> str:
        reversal = decided.decision
        what = f"The {decision.get_kind_display().lower()} decision of {decision.decided_on:%-d %B %Y}"
        return _decision_message(
            decided,
            f"{what} has been reversed."
            + (
                f" {initiative.reference} is {reversal.get_status_after_display().lower()} again."
                if reversal.changes_status
                else ""
            ),
        )

    if not refusal:
        done = saved(
            request,
            form,
            lambda: assurance_actions.reverse_decision(
                decision=decision,
                by=request.user,
                rationale=form.cleaned_data["rationale"],
                evidence=form.cleaned_data["evidence"],
                decided_by=form.cleaned_data["decided_by"],
                decided_on=form.cleaned_data["decided_on"],
            ),
            said,
            lambda decided: _after_decision(request, decided),
        )
        if done is not None:
            return done
    return render(
        request,
        "portfolio/reversal_form.html",
        {"form": form, "decision": decision, "initiative": initiative, "refusal": refusal},
    )


# The board's questions ----------------------------------------------------------------------


@member_required(Action.VIEW)
def pitfalls(request: MemberRequest) -> HttpResponse:
    """The guide's common pitfalls found in the organisation's data, most severe first, each with
    the initiatives it names, the numbers behind it and where it can be put right (ADR 25)."""
    organisation = request.organisation
    stored = pitfall_store.stored(organisation)
    found = stored.findings if stored is not None else []
    references = {ref for finding in found for ref in finding.initiatives}
    named = {
        reference: (pk, title)
        for reference, pk, title in Initiative.objects.for_organisation(organisation)
        .filter(reference__in=references)
        .values_list("reference", "pk", "title")
    }
    rows = pitfall_presenters.shown(found, named)
    return render(
        request,
        "assurance/pitfalls.html",
        {"groups": pitfall_presenters.by_severity(rows), "count": len(rows), "stored": stored},
    )


@member_required(Action.VIEW)
def board_questions(request: MemberRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [answer_words.worded(answer) for answer in questions.answers(request.organisation, today)]
    return render(request, "assurance/questions.html", {"rows": rows, "today": today})
