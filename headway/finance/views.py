"""Money pages: the portfolio's money, its Monte Carlo forecast, each initiative's money and
business cases, and the forms that change them.

Function views only. Objects are fetched through `finance.access`, which keeps the organisation
boundary; every write goes through `finance.actions`; what the pages show is read by
`finance.queries` in a fixed number of queries, worked out by `finance.figures` (both at once by
`finance.summaries`, which the board layer reads too) and worded by `finance.presenters`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.text import Truncator

from headway import downloads
from headway.accounts.models import Organisation
from headway.accounts.roles import Action
from headway.confirm import Removal, confirm_removal, in_words, plural
from headway.finance import actions, figures, presenters, queries, summaries
from headway.finance import downloads as finance_downloads
from headway.finance.access import (
    can_change_money,
    get_actual,
    get_benefit_line,
    get_business_case,
    get_cost_line,
    get_funding_line,
    get_initiative,
    require_change,
)
from headway.finance.forms import (
    ActualForm,
    BenefitLineForm,
    BenefitLinesForm,
    BusinessCaseForm,
    CostLineForm,
    CostLinesForm,
    FundingLineForm,
    MitigationForm,
    ReleaseForm,
)
from headway.finance.models import Actual, BusinessCase
from headway.lib.financial_years import financial_year_label
from headway.lib.money import pounds
from headway.portfolio import queries as portfolio_queries
from headway.portfolio.models import Initiative, Status
from headway.views import MemberRequest, member_required, posted, saved


def _this_year() -> str:
    return financial_year_label(timezone.localdate())


def _members(organisation: Organisation) -> list[figures.ClassMember]:
    """The reference class: the organisation's finished initiatives that can be compared."""
    finished = Initiative.objects.for_organisation(organisation).filter(
        status=Status.COMPLETED, start_date__isnull=False, went_live_on__isnull=False
    )
    return figures.reference_class(queries.load(finished))


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    caption: str,
    back: str,
    submit: str,
    intro: str = "",
    template: str = "finance/form.html",
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "title": title, "caption": caption, "back": back, "submit": submit, "intro": intro, **extra},
    )


def _money_url(initiative: Initiative | int, anchor: str = "") -> str:
    pk = initiative if isinstance(initiative, int) else initiative.pk
    return reverse("finance:initiative", args=[pk]) + (f"#{anchor}" if anchor else "")


def _case_url(case: BusinessCase, anchor: str = "") -> str:
    return reverse("finance:case", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _note(note: str) -> list[tuple[str, str]]:
    """A "Note" row for a confirmation page, if there is a note."""
    return [("Note", note)] if note else []


def _linked_actuals_text(count: int, linked_to: str) -> str:
    """What happens to recorded realised benefits when the benefit line they are linked to goes."""
    return (
        f"{plural(count, 'recorded realised benefit')} linked to {linked_to} "
        f"{'stays' if count == 1 else 'stay'}, but will no longer be linked to a benefit."
    )


# The portfolio -------------------------------------------------------------------------------


@member_required(Action.VIEW)
def overview(request: MemberRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation = request.organisation
    asked = downloads.asked(request)
    if isinstance(asked, HttpResponse):
        return asked
    which = request.GET.get("list", finance_downloads.INITIATIVES)
    if asked and which not in finance_downloads.LISTS:
        return downloads.refused(request, problems=[f"List: ‘{which}’ is not a list on this page."], back=request.path)
    data = summaries.organisation_money(organisation, today)
    link = request.build_absolute_uri
    if asked:
        if which == finance_downloads.FUNDING:
            return downloads.download(
                organisation=organisation,
                fmt=asked,
                what="funding",
                sheet="Funding lines",
                columns=finance_downloads.funding_columns(link),
                rows=finance_downloads.funding_rows(data),
            )
        return downloads.download(
            organisation=organisation,
            fmt=asked,
            what="money",
            sheet="Initiatives' money",
            columns=finance_downloads.initiative_columns(link),
            rows=finance_downloads.money_rows(data),
        )
    return render(
        request,
        "finance/overview.html",
        {
            "o": data,
            "words": presenters.overview_words(data),
            "today": today,
            "this_year": _this_year(),
            "weeks": organisation.first_release_weeks,
            "money_downloads": downloads.links(QueryDict(f"list={finance_downloads.INITIATIVES}")),
            "funding_downloads": downloads.links(QueryDict(f"list={finance_downloads.FUNDING}")),
        },
    )


@member_required(Action.VIEW)
def forecast(request: MemberRequest) -> HttpResponse:
    today = timezone.localdate()
    found = summaries.portfolio_forecast(request.organisation, today)
    return render(
        request, "finance/forecast.html", {"f": found, "page": presenters.forecast_page(found), "today": today}
    )


# One initiative ------------------------------------------------------------------------------


@member_required(Action.VIEW)
def initiative_money(request: MemberRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    organisation = request.organisation
    initiative = get_initiative(request, pk)
    data = queries.load(Initiative.objects.for_organisation(organisation).filter(pk=initiative.pk))
    money = figures.initiative_money(data, data.initiatives[0], today)
    forecasts = (
        figures.class_forecasts(money.latest, _members(organisation), money.initiative) if money.latest else None
    )
    return render(
        request,
        "finance/initiative.html",
        {
            "initiative": money.initiative,
            "m": money,
            "forecasts": forecasts,
            "years": figures.actual_rows([money]),
            "evidence": queries.metric_evidence(money.latest.benefits, organisation) if money.latest else [],
            "can_change": can_change_money(request, initiative),
            "weeks": organisation.first_release_weeks,
            "first_benefit_words": presenters.FIRST_BENEFIT_WORDS,
            "today": today,
            "this_year": _this_year(),
        },
    )


# Funding lines -------------------------------------------------------------------------------


@member_required(Action.VIEW)
def funding_add(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_change(request, initiative)
    form = FundingLineForm(posted(request), initial={"financial_year": _this_year()})
    done = saved(
        request,
        form,
        lambda: actions.save_funding_line(initiative=initiative, by=request.user, fields=form.cleaned_data),
        "The funding line has been added.",
        _money_url(initiative, "funding"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Add a funding line",
        caption=str(initiative),
        back=_money_url(initiative),
        submit="Add the funding line",
        intro="One line for each financial year, kind of money and source. Include the money to run and improve "
        "the service after it goes live.",
    )


@member_required(Action.VIEW)
def funding_edit(request: MemberRequest, pk: int) -> HttpResponse:
    line = get_funding_line(request, pk)
    require_change(request, line.initiative)
    form = FundingLineForm(posted(request), instance=line)
    done = saved(
        request,
        form,
        lambda: actions.save_funding_line(
            initiative=line.initiative, by=request.user, fields=form.cleaned_data, line=line
        ),
        "The funding line has been changed.",
        _money_url(line.initiative_id, "funding"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Change a funding line",
        caption=str(line.initiative),
        back=_money_url(line.initiative),
        submit="Save the changes",
    )


@member_required(Action.VIEW)
def funding_delete(request: MemberRequest, pk: int) -> HttpResponse:
    line = get_funding_line(request, pk)  # first, so another organisation's is 404 by any method
    require_change(request, line.initiative)  # for the confirmation page as well as the removal

    def ask() -> Removal:
        kind = line.get_kind_display().lower()
        return Removal(
            question=f"Remove the {line.financial_year} {kind} funding of {pounds(line.amount)}?",
            caption=str(line.initiative),
            back=_money_url(line.initiative, "funding"),
            details=[
                ("Source", line.get_source_display()),
                ("State", line.get_state_display()),
                ("For", line.get_purpose_display()),
                *_note(line.note),
            ],
            consequences=[f"Only this funding line goes; {line.initiative.reference}'s other funding stays."],
        )

    def remove() -> HttpResponse:
        actions.delete_funding_line(line=line, by=request.user)
        messages.success(request, f"The funding line for {line.financial_year} has been removed.")
        return redirect(_money_url(line.initiative_id, "funding"))

    return confirm_removal(request, ask=ask, remove=remove)


@member_required(Action.VIEW)
def funding_release(request: MemberRequest, pk: int) -> HttpResponse:
    """The step after a stop, pause or close (ADR 20): offer to hand back the initiative's
    requested and approved funding for the years after the decision. Nothing goes until the
    person chooses what to release; "Keep it" leaves everything as it is."""
    initiative = get_initiative(request, pk)
    require_change(request, initiative)
    decision = portfolio_queries.decision_behind_status(initiative)
    if initiative.status not in queries.RELEASED_BY or decision is None:
        status = initiative.get_status_display().lower()
        messages.info(request, f"{initiative.reference} is {status}: its funding stays.")
        return redirect(_money_url(initiative, "funding"))
    lines = queries.releasable_funding(initiative, decision.decided_on)
    if not lines:
        messages.info(request, f"{initiative.reference} has no requested or approved funding for later years.")
        return redirect(_money_url(initiative, "funding"))
    what = f"the {decision.get_kind_display().lower()} decision of {decision.decided_on:%-d %B %Y}"
    form = ReleaseForm(posted(request), lines=lines, initial={"lines": [line.pk for line in lines]})
    done = saved(
        request,
        form,
        lambda: actions.release_funding(
            initiative=initiative,
            by=request.user,
            lines=list(form.cleaned_data["lines"]),
            reason=f"Released after {what}",
        ),
        lambda released: (
            f"{pounds(sum(line.amount for line in released))} of {initiative.reference}'s future funding has been "
            "released. The released lines stay in the history of changes."
        ),
        _money_url(initiative, "funding"),
    )
    return done or render(
        request,
        "finance/release.html",
        {
            "form": form,
            "initiative": initiative,
            "decision": decision,
            "total": pounds(sum(line.amount for line in lines)),
            "back": reverse("portfolio:detail", args=[initiative.pk]),
        },
    )


# Business cases ------------------------------------------------------------------------------


@member_required(Action.VIEW)
def case_add(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_change(request, initiative)
    taken = set(initiative.business_cases.values_list("stage", flat=True))
    next_stage = next((s for s in BusinessCase.Stage.values if s not in taken), BusinessCase.Stage.SOC)
    form = BusinessCaseForm(
        posted(request),
        initiative=initiative,
        initial={
            "stage": next_stage,
            "first_year": _this_year(),
            "project_type": actions.default_project_type().pk,
            "discount_rate": "3.5",
        },
    )

    def added(saved: Any) -> str:
        source = form.cleaned_data.get("copy_from")
        if source is None:
            return f"The {saved.case.get_stage_display().lower()} has been added. Add its costs and benefits next."
        return _copied_text(saved, source)

    done = saved(
        request,
        form,
        lambda: actions.save_business_case_reporting(
            initiative=initiative,
            by=request.user,
            fields=form.model_fields(),
            copy_from=form.cleaned_data.get("copy_from"),
        ),
        added,
        lambda saved: _case_url(saved.case),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Add a business case",
        caption=str(initiative),
        back=_money_url(initiative),
        submit="Add the business case",
        intro="One case for each stage. The latest stage is the one the money pages and the forecasts use.",
    )


def _scores_text(saved: actions.CaseSaved) -> list[str]:
    """Sentences saying which optimism-bias scores a change of project type removed or kept."""
    case = saved.case
    texts = []
    if saved.removed_scores:
        texts.append(
            f"Changing the type of project to “{case.project_type.name}” removed "
            f"{plural(len(saved.removed_scores), 'optimism-bias score')} for risk areas it does not have: "
            f"{'; '.join(saved.removed_scores)}. The history keeps them."
        )
    if saved.kept_scores:
        one = len(saved.kept_scores) == 1
        texts.append(
            f"The {'score' if one else 'scores'} for {', '.join(saved.kept_scores)} {'was' if one else 'were'} "
            f"kept, because the new type has {'that risk area' if one else 'those risk areas'} too."
        )
    return texts


def _copied_text(saved: actions.CaseSaved, source: BusinessCase) -> str:
    """The success message for a case started as a copy: what was copied and what was left out."""
    case = saved.case
    texts = [
        f"The {case.get_stage_display().lower()} has been added, with "
        f"{plural(saved.copied_costs, 'cost line')} and {plural(saved.copied_benefits, 'benefit line')} "
        f"copied from the {source.get_stage_display().lower()}."
    ]
    if saved.lines_before_first_year:
        texts.append(
            f"{plural(saved.lines_before_first_year, 'line')} for years before {case.first_year}, the new case's "
            f"first year, {'was' if saved.lines_before_first_year == 1 else 'were'} left out."
        )
    if saved.lines_after_last_year:
        texts.append(
            f"{plural(saved.lines_after_last_year, 'line')} more than {actions.MAX_CASE_YEARS} years after "
            f"{case.first_year} {'was' if saved.lines_after_last_year == 1 else 'were'} left out."
        )
    if saved.scores_not_copied:
        texts.append(
            f"{plural(len(saved.scores_not_copied), 'optimism-bias score')} for risk areas that "
            f"“{case.project_type.name}” does not have {'was' if len(saved.scores_not_copied) == 1 else 'were'} "
            f"not copied: {'; '.join(saved.scores_not_copied)}."
        )
    return " ".join(texts)


@member_required(Action.VIEW)
def case_detail(request: MemberRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    found = get_business_case(request, pk)
    data = queries.load(Initiative.objects.for_organisation(organisation).filter(pk=found.initiative_id))
    case = next(c for c in data.cases[found.initiative_id] if c.pk == found.pk)
    case_figures = figures.figures_for(data, case)
    latest = data.cases[found.initiative_id][0]
    return render(
        request,
        "finance/case.html",
        {
            "case": case,
            "initiative": data.initiatives[0],
            "c": case_figures,
            "is_latest": latest.pk == case.pk,
            "latest": latest,
            "others": [c for c in data.cases[found.initiative_id] if c.pk != case.pk],
            "forecasts": figures.class_forecasts(case_figures, _members(organisation), data.initiatives[0]),
            "evidence": queries.metric_evidence(case_figures.benefits, organisation),
            "can_change": can_change_money(request, case.initiative),
        },
    )


@member_required(Action.VIEW)
def case_edit(request: MemberRequest, pk: int) -> HttpResponse:
    case = get_business_case(request, pk)
    require_change(request, case.initiative)
    title = f"Change the {case.get_stage_display().lower()}"
    form = BusinessCaseForm(posted(request), instance=case, initiative=case.initiative)
    done = saved(
        request,
        form,
        lambda: actions.save_business_case_reporting(
            initiative=case.initiative, by=request.user, fields=form.model_fields(), case=case
        ),
        lambda saved: " ".join(["The business case has been changed.", *_scores_text(saved)]),
        _case_url(case),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title=title,
        caption=str(case.initiative),
        back=_case_url(case),
        submit="Save the changes",
        intro="Changing the type of project keeps the optimism-bias scores for risk areas the new type also has, "
        "and removes the others; you will be told exactly which.",
    )


@member_required(Action.VIEW)
def case_delete(request: MemberRequest, pk: int) -> HttpResponse:
    case = get_business_case(request, pk)  # first, so another organisation's is 404 by any method
    initiative = case.initiative
    require_change(request, initiative)  # for the confirmation page as well as the removal
    stage = case.get_stage_display().lower()

    def ask() -> Removal:
        parts = [
            plural(count, what)
            for count, what in (
                (case.costs.count(), "cost line"),
                (case.benefits.count(), "benefit line"),
                (case.mitigations.count(), "optimism-bias score"),
            )
            if count
        ]
        consequences = [
            f"This also removes its {in_words(parts)}."
            if parts
            else "It has no costs, benefits or optimism-bias scores, so nothing else goes with it."
        ]
        linked = initiative.actuals.filter(benefit__business_case=case).count()
        if linked:
            consequences.append(_linked_actuals_text(linked, "its benefit lines"))
        others = sorted(
            (c for c in initiative.business_cases.all() if c.pk != case.pk), key=lambda c: c.stage_rank, reverse=True
        )
        if not others:
            consequences.append(f"{initiative.reference} will then have no business case.")
        elif case.stage_rank > others[0].stage_rank:
            consequences.append(
                f"The money pages and forecasts will then use the {others[0].get_stage_display().lower()}."
            )
        return Removal(
            question=f"Remove the {stage} for {initiative.reference}?",
            caption=str(initiative),
            back=_case_url(case),
            details=[("Approved", dateformat.format(case.approved_on, "j F Y"))] if case.approved_on else [],
            consequences=consequences,
        )

    def remove() -> HttpResponse:
        actions.delete_business_case(case=case, by=request.user)
        messages.success(request, f"The {stage} and its costs, benefits and scores have been removed.")
        return redirect(_money_url(initiative.pk, "business-cases"))

    return confirm_removal(request, ask=ask, remove=remove)


# Costs ---------------------------------------------------------------------------------------


@member_required(Action.VIEW)
def cost_add(request: MemberRequest, pk: int) -> HttpResponse:
    case = get_business_case(request, pk)
    require_change(request, case.initiative)
    form = CostLinesForm(posted(request))
    done = saved(
        request,
        form,
        lambda: actions.add_cost_lines(
            case=case,
            by=request.user,
            kind=form.cleaned_data["kind"],
            category=form.cleaned_data["category"],
            amounts=form.cleaned_data["amounts"],
            note=form.cleaned_data["note"],
        ),
        lambda lines: f"{plural(len(lines), 'cost line')} added.",
        _case_url(case, "costs"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Add costs",
        caption=f"{case.initiative.reference} {case.get_stage_display()}",
        back=_case_url(case),
        submit="Add the costs",
        intro=f"Costs of one kind, for as many years as you need, from {case.first_year} (the case's first year) "
        "on. Include the cost of running and improving the service after go-live.",
    )


@member_required(Action.VIEW)
def cost_edit(request: MemberRequest, pk: int) -> HttpResponse:
    line = get_cost_line(request, pk)
    case = line.business_case
    require_change(request, case.initiative)
    form = CostLineForm(posted(request), instance=line)
    done = saved(
        request,
        form,
        lambda: actions.save_cost_line(line=line, by=request.user, fields=form.cleaned_data),
        "The cost has been changed.",
        _case_url(case, "costs"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Change a cost",
        caption=f"{case.initiative.reference} {case.get_stage_display()}",
        back=_case_url(case),
        submit="Save the changes",
    )


@member_required(Action.VIEW)
def cost_delete(request: MemberRequest, pk: int) -> HttpResponse:
    line = get_cost_line(request, pk)  # first, so another organisation's is 404 by any method
    case = line.business_case
    require_change(request, case.initiative)  # for the confirmation page as well as the removal
    category = line.get_category_display().lower()

    def ask() -> Removal:
        return Removal(
            question=f"Remove the {line.financial_year} {category} cost of {pounds(line.amount)}?",
            caption=f"{case.initiative.reference} {case.get_stage_display()}",
            back=_case_url(case, "costs"),
            details=[("Kind", line.get_kind_display()), *_note(line.note)],
            consequences=[f"Only this line goes; the {case.get_stage_display().lower()}'s other costs stay."],
        )

    def remove() -> HttpResponse:
        actions.delete_cost_line(line=line, by=request.user)
        messages.success(request, f"The {category} cost for {line.financial_year} has been removed.")
        return redirect(_case_url(case, "costs"))

    return confirm_removal(request, ask=ask, remove=remove)


# Benefits ------------------------------------------------------------------------------------


@member_required(Action.VIEW)
def benefit_add(request: MemberRequest, pk: int) -> HttpResponse:
    case = get_business_case(request, pk)
    require_change(request, case.initiative)
    organisation = request.organisation
    form = BenefitLinesForm(posted(request), organisation=organisation)
    done = saved(
        request,
        form,
        lambda: actions.add_benefit_lines(
            case=case,
            by=request.user,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            owner=form.cleaned_data["owner"],
            metric=form.cleaned_data["metric"],
            amounts=form.cleaned_data["amounts"],
        ),
        lambda lines: f"{plural(len(lines), 'benefit line')} added.",
        _case_url(case, "benefits"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Add a benefit",
        caption=f"{case.initiative.reference} {case.get_stage_display()}",
        back=_case_url(case),
        submit="Add the benefit",
        intro="Every kind of benefit counts, not only cash. Give each an owner, and where it can be measured, "
        "the metric that will show whether it is real.",
    )


@member_required(Action.VIEW)
def benefit_edit(request: MemberRequest, pk: int) -> HttpResponse:
    line = get_benefit_line(request, pk)
    case = line.business_case
    require_change(request, case.initiative)
    form = BenefitLineForm(posted(request), instance=line, organisation=request.organisation)
    done = saved(
        request,
        form,
        lambda: actions.save_benefit_line(line=line, by=request.user, fields=form.cleaned_data),
        "The benefit has been changed.",
        _case_url(case, "benefits"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Change a benefit",
        caption=f"{case.initiative.reference} {case.get_stage_display()}",
        back=_case_url(case),
        submit="Save the changes",
    )


@member_required(Action.VIEW)
def benefit_delete(request: MemberRequest, pk: int) -> HttpResponse:
    line = get_benefit_line(request, pk)  # first, so another organisation's is 404 by any method
    case = line.business_case
    require_change(request, case.initiative)  # for the confirmation page as well as the removal

    def ask() -> Removal:
        consequences = [
            f"Only this line goes: the same benefit in other years, and the {case.get_stage_display().lower()}'s "
            "other benefits, stay."
        ]
        linked = line.actuals.count()
        if linked:
            consequences.append(_linked_actuals_text(linked, "it"))
        return Removal(
            question=f"Remove the {line.financial_year} benefit “{Truncator(line.description).chars(80)}”?",
            caption=f"{case.initiative.reference} {case.get_stage_display()}",
            back=_case_url(case, "benefits"),
            details=[
                ("Kind", line.get_kind_display()),
                ("Owner", str(line.owner)),
                ("Measured by", line.metric.name if line.metric else "Not measured"),
                ("Value", pounds(line.amount) if line.amount else "Not valued in pounds"),
            ],
            consequences=consequences,
        )

    def remove() -> HttpResponse:
        actions.delete_benefit_line(line=line, by=request.user)
        messages.success(request, f"The benefit for {line.financial_year} has been removed.")
        return redirect(_case_url(case, "benefits"))

    return confirm_removal(request, ask=ask, remove=remove)


# Optimism bias -------------------------------------------------------------------------------


@member_required(Action.VIEW)
def mitigations(request: MemberRequest, pk: int) -> HttpResponse:
    case = get_business_case(request, pk)
    require_change(request, case.initiative)
    factors = list(case.project_type.factors.all())
    current = {m.factor_id: (m.mitigation, m.evidence) for m in case.mitigations.all()}
    form = MitigationForm(posted(request), factors=factors, current=current)
    done = saved(
        request,
        form,
        lambda: actions.set_mitigations(case=case, by=request.user, scores=form.scores()),
        "The optimism-bias scores have been saved.",
        _case_url(case, "optimism-bias"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="How well are the risks managed?",
        caption=f"{case.initiative.reference} {case.get_stage_display()}",
        back=_case_url(case),
        submit="Save the scores",
        template="finance/mitigations.html",
        case=case,
        factors=factors,
    )


# Actuals -------------------------------------------------------------------------------------


@member_required(Action.VIEW)
def actual_add(request: MemberRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    require_change(request, initiative)
    kind = request.GET.get("kind")
    form = ActualForm(
        posted(request),
        initiative=initiative,
        initial={"financial_year": _this_year(), "kind": kind if kind in ("spend", "benefit") else "spend"},
    )
    done = saved(
        request,
        form,
        lambda: actions.save_actual(initiative=initiative, by=request.user, fields=form.cleaned_data),
        lambda actual: f"The {actual.get_kind_display().lower()} for {actual.financial_year} has been recorded.",
        _money_url(initiative, "actuals"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Record spend or a realised benefit",
        caption=str(initiative),
        back=_money_url(initiative),
        submit="Record it",
        intro="What was really spent, or what benefit was really realised, in a financial year. Take spend from "
        "the finance ledger, not from the plan.",
    )


@member_required(Action.VIEW)
def actual_edit(request: MemberRequest, pk: int) -> HttpResponse:
    actual = get_actual(request, pk)
    require_change(request, actual.initiative)
    form = ActualForm(posted(request), instance=actual, initiative=actual.initiative)
    done = saved(
        request,
        form,
        lambda: actions.save_actual(
            initiative=actual.initiative, by=request.user, fields=form.cleaned_data, actual=actual
        ),
        "The record has been changed.",
        _money_url(actual.initiative_id, "actuals"),
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form,
        title="Change a record of spend or benefit",
        caption=str(actual.initiative),
        back=_money_url(actual.initiative),
        submit="Save the changes",
    )


@member_required(Action.VIEW)
def actual_delete(request: MemberRequest, pk: int) -> HttpResponse:
    actual = get_actual(request, pk)  # first, so another organisation's is 404 by any method
    require_change(request, actual.initiative)  # for the confirmation page as well as the removal

    def ask() -> Removal:
        spend = actual.kind == Actual.Kind.SPEND
        what = f"{actual.get_money_kind_display().lower()} spend".lstrip() if spend else "realised benefit"
        figure = "Spent so far" if spend else "Benefits realised so far"
        details = [("Benefit", actual.benefit.description)] if actual.benefit else []
        return Removal(
            question=f"Remove the {actual.financial_year} {what} of {pounds(actual.amount)}?",
            caption=str(actual.initiative),
            back=_money_url(actual.initiative, "actuals"),
            details=[*details, *_note(actual.note)],
            consequences=[f"Only this record goes. {figure}, and actual against forecast, will no longer count it."],
        )

    def remove() -> HttpResponse:
        actions.delete_actual(actual=actual, by=request.user)
        messages.success(
            request, f"The {actual.get_kind_display().lower()} for {actual.financial_year} has been removed."
        )
        return redirect(_money_url(actual.initiative_id, "actuals"))

    return confirm_removal(request, ask=ask, remove=remove)
