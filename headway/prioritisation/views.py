"""Prioritisation pages: rounds, their candidates, scoring, the selection and its changes.

Function views only. Objects are fetched through `prioritisation.access`, which keeps the
organisation boundary; every write goes through `prioritisation.actions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from headway import downloads
from headway.accounts.people import names_of
from headway.accounts.roles import Action
from headway.lib.quarters import FinancialQuarter
from headway.prioritisation import actions, figures, presenters
from headway.prioritisation import downloads as round_downloads
from headway.prioritisation.access import (
    can_close,
    can_set_up,
    get_candidate,
    get_round,
    get_scenario,
    rounds_of,
)
from headway.prioritisation.forms import (
    CandidateForm,
    CapacityForm,
    ChangesForm,
    RoundForm,
    ScenarioForm,
    ScoreForm,
    days_text,
    money_text,
    rating_field_name,
)
from headway.prioritisation.models import Round, RoundChange
from headway.prioritisation.queries import (
    candidate_names,
    closed_history,
    from_finance_only,
    history_sources,
    load_round,
)
from headway.views import MemberRequest, member_required, page_of, posted, saved, unless_posted


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _closed_refusal(request: HttpRequest, round: Round) -> HttpResponse | None:
    if round.is_open:
        return None
    messages.error(request, "This round is closed, so it can no longer be changed.")
    return redirect("prioritisation:detail", pk=round.pk)


# Rounds --------------------------------------------------------------------------------------


@member_required(Action.VIEW)
def round_list(request: MemberRequest) -> HttpResponse:
    everything = rounds_of(request).rounds().select_related("current_result").order_by("-held_on", "-pk")
    def every_round() -> list[round_downloads.RoundLine]:
        rounds = list(everything)
        history = closed_history(rounds)
        return [round_downloads.RoundLine(r, history.get(r.pk)) for r in rounds]

    file = downloads.list_file(
        request,
        organisation=request.organisation,
        what="rounds",
        sheet="Rounds",
        columns=round_downloads.round_columns(request.build_absolute_uri),
        rows=every_round,
    )
    if file is not None:
        return file
    page = page_of(request, everything, 20)
    rounds = list(page.object_list)
    history = closed_history(rounds)
    return render(
        request,
        "prioritisation/list.html",
        {
            "page": page,
            "rounds": [(r, history.get(r.pk)) for r in rounds],
            "can_create": can_set_up(request),
            "downloads": downloads.links(request.GET),
        },
    )


@member_required(Action.RUN_PRIORITISATION)
def round_create(request: MemberRequest) -> HttpResponse:
    today = timezone.localdate()
    form = RoundForm(posted(request), initial={"name": FinancialQuarter.containing(today).label, "held_on": today})
    done = saved(
        request,
        form,
        lambda: actions.create_round(
            organisation=request.organisation,
            by=request.user,
            name=form.cleaned_data["name"],
            held_on=form.cleaned_data["held_on"],
            method=form.cleaned_data["method"],
            combine=form.cleaned_data["combine"],
            wip_limit=form.cleaned_data["wip_limit"],
        ),
        lambda round: (
            f"Round {round.name} has been set up with {round.candidates.count()} "
            "initiatives. Set its budgets and team capacity next."
        ),
        lambda round: reverse("prioritisation:detail", args=[round.pk]),
    )
    if done is not None:
        return done
    return render(request, "prioritisation/round_form.html", {"form": form})


@member_required(Action.VIEW)
def round_detail(request: MemberRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    asked = downloads.asked(request)
    if isinstance(asked, HttpResponse):
        return asked
    result = round.current_result
    data = load_round(round, result)
    stored = data.stored
    rows = figures.candidate_figures(data)
    if asked:
        return downloads.download(
            organisation=request.organisation,
            fmt=asked,
            what=f"round-{round.pk}",
            sheet="Initiatives in the round",
            columns=round_downloads.candidate_columns(request.build_absolute_uri),
            rows=presenters.candidate_rows(rows),
        )
    limits = figures.limit_uses(stored)
    greedy_gap = None
    if result is not None and result.objective is not None and result.greedy_objective is not None:
        greedy_gap = result.objective - result.greedy_objective
    return render(
        request,
        "prioritisation/detail.html",
        {
            "round": round,
            "result": result,
            "rows": presenters.candidate_rows(rows),
            "chosen_text": presenters.chosen_text(rows),
            "capacity": presenters.capacity_rows(limits),
            "full_limits": presenters.full_limits(round, limits, len(stored.selected) if stored is not None else None),
            "marginal": presenters.marginal(rows),
            "budgets": presenters.budget_rows(round),
            "teams": list(round.team_capacities.all()),
            "scenarios": list(round.scenarios.select_related("current_result").order_by("pk")),
            "greedy_gap": greedy_gap,
            "differs_from_greedy": stored is not None and set(stored.selected) != set(stored.greedy_selected),
            "can_set_up": can_set_up(request) and round.is_open,
            "can_close": can_close(request) and round.is_open and not round.is_scenario,
            "stored": stored,
            "infeasible": stored is not None and bool(stored.conflicts),
            "overtaken": figures.overtaken(data) if round.is_open else [],
            "downloads": downloads.links(request.GET),
        },
    )


@member_required(Action.VIEW)
def round_history(request: MemberRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    entries = presenters.round_history(history_sources(round), names_of(round.organisation_id), candidate_names(round))
    return render(request, "prioritisation/history.html", {"round": round, "page": page_of(request, entries, 30)})


@member_required(Action.RUN_PRIORITISATION)
def capacity(request: MemberRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    if (refused := _closed_refusal(request, round)) is not None:
        return refused
    budgets = {b.financial_year: {"capital": b.capital, "revenue": b.revenue} for b in round.budgets.all()}
    teams: dict[str, dict[str, int]] = {}
    for t in round.team_capacities.all():
        teams.setdefault(t.team, {})[t.quarter] = t.days
    form = CapacityForm(
        posted(request),
        initial={"budgets": money_text(budgets), "teams": days_text(teams), "wip_limit": round.wip_limit},
    )
    done = saved(
        request,
        form,
        lambda: actions.set_capacity(
            round=round,
            by=request.user,
            budgets=form.cleaned_data["budgets"],
            teams=form.cleaned_data["teams"],
            wip_limit=form.cleaned_data["wip_limit"],
        ),
        "The budgets and team capacity have been saved.",
        reverse("prioritisation:detail", args=[round.pk]),
    )
    if done is not None:
        return done
    return render(request, "prioritisation/capacity.html", {"round": round, "form": form})


@member_required(Action.RUN_PRIORITISATION)
def candidate_edit(request: MemberRequest, pk: int) -> HttpResponse:
    candidate = get_candidate(request, pk)
    round = candidate.round
    if (refused := _closed_refusal(request, round)) is not None:
        return refused
    form = CandidateForm(
        posted(request),
        candidate=candidate,
        initial={
            "must_do": candidate.must_do,
            "must_do_reason": candidate.must_do_reason,
            "costs": money_text(candidate.costs),
            "costs_reason": candidate.costs_reason,
            "committed": money_text(candidate.committed),
            "team_demand": days_text(candidate.team_demand),
            "requires": [d.requires_id for d in candidate.requirements.all()],
            "exclusive_with": [e.b_id for e in round.exclusives.filter(a=candidate)]
            + [e.a_id for e in round.exclusives.filter(b=candidate)],
        },
    )
    done = saved(
        request,
        form,
        lambda: actions.update_candidate(
            candidate=candidate,
            by=request.user,
            must_do=form.cleaned_data["must_do"],
            must_do_reason=form.cleaned_data["must_do_reason"],
            costs=form.cleaned_data["costs"],
            costs_reason=form.cleaned_data["costs_reason"],
            committed=form.cleaned_data["committed"],
            team_demand=form.cleaned_data["team_demand"],
            requires=form.cleaned_data["requires"],
            exclusive_with=form.cleaned_data["exclusive_with"],
        ),
        f"{candidate.initiative.reference} has been updated.",
        reverse("prioritisation:detail", args=[round.pk]) + "#candidates",
    )
    if done is not None:
        return done
    from_finance = from_finance_only(candidate)
    return render(
        request,
        "prioritisation/candidate_form.html",
        {
            "candidate": candidate,
            "round": round,
            "form": form,
            "from_finance": from_finance,
            "from_finance_years": presenters.money_years(from_finance),
        },
    )


@member_required(Action.RUN_PRIORITISATION)
def score(request: MemberRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    if (refused := _closed_refusal(request, round)) is not None:
        return refused
    user = request.user
    # Those taken out of the round by a decision are not scored: the selection leaves them out.
    candidates = list(
        round.candidates.filter(withdrawn_by__isnull=True)
        .select_related("initiative")
        .order_by("initiative__reference")
    )
    inputs = actions.inputs_for(round)
    mine = {
        rating_field_name(candidate_id, key): value
        for candidate_id, key, value in round.ratings.filter(scorer=user).values_list("candidate_id", "key", "value")
    }
    form = ScoreForm(posted(request), candidates=candidates, inputs=inputs, initial=mine)
    done = saved(
        request,
        form,
        lambda: actions.save_ratings(round=round, by=user, ratings=form.ratings()),
        lambda count: f"Your {count} rating{'s' if count != 1 else ''} have been saved.",
        reverse("prioritisation:detail", args=[round.pk]),
    )
    if done is not None:
        return done
    return render(request, "prioritisation/score.html", {"round": round, "form": form, "inputs": inputs})


@member_required(Action.RUN_PRIORITISATION)
def run(request: MemberRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    if (back := unless_posted(request, "prioritisation:detail", pk=round.pk)) is not None:
        return back
    if (refused := _closed_refusal(request, round)) is not None:
        return refused
    result = actions.run_selection(round=round, by=request.user)
    stored = result.stored()
    if stored.conflicts:
        messages.error(request, "No selection fits every limit. The conflicts are listed below.")
    else:
        messages.success(request, f"The selection has been worked out: {len(stored.selected)} initiatives chosen.")
    return redirect("prioritisation:detail", pk=round.pk)


# Changes and closing -------------------------------------------------------------------------


def _changes_of(round: Round) -> list[RoundChange]:
    """The round's changes as its page shows them: while it is open, worked out afresh from its
    result and the initiatives' statuses now, in memory (opening the page writes nothing; saving
    the reasons stores them); once it is closed, as recorded."""
    if round.is_open and round.current_result is not None:
        return actions.work_out_changes(round=round)[0]
    return list(round.changes.select_related("initiative", "decision").order_by("change", "to_rank"))


def _changes_page(
    request: MemberRequest,
    round: Round,
    form: ChangesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    changes = _changes_of(round)
    can_edit = can_set_up(request) and round.is_open
    closable = can_close(request) and round.is_open
    form = form or ChangesForm(
        # Reasons typed when the session ended (posted to save or to close) come back here.
        posted(request),
        changes=changes,
        can_edit=can_edit,
        can_close=closable,
        initial={"decided_on": timezone.localdate()},
    )
    return render(
        request,
        "prioritisation/changes.html",
        {
            "round": round,
            "form": form,
            "changes": changes,
            "can_edit": can_edit,
            "can_close": closable,
            "missing": sum(1 for c in changes if not c.reason.strip()),
            "no_result": round.current_result is None,
        },
        status=status,
    )


def _posted_changes(request: MemberRequest, round: Round, *, closing: bool) -> ChangesForm:
    """The changes page's one form as posted, whichever of its buttons was pressed."""
    return ChangesForm(
        request.POST,
        changes=_changes_of(round),
        can_edit=can_set_up(request),
        can_close=can_close(request),
        closing=closing,
    )


@member_required(Action.VIEW)
def changes(request: MemberRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    if round.is_scenario:
        return redirect("prioritisation:compare", pk=round.pk)
    if request.method == "POST":
        _require(can_set_up(request), "Your role cannot write the reasons for a round's changes.")
        if (refused := _closed_refusal(request, round)) is not None:
            return refused
        if round.current_result is None:
            return _changes_page(request, round)
        form = _posted_changes(request, round, closing=False)
        done = saved(
            request,
            form,
            lambda: actions.save_reasons_by_initiative(
                round=round, by=request.user, reasons=form.reasons() or {}, paused=form.paused()
            ),
            "The reasons have been saved.",
            reverse("prioritisation:changes", args=[round.pk]),
        )
        if done is not None:
            return done
        return _changes_page(request, round, form=form)
    return _changes_page(request, round)


@member_required(Action.DECIDE)
def close(request: MemberRequest, pk: int) -> HttpResponse:
    """Close the round from the changes page's one form: the reasons typed there are saved with
    the close, or, if it is refused, shown again as typed with each missing one named."""
    round = get_round(request, pk)
    if (back := unless_posted(request, "prioritisation:changes", pk=round.pk)) is not None:
        return back
    if (refused := _closed_refusal(request, round)) is not None:
        return refused
    form = _posted_changes(request, round, closing=True)
    done = saved(
        request,
        form,
        lambda: actions.close_round(
            round=round,
            by=request.user,
            decided_by=form.cleaned_data["decided_by"],
            decided_on=form.cleaned_data["decided_on"],
            reasons=form.reasons(),
            paused=form.paused(),
        ),
        lambda decisions: f"Round {round.name} is closed and its {len(decisions)} decisions recorded.",
        reverse("prioritisation:detail", args=[round.pk]),
    )
    if done is not None:
        return done
    return _changes_page(request, round, form=form)


# What-if scenarios ---------------------------------------------------------------------------


@member_required(Action.RUN_PRIORITISATION)
def scenario_create(request: MemberRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    if (refused := _closed_refusal(request, round)) is not None:
        return refused
    if round.is_scenario:
        return redirect("prioritisation:scenario_create", pk=round.scenario_of_id)
    teams = sorted({t.team for t in round.team_capacities.all()})
    form = ScenarioForm(posted(request), round=round, teams=teams)

    def work_out() -> Round:
        data = form.cleaned_data
        scenario = actions.copy_as_scenario(
            round=round,
            by=request.user,
            note=data["note"],
            budget_factor=data["budget_percent"] / 100,
            remove_team=data["remove_team"],
            add_must_do=data["add_must_do"],
            must_do_reason=data["must_do_reason"],
        )
        actions.run_selection(round=scenario, by=request.user)
        return scenario

    done = saved(
        request,
        form,
        work_out,
        "The scenario has been worked out.",
        lambda scenario: reverse("prioritisation:compare", args=[scenario.pk]),
    )
    if done is not None:
        return done
    return render(request, "prioritisation/scenario_form.html", {"round": round, "form": form})


@member_required(Action.VIEW)
def compare(request: MemberRequest, pk: int) -> HttpResponse:
    scenario = get_scenario(request, pk)
    base = get_round(request, scenario.scenario_of_id or 0)
    base_rows = {
        r.figures.candidate.initiative_id: r
        for r in presenters.candidate_rows(figures.candidate_figures(load_round(base, base.current_result)))
    }
    rows = []
    for row in presenters.candidate_rows(figures.candidate_figures(load_round(scenario, scenario.current_result))):
        before = base_rows.get(row.figures.candidate.initiative_id)
        rows.append((row, before, before is not None and before.figures.selected != row.figures.selected))
    return render(
        request,
        "prioritisation/compare.html",
        {
            "scenario": scenario,
            "base": base,
            "rows": rows,
            "base_result": base.current_result,
            "result": scenario.current_result,
            "stored": scenario.current_result.stored() if scenario.current_result is not None else None,
            "can_adopt": can_set_up(request)
            and base.is_open
            and scenario.current_result is not None
            and base.current_result_id != scenario.current_result_id,
        },
    )


@member_required(Action.RUN_PRIORITISATION)
def adopt(request: MemberRequest, pk: int) -> HttpResponse:
    scenario = get_scenario(request, pk)
    if (back := unless_posted(request, "prioritisation:compare", pk=scenario.pk)) is not None:
        return back
    try:
        base = actions.adopt_scenario(scenario=scenario, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("prioritisation:compare", pk=scenario.pk)
    messages.success(request, "The scenario's selection is now the round's. Write the reasons for its changes.")
    return redirect("prioritisation:detail", pk=base.pk)
