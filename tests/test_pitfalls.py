"""The pitfall detectors (`headway.assurance.pitfalls`), on plain facts: no database. Each detector
fires at its threshold and stays quiet just short of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from headway.assurance import pitfalls as p
from headway.assurance.pitfalls import InitiativeFacts, PortfolioFacts, Thresholds

TODAY = dt.date(2026, 12, 7)
T = Thresholds()
_counter = iter(range(1, 10_000))


def initiative(**fields: Any) -> InitiativeFacts:
    """An active initiative with nothing wrong: every detector stays quiet on it."""
    n = next(_counter)
    values: dict[str, Any] = {
        "pk": n,
        "reference": f"DIG-{n:03d}",
        "status": "active",
        "verdict_state": "improving",
        "verdict_flags": (),
        "has_case": True,
        "bias_scored": 5,
        "bias_mitigated": 5,
        "cost_bias": 0.4,
        "p80_cost": 100.0,
        "funding_secured": 100,
        "started_on": TODAY - dt.timedelta(weeks=30),
        "last_checkpoint_week": TODAY - dt.timedelta(days=7),
        "last_demonstrated_week": TODAY - dt.timedelta(days=7),
        "last_reached_users_week": TODAY - dt.timedelta(days=7),
        "steady_checkpoints": 1,
        "current_confidence": "green",
        "sro": f"SRO {n}",
        "sro_directorate": "Nursing",
        "delivery_lead": f"Lead {n}",
        "goals": 1,
        "joins": 1,
        "user_needs": 2,
        "assumed_needs": 0,
        "riskiest_assumption": True,
    }
    values.update(fields)
    return InitiativeFacts(**values)


def portfolio(*items: InitiativeFacts, wip_limit: int = 10, decisions: tuple = ()) -> PortfolioFacts:
    if not decisions:
        decisions = (("DIG-999", "stop", TODAY - dt.timedelta(days=30), 100),)
    return PortfolioFacts(today=TODAY, wip_limit=wip_limit, initiatives=items, decisions=decisions)


def keys(facts: PortfolioFacts, thresholds: Thresholds = T) -> set[str]:
    return {f.key for f in p.detect(facts, thresholds)}


def test_a_healthy_portfolio_has_no_findings():
    # Funding spread evenly so no single initiative holds most of it.
    assert p.detect(portfolio(*[initiative() for _ in range(4)])) == []


def test_findings_name_initiatives_carry_plain_evidence_and_come_most_severe_first():
    facts = portfolio(
        initiative(verdict_flags=(p.NO_OUTCOME,)),
        initiative(money_flags=(p.FUNDING_ENDS,)),
        initiative(riskiest_assumption=False),
    )
    found = p.detect(facts)
    assert [f.severity for f in found] == sorted((f.severity for f in found), key=p.SEVERITIES.index)
    for finding in found:
        as_json = finding.as_json()
        assert set(as_json) >= {"key", "title", "severity", "initiatives", "evidence"}
        assert finding.severity in p.SEVERITIES
        assert finding.key.startswith(finding.pitfall + ".")
        assert finding.link.name


# 1. Plan and activity rather than outcomes


def test_no_outcome_measure_and_activity_only_come_from_the_verdicts_flags():
    a = initiative(verdict_flags=(p.NO_OUTCOME, p.ACTIVITY_ONLY))
    found = {f.key: f for f in p.plan_not_outcomes(portfolio(a, initiative()), T)}
    assert found["plan_not_outcomes.no_outcome_measure"].initiatives == (a.reference,)
    assert found["plan_not_outcomes.no_outcome_measure"].severity == p.HIGH  # half the active ones
    assert found["plan_not_outcomes.activity_only"].initiatives == (a.reference,)
    assert p.plan_not_outcomes(portfolio(initiative(verdict_flags=("mixed",))), T) == []


@pytest.mark.parametrize(("weeks_ago", "fires"), [(4, True), (3, False)])
def test_no_demonstration_fires_at_the_threshold(weeks_ago: int, fires: bool):
    last = TODAY - dt.timedelta(weeks=weeks_ago)
    facts = portfolio(initiative(last_demonstrated_week=last))
    found = [f for f in p.plan_not_outcomes(facts, T) if f.key == "plan_not_outcomes.no_demonstration"]
    assert bool(found) is fires
    if fires:
        assert found[0].since == last
        assert found[0].evidence["weeks_without_demo"] == 4


def test_a_new_initiative_is_not_flagged_for_no_demonstration_before_the_threshold():
    fresh = initiative(last_demonstrated_week=None, started_on=TODAY - dt.timedelta(weeks=2))
    assert "plan_not_outcomes.no_demonstration" not in keys(portfolio(fresh))
    old = initiative(last_demonstrated_week=None, started_on=TODAY - dt.timedelta(weeks=4))
    assert "plan_not_outcomes.no_demonstration" in keys(portfolio(old))


# 2. Optimism bias and under-resourcing


def test_no_mitigation_fires_on_a_case_with_no_risk_area_mitigated():
    scored_at_nothing = initiative(bias_scored=5, bias_mitigated=0, cost_bias=2.0)
    unscored = initiative(bias_scored=0, bias_mitigated=0, cost_bias=2.0)
    one_mitigated = initiative(bias_mitigated=1)
    no_case = initiative(has_case=False, bias_scored=0, bias_mitigated=0)
    found = [f for f in p.optimism_bias(portfolio(scored_at_nothing, unscored, one_mitigated, no_case), T)]
    [finding] = [f for f in found if f.key == "optimism_bias.no_mitigation"]
    assert set(finding.initiatives) == {scored_at_nothing.reference, unscored.reference}
    assert finding.evidence["cases"][unscored.reference] == {"risk_areas_scored": 0, "cost_bias": 2.0}


@pytest.mark.parametrize(("p80", "fires"), [(100.01, True), (100.0, False)])
def test_p80_above_funding_fires_only_above_the_secured_funding(p80: float, fires: bool):
    found = keys(portfolio(initiative(p80_cost=p80, funding_secured=100)))
    assert ("optimism_bias.p80_above_funding" in found) is fires


def test_p80_above_funding_ignores_proposals_which_have_not_asked_for_money_yet():
    assert "optimism_bias.p80_above_funding" not in keys(
        portfolio(initiative(status="proposed", p80_cost=500.0, funding_secured=0))
    )


@pytest.mark.parametrize(("count", "fires"), [(4, True), (3, False)])
def test_too_many_initiatives_for_one_sro(count: int, fires: bool):
    facts = portfolio(*[initiative(sro="Ann Example") for _ in range(count)])
    found = [f for f in p.overloaded_people(facts, T) if f.key == "too_many_at_once.per_sro"]
    assert bool(found) is fires
    if fires:
        assert found[0].evidence["people"] == {"Ann Example": 4}


@pytest.mark.parametrize(("count", "fires"), [(3, True), (2, False)])
def test_too_many_initiatives_for_one_delivery_lead(count: int, fires: bool):
    facts = portfolio(*[initiative(delivery_lead="Bo Example") for _ in range(count)])
    assert ("too_many_at_once.per_delivery_lead" in keys(facts)) is fires


# 3. Benefits only in cash


def test_cash_only_comes_from_the_finance_flag():
    a = initiative(money_flags=(p.CASH_ONLY,))
    [finding] = p.cash_only(portfolio(a, initiative()), T)
    assert finding.initiatives == (a.reference,)
    assert finding.link.name == "finance:initiative"
    assert p.cash_only(portfolio(initiative(money_flags=("no_case",))), T) == []


# 4. Boom and bust


def test_funding_ends_and_value_only_at_end_come_from_the_finance_flags():
    a = initiative(money_flags=(p.FUNDING_ENDS,))
    b = initiative(money_flags=(p.VALUE_ONLY_AT_END,))
    found = {f.key: f for f in p.boom_and_bust(portfolio(a, b), T)}
    assert found["boom_and_bust.funding_ends"].initiatives == (a.reference,)
    assert found["boom_and_bust.funding_ends"].severity == p.HIGH
    assert found["boom_and_bust.value_only_at_end"].initiatives == (b.reference,)
    assert found["boom_and_bust.funding_ends"].evidence["live_without_run_money"] == []
    assert found["boom_and_bust.funding_ends"].since is None


def test_funding_ends_names_the_live_services_already_without_run_money_since_they_went_live():
    live = initiative(money_flags=(p.FUNDING_ENDS,), went_live_on=dt.date(2026, 4, 20))
    planned = initiative(money_flags=(p.FUNDING_ENDS,))
    [finding] = [f for f in p.boom_and_bust(portfolio(live, planned), T) if f.key == "boom_and_bust.funding_ends"]
    assert finding.initiatives == tuple(sorted((live.reference, planned.reference)))
    assert finding.evidence["live_without_run_money"] == [live.reference]
    assert finding.since == dt.date(2026, 4, 20)


@pytest.mark.parametrize(("weeks_ago", "fires"), [(8, True), (7, False)])
def test_a_live_service_with_no_recent_checkpoint(weeks_ago: int, fires: bool):
    live = initiative(
        went_live_on=TODAY - dt.timedelta(weeks=30), last_checkpoint_week=TODAY - dt.timedelta(weeks=weeks_ago)
    )
    assert ("boom_and_bust.live_without_checkpoints" in keys(portfolio(live))) is fires


@pytest.mark.parametrize(("big", "fires"), [(40, True), (39, False)])
def test_one_initiative_holding_a_large_share_of_the_money(big: int, fires: bool):
    # Shares of 100 in all: `big` for one, the rest spread.
    facts = portfolio(
        initiative(funding_secured=big, p80_cost=0.0),
        initiative(funding_secured=100 - big - 30, p80_cost=0.0),
        initiative(funding_secured=30, p80_cost=0.0),
    )
    found = [f for f in p.boom_and_bust(facts, T) if f.key == "boom_and_bust.one_holds_most"]
    assert bool(found) is fires
    if fires:
        assert found[0].evidence["share"] == 0.4


# 5. Too many things at once


@pytest.mark.parametrize(("active", "fires"), [(11, True), (10, False)])
def test_over_the_wip_limit(active: int, fires: bool):
    facts = portfolio(*[initiative(funding_secured=0, p80_cost=0.0) for _ in range(active)], wip_limit=10)
    assert ("too_many_at_once.over_wip_limit" in keys(facts)) is fires


def test_more_started_than_stopped_in_the_last_year():
    recent = TODAY - dt.timedelta(days=40)
    started = (("DIG-A", "start", recent, 50), ("DIG-B", "start", recent, 50))
    one_stop = (("DIG-C", "stop", recent, 50),)
    two_stops = (*one_stop, ("DIG-D", "pause", recent, 50))
    assert "too_many_at_once.started_more_than_stopped" in keys(portfolio(decisions=started + one_stop))
    assert "too_many_at_once.started_more_than_stopped" not in keys(portfolio(decisions=started + two_stops))
    old = tuple((ref, kind, TODAY - dt.timedelta(days=400), n) for ref, kind, _, n in started)
    assert "too_many_at_once.started_more_than_stopped" not in keys(portfolio(decisions=old + one_stop))


@pytest.mark.parametrize(("last_stop", "fires"), [(dt.date(2025, 12, 7), True), (dt.date(2025, 12, 8), False)])
def test_nothing_stopped_in_twelve_months(last_stop: dt.date, fires: bool):
    facts = portfolio(initiative(), decisions=(("DIG-X", "stop", last_stop, 50),))
    found = [f for f in p.too_many_at_once(facts, T) if f.key == "too_many_at_once.nothing_stopped"]
    assert bool(found) is fires
    if fires:
        assert found[0].since == last_stop


# The rest of the guide


def test_false_quick_wins_need_neither_a_goal_nor_a_join_up():
    lone = initiative(goals=0, joins=0)
    assert p.false_quick_wins(portfolio(lone), T)[0].initiatives == (lone.reference,)
    assert p.false_quick_wins(portfolio(initiative(goals=0, joins=1), initiative(goals=1, joins=0)), T) == []


def test_one_directorate_fires_only_when_every_sro_is_in_it_or_digital():
    it = [initiative(sro_directorate="Digital"), initiative(sro_directorate="IT & Informatics")]
    assert [f.key for f in p.one_directorate(portfolio(*it), T)] == ["one_directorate.digital_only"]
    assert p.one_directorate(portfolio(*it, initiative(sro_directorate="Nursing")), T) == []
    # "Digital" is a word, not part of one.
    assert p.one_directorate(portfolio(initiative(sro_directorate="Digitalis Research")), T) == []


def test_assumed_needs_fire_when_every_need_is_assumed_or_there_are_none():
    assumed = initiative(user_needs=2, assumed_needs=2)
    none = initiative(user_needs=0, assumed_needs=0)
    [finding] = p.assumed_needs(portfolio(assumed, none, initiative(user_needs=2, assumed_needs=1)), T)
    assert set(finding.initiatives) == {assumed.reference, none.reference}


def test_no_riskiest_assumption():
    a = initiative(riskiest_assumption=False)
    assert p.no_riskiest_assumption(portfolio(a, initiative()), T)[0].initiatives == (a.reference,)


def test_watermelon_green_confidence_with_a_deteriorating_measure_or_overdue_risks():
    rotten = initiative(verdict_state=p.DETERIORATING)
    overdue = initiative(risks_past_review=2)
    amber = initiative(current_confidence="amber", verdict_state=p.DETERIORATING)
    [finding] = p.watermelon(portfolio(rotten, overdue, amber, initiative()), T)
    assert set(finding.initiatives) == {rotten.reference, overdue.reference}
    assert finding.evidence["why"][overdue.reference] == {"risks_past_review": 2}
    assert finding.evidence["why"][rotten.reference] == {"deteriorating_measure": True}


@pytest.mark.parametrize(("weeks_ago", "fires"), [(4, True), (3, False)])
def test_watermelon_green_with_nothing_reaching_users(weeks_ago: int, fires: bool):
    quiet = initiative(last_reached_users_week=TODAY - dt.timedelta(weeks=weeks_ago))
    assert ("watermelon.green_with_concerns" in keys(portfolio(quiet))) is fires


@pytest.mark.parametrize(("run", "fires"), [(12, True), (11, False)])
def test_confidence_never_changing(run: int, fires: bool):
    stuck = initiative(steady_checkpoints=run)
    assert ("confidence_never_changes.unchanged" in keys(portfolio(stuck))) is fires
    paused = initiative(steady_checkpoints=run, status="paused")  # only active work is judged on it
    assert "confidence_never_changes.unchanged" not in keys(portfolio(paused))


@pytest.mark.parametrize(("asked", "fires"), [(20.5, True), (20.0, False)])
def test_teams_asked_for_more_days_than_they_have(asked: float, fires: bool):
    load = p.TeamLoad("Data", "2026/27 Q4", 20, asked, ("DIG-A", "DIG-B"))
    facts = replace(portfolio(initiative()), round_name="Q4 round", round_pk=7, team_loads=(load,))
    found = p.teams_over_capacity(facts, T)
    assert bool(found) is fires
    if fires:
        assert found[0].initiatives == ("DIG-A", "DIG-B")
        assert found[0].evidence["teams"] == [{"team": "Data", "quarter": "2026/27 Q4", "days": 20, "asked": asked}]
        assert found[0].link == p.LinkTarget("prioritisation:capacity", (7,))
        assert found[0].severity == p.MEDIUM
    assert p.teams_over_capacity(replace(facts, team_loads=(replace(load, demand=31.0),)), T)[0].severity == p.HIGH


def test_benefits_without_an_owner():
    a = initiative(unowned_benefits=2)
    [finding] = p.benefits_without_owner(portfolio(a, initiative()), T)
    assert finding.evidence["benefit_lines"] == {a.reference: 2}


@pytest.mark.parametrize(("words", "fires"), [(1, True), (2, False)])
def test_decisions_without_evidence_use_the_decision_forms_minimum(words: int, fires: bool):
    assert T.min_evidence_words == 2  # lib.bounds.MIN_REASON_WORDS
    on = TODAY - dt.timedelta(days=10)
    facts = portfolio(initiative(), decisions=(("DIG-X", "stop", on, words),))
    found = p.decisions_without_evidence(facts, T)
    assert bool(found) is fires
    if fires:
        assert found[0].initiatives == ("DIG-X",) and found[0].since == on


# Thresholds


def test_thresholds_take_valid_overrides_and_ignore_the_rest():
    t = Thresholds.with_overrides({"per_sro": 5, "largest_share": 0.5, "weeks_without_demo": "six", "nope": 1})
    assert t.per_sro == 5 and t.largest_share == 0.5
    assert t.weeks_without_demo == Thresholds().weeks_without_demo
    assert Thresholds.bad_overrides({"per_sro": 5, "weeks_without_demo": "six", "nope": 1}) == [
        "nope",
        "weeks_without_demo",
    ]
    assert Thresholds.bad_overrides({"per_sro": 0, "largest_share": 1.5, "per_delivery_lead": True}) == [
        "largest_share",
        "per_delivery_lead",
        "per_sro",
    ]


def test_an_override_moves_the_boundary():
    facts = portfolio(*[initiative(sro="Ann Example") for _ in range(4)])
    assert "too_many_at_once.per_sro" in keys(facts)
    assert "too_many_at_once.per_sro" not in keys(facts, replace(T, per_sro=4))


def test_months_ago_keeps_the_day_or_takes_the_months_last():
    assert p.months_ago(dt.date(2026, 12, 7), 12) == dt.date(2025, 12, 7)
    assert p.months_ago(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert p.months_ago(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 15)


def every_finding() -> list[p.Finding]:
    """Facts on which every detector fires at least once, each case with one initiative and with several."""
    on = TODAY - dt.timedelta(days=10)
    bad: dict[str, Any] = {
        "verdict_flags": (p.NO_OUTCOME, p.ACTIVITY_ONLY),
        "verdict_state": p.DETERIORATING,
        "money_flags": (p.FUNDING_ENDS, p.VALUE_ONLY_AT_END, p.CASH_ONLY),
        "bias_mitigated": 0,
        "p80_cost": 500.0,
        "last_demonstrated_week": None,
        "last_reached_users_week": None,
        "went_live_on": TODAY - dt.timedelta(weeks=40),
        "last_checkpoint_week": TODAY - dt.timedelta(weeks=20),
        "steady_checkpoints": 12,
        "sro": "Ann",
        "delivery_lead": "Bo",
        "sro_directorate": "Digital",
        "goals": 0,
        "joins": 0,
        "assumed_needs": 2,
        "riskiest_assumption": False,
        "unowned_benefits": 1,
        "risks_past_review": 1,
    }
    found = []
    for count in (1, 4):
        facts = portfolio(
            *[initiative(**bad) for _ in range(count)],
            initiative(funding_secured=10_000, p80_cost=0.0, sro_directorate="Digital services"),
            wip_limit=0,
            decisions=(("DIG-X", "start", on, 0), ("DIG-Y", "stop", TODAY - dt.timedelta(days=800), 5)),
        )
        load = p.TeamLoad("Data", "2026/27 Q4", 1, 5.0, ("DIG-X",))
        for round_pk in (3, None):
            found += p.detect(replace(facts, round_pk=round_pk, team_loads=(load,)))
    return found


def test_every_detector_fires_on_the_worst_case_and_the_docs_list_every_key():
    keys = {f.key for f in every_finding()}
    assert len(keys) == 24, sorted(keys)
    assert {key.split(".")[0] for key in keys} == {
        "plan_not_outcomes",
        "optimism_bias",
        "cash_only",
        "boom_and_bust",
        "too_many_at_once",
        "false_quick_wins",
        "one_directorate",
        "assumed_needs",
        "no_riskiest_assumption",
        "watermelon",
        "confidence_never_changes",
        "benefits_without_owner",
        "decisions_without_evidence",
    }
    docs = (Path(__file__).resolve().parent.parent / "docs" / "assurance.md").read_text()
    documented = set()
    for key in keys:
        tail = key.split(".")[1]
        if f"`{key}`" in docs or f"`.{tail}`" in docs:
            documented.add(key)
    assert keys - documented == set()


@pytest.mark.django_db
def test_every_link_target_resolves_to_an_address():
    from headway.assurance.pitfall_presenters import url_of

    for finding in every_finding():
        assert url_of(finding.link).startswith("/"), finding.key


def test_nothing_stopped_reads_a_last_stop_older_than_the_decisions_loaded():
    facts = replace(portfolio(initiative(), decisions=(("DIG-X", "start", TODAY, 5),)), last_stop=dt.date(2024, 3, 1))
    [finding] = [f for f in p.too_many_at_once(facts, T) if f.key == "too_many_at_once.nothing_stopped"]
    assert finding.since == dt.date(2024, 3, 1)
    assert finding.evidence["last_stop_or_pause"] == "2024-03-01"
    recent = replace(facts, last_stop=TODAY - dt.timedelta(days=30))
    assert "too_many_at_once.nothing_stopped" not in {f.key for f in p.too_many_at_once(recent, T)}
