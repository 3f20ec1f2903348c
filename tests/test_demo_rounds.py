"""The demo's prioritisation rounds: two closed rounds that agree with the decision history, and
an open round the board can run."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import TestCase

from headway.accounts.models import Organisation
from headway.demo import data, finance_data, rounds_data
from headway.demo.loader import load_demo
from headway.portfolio.models import Decision
from headway.prioritisation import actions, costs, sources
from headway.prioritisation.models import Candidate, Rating, Result, Round, RoundChange

# Each class loads the whole demo organisation (seconds).
pytestmark = pytest.mark.slow

# A Thursday in November: the open round is held the day before and plans 2026/27 Q4.
TODAY = dt.date(2026, 11, 26)


def round_counts(organisation: Organisation) -> dict[str, int]:
    rounds = Round.objects.for_organisation(organisation)
    return {
        "rounds": rounds.count(),
        "candidates": Candidate.objects.filter(round__in=rounds).count(),
        "ratings": Rating.objects.filter(round__in=rounds).count(),
        "results": Result.objects.filter(round__in=rounds).count(),
        "changes": RoundChange.objects.filter(round__in=rounds).count(),
    }


class DemoRoundsTests(TestCase):
    acute: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        cls.acute = load_demo(today=TODAY, stdout=io.StringIO()).organisation

    def closed_rounds(self) -> list[Round]:
        return list(
            Round.objects.for_organisation(self.acute).rounds().filter(status=Round.State.CLOSED).order_by("held_on")
        )

    def open_round(self) -> Round:
        return Round.objects.for_organisation(self.acute).rounds().get(status=Round.State.OPEN)

    def changes(self, round: Round) -> dict[str, RoundChange]:
        return {c.initiative.reference: c for c in round.changes.select_related("initiative", "decision")}

    def test_it_holds_two_closed_rounds_before_an_open_one_this_month(self) -> None:
        first, second = self.closed_rounds()
        open_round = self.open_round()
        self.assertEqual([first.name, second.name, open_round.name], ["2026/27 Q2", "2026/27 Q3", "2026/27 Q4"])
        self.assertLess(first.held_on, second.held_on)
        self.assertEqual((open_round.held_on.year, open_round.held_on.month), (TODAY.year, TODAY.month))
        self.assertEqual(second.previous, first)
        self.assertEqual(open_round.previous, second)

    def test_every_change_in_a_closed_round_has_a_reason(self) -> None:
        for round in self.closed_rounds():
            changes = list(round.changes.all())
            self.assertGreater(len(changes), 10, round.name)
            self.assertTrue(all(c.reason.strip() for c in changes), round.name)
            result = round.current_result
            assert result is not None
            self.assertEqual(result.status, "optimal")

    def test_a_change_points_at_the_decision_recorded_at_the_same_meeting(self) -> None:
        linked = 0
        for round in self.closed_rounds():
            same_day = {
                d.initiative_id: d
                for d in Decision.objects.filter(initiative__organisation=self.acute, decided_on=round.held_on)
            }
            self.assertTrue(same_day, round.name)
            for change in round.changes.all():
                self.assertEqual(change.decision, same_day.get(change.initiative_id), change)
                if change.decision is not None:
                    linked += 1
                    self.assertEqual(change.reason, change.decision.rationale)
                    # A start or stop in the round is the same kind of decision in the history.
                    if change.decision_kind in (Decision.Kind.START, Decision.Kind.STOP):
                        self.assertEqual(change.decision.kind, change.decision_kind)
        self.assertGreaterEqual(linked, 5)

    def test_the_closed_rounds_tell_the_same_story_as_the_decisions(self) -> None:
        first, second = (self.changes(r) for r in self.closed_rounds())
        self.assertEqual(first["DIG-018"].change, RoundChange.Kind.STARTED)
        self.assertEqual(first["DIG-019"].change, RoundChange.Kind.STARTED)
        self.assertEqual(second["DIG-008"].change, RoundChange.Kind.STARTED)
        self.assertEqual(second["DIG-010"].change, RoundChange.Kind.STOPPED)
        stop = second["DIG-010"].decision
        assert stop is not None
        self.assertEqual(stop.kind, Decision.Kind.STOP)
        # Initiatives stopped between the rounds are no longer candidates in the second.
        self.assertNotIn("DIG-005", second)
        self.assertNotIn("DIG-011", second)

    def test_the_rounds_were_closed_by_close_round_with_one_decision_for_each_change(self) -> None:
        # The story's own decisions are all there once; each change without one at its meeting got
        # a decision from the round, dated the meeting day and naming the round as evidence.
        recorded = Decision.objects.filter(initiative__organisation=self.acute).count()
        specs = (*data.INITIATIVES, *finance_data.FINISHED)
        in_story = sum(len(spec.decisions) for spec in specs if spec.organisation == data.ACUTE)
        from_rounds = 0
        for round in self.closed_rounds():
            self.assertIsNotNone(round.closed_at)
            for change in round.changes.select_related("decision"):
                decision = change.decision
                assert decision is not None, change
                self.assertEqual(decision.decided_on, round.held_on)
                if decision.evidence.startswith(f"Prioritisation round {round.name}"):
                    self.assertEqual(decision.kind, change.decision_kind)
                    from_rounds += 1
        self.assertGreater(from_rounds, 20)
        self.assertEqual(recorded, in_story + from_rounds)

    def test_the_open_round_has_everything_it_needs_to_run(self) -> None:
        round = self.open_round()
        self.assertIsNone(round.current_result)
        self.assertGreaterEqual(round.candidates.count(), 15)
        self.assertEqual(round.budgets.count(), 2)
        self.assertEqual(
            set(round.team_capacities.values_list("team", flat=True)),
            {"EPR team", "Integration team", "Digital nursing", "Data and analytics"},
        )
        self.assertGreaterEqual(round.ratings.values("scorer").distinct().count(), 2)
        self.assertTrue(round.candidates.filter(must_do=True).exclude(must_do_reason="").exists())
        self.assertTrue(round.dependencies.exists())
        self.assertTrue(round.exclusives.exists())
        # Every candidate is fully rated by every scorer.
        expected = round.candidates.count() * 3 * len(actions.inputs_for(round))
        self.assertEqual(round.ratings.count(), expected)

    def test_running_the_open_round_gives_an_optimal_selection_within_capacity(self) -> None:
        round = self.open_round()
        result = actions.run_selection(round=round, by=None)
        self.assertEqual(result.status, "optimal")
        chosen = set(result.selected)
        self.assertTrue(chosen)
        self.assertLessEqual(len(chosen), round.wip_limit or len(chosen))
        for row in result.capacity:
            self.assertLessEqual(row["used"], row["capacity"] + 1e-6, row["name"])
        for candidate in round.candidates.filter(must_do=True):
            self.assertIn(candidate.pk, chosen)
        for dependency in round.dependencies.all():
            if dependency.candidate_id in chosen:
                self.assertIn(dependency.requires_id, chosen)
        for pair in round.exclusives.all():
            self.assertFalse({pair.a_id, pair.b_id} <= chosen)
        # Something is left out: the round asks the board to choose.
        self.assertLess(len(chosen), round.candidates.count())

    def test_the_open_round_takes_its_money_from_finance_and_types_it_only_with_a_reason(self) -> None:
        round = self.open_round()
        candidates = list(round.candidates.select_related("initiative"))
        money = sources.effective_costs(candidates)
        origins = [money[c.pk].origin for c in candidates]
        self.assertGreaterEqual(origins.count(costs.BUSINESS_CASE), 10)
        self.assertIn(costs.FUNDING_LINES, origins)
        self.assertNotIn(costs.NO_COSTS, origins)
        open_spec = next(spec for spec in rounds_data.ROUNDS if not spec.closed)
        reasons = dict(open_spec.costs_entered)
        typed = {c.initiative.reference: c.costs_reason for c in candidates if money[c.pk].origin == costs.ENTERED}
        self.assertEqual(typed, reasons)
        self.assertTrue(all(c.initiative.status == "paused" for c in candidates if c.initiative.reference in typed))
        self.assertNotIn(rounds_data.COSTS_REASON, typed.values())

    def test_the_past_rounds_were_held_on_figures_typed_at_the_time(self) -> None:
        for round in self.closed_rounds():
            result = round.current_result
            assert result is not None
            used = result.stored().costs.values()
            self.assertTrue(used, round.name)
            self.assertEqual({c["origin"] for c in used}, {costs.ENTERED}, round.name)
            self.assertEqual(set(round.candidates.values_list("costs_reason", flat=True)), {rounds_data.COSTS_REASON})

    def test_less_money_in_the_what_if_changes_what_is_chosen(self) -> None:
        round = self.open_round()
        scenario = round.scenarios.get()
        full = actions.run_selection(round=round, by=None, with_robustness=False)
        chosen = {c.initiative_id for c in round.candidates.filter(pk__in=full.stored().selected)}
        less = actions.run_selection(round=scenario, by=None, with_robustness=False)
        self.assertEqual(less.status, "optimal")
        self.assertNotEqual(
            {c.initiative_id for c in scenario.candidates.filter(pk__in=less.stored().selected)}, chosen
        )

    def test_the_scorers_disagree_widely_about_one_candidate(self) -> None:
        round = self.open_round()
        scores = actions.score_from_snapshot(actions.weights_snapshot(round), actions.inputs_snapshot(round))
        wide = [pk for pk, score in scores.items() if score["wide"]]
        references = Candidate.objects.filter(pk__in=[int(pk) for pk in wide]).values_list(
            "initiative__reference", flat=True
        )
        self.assertEqual(list(references), ["DIG-024"])

    def test_loading_again_adds_no_rounds(self) -> None:
        before = round_counts(self.acute)
        summary = load_demo(today=TODAY, stdout=io.StringIO())
        self.assertFalse(summary.created)
        self.assertEqual(round_counts(self.acute), before)
