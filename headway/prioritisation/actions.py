"""Writes for prioritisation rounds: each atomic, keyword-only, taking the acting person as `by`.

The maths is in pure modules with no Django: `scoring.py` (scores, from a stored snapshot),
`problem.py` (the selection problem from a round's limits), `selection.py` (the optimiser and
its explanations), `robustness.py` (the weight what-ifs), `costs.py` (where each candidate's
money comes from) and `results.py` (the stored shape of a result). This module reads what they
need, calls them and writes what came back as an unchangeable `Result` with a snapshot of every
input, so that the ranking can be worked out again exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from headway import derived
from headway.accounts.models import Organisation, User
from headway.concurrency import lock_for_create
from headway.history import stamp
from headway.lib import bounds, financial_years
from headway.lib.errors import InputError
from headway.lib.quarters import stored_financial_quarter
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Decision, Initiative, Status
from headway.prioritisation import problem as problem_input
from headway.prioritisation import results, robustness, scoring, selection, sources
from headway.prioritisation.changes import change_kind
from headway.prioritisation.costs import CostSource
from headway.prioritisation.models import (
    Budget,
    Candidate,
    Criterion,
    Dependency,
    Exclusive,
    Method,
    Rating,
    Result,
    Round,
    RoundChange,
    TeamCapacity,
)

MONEY_KINDS = problem_input.MONEY_KINDS
SOLVE_SECONDS = problem_input.SOLVE_SECONDS
# Read by `compute_changes` and the demo; scoring from a snapshot is pure (see `scoring.py`).
score_from_snapshot = scoring.score_from_snapshot


@dataclasses.dataclass(frozen=True)
class Input:
    """One number a scorer gives a candidate, and the range it must fall in."""

    key: str
    label: str
    minimum: float
    maximum: float
    step: float = 1
    hint: str = ""


WSJF_INPUTS = (
    Input("business_value", "Value to patients and staff", 1, 20),
    Input("time_criticality", "Urgency", 1, 20),
    Input("risk_reduction", "Risk it reduces or opportunity it opens", 1, 20),
    Input("job_size", "Size of the job", 1, 20, hint="Bigger numbers for bigger jobs."),
)
RICE_INPUTS = (
    Input("reach", "Reach (people a quarter)", 0, 10_000_000),
    Input("impact", "Impact (0.25 minimal to 3 massive)", 0.25, 3, step=0.25),
    Input("confidence", "Confidence (%)", 0, 100),
    Input("effort", "Effort (person-months)", 0.5, 1000, step=0.5),
)


# Criteria ------------------------------------------------------------------------------------


def _default_criteria(organisation: Organisation) -> list[Criterion]:
    return [
        Criterion(organisation=organisation, key=key, label=label, weight=weight, higher_is_better=higher, order=order)
        for order, (key, label, weight, higher) in enumerate(scoring.DEFAULT_CRITERIA)
    ]


def criteria_for(organisation: Organisation) -> list[Criterion]:
    """The organisation's criteria, or the defaults (not stored) while it has none of its own.
    Reading them never writes, so a page that shows them (the score page) changes nothing."""
    return list(Criterion.objects.for_organisation(organisation)) or _default_criteria(organisation)


def set_up_criteria(organisation: Organisation) -> list[Criterion]:
    """Store the default criteria for an organisation that has none yet, so that they can be
    changed; done when its first round is set up."""
    if not Criterion.objects.for_organisation(organisation).exists():
        Criterion.objects.bulk_create(_default_criteria(organisation), ignore_conflicts=True)
    return list(Criterion.objects.for_organisation(organisation))


def inputs_for(round: Round, criteria: Sequence[Criterion] | None = None) -> list[Input]:
    if round.method == Method.WSJF:
        return list(WSJF_INPUTS)
    if round.method == Method.RICE:
        return list(RICE_INPUTS)
    criteria = criteria if criteria is not None else criteria_for(round.organisation)
    return [
        Input(c.key, c.label, 1, 5, hint="" if c.higher_is_better else "Here a lower rating is better.")
        for c in criteria
    ]


# Labels and money ----------------------------------------------------------------------------


def check_financial_year(label: str) -> str:
    """A stored financial year label, by the one rule of `headway.lib.financial_years` (its
    accepted range and its one spelling, 2026/27); forms read the other spellings people type
    and pass the label here."""
    try:
        return financial_years.stored_financial_year(label)
    except InputError as error:
        raise ValidationError(str(error)) from error


def check_quarter(label: str) -> str:
    """A stored team-day quarter: a financial quarter ("2026/27 Q1", Q1 is April to June)."""
    try:
        return stored_financial_quarter(label)
    except InputError as error:
        raise ValidationError(str(error)) from error


_pounds = problem_input.stored_pounds


# Rounds --------------------------------------------------------------------------------------


def _require_open(round: Round) -> None:
    if not round.is_open:
        raise ValidationError("This round is closed, so it can no longer be changed.")


def _last_closed_round(organisation: Organisation) -> Round | None:
    return (
        Round.objects.for_organisation(organisation)
        .rounds()
        .filter(status=Round.State.CLOSED)
        .order_by("-held_on", "-pk")
        .first()
    )


@transaction.atomic
def create_round(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    held_on: dt.date,
    method: str = Method.WEIGHTED,
    combine: str = "median",
    wip_limit: int | None = None,
    initiatives: Iterable[Initiative] | None = None,
) -> Round:
    """A new round with every active and proposed initiative as a candidate, or with
    `initiatives` when given (paused ones the board may restart, say, or those that were active
    when a past round was held). Costs, demand, budgets, team capacity and constraints are
    carried over from the last closed round."""
    chosen = None if initiatives is None else list(initiatives)
    if chosen is not None and any(i.organisation_id != organisation.pk for i in chosen):
        raise ValidationError("A round's initiatives must belong to its organisation.")
    previous = _last_closed_round(organisation)
    round = Round(
        organisation=organisation,
        name=name.strip(),
        held_on=held_on,
        method=method,
        combine=combine,
        wip_limit=wip_limit,
        previous=previous,
        created_by=by,
    )
    round.full_clean(exclude=["organisation", "previous", "scenario_of", "current_result", "created_by"])
    stamp(round, by, None)
    round.save()
    set_up_criteria(organisation)
    if chosen is None:
        chosen = list(
            Initiative.objects.for_organisation(organisation).filter(status__in=[Status.ACTIVE, Status.PROPOSED])
        )
    earlier: dict[int, Candidate] = {}
    if previous is not None:
        earlier = {c.initiative_id: c for c in previous.candidates.all()}
    candidates = []
    for initiative in chosen:
        before = earlier.get(initiative.pk)
        candidates.append(
            Candidate(
                round=round,
                initiative=initiative,
                must_do=before.must_do if before else False,
                must_do_reason=before.must_do_reason if before else "",
                costs=before.costs if before else {},
                costs_reason=before.costs_reason if before else "",
                team_demand=before.team_demand if before else {},
                committed=before.committed if before else {},
            )
        )
    # One save each, not bulk_create, so that each is in the round's history (ADR 22).
    _save_all(candidates, by, "Carried over" if previous is not None else None)
    if previous is not None:
        _save_all(
            [
                Budget(round=round, financial_year=b.financial_year, capital=b.capital, revenue=b.revenue)
                for b in previous.budgets.all()
            ],
            by,
            "Carried over",
        )
        _save_all(
            [
                TeamCapacity(round=round, team=t.team, quarter=t.quarter, days=t.days)
                for t in previous.team_capacities.all()
            ],
            by,
            "Carried over",
        )
        by_initiative = {c.initiative_id: c for c in round.candidates.all()}
        carried = {c.pk: by_initiative.get(c.initiative_id) for c in earlier.values()}
        _copy_constraints(previous, round, carried, by, "Carried over")
    # The latest round's team days are read by the pitfall findings (ADR 26).
    derived.organisation_changed(organisation.pk)
    return round


def _save_all(
    rows: Iterable[Candidate | Budget | TeamCapacity | Dependency | Exclusive], by: User | None, reason: str | None
) -> None:
    for row in rows:
        stamp(row, by, reason)
        row.save()


def _copy_constraints(
    source: Round, target: Round, mapping: Mapping[int, Candidate | None], by: User | None, reason: str
) -> None:
    dependencies = []
    for d in source.dependencies.all():
        a, b = mapping.get(d.candidate_id), mapping.get(d.requires_id)
        if a is not None and b is not None:
            dependencies.append(Dependency(round=target, candidate=a, requires=b))
    _save_all(dependencies, by, reason)
    exclusives = []
    for e in source.exclusives.all():
        a, b = mapping.get(e.a_id), mapping.get(e.b_id)
        if a is not None and b is not None:
            exclusives.append(Exclusive(round=target, a=a, b=b))
    _save_all(exclusives, by, reason)


# The statuses that end an initiative's place among a round's candidates: nothing is to be chosen
# for work that has stopped, paused or finished.
NOT_A_CANDIDATE = (Status.STOPPED, Status.PAUSED, Status.COMPLETED)


@transaction.atomic
def follow_decision(*, decision: Decision, by: User | None) -> tuple[list[Round], list[Round]]:
    """Bring the open rounds into line with the status a decision left its initiative in (ADR 20).

    Stopped, paused or completed, it is taken out of every open round and its what-if scenarios:
    the candidacy stays, marked with the decision, so the round page shows it as stopped and the
    next selection leaves it out, and a reversal can put it back as it was (with its ratings,
    money and constraints). Active or proposed again, its withdrawals are undone, and it becomes a
    candidate in any open round it was not in. Returns (the rounds it was taken out of, the rounds
    it was put back into), without scenarios."""
    initiative = decision.initiative
    open_candidacies = Candidate.objects.filter(
        round__organisation_id=initiative.organisation_id, round__status=Round.State.OPEN, initiative=initiative
    ).select_related("round")
    if initiative.status in NOT_A_CANDIDATE:
        taking = [c for c in open_candidacies if c.withdrawn_by_id is None]
        Candidate.objects.filter(pk__in=[c.pk for c in taking]).update(withdrawn_by=decision)
        return sorted({c.round for c in taking if not c.round.is_scenario}, key=lambda r: r.pk), []
    withdrawn = [c for c in open_candidacies if c.withdrawn_by_id is not None]
    Candidate.objects.filter(pk__in=[c.pk for c in withdrawn]).update(withdrawn_by=None)
    missing = list(
        Round.objects.for_organisation(initiative.organisation)
        .rounds()
        .filter(status=Round.State.OPEN)
        .exclude(candidates__initiative=initiative)
        .order_by("pk")
    )
    Candidate.objects.bulk_create([Candidate(round=round, initiative=initiative) for round in missing])
    back = {c.round for c in withdrawn if not c.round.is_scenario} | set(missing)
    return [], sorted(back, key=lambda r: r.pk)


@transaction.atomic
def update_candidate(
    *,
    candidate: Candidate,
    by: User | None,
    must_do: bool,
    must_do_reason: str,
    costs: Mapping[str, Mapping[str, int]],
    committed: Mapping[str, Mapping[str, int]],
    team_demand: Mapping[str, Mapping[str, float]],
    requires: Iterable[Candidate],
    exclusive_with: Iterable[Candidate],
    costs_reason: str = "",
) -> Candidate:
    """Save what a candidate needs. Its money comes from its business case or funding lines;
    `costs`, when given, override them for this round and need `costs_reason`. Team days have no
    other source, so they are always given here."""
    round = candidate.round
    _require_open(round)
    for table in (costs, committed):
        for year, money in table.items():
            check_financial_year(year)
            if any(_pounds(money.get(kind)) < 0 for kind in MONEY_KINDS):
                raise ValidationError("Money cannot be negative.")
    for quarters in team_demand.values():
        for quarter, days in quarters.items():
            check_quarter(quarter)
            if days < 0:
                raise ValidationError("Days cannot be negative.")
    candidate.must_do = must_do
    candidate.must_do_reason = must_do_reason.strip() if must_do else ""
    candidate.costs = {y: {k: _pounds(m.get(k)) for k in MONEY_KINDS} for y, m in sorted(costs.items())}
    candidate.costs_reason = costs_reason.strip() if costs else ""
    candidate.committed = {y: {k: _pounds(m.get(k)) for k in MONEY_KINDS} for y, m in sorted(committed.items())}
    candidate.team_demand = {t: dict(sorted(q.items())) for t, q in sorted(team_demand.items())}
    candidate.full_clean(exclude=["round", "initiative"])
    stamp(candidate, by, None)
    candidate.save()
    needed = {c.pk: c for c in requires if c.pk != candidate.pk and c.round_id == round.pk}
    others = {c.pk: c for c in exclusive_with if c.pk != candidate.pk and c.round_id == round.pk}
    # Constraints that stay are kept; the others are removed and the new ones added, one row at a
    # time, so the round's history says which changed (ADR 22).
    for dependency in round.dependencies.filter(candidate=candidate):
        if needed.pop(dependency.requires_id, None) is None:
            stamp(dependency, by, None)
            dependency.delete()
    _save_all([Dependency(round=round, candidate=candidate, requires=c) for c in needed.values()], by, None)
    for pair in round.exclusives.filter(Q(a=candidate) | Q(b=candidate)):
        if others.pop(pair.b_id if pair.a_id == candidate.pk else pair.a_id, None) is None:
            stamp(pair, by, None)
            pair.delete()
    _save_all([Exclusive(round=round, a=candidate, b=c) for c in others.values()], by, None)
    derived.organisation_changed(round.organisation_id)
    return candidate


@transaction.atomic
def set_capacity(
    *,
    round: Round,
    by: User | None,
    budgets: Mapping[str, Mapping[str, int]],
    teams: Mapping[str, Mapping[str, int]],
    wip_limit: int | None,
) -> Round:
    """Replace the round's budgets ({year: {capital, revenue}}) and team days ({team: {quarter: days}})."""
    # Two saves of the capacity at once would each delete the rows they can see and insert theirs.
    lock_for_create(Round.objects.filter(pk=round.pk))
    _require_open(round)
    for year, money in budgets.items():
        check_financial_year(year)
        if any(_pounds(money.get(kind)) < 0 for kind in MONEY_KINDS):
            raise ValidationError("A budget cannot be negative.")
    for quarters in teams.values():
        for quarter, days in quarters.items():
            check_quarter(quarter)
            if days < 0:
                raise ValidationError("Days cannot be negative.")
    # Changed in place, row by row, so the round's history says what changed (ADR 22).
    wanted_budgets = {y: (_pounds(m.get("capital")), _pounds(m.get("revenue"))) for y, m in budgets.items()}
    kept_budgets = {b.financial_year: b for b in round.budgets.all()}
    for year, budget in kept_budgets.items():
        if year not in wanted_budgets:
            stamp(budget, by, None)
            budget.delete()
    for year, (capital, revenue) in sorted(wanted_budgets.items()):
        budget = kept_budgets.get(year) or Budget(round=round, financial_year=year)
        if budget.pk is None or (budget.capital, budget.revenue) != (capital, revenue):
            budget.capital, budget.revenue = capital, revenue
            stamp(budget, by, None)
            budget.save()
    wanted_days = {(t, q): int(d) for t, quarters in teams.items() for q, d in quarters.items()}
    kept_days = {(c.team, c.quarter): c for c in round.team_capacities.all()}
    for key, capacity in kept_days.items():
        if key not in wanted_days:
            stamp(capacity, by, None)
            capacity.delete()
    for (team, quarter), days in sorted(wanted_days.items()):
        capacity = kept_days.get((team, quarter)) or TeamCapacity(round=round, team=team, quarter=quarter)
        if capacity.pk is None or capacity.days != days:
            capacity.days = days
            stamp(capacity, by, None)
            capacity.save()
    if round.wip_limit != wip_limit:
        round.wip_limit = wip_limit
        stamp(round, by, None)
        round.save(update_fields=["wip_limit"])
    derived.organisation_changed(round.organisation_id)
    return round


@transaction.atomic
def save_ratings(*, round: Round, by: User, ratings: Mapping[int, Mapping[str, float | None]]) -> int:
    """Store one scorer's ratings: {candidate id: {input key: value or None to clear}}.

    Every value is checked against its input's range first; one bad value saves nothing.
    """
    # The same scorer's form sent twice at once (a double click) would insert the same ratings twice.
    lock_for_create(Round.objects.filter(pk=round.pk))
    _require_open(round)
    inputs = {i.key: i for i in inputs_for(round)}
    candidates = {c.pk: c for c in round.candidates.all()}
    errors: list[str] = []
    for candidate_id, values in ratings.items():
        if candidate_id not in candidates:
            errors.append("A rating was for an initiative that is not in this round.")
            continue
        for key, value in values.items():
            spec = inputs.get(key)
            if spec is None:
                errors.append(f"‘{key}’ is not one of this round's inputs.")
            elif value is not None and (math.isnan(value) or not spec.minimum <= value <= spec.maximum):
                errors.append(
                    f"{candidates[candidate_id].initiative.reference} {spec.label}: give a number from "
                    f"{spec.minimum:g} to {spec.maximum:g}."
                )
    if errors:
        raise ValidationError(errors)
    saved = 0
    existing = {(r.candidate_id, r.key): r for r in round.ratings.filter(scorer=by)}
    for candidate_id, values in ratings.items():
        for key, value in values.items():
            rating = existing.get((candidate_id, key))
            if value is None:
                if rating is not None:
                    stamp(rating, by, None)
                    rating.delete()
                continue
            if rating is None:
                rating = Rating(round=round, candidate_id=candidate_id, scorer=by, key=key, value=value)
                stamp(rating, by, None)
                rating.save()
            elif rating.value != value:
                rating.value = value
                stamp(rating, by, None)
                rating.save(update_fields=["value", "updated_at"])
            saved += 1
    return saved


# Scoring -------------------------------------------------------------------------------------


def weights_snapshot(round: Round) -> scoring.Weights:
    criteria = criteria_for(round.organisation) if round.method == Method.WEIGHTED else []
    return {
        "method": str(round.method),
        "combine": str(round.combine),
        "criteria": [
            {"key": c.key, "label": c.label, "weight": c.weight, "higher_is_better": c.higher_is_better}
            for c in criteria
        ],
        "inputs": [i.key for i in inputs_for(round, criteria)],
    }


def left_out(round: Round) -> set[int]:
    """The candidates the selection leaves out: those taken out of the round by a decision
    (`follow_decision`), and those that need one of them to go ahead, which now cannot."""
    out = set(round.candidates.filter(withdrawn_by__isnull=False).values_list("pk", flat=True))
    needs = list(round.dependencies.values_list("candidate_id", "requires_id"))
    while True:
        more = {a for a, b in needs if b in out and a not in out}
        if not more:
            return out
        out |= more


def inputs_snapshot(round: Round) -> dict[str, dict[str, dict[str, float]]]:
    """{candidate id: {scorer id: {input key: value}}}: every rating the run uses."""
    snapshot: dict[str, dict[str, dict[str, float]]] = {}
    ratings = round.ratings.exclude(candidate_id__in=left_out(round))
    for candidate_id, scorer_id, key, value in ratings.order_by("candidate_id", "scorer_id", "key").values_list(
        "candidate_id", "scorer_id", "key", "value"
    ):
        snapshot.setdefault(str(candidate_id), {}).setdefault(str(scorer_id), {})[key] = value
    return snapshot


# Selection -----------------------------------------------------------------------------------


def _round_limits(round: Round) -> problem_input.RoundLimits:
    out = left_out(round)
    return problem_input.RoundLimits(
        budgets=[
            problem_input.Budget(b.financial_year, _pounds(b.capital), _pounds(b.revenue)) for b in round.budgets.all()
        ],
        teams=[problem_input.TeamDays(t.team, t.quarter, float(t.days)) for t in round.team_capacities.all()],
        requires=[
            (str(a), str(b))
            for a, b in round.dependencies.values_list("candidate_id", "requires_id")
            if a not in out and b not in out
        ],
        exclusive=[
            (str(a), str(b)) for a, b in round.exclusives.values_list("a_id", "b_id") if a not in out and b not in out
        ],
        wip_limit=round.wip_limit,
    )


def _selection_input(
    round: Round, scores: Mapping[str, scoring.CandidateScore]
) -> tuple[selection.Problem, list[Candidate], dict[int, CostSource]]:
    candidates = list(
        round.candidates.exclude(pk__in=left_out(round)).select_related("initiative").order_by("initiative__reference")
    )
    money = sources.effective_costs(candidates)
    limits = [
        problem_input.CandidateLimits(
            key=str(c.pk),
            reference=c.initiative.reference,
            must_do=c.must_do,
            costs=money[c.pk].costs,
            committed=c.committed,
            team_demand=c.team_demand,
        )
        for c in candidates
    ]
    values = {key: score["value"] for key, score in scores.items()}
    problem = problem_input.build_problem(_round_limits(round), limits, values, time_limit_s=SOLVE_SECONDS)
    return problem, candidates, money


def build_problem(
    round: Round, scores: Mapping[str, scoring.CandidateScore]
) -> tuple[selection.Problem, list[Candidate]]:
    """The round's selection problem, with each candidate's money wherever it comes from
    (`costs.py`), and its candidates in the problem's order."""
    problem, candidates, _ = _selection_input(round, scores)
    return problem, candidates


@transaction.atomic
def run_selection(*, round: Round, by: User | None, with_robustness: bool = True) -> Result:
    """Score every candidate, choose the best set within the limits and store it as a new Result.

    `with_robustness=False` leaves out the weight what-ifs, which take seconds; only the demo,
    loading rounds nobody is waiting on, uses it."""
    _require_open(round)
    if not round.candidates.exclude(pk__in=left_out(round)).exists():
        raise ValidationError("There are no initiatives in this round to choose from.")
    weights = weights_snapshot(round)
    inputs = inputs_snapshot(round)
    scores = score_from_snapshot(weights, inputs)
    problem, candidates, money = _selection_input(round, scores)
    solution = selection.solve(problem)
    shares: list[float] = []
    if with_robustness and solution.status != "infeasible":
        shares = robustness.shares(problem, weights, inputs, [str(c.pk) for c in candidates])
    fields = results.result_fields(
        method=str(round.method),
        weights=weights,
        inputs=inputs,
        scores=scores,
        candidates=[
            results.RunCandidate(
                pk=c.pk,
                initiative=c.initiative_id,
                reference=c.initiative.reference,
                must_do=c.must_do,
                costs=money[c.pk],
            )
            for c in candidates
        ],
        problem=problem,
        solution=solution,
        explanations=selection.explain(problem, solution),
        robustness=shares,
    )
    result = Result.objects.create(round=round, created_by=by, **fields)
    round.current_result = result
    round.save(update_fields=["current_result"])
    return result


# What-if scenarios ---------------------------------------------------------------------------


@transaction.atomic
def copy_as_scenario(
    *,
    round: Round,
    by: User | None,
    note: str,
    budget_factor: float = 1.0,
    remove_team: str = "",
    add_must_do: Iterable[Candidate] = (),
    must_do_reason: str = "",
) -> Round:
    """A what-if copy of an open round: budgets scaled, a team taken away, or items made must-do."""
    _require_open(round)
    if round.is_scenario:
        raise ValidationError("Make a scenario from the round itself, not from another scenario.")
    if not note.strip():
        raise ValidationError({"scenario_note": "Say what this scenario tries."})
    if budget_factor < 0:
        raise ValidationError({"budget_factor": "The budget cannot be less than nothing."})
    scenario = Round.objects.create(
        organisation=round.organisation,
        name=round.name,
        held_on=round.held_on,
        method=round.method,
        combine=round.combine,
        wip_limit=round.wip_limit,
        previous=round.previous,
        scenario_of=round,
        scenario_note=note.strip(),
        created_by=by,
    )
    forced = {c.pk for c in add_must_do}
    mapping: dict[int, Candidate | None] = {}
    for c in round.candidates.all():
        copy = Candidate.objects.create(
            round=scenario,
            initiative_id=c.initiative_id,
            must_do=c.must_do or c.pk in forced,
            must_do_reason=c.must_do_reason or (must_do_reason.strip() if c.pk in forced else ""),
            costs=c.costs,
            costs_reason=c.costs_reason,
            team_demand=c.team_demand,
            committed=c.committed,
            withdrawn_by_id=c.withdrawn_by_id,
        )
        mapping[c.pk] = copy
    _save_all(
        [
            Budget(
                round=scenario,
                financial_year=b.financial_year,
                capital=round_half(b.capital * budget_factor),
                revenue=round_half(b.revenue * budget_factor),
            )
            for b in round.budgets.all()
        ],
        by,
        "What-if copy",
    )
    _save_all(
        [
            TeamCapacity(round=scenario, team=t.team, quarter=t.quarter, days=t.days)
            for t in round.team_capacities.all()
            if t.team != remove_team
        ],
        by,
        "What-if copy",
    )
    _copy_constraints(round, scenario, mapping, by, "What-if copy")
    # The scorers' ratings are copied in bulk: each is in the history of the round it came from.
    Rating.objects.bulk_create(
        [
            Rating(round=scenario, candidate=mapping[r.candidate_id], scorer_id=r.scorer_id, key=r.key, value=r.value)
            for r in round.ratings.all()
            if mapping.get(r.candidate_id) is not None
        ]
    )
    return scenario


def round_half(value: float) -> int:
    return math.floor(value + 0.5)


@transaction.atomic
def adopt_scenario(*, scenario: Round, by: User | None) -> Round:
    """Make a scenario's newest result the result its round stands on."""
    base = scenario.scenario_of
    if base is None:
        raise ValidationError("Only a scenario can be adopted.")
    _require_open(base)
    if scenario.current_result is None:
        raise ValidationError("Run the selection for this scenario before adopting it.")
    base.scenarios.exclude(pk=scenario.pk).update(adopted=False)
    scenario.adopted = True
    scenario.save(update_fields=["adopted"])
    base.current_result = scenario.current_result
    base.save(update_fields=["current_result"])
    derived.organisation_changed(base.organisation_id)
    return base


# Changes and closing -------------------------------------------------------------------------


def _positions(result: Result | None) -> dict[int, tuple[bool, int]]:
    """{initiative id: (selected, rank)} from a result."""
    if result is None:
        return {}
    return {initiative: (row["selected"], row["rank"]) for initiative, row in result.stored().by_initiative().items()}


def work_out_changes(
    *, round: Round, statuses: Mapping[int, str] | None = None
) -> tuple[list[RoundChange], list[RoundChange]]:
    """What this round's result changes from the last closed round's, one per initiative, worked
    out without writing: (the changes as they stand, those already stored brought up to date in
    memory and new ones unsaved; the stored ones that no longer apply). The changes page shows
    the first; `compute_changes` stores both.

    Reasons already written are kept when the change itself is the same. `statuses` ({initiative
    id: status}) are the initiatives' statuses when the round was held, for a round recorded
    after the event; by default their statuses now.
    """
    result = round.current_result
    if result is None:
        raise ValidationError("Run the selection before looking at the changes.")
    before = _positions(round.previous.current_result if round.previous else None)
    now = _positions(result)
    initiatives = Initiative.objects.in_bulk(now.keys())
    if statuses is None:
        statuses = {pk: initiative.status for pk, initiative in initiatives.items()}
    existing = {c.initiative_id: c for c in round.changes.select_related("decision")}
    wanted: dict[int, tuple[str, int | None, int | None]] = {}
    for initiative_id, (selected, rank) in now.items():
        was = before.get(initiative_id)
        found = change_kind(status=statuses.get(initiative_id, ""), selected=selected, rank=rank, before=was)
        if found is None:
            continue
        keep = existing.get(initiative_id)
        if found == RoundChange.Kind.STOPPED and keep is not None and keep.change == RoundChange.Kind.PAUSED:
            found = RoundChange.Kind.PAUSED  # a stop someone turned into a pause stays a pause
        wanted[initiative_id] = (found, was[1] if was and was[0] else None, rank if selected else None)
    changes = []
    for initiative_id, (kind, from_rank, to_rank) in wanted.items():
        change = existing.get(initiative_id)
        if change is None:
            change = RoundChange(round=round, initiative_id=initiative_id)
        elif change.change != kind:
            change.reason = ""
        if initiative_id in initiatives:
            change.initiative = initiatives[initiative_id]
        change.change, change.from_rank, change.to_rank = kind, from_rank, to_rank
        if kind == RoundChange.Kind.CONTINUED and not change.reason:
            # Carrying on unchanged needs no new argument; say so rather than ask for one.
            change.reason = f"Selected again at the same rank ({to_rank})."
        changes.append(change)
    gone = [change for initiative_id, change in existing.items() if initiative_id not in wanted]
    return sorted(changes, key=lambda c: (c.change, c.to_rank or 0)), gone


@transaction.atomic
def compute_changes(*, round: Round, statuses: Mapping[int, str] | None = None) -> list[RoundChange]:
    """Store what this round's result changes (`work_out_changes`), one row per initiative."""
    _require_open(round)
    changes, gone = work_out_changes(round=round, statuses=statuses)
    round.changes.filter(pk__in=[c.pk for c in gone]).delete()
    for change in changes:
        change.save()
    return changes


@transaction.atomic
def save_reasons_by_initiative(
    *, round: Round, by: User | None, reasons: Mapping[int, str], paused: Iterable[int] | None = ()
) -> None:
    """The changes page's save: reasons ({initiative id: reason}) and the stops to make pauses
    (initiative ids; None leaves them as they are), written against the changes as they stand
    now, stored first; a reason given for a change that no longer applies has nothing to attach to."""
    stored = {change.initiative_id: change.pk for change in compute_changes(round=round)}
    save_change_reasons(
        round=round,
        by=by,
        reasons={stored[i]: reason for i, reason in reasons.items() if i in stored},
        paused=None if paused is None else [stored[i] for i in paused if i in stored],
    )


def reason_field(initiative_id: int) -> str:
    """The name the reason for an initiative's change goes by, in the changes form and in
    `close_round`'s refusals, so that a refusal is shown against the reason it is about. Named by
    the initiative: the page works the changes out in memory, before they have ids."""
    return f"reason_{initiative_id}"


def pause_field(initiative_id: int) -> str:
    """The name of the box that makes an initiative's stop a pause."""
    return f"pause_{initiative_id}"


@transaction.atomic
def save_change_reasons(
    *, round: Round, by: User | None, reasons: Mapping[int, str], paused: Iterable[int] | None = ()
) -> None:
    """Write the reasons ({change id: reason}); `paused` turns those stops into pauses (and the
    other stops back into stops); None leaves them as they are."""
    _require_open(round)
    changes = list(round.changes.all())
    _apply_reasons(changes, reasons, paused if paused is not None else _paused_now(changes))


def _apply_reasons(changes: Iterable[RoundChange], reasons: Mapping[int, str], paused: Iterable[int]) -> None:
    pause = set(paused)
    for change in changes:
        if change.pk in reasons:
            change.reason = reasons[change.pk].strip()
        if change.change in (RoundChange.Kind.STOPPED, RoundChange.Kind.PAUSED):
            change.change = RoundChange.Kind.PAUSED if change.pk in pause else RoundChange.Kind.STOPPED
        change.save()


def _paused_now(changes: Iterable[RoundChange]) -> list[int]:
    return [c.pk for c in changes if c.change == RoundChange.Kind.PAUSED]


def _evidence(round: Round, result: Result, change: RoundChange) -> str:
    stored = result.stored()
    row = stored.by_initiative().get(change.initiative_id)
    parts = [
        f"Prioritisation round {round.name} ({round.held_on:%d %B %Y}), result {result.pk}, "
        f"{result.get_method_display().lower()} method, version {result.method_version}."
    ]
    if row is not None:
        score = "not scored" if row["value"] is None else f"score {row['value']:.1f}"
        verdict = "selected" if row["selected"] else "not selected"
        parts.append(f"Ranked {row['rank']} of {len(stored.scores)}, {score}, {verdict}.")
    return " ".join(parts)


# The status each change leaves an initiative in, to tell whether a decision already recorded at
# the meeting agrees with the round.
_STATUS_AFTER: dict[str, str] = {
    RoundChange.Kind.STARTED: Status.ACTIVE,
    RoundChange.Kind.STOPPED: Status.STOPPED,
    RoundChange.Kind.PAUSED: Status.PAUSED,
}


def _decisions_at_meeting(round: Round, decided_on: dt.date) -> dict[int, list[Decision]]:
    """{initiative id: decisions recorded for the meeting day, oldest first} for this round's
    initiatives, leaving out those another round's change already points at."""
    taken = RoundChange.objects.filter(decision__isnull=False).values("decision_id")
    found: dict[int, list[Decision]] = {}
    for decision in (
        Decision.objects.filter(
            initiative__in=round.candidates.values("initiative"),
            decided_on=decided_on,
        )
        .exclude(pk__in=taken)
        .select_related("initiative")
        .order_by("recorded_at", "pk")
    ):
        found.setdefault(decision.initiative_id, []).append(decision)
    return found


@transaction.atomic
@derived.batch()  # the round's decisions refresh the pitfall findings once, at the end
def close_round(
    *,
    round: Round,
    by: User | None,
    decided_by: str,
    decided_on: dt.date,
    reasons: Mapping[int, str] | None = None,
    paused: Iterable[int] | None = None,
) -> list[Decision]:
    """Close the round and record its decisions. Refused until every change has its reason.

    `reasons` ({initiative id: reason}) and `paused` (initiative ids), as the changes page posts
    them and `save_reasons_by_initiative` takes them, are written first, in the same
    transaction, so the reasons typed on the page that closes the round are the ones it closes
    with; a refusal keeps none of it, and names each change still without a reason (keyed by
    `reason_field`).

    A decision already recorded for one of its initiatives on the day of the meeting (on the
    initiative's own page, say, before the round was closed) is the round's decision for that
    initiative, not a reason for a second one: the change is worked out from the status the
    initiative had before it, points at it and takes its rationale when none is written. Such a
    decision must agree with the round: a stop recorded for an initiative the round selects is
    refused, with the initiative named.
    """
    _require_open(round)
    if round.is_scenario:
        raise ValidationError("A scenario is not closed: adopt it, then close its round.")
    result = round.current_result
    if result is None:
        raise ValidationError("Run the selection before closing the round.")
    # Every refusal at once: who decided, and each change that cannot be recorded as it stands.
    problems: dict[str, list[str]] = {}
    if not decided_by.strip():
        problems["decided_by"] = ["Say who decided, for example the Digital Board."]
    else:
        try:
            bounds.check_name(decided_by.strip())
        except bounds.BoundsError as error:
            problems["decided_by"] = [str(error)]
    at_meeting = _decisions_at_meeting(round, decided_on)
    chosen = set(result.stored().selected)
    for candidate in round.candidates.filter(withdrawn_by__isnull=False).select_related("initiative", "withdrawn_by"):
        taken_by = candidate.withdrawn_by
        if taken_by is not None and candidate.pk in chosen and candidate.initiative_id not in at_meeting:
            problems.setdefault(NON_FIELD_ERRORS, []).append(
                f"Work the selection out again: it still chooses {candidate.initiative.reference} "
                f"{candidate.initiative.title}, which was taken out of the round by the "
                f"{taken_by.get_kind_display().lower()} decision of {taken_by.decided_on:%d %B %Y}."
            )
    statuses = dict(Initiative.objects.filter(pk__in=round.candidates.values("initiative")).values_list("pk", "status"))
    statuses.update({pk: decisions[0].status_before for pk, decisions in at_meeting.items()})
    changes = compute_changes(round=round, statuses=statuses)
    if reasons is not None or paused is not None:
        change_of = {change.initiative_id: change.pk for change in changes}
        _apply_reasons(
            changes,
            {change_of[i]: reason for i, reason in (reasons or {}).items() if i in change_of},
            [change_of[i] for i in paused if i in change_of] if paused is not None else _paused_now(changes),
        )
    linked: dict[int, Decision] = {}
    for change in changes:
        decisions = at_meeting.get(change.initiative_id)
        if not decisions:
            continue
        latest = decisions[-1]
        expected = _STATUS_AFTER.get(change.change, Status.ACTIVE)
        if latest.status_after != expected:
            problems.setdefault(reason_field(change.initiative_id), []).append(
                f"{change.initiative.reference} {change.initiative.title} was given a "
                f"‘{latest.get_kind_display().lower()}’ decision on {decided_on:%d %B %Y}, but the round says "
                f"{change.get_change_display().lower()}. Change the round or record a new decision first."
            )
            continue
        linked[change.pk] = latest
        if not change.reason.strip():
            change.reason = latest.rationale
    for change in changes:
        if not change.reason.strip() and reason_field(change.initiative_id) not in problems:
            problems[reason_field(change.initiative_id)] = [
                f"Give the reason to {change.get_change_display().lower()} {change.initiative.reference} "
                f"{change.initiative.title}."
            ]
    if problems:
        raise ValidationError(problems)
    decisions = []
    for change in changes:
        decision = linked.get(change.pk)
        if decision is None:
            decision = portfolio_actions.record_decision(
                initiative=change.initiative,
                by=by,
                kind=change.decision_kind,
                rationale=change.reason,
                evidence=_evidence(round, result, change),
                decided_by=decided_by,
                decided_on=decided_on,
                reason=f"Prioritisation round {round.name}",
            )
        change.decision = decision
        change.save(update_fields=["decision", "reason"])
        decisions.append(decision)
    round.status = Round.State.CLOSED
    round.closed_at = timezone.now()
    round.save(update_fields=["status", "closed_at"])
    derived.organisation_changed(round.organisation_id)
    return decisions
