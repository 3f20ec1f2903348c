"""Prioritisation actions: setting up rounds, scoring, the selection, changes and closing."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Decision, Initiative
from headway.prioritisation import actions, robustness
from headway.prioritisation.models import Candidate, Result, Round, RoundChange
from tests.factories import make_initiative
from tests.personas import personas

HIGH = dict.fromkeys(
    ["strategic_fit", "patient_impact", "staff_impact", "safety_risk_reduction", "urgency", "evidence"], 5
) | {"effort": 1}
LOW = dict.fromkeys(HIGH, 1) | {"effort": 5}
MIDDLE = dict.fromkeys(HIGH, 3)


def rate(round, by, ratings_by_reference):
    candidates = {c.initiative.reference: c for c in round.candidates.select_related("initiative")}
    actions.save_ratings(
        round=round, by=by, ratings={candidates[ref].pk: values for ref, values in ratings_by_reference.items()}
    )


def cost(round, reference, capital):
    candidate = round.candidates.get(initiative__reference=reference)
    actions.update_candidate(
        candidate=candidate,
        by=None,
        must_do=candidate.must_do,
        must_do_reason=candidate.must_do_reason,
        costs={"2026/27": {"capital": capital, "revenue": 0}},
        costs_reason="Quoted by the supplier",
        committed={},
        team_demand={},
        requires=[],
        exclusive_with=[],
    )


class RoundTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.organisation, cls.office, cls.executive = cls.cast.trust, cls.cast.office, cls.cast.executive
        cls.active = make_initiative(cls.organisation, by=cls.office, status="active", reference="DIG-001")
        cls.proposed = make_initiative(cls.organisation, by=cls.office, reference="DIG-002")
        cls.other = make_initiative(cls.organisation, by=cls.office, reference="DIG-003")
        cls.stopped = make_initiative(cls.organisation, by=cls.office, status="stopped", reference="DIG-004")

    def new_round(self, name="2026/27 Q1", held_on=dt.date(2026, 4, 10), **kwargs):
        return actions.create_round(
            organisation=self.organisation, by=self.office, name=name, held_on=held_on, **kwargs
        )

    def test_a_round_takes_every_active_and_proposed_initiative(self):
        round = self.new_round()
        self.assertEqual(
            sorted(round.candidates.values_list("initiative__reference", flat=True)), ["DIG-001", "DIG-002", "DIG-003"]
        )
        self.assertIsNone(round.previous)

    def test_a_round_can_be_given_its_initiatives_including_a_paused_one(self):
        paused = make_initiative(self.organisation, by=self.office, status="paused", reference="DIG-005")
        round = self.new_round(initiatives=[self.active, paused])
        self.assertEqual(
            sorted(round.candidates.values_list("initiative__reference", flat=True)), ["DIG-001", "DIG-005"]
        )

    def test_a_round_refuses_another_organisations_initiative(self):
        theirs = make_initiative(self.cast.other_trust, by=self.cast.other_office)
        with self.assertRaises(ValidationError):
            self.new_round(initiatives=[self.active, theirs])
        self.assertFalse(Round.objects.filter(organisation=self.organisation).exists())

    def test_a_round_carries_over_budgets_teams_costs_and_constraints_from_the_last_closed_round(self):
        first = self.new_round()
        actions.set_capacity(
            round=first,
            by=self.office,
            budgets={"2026/27": {"capital": 500_000, "revenue": 0}},
            teams={"Integration": {"2026/27 Q1": 40}},
            wip_limit=2,
        )
        a, b = first.candidates.get(initiative=self.active), first.candidates.get(initiative=self.proposed)
        actions.update_candidate(
            candidate=b,
            by=self.office,
            must_do=False,
            must_do_reason="",
            costs={"2026/27": {"capital": 100_000, "revenue": 5_000}},
            costs_reason="Quoted by the supplier",
            committed={},
            team_demand={"Integration": {"2026/27 Q1": 10}},
            requires=[a],
            exclusive_with=[],
        )
        Round.objects.filter(pk=first.pk).update(status=Round.State.CLOSED)
        second = self.new_round(name="2026/27 Q2", held_on=dt.date(2026, 7, 10))
        self.assertEqual(second.previous, first)
        self.assertEqual(second.budgets.get().capital, 500_000)
        self.assertEqual(second.team_capacities.get().days, 40)
        copied = second.candidates.get(initiative=self.proposed)
        self.assertEqual(copied.costs, {"2026/27": {"capital": 100_000, "revenue": 5_000}})
        self.assertEqual(copied.requirements.get().requires.initiative, self.active)

    def test_ratings_out_of_range_are_refused_and_nothing_is_saved(self):
        round = self.new_round()
        candidate = round.candidates.get(initiative=self.active)
        with self.assertRaises(ValidationError) as raised:
            actions.save_ratings(
                round=round, by=self.office, ratings={candidate.pk: {"strategic_fit": 4, "patient_impact": 6}}
            )
        self.assertIn("from 1 to 5", str(raised.exception))
        self.assertFalse(round.ratings.exists())
        with self.assertRaises(ValidationError):
            actions.save_ratings(round=round, by=self.office, ratings={candidate.pk: {"made_up": 3}})

    def test_the_selection_keeps_within_the_budget_and_explains_itself(self):
        round = self.new_round()
        actions.set_capacity(
            round=round,
            by=self.office,
            budgets={"2026/27": {"capital": 100_000, "revenue": 0}},
            teams={},
            wip_limit=None,
        )
        for reference in ("DIG-001", "DIG-002", "DIG-003"):
            cost(round, reference, 60_000)
        rate(round, self.office, {"DIG-001": HIGH, "DIG-002": MIDDLE, "DIG-003": LOW})
        result = actions.run_selection(round=round, by=self.office)
        chosen = set(Candidate.objects.filter(pk__in=result.selected).values_list("initiative__reference", flat=True))
        self.assertEqual(chosen, {"DIG-001"})
        self.assertEqual(result.status, "optimal")
        self.assertEqual(result.method_version, "1")
        self.assertEqual(len(result.explanations), 3)
        self.assertTrue(all(e["reason"] for e in result.explanations.values()))
        self.assertEqual(set(result.robustness), set(result.scores))
        self.assertEqual(result.capacity[0]["name"], "2026/27 capital")
        self.assertEqual(result.capacity[0]["used"], 60_000)
        self.assertEqual(round.current_result, result)

    def test_an_impossible_must_do_is_reported_as_a_conflict(self):
        round = self.new_round()
        actions.set_capacity(
            round=round,
            by=self.office,
            budgets={"2026/27": {"capital": 10_000, "revenue": 0}},
            teams={},
            wip_limit=None,
        )
        candidate = round.candidates.get(initiative=self.proposed)
        actions.update_candidate(
            candidate=candidate,
            by=self.office,
            must_do=True,
            must_do_reason="Legal duty",
            costs={"2026/27": {"capital": 50_000, "revenue": 0}},
            costs_reason="Quoted by the supplier",
            committed={},
            team_demand={},
            requires=[],
            exclusive_with=[],
        )
        result = actions.run_selection(round=round, by=self.office)
        self.assertEqual(result.status, "infeasible")
        self.assertTrue(result.conflicts)
        self.assertEqual(result.selected, [])

    def test_committed_spend_comes_off_the_budget(self):
        round = self.new_round()
        actions.set_capacity(
            round=round,
            by=self.office,
            budgets={"2026/27": {"capital": 100_000, "revenue": 0}},
            teams={},
            wip_limit=None,
        )
        candidate = round.candidates.get(initiative=self.active)
        actions.update_candidate(
            candidate=candidate,
            by=self.office,
            must_do=False,
            must_do_reason="",
            costs={},
            committed={"2026/27": {"capital": 70_000, "revenue": 0}},
            team_demand={},
            requires=[],
            exclusive_with=[],
        )
        result = actions.run_selection(round=round, by=self.office)
        self.assertEqual(result.capacity[0]["capacity"], 30_000)


class ReproducibilityTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.organisation, cls.office, cls.executive = cls.cast.trust, cls.cast.office, cls.cast.executive
        for n in range(1, 4):
            make_initiative(cls.organisation, by=cls.office, reference=f"DIG-00{n}")
        cls.round = actions.create_round(
            organisation=cls.organisation, by=cls.office, name="2026/27 Q1", held_on=dt.date(2026, 4, 10)
        )
        rate(cls.round, cls.office, {"DIG-001": HIGH, "DIG-002": MIDDLE, "DIG-003": LOW})
        rate(cls.round, cls.executive, {"DIG-001": MIDDLE, "DIG-002": MIDDLE, "DIG-003": MIDDLE})

    def test_a_stored_result_rescored_from_its_snapshot_gives_the_same_numbers(self):
        result = actions.run_selection(round=self.round, by=self.office)
        stored = Result.objects.get(pk=result.pk)
        again = actions.score_from_snapshot(stored.weights, stored.inputs)
        for candidate_id, row in stored.scores.items():
            self.assertEqual(again[candidate_id]["value"], row["value"])
            self.assertEqual(again[candidate_id]["spread"], row["spread"])
            self.assertEqual(again[candidate_id]["wide"], row["wide"])

    def test_re_running_with_a_new_candidate_does_not_change_an_earlier_result(self):
        first = actions.run_selection(round=self.round, by=self.office)
        before = Result.objects.get(pk=first.pk)
        snapshot = (before.scores, before.inputs, before.weights, before.selected, before.objective)
        newcomer = make_initiative(self.organisation, by=self.office, reference="DIG-009")
        candidate = Candidate.objects.create(round=self.round, initiative=newcomer)
        actions.save_ratings(round=self.round, by=self.office, ratings={candidate.pk: HIGH})
        Candidate.objects.filter(round=self.round, initiative__reference="DIG-001").update(must_do=False)
        second = actions.run_selection(round=self.round, by=self.office)
        self.assertNotEqual(second.pk, first.pk)
        self.assertIn(str(candidate.pk), second.scores)
        after = Result.objects.get(pk=first.pk)
        self.assertEqual((after.scores, after.inputs, after.weights, after.selected, after.objective), snapshot)

    def test_scorers_who_disagree_widely_are_flagged(self):
        result = actions.run_selection(round=self.round, by=self.office)
        by_reference = {row["reference"]: row for row in result.scores.values()}
        self.assertTrue(by_reference["DIG-001"]["wide"])
        self.assertFalse(by_reference["DIG-002"]["wide"])
        self.assertEqual(by_reference["DIG-001"]["scorers"], 2)


class ChangesAndClosingTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.organisation, cls.office = cls.cast.trust, cls.cast.office
        cls.keep = make_initiative(cls.organisation, by=cls.office, status="active", reference="DIG-001")
        cls.drop = make_initiative(cls.organisation, by=cls.office, status="active", reference="DIG-002")
        cls.begin = make_initiative(cls.organisation, by=cls.office, reference="DIG-003")
        cls.wait = make_initiative(cls.organisation, by=cls.office, reference="DIG-004")

    def setUp(self):
        self.round = actions.create_round(
            organisation=self.organisation, by=self.office, name="2026/27 Q1", held_on=dt.date(2026, 4, 10), wip_limit=2
        )
        rate(self.round, self.office, {"DIG-001": HIGH, "DIG-002": LOW, "DIG-003": HIGH, "DIG-004": LOW})
        actions.run_selection(round=self.round, by=self.office)

    def changes(self):
        return {c.initiative.reference: c for c in actions.compute_changes(round=self.round)}

    def test_the_changes_say_what_starts_stops_and_carries_on(self):
        changes = self.changes()
        self.assertEqual(
            {ref: c.change for ref, c in changes.items()},
            {"DIG-001": "new", "DIG-002": "stopped", "DIG-003": "started"},
        )

    def test_the_changes_of_a_round_recorded_later_follow_the_statuses_it_was_held_with(self):
        # DIG-003 was already active when the round was held, so it carried on rather than started.
        statuses = dict(Initiative.objects.values_list("pk", "status")) | {self.begin.pk: "active"}
        changes = {
            c.initiative.reference: c.change for c in actions.compute_changes(round=self.round, statuses=statuses)
        }
        self.assertEqual(changes, {"DIG-001": "new", "DIG-002": "stopped", "DIG-003": "new"})

    def test_closing_is_refused_until_every_change_has_its_reason_and_nothing_changes(self):
        self.changes()
        with self.assertRaises(ValidationError) as raised:
            actions.close_round(
                round=self.round, by=self.office, decided_by="Digital Board", decided_on=dt.date(2026, 4, 20)
            )
        message = " ".join(raised.exception.messages)
        for reference in ("DIG-001", "DIG-002", "DIG-003"):
            self.assertIn(reference, message)
        self.round.refresh_from_db()
        self.assertTrue(self.round.is_open)
        self.assertFalse(
            Decision.objects.filter(initiative__organisation=self.organisation, decided_by="Digital Board").exists()
        )
        self.assertEqual(Initiative.objects.get(pk=self.drop.pk).status, "active")

    def test_closing_records_the_decisions_and_changes_the_statuses(self):
        changes = self.changes()
        actions.save_change_reasons(
            round=self.round,
            by=self.office,
            reasons={
                changes["DIG-001"].pk: "Still the best value.",
                changes["DIG-002"].pk: "Not used by staff.",
                changes["DIG-003"].pk: "Urgent safety need.",
            },
            paused=[changes["DIG-002"].pk],
        )
        decisions = actions.close_round(
            round=self.round, by=self.office, decided_by="Digital Board", decided_on=dt.date(2026, 4, 20)
        )
        self.assertEqual(len(decisions), 3)
        self.assertEqual(Initiative.objects.get(pk=self.drop.pk).status, "paused")
        self.assertEqual(Initiative.objects.get(pk=self.begin.pk).status, "active")
        self.assertEqual(Initiative.objects.get(pk=self.wait.pk).status, "proposed")
        pause = Decision.objects.get(initiative=self.drop, kind="pause")
        self.assertEqual(pause.rationale, "Not used by staff.")
        self.assertIn("2026/27 Q1", pause.evidence)
        self.assertEqual(RoundChange.objects.get(round=self.round, initiative=self.drop).decision, pause)
        self.round.refresh_from_db()
        self.assertFalse(self.round.is_open)
        self.assertIsNotNone(self.round.closed_at)
        with self.assertRaises(ValidationError):
            actions.run_selection(round=self.round, by=self.office)

    def test_closing_writes_the_reasons_it_is_given_and_a_refusal_keeps_none_of_them(self):
        changes = self.changes()
        # Reasons and pauses come as the changes page posts them: by initiative.
        typed = {
            changes["DIG-001"].initiative_id: "Still the best value.",
            changes["DIG-002"].initiative_id: "Not used by staff.",
        }
        with self.assertRaises(ValidationError) as raised:
            actions.close_round(
                round=self.round,
                by=self.office,
                decided_by="",
                decided_on=dt.date(2026, 4, 20),
                reasons=typed,
                paused=[changes["DIG-002"].initiative_id],
            )
        # One refusal names who decided and the one change still without a reason, by its field.
        self.assertEqual(
            set(raised.exception.message_dict),
            {"decided_by", actions.reason_field(changes["DIG-003"].initiative_id)},
        )
        self.assertIn(
            "DIG-003", " ".join(raised.exception.message_dict[actions.reason_field(changes["DIG-003"].initiative_id)])
        )
        self.assertEqual(set(RoundChange.objects.filter(round=self.round).values_list("reason", flat=True)), {""})
        self.assertFalse(RoundChange.objects.filter(round=self.round, change="paused").exists())
        decisions = actions.close_round(
            round=self.round,
            by=self.office,
            decided_by="Digital Board",
            decided_on=dt.date(2026, 4, 20),
            reasons=typed | {changes["DIG-003"].initiative_id: "Urgent safety need."},
            paused=[changes["DIG-002"].initiative_id],
        )
        self.assertEqual(
            sorted(d.rationale for d in decisions),
            ["Not used by staff.", "Still the best value.", "Urgent safety need."],
        )
        self.assertEqual(Initiative.objects.get(pk=self.drop.pk).status, "paused")

    def test_a_decision_already_recorded_at_the_meeting_is_the_rounds_decision_not_a_second_one(self):
        # The board stopped DIG-002 on its own page on the day of the meeting, before the round
        # was closed: the round links that decision and takes its reason.
        stop = portfolio_actions.record_decision(
            initiative=self.drop,
            by=self.office,
            kind="stop",
            rationale="Staff stopped using it in the pilot.",
            evidence="Four weeks of usage data.",
            decided_by="Digital Board",
            decided_on=dt.date(2026, 4, 20),
        )
        recorded = Decision.objects.filter(initiative=self.drop).count()
        changes = self.changes()
        actions.save_change_reasons(
            round=self.round,
            by=self.office,
            reasons={changes["DIG-001"].pk: "Still the best value.", changes["DIG-003"].pk: "Urgent safety need."},
        )
        decisions = actions.close_round(
            round=self.round, by=self.office, decided_by="Digital Board", decided_on=dt.date(2026, 4, 20)
        )
        self.assertIn(stop, decisions)
        self.assertEqual(Decision.objects.filter(initiative=self.drop).count(), recorded)
        change = RoundChange.objects.get(round=self.round, initiative=self.drop)
        self.assertEqual((change.change, change.decision, change.reason), ("stopped", stop, stop.rationale))
        self.assertEqual(Decision.objects.filter(initiative=self.begin, kind="start").count(), 1)

    def test_a_decision_at_the_meeting_that_disagrees_with_the_round_is_refused_and_nothing_changes(self):
        # DIG-001 was stopped at the meeting, but the round selects it.
        portfolio_actions.record_decision(
            initiative=self.keep,
            by=self.office,
            kind="stop",
            rationale="The supplier has withdrawn the product.",
            evidence="Supplier letter of 18 April.",
            decided_by="Digital Board",
            decided_on=dt.date(2026, 4, 20),
        )
        actions.save_change_reasons(
            round=self.round, by=self.office, reasons={c.pk: "Agreed at the board." for c in self.changes().values()}
        )
        recorded = Decision.objects.count()
        with self.assertRaises(ValidationError) as raised:
            actions.close_round(
                round=self.round, by=self.office, decided_by="Digital Board", decided_on=dt.date(2026, 4, 20)
            )
        self.assertIn("DIG-001", " ".join(raised.exception.messages))
        self.round.refresh_from_db()
        self.assertTrue(self.round.is_open)
        self.assertEqual(Decision.objects.count(), recorded)

    def test_the_next_round_compares_with_the_closed_one(self):
        changes = self.changes()
        actions.save_change_reasons(
            round=self.round, by=self.office, reasons={c.pk: "Agreed at the board." for c in changes.values()}
        )
        actions.close_round(round=self.round, by=self.office, decided_by="Board", decided_on=dt.date(2026, 4, 20))
        second = actions.create_round(
            organisation=self.organisation, by=self.office, name="2026/27 Q2", held_on=dt.date(2026, 7, 10), wip_limit=2
        )
        self.assertEqual(second.previous, self.round)
        self.assertEqual(second.candidates.count(), 3)  # DIG-002 is paused, so not a candidate
        rate(second, self.office, {"DIG-001": HIGH, "DIG-003": MIDDLE, "DIG-004": LOW})
        actions.run_selection(round=second, by=self.office)
        changes = {c.initiative.reference: c for c in actions.compute_changes(round=second)}
        self.assertEqual(changes["DIG-001"].change, "continued")
        self.assertTrue(changes["DIG-001"].reason)
        self.assertEqual(changes["DIG-003"].change, "continued")

    def test_a_scenario_with_less_money_can_be_adopted(self):
        actions.set_capacity(
            round=self.round,
            by=self.office,
            budgets={"2026/27": {"capital": 100_000, "revenue": 0}},
            teams={},
            wip_limit=2,
        )
        for reference in ("DIG-001", "DIG-003"):
            cost(self.round, reference, 50_000)
        actions.run_selection(round=self.round, by=self.office)
        scenario = actions.copy_as_scenario(
            round=self.round, by=self.office, note="Capital cut by half", budget_factor=0.5
        )
        self.assertEqual(scenario.budgets.get().capital, 50_000)
        self.assertEqual(scenario.ratings.count(), self.round.ratings.count())
        result = actions.run_selection(round=scenario, by=self.office)
        self.assertEqual(len(result.selected), 1)
        actions.adopt_scenario(scenario=scenario, by=self.office)
        self.round.refresh_from_db()
        scenario.refresh_from_db()
        self.assertEqual(self.round.current_result, result)
        self.assertTrue(scenario.adopted)
        going_ahead = [c for c in actions.compute_changes(round=self.round) if c.change in ("started", "new")]
        self.assertEqual(len(going_ahead), 1)

    def test_a_scenario_can_take_a_team_away_and_add_a_must_do(self):
        actions.set_capacity(
            round=self.round,
            by=self.office,
            budgets={},
            teams={"Integration": {"2026/27 Q1": 30}, "Data": {"2026/27 Q1": 30}},
            wip_limit=None,
        )
        wait = self.round.candidates.get(initiative=self.wait)
        scenario = actions.copy_as_scenario(
            round=self.round,
            by=self.office,
            note="No data team",
            remove_team="Data",
            add_must_do=[wait],
            must_do_reason="Regulator",
        )
        self.assertEqual(list(scenario.team_capacities.values_list("team", flat=True)), ["Integration"])
        self.assertTrue(scenario.candidates.get(initiative=self.wait).must_do)
        with self.assertRaises(ValidationError):
            actions.copy_as_scenario(round=self.round, by=self.office, note="  ")


class RobustnessTest(TestCase):
    """The robustness draws score candidates exactly as the run does, with the weights moved."""

    RATINGS = {
        "weighted": ({"DIG-001": HIGH, "DIG-002": MIDDLE}, {"DIG-001": MIDDLE, "DIG-002": LOW, "DIG-003": HIGH}),
        "wsjf": (
            {
                "DIG-001": {"business_value": 8, "time_criticality": 3, "risk_reduction": 1, "job_size": 5},
                "DIG-002": {"business_value": 2, "time_criticality": 8, "risk_reduction": 5, "job_size": 3},
            },
            {"DIG-001": {"business_value": 5, "time_criticality": 5, "risk_reduction": 2, "job_size": 8}},
        ),
        "rice": (
            {
                "DIG-001": {"reach": 900, "impact": 2, "confidence": 80, "effort": 4},
                "DIG-002": {"reach": 300, "impact": 3, "confidence": 50, "effort": 2},
            },
            {
                "DIG-002": {"reach": 500, "impact": 1, "confidence": 100, "effort": 1},
                "DIG-003": {"reach": 100, "impact": 0.5, "confidence": 50, "effort": 1},
            },
        ),
    }

    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.organisation, cls.office, cls.executive = cls.cast.trust, cls.cast.office, cls.cast.executive
        for n in range(1, 5):
            make_initiative(cls.organisation, by=cls.office, reference=f"DIG-00{n}")

    def scored_round(self, method, combine):
        round = actions.create_round(
            organisation=self.organisation,
            by=self.office,
            name=f"{method} {combine}",
            held_on=dt.date(2026, 4, 10),
            method=method,
            combine=combine,
        )
        first, second = self.RATINGS[method]
        rate(round, self.office, first)
        rate(round, self.executive, second)
        return round

    def test_with_no_movement_every_draw_gives_the_scores_of_the_run(self):
        for method in ("weighted", "wsjf", "rice"):
            for combine in ("mean", "median"):
                with self.subTest(method=method, combine=combine):
                    round = self.scored_round(method, combine)
                    weights, inputs = actions.weights_snapshot(round), actions.inputs_snapshot(round)
                    problem, candidates = actions.build_problem(round, actions.score_from_snapshot(weights, inputs))
                    keys = [str(c.pk) for c in candidates]
                    with mock.patch.object(robustness, "ROBUSTNESS_PERTURB", 0.0):
                        draws = robustness.value_draws(weights, inputs, keys, draws=3, seed=1)
                    for row in draws:
                        self.assertEqual(row.tolist(), pytest.approx(problem.values))
                    self.assertEqual(problem.values[3], 0.0)  # DIG-004, which nobody scored

    def test_weights_that_move_change_the_scores_within_bounds_and_reproducibly(self):
        round = self.scored_round("weighted", "mean")
        weights, inputs = actions.weights_snapshot(round), actions.inputs_snapshot(round)
        _, candidates = actions.build_problem(round, actions.score_from_snapshot(weights, inputs))
        keys = [str(c.pk) for c in candidates]
        draws = robustness.value_draws(weights, inputs, keys, draws=50, seed=4)
        self.assertEqual(draws.shape, (50, 4))
        self.assertGreater(draws[:, 1].std(), 0)  # a mixed profile moves with the weights
        self.assertTrue(((draws >= 0) & (draws <= 100 + 1e-9)).all())
        self.assertEqual(draws.tolist(), robustness.value_draws(weights, inputs, keys, draws=50, seed=4).tolist())

    def test_two_close_candidates_competing_for_one_place_are_each_chosen_sometimes(self):
        round = actions.create_round(
            organisation=self.organisation, by=self.office, name="close", held_on=dt.date(2026, 4, 10)
        )
        actions.set_capacity(
            round=round,
            by=self.office,
            budgets={"2026/27": {"capital": 100_000, "revenue": 0}},
            teams={},
            wip_limit=None,
        )
        for reference in ("DIG-001", "DIG-002", "DIG-003", "DIG-004"):
            cost(round, reference, 60_000)
        strategy_first = dict(MIDDLE) | {"strategic_fit": 5, "patient_impact": 1}
        patients_first = dict(MIDDLE) | {"strategic_fit": 1, "patient_impact": 5}
        rate(round, self.office, {"DIG-001": strategy_first, "DIG-002": patients_first, "DIG-003": LOW, "DIG-004": LOW})
        result = actions.run_selection(round=round, by=self.office)
        share = {row["reference"]: result.robustness[pk] for pk, row in result.scores.items()}
        self.assertGreater(share["DIG-001"], 0.1)
        self.assertGreater(share["DIG-002"], 0.1)
        self.assertAlmostEqual(share["DIG-001"] + share["DIG-002"], 1.0)
        self.assertEqual(share["DIG-003"], 0.0)
