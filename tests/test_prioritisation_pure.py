"""The pure prioritisation modules, tested without a database: the stored result's shape and its
loader, the selection problem from a round's limits, where money comes from, and the weight
what-ifs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import SimpleTestCase

from headway.prioritisation import changes, costs, problem, results, robustness, scoring, selection

OLD_RESULT = Path(__file__).parent / "data" / "prioritisation" / "result_unversioned.json"


def old_result() -> dict:
    """A result as the code before the declared shape wrote it (captured from a test round)."""
    return json.loads(OLD_RESULT.read_text())


class PureModulesTest(SimpleTestCase):
    def test_the_maths_modules_import_no_django(self):
        modules = ["changes", "costs", "problem", "results", "robustness", "scoring", "selection"]
        script = (
            "import sys\n"
            + "".join(f"import headway.prioritisation.{m}\n" for m in modules)
            + "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        self.assertEqual(done.stdout.strip(), "[]")


class ResultLoaderTest(SimpleTestCase):
    def test_an_unversioned_result_loads_with_its_scores_reasons_and_shares(self):
        stored = results.load(old_result())
        self.assertEqual(stored.version, results.UNVERSIONED)
        self.assertEqual(stored.score("1")["reference"], "DIG-001")
        self.assertEqual(stored.score(1)["rank"], 1)
        self.assertTrue(stored.score("4")["must_do"])
        self.assertEqual(stored.robustness, {"1": 1.0, "2": 0.0, "3": 0.0, "4": 1.0})
        self.assertEqual(stored.explanations["2"]["displaced"], ["DIG-001"])
        self.assertEqual(stored.explanations["1"]["value_to_leave"], 75.0)
        self.assertEqual(stored.capacity[0], {"name": "2026/27 capital", "capacity": 100_000.0, "used": 70_000.0})
        self.assertEqual(stored.selected, [1, 4])
        self.assertEqual(stored.costs, {})
        self.assertEqual(set(stored.by_initiative()), {1, 2, 3, 4})

    def test_an_old_result_written_without_reasons_or_shares_still_loads(self):
        # As the demo loader wrote them: no explanations, no robustness, and older score rows.
        fields = old_result() | {"explanations": {}, "robustness": {}}
        for row in fields["scores"].values():
            del row["scorers"], row["greedy"], row["must_do"]
        stored = results.load(fields)
        self.assertEqual(stored.explanations, {})
        self.assertEqual(stored.robustness, {})
        self.assertEqual(stored.score("1")["scorers"], 0)
        self.assertFalse(stored.score("1")["greedy"])

    def test_a_result_from_newer_code_is_refused_rather_than_misread(self):
        with self.assertRaises(results.ResultShapeError):
            results.load(old_result() | {"schema_version": results.SCHEMA_VERSION + 1})

    def test_the_stored_scores_are_what_scoring_the_stored_snapshot_gives(self):
        fields = old_result()
        again = scoring.score_from_snapshot(fields["weights"], fields["inputs"])
        for key, row in fields["scores"].items():
            with self.subTest(candidate=key):
                self.assertEqual(again[key]["value"], pytest.approx(row["value"]))
                self.assertEqual(again[key]["n"], row["scorers"])

    def test_a_new_result_is_written_in_the_declared_version_and_loads_back(self):
        source = costs.CostSource(costs.BUSINESS_CASE, "Full business case", {"2026/27": {"capital": 60, "revenue": 0}})
        candidates = [
            results.RunCandidate(pk=11, initiative=1, reference="DIG-001", must_do=False, costs=source),
            results.RunCandidate(
                pk=12, initiative=2, reference="DIG-002", must_do=False, costs=costs.entered({}, "None needed")
            ),
        ]
        weights = {"method": "wsjf", "combine": "mean", "criteria": [], "inputs": ["business_value"]}
        scores = {
            "11": {"value": 5.0, "spread": 0.0, "stdev": 0.0, "n": 1, "wide": False},
            "12": {"value": 3.0, "spread": 0.0, "stdev": 0.0, "n": 1, "wide": False},
        }
        built = selection.Problem(
            values=[5.0, 3.0],
            weights=[[60.0, 50.0]],
            capacities=[100.0],
            names=["DIG-001", "DIG-002"],
            constraint_names=["2026/27 capital"],
        )
        solution = selection.solve(built)
        fields = results.result_fields(
            method="wsjf",
            weights=weights,
            inputs={},
            scores=scores,
            candidates=candidates,
            problem=built,
            solution=solution,
            explanations=selection.explain(built, solution),
            robustness=[1.0, 0.0],
        )
        self.assertEqual(fields["schema_version"], results.SCHEMA_VERSION)
        json.dumps(fields)  # what is stored must be plain JSON
        stored = results.load(fields)
        self.assertEqual(stored.selected, [11])
        self.assertEqual(stored.score(11)["rank"], 1)
        self.assertEqual(stored.costs["11"]["label"], "Full business case")
        self.assertEqual(stored.costs["12"]["label"], "Entered for this round: None needed")
        self.assertEqual(stored.capacity, [{"name": "2026/27 capital", "capacity": 100.0, "used": 60.0}])
        self.assertEqual(stored.explanations["12"]["displaced"], ["DIG-001"])


class ProblemTest(SimpleTestCase):
    def test_money_rows_take_committed_spend_off_the_budget_and_team_rows_count_days(self):
        limits = problem.RoundLimits(
            budgets=[problem.Budget("2026/27", 100_000, 20_000)],
            teams=[problem.TeamDays("EPR team", "2026/27 Q1", 40)],
            requires=[("b", "a")],
            exclusive=[("a", "c")],
            wip_limit=2,
        )
        candidates = [
            problem.CandidateLimits("a", "DIG-001", costs={"2026/27": {"capital": 50_000, "revenue": 0}}),
            problem.CandidateLimits(
                "b",
                "DIG-002",
                must_do=True,
                committed={"2026/27": {"capital": 0, "revenue": 5_000}},
                team_demand={"EPR team": {"2026/27 Q1": 30}},
            ),
            problem.CandidateLimits("c", "DIG-003", costs={"2027/28": {"capital": 1, "revenue": 1}}),
        ]
        built = problem.build_problem(limits, candidates, {"a": 10.0, "b": 4.0})
        self.assertEqual(built.constraint_names, ["2026/27 capital", "2026/27 revenue", "EPR team 2026/27 Q1"])
        self.assertEqual(built.capacities, [100_000.0, 15_000.0, 40.0])
        self.assertEqual(built.weights, [[50_000.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 30.0, 0.0]])
        self.assertEqual(built.values, [10.0, 4.0, 0.0])  # not scored counts 0
        self.assertEqual(
            (built.must, built.requires, built.exclusive, built.max_selected), ([1], [(1, 0)], [(0, 2)], 2)
        )

    def test_stored_amounts_that_cannot_be_read_count_as_nothing(self):
        self.assertEqual([problem.stored_pounds(v) for v in (None, "", "lots", "£1,200", 7)], [0, 0, 0, 1_200, 7])
        self.assertEqual(problem.stored_pounds(-5), -5)  # kept, so that a check can refuse it


class CostsTest(SimpleTestCase):
    case = costs.CostSource(costs.BUSINESS_CASE, "Full business case", {"2026/27": {"capital": 1, "revenue": 2}})
    funding = costs.CostSource(costs.FUNDING_LINES, costs.FUNDING_LABEL, {"2026/27": {"capital": 3, "revenue": 0}})

    def test_money_entered_for_the_round_wins_and_says_why(self):
        chosen = costs.effective_costs(
            entered_costs={"2026/27": {"capital": 9, "revenue": 0}},
            reason=" Quoted ",
            case=self.case,
            funding=self.funding,
        )
        self.assertEqual((chosen.origin, chosen.label), (costs.ENTERED, "Entered for this round: Quoted"))
        self.assertEqual(chosen.totals, {"capital": 9, "revenue": 0})

    def test_then_the_business_case_then_the_funding_lines_then_nothing(self):
        self.assertIs(
            costs.effective_costs(entered_costs={}, reason="", case=self.case, funding=self.funding), self.case
        )
        self.assertIs(costs.effective_costs(entered_costs={}, reason="", case=None, funding=self.funding), self.funding)
        empty_case = costs.CostSource(costs.BUSINESS_CASE, "Outline business case")
        self.assertIs(
            costs.effective_costs(entered_costs={}, reason="", case=empty_case, funding=self.funding), self.funding
        )
        nothing = costs.effective_costs(entered_costs={}, reason="", case=None, funding=None)
        self.assertEqual((nothing.origin, nothing.costs), (costs.NO_COSTS, {}))

    def test_lines_are_summed_by_year_and_kind(self):
        lines = [("2027/28", "capital", 5), ("2026/27", "revenue", 2), ("2026/27", "revenue", 3), ("2026/27", "x", 9)]
        self.assertEqual(
            costs.by_year(lines),
            {"2026/27": {"capital": 0, "revenue": 5}, "2027/28": {"capital": 5, "revenue": 0}},
        )


class RobustnessTest(SimpleTestCase):
    def test_the_draws_of_a_stored_snapshot_are_reproducible_and_move_within_the_scale(self):
        fields = old_result()
        keys = sorted(fields["inputs"], key=int)
        first = robustness.value_draws(fields["weights"], fields["inputs"], keys, draws=40, seed=7)
        again = robustness.value_draws(fields["weights"], fields["inputs"], keys, draws=40, seed=7)
        self.assertEqual(first.shape, (40, 4))
        self.assertEqual(first.tolist(), again.tolist())
        self.assertTrue(((first >= 0) & (first <= 100 + 1e-9)).all())
        self.assertGreater(first[:, 2].std(), 0)

    def test_with_no_movement_every_draw_is_the_stored_score(self):
        fields = old_result()
        keys = sorted(fields["inputs"], key=int)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(robustness, "ROBUSTNESS_PERTURB", 0.0)
            draws = robustness.value_draws(fields["weights"], fields["inputs"], keys, draws=2, seed=1)
        stored = [fields["scores"][k]["value"] for k in keys]
        for row in draws:
            self.assertEqual(row.tolist(), pytest.approx(stored))


class ChangeKindTest(SimpleTestCase):
    def test_each_position_gives_its_change(self):
        cases = [
            ("proposed", True, 3, None, changes.STARTED),
            ("paused", True, 3, (False, 5), changes.STARTED),
            ("active", True, 3, None, changes.NEW),
            ("active", True, 3, (False, 2), changes.NEW),
            ("active", True, 2, (True, 4), changes.MOVED_UP),
            ("active", True, 4, (True, 2), changes.MOVED_DOWN),
            ("active", True, 2, (True, 2), changes.CONTINUED),
            ("active", False, 6, (True, 2), changes.STOPPED),
            ("proposed", False, 6, None, None),
            ("paused", False, 6, None, None),
        ]
        for status, selected, rank, before, expected in cases:
            with self.subTest(status=status, selected=selected, before=before):
                found = changes.change_kind(status=status, selected=selected, rank=rank, before=before)
                self.assertEqual(found, expected)

    def test_its_words_are_the_models_values(self):
        from headway.portfolio.models import Status
        from headway.prioritisation.models import RoundChange

        kinds = {changes.STARTED, changes.STOPPED, changes.PAUSED, changes.CONTINUED, changes.MOVED_UP}
        kinds |= {changes.MOVED_DOWN, changes.NEW}
        self.assertEqual(kinds, set(RoundChange.Kind.values))
        self.assertEqual(
            [changes.PROPOSED_STATUS, changes.ACTIVE_STATUS, changes.PAUSED_STATUS],
            [Status.PROPOSED, Status.ACTIVE, Status.PAUSED],
        )
