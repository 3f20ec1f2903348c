"""Portfolio selection as a MILP (headway.prioritisation.selection), checked on small instances we can
reason about by hand and on published multidimensional knapsack instances with known optima."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from headway.prioritisation.selection import (
    Problem,
    ProblemError,
    diagnose_infeasible,
    explain,
    greedy,
    is_feasible,
    robustness,
    selection_shares,
    solve,
)

MKP = Path(__file__).resolve().parent / "data" / "mkp"

# Published instances (copied unchanged from the project's shared benchmarks, benchmarks/mkp; each
# file's "source" and "provenance" fields give the repository, commit and path):
# - mknap1-2, mknap1-6: OR-Library mknap1 (C.C. Petersen 1967, Management Science 13(9)).
# - mknap2-WEING7 (Weingartner and Ness 1967), mknap2-PB7 (Fréville and Plateau): OR-Library mknap2.
# - OR5x100-0.25_1: OR-Library mknapcb1 (P.C. Chu and J.E. Beasley 1998, J. Heuristics 4:63–86).
# - pisinger-knapPI_3_1000_1000_1, pisinger-hard-knapPI_11_20_1000_1: D. Pisinger, "Where are the
#   hard knapsack problems?", Computers & Operations Research 32 (2005) 2271–2284.
INSTANCES = [
    ("mknap1-2", 5.0),
    ("mknap1-6", 5.0),
    ("mknap2-WEING7", 5.0),
    ("mknap2-PB7", 5.0),
    ("pisinger-knapPI_3_1000_1000_1", 5.0),
    ("pisinger-hard-knapPI_11_20_1000_1", 5.0),
    ("OR5x100-0.25_1", 1.5),  # reaches the optimum in well under a second; proving it takes ~10 s
]


def knapsack(values, sizes, capacity, **kwargs) -> Problem:
    return Problem(values=values, weights=[sizes], capacities=[capacity], **kwargs)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "time_limit"), INSTANCES)
def test_published_instances_reach_their_best_known_value_with_a_feasible_selection(name, time_limit):
    instance = json.loads((MKP / f"{name}.json").read_text())
    assert instance["source"]  # cited in the file itself
    problem = Problem(
        values=instance["values"],
        weights=instance["weights"],
        capacities=instance["capacities"],
        time_limit_s=time_limit,
        mip_rel_gap=0,
    )
    solution = solve(problem)
    assert is_feasible(problem, solution.selected)
    assert solution.objective == pytest.approx(instance["best_known"], abs=1e-6)
    assert solution.bound >= solution.objective
    if name != "OR5x100-0.25_1":
        assert solution.status == "optimal"
        assert solution.gap == pytest.approx(0, abs=1e-9)
    assert is_feasible(problem, solution.greedy_selected)
    assert solution.greedy_objective <= solution.objective
    assert solution.value_left_by_greedy == pytest.approx(solution.objective - solution.greedy_objective)


def test_the_optimiser_beats_a_greedy_ratio_sort_where_greedy_fills_the_budget_badly():
    # A has the best value per unit of budget, so greedy takes it and then nothing else fits;
    # B and C together are worth more.
    problem = knapsack([9, 5, 5], [6, 5, 5], 10, names=["A", "B", "C"])
    solution = solve(problem)
    assert solution.status == "optimal"
    assert solution.selected == [1, 2]
    assert solution.objective == 10
    assert greedy(problem) == [0]
    assert solution.greedy_objective == 9
    assert solution.value_left_by_greedy == 1


def test_must_dos_are_always_selected_even_when_poor_value():
    problem = knapsack([1, 10, 10], [5, 5, 5], 10, must=[0])
    solution = solve(problem)
    assert 0 in solution.selected
    assert solution.objective == 11


def test_an_item_comes_with_the_items_it_needs_or_not_at_all():
    # A (worth 10) needs B (worth 0); C is worth 8. Budget 10 fits A+B or C only.
    problem = knapsack([10, 0, 8], [5, 5, 10], 10, requires=[(0, 1)])
    assert solve(problem).selected == [0, 1]
    # If B costs more, A cannot bring it along, and C wins.
    dearer = knapsack([10, 0, 8], [5, 6, 10], 10, requires=[(0, 1)])
    assert solve(dearer).selected == [2]


def test_a_dependency_cycle_means_both_or_neither():
    problem = knapsack([10, -1, 5], [3, 3, 10], 10, requires=[(0, 1), (1, 0)])
    solution = solve(problem)
    assert solution.selected == [0, 1]
    assert not diagnose_infeasible(problem)


def test_mutually_exclusive_options_are_never_both_selected():
    problem = knapsack([10, 9, 1], [1, 1, 1], 10, exclusive=[(0, 1)])
    assert solve(problem).selected == [0, 2]


def test_the_work_in_progress_limit_caps_the_number_selected():
    problem = knapsack([5, 4, 3, 2], [1, 1, 1, 1], 10, max_selected=2)
    assert solve(problem).selected == [0, 1]


def test_whole_number_values_let_the_bound_prove_optimality():
    solution = solve(knapsack([3, 4, 5], [2, 3, 4], 5))
    assert solution.status == "optimal"
    assert solution.bound == solution.objective == 7


def test_must_dos_over_budget_are_explained_with_the_amounts():
    problem = Problem(
        values=[1, 1, 1],
        weights=[[2.0, 2.2, 0.5]],
        capacities=[3.5],
        must=[0, 1],
        names=["EPR", "PACS", "Wi-Fi"],
        constraint_names=["2026/27 capital (£m)"],
    )
    solution = solve(problem)
    assert solution.status == "infeasible"
    assert solution.selected == []
    assert solution.conflicts == [
        "The must-do items alone need 4.20 of 2026/27 capital (£m) against a capacity of 3.50 "
        "(largest: PACS 2.20, EPR 2)."
    ]


def test_a_needed_item_excluded_with_a_must_do_is_explained_along_the_chain():
    problem = knapsack([1, 1, 1], [0, 0, 0], 1, must=[0, 2], requires=[(0, 1)], exclusive=[(1, 2)], names=list("ABC"))
    (message,) = diagnose_infeasible(problem)
    assert message == "B and C are mutually exclusive, but both are needed: B, which must-do A needs; and must-do C."
    assert solve(problem).conflicts == [message]


def test_two_exclusive_must_dos_are_explained():
    problem = knapsack([1, 1], [0, 0], 1, must=[0, 1], exclusive=[(0, 1)], names=["A", "B"])
    assert diagnose_infeasible(problem) == ["A and B are both must-dos, but they are mutually exclusive."]


def test_more_must_dos_than_the_work_in_progress_limit_is_explained():
    problem = knapsack([1, 1, 1], [0, 0, 0], 1, must=[0, 1], requires=[(1, 2)], max_selected=2)
    assert diagnose_infeasible(problem) == [
        "There are 3 must-do items (counting the items they need) but the work-in-progress limit is 2."
    ]


def test_a_feasible_problem_has_no_conflicts():
    assert diagnose_infeasible(knapsack([1, 2], [1, 1], 1, must=[0])) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": [[1, 2]]}, r"weights\[0\]: has 2 entries but there are 3 values"),
        ({"capacities": [-1]}, r"capacities\[0\]: -1 is negative"),
        ({"values": [1, float("nan"), 3]}, r"values\[1\]: nan is not a finite number"),
        ({"values": [1, "2", 3]}, r"values\[1\]: '2' is not a number"),
        ({"must": [3]}, r"must\[0\]: 3 is not an item index"),
        ({"requires": [(0, 5)]}, r"requires\[0\]: \[0, 5\] refers to an item outside"),
        ({"exclusive": [(1, 1)]}, r"exclusive\[0\]: \[1, 1\] pairs an item with itself"),
        ({"capacities": [1, 2]}, r"capacities: has 2 entries but there are 1 weight rows"),
        ({"max_selected": -1}, "max_selected"),
    ],
)
def test_malformed_problems_are_refused_naming_the_field_and_index(kwargs, message):
    fields = {"values": [1, 2, 3], "weights": [[1, 1, 1]], "capacities": [2], **kwargs}
    with pytest.raises(ProblemError, match=message):
        Problem(**fields)


def test_a_forced_in_item_displaces_the_expected_items_and_its_entry_value_is_exact():
    # A and B (worth 19 together) fill the budget; C (worth 12) needs all of it.
    problem = knapsack([10, 9, 12], [5, 5, 10], 10, names=["A", "B", "C"], constraint_names=["capital"])
    solution = solve(problem)
    assert solution.selected == [0, 1]
    a, b, c = explain(problem, solution)
    assert not c.selected
    assert c.displaced == [0, 1]
    assert c.value_to_enter == pytest.approx(19)  # worth more than A+B together
    assert c.binding == ["capital"]
    assert c.reason == (
        "C is out: bringing it in would push out A and B (worth 19); it would need a value above 19 (now 12) "
        "to be selected; it uses capital, which is full."
    )
    assert a.selected
    assert a.value_to_leave == pytest.approx(3)  # below 3, C alone (12) beats A+B
    assert a.brought_in == [2]
    assert b.value_to_leave == pytest.approx(2)
    # The thresholds are right: just above/below them the selection changes.
    assert solve(knapsack([10, 9, 19.01], [5, 5, 10], 10)).selected == [2]
    assert solve(knapsack([2.99, 9, 12], [5, 5, 10], 10)).selected == [2]


def test_explanations_name_must_dos_and_items_that_can_never_fit():
    problem = knapsack([1, 5, 9], [1, 1, 20], 10, must=[0], exclusive=[(0, 1)], names=["A", "B", "C"])
    solution = solve(problem)
    a, b, c = explain(problem, solution)
    assert a.reason == "A is a must-do."
    assert b.value_to_enter is None
    assert b.reason == (
        "B is out and can never be selected (treated as a must-do: A and B are both must-dos, but they are "
        "mutually exclusive)."
    )
    assert c.value_to_enter is None
    assert "need 21 of constraint 0 against a capacity of 10" in c.reason


def test_explaining_an_infeasible_problem_gives_the_conflict_for_every_item():
    problem = knapsack([1, 1], [5, 6], 10, must=[0, 1])
    explanations = explain(problem, solve(problem))
    assert all(not e.selected and "must-do items alone need 11" in e.reason for e in explanations)


def test_robustness_is_reproducible_and_a_dominant_candidate_is_always_selected():
    ratings = np.array([[5, 5, 1], [1, 1, 5], [3, 4, 3], [4, 3, 3]])
    base = knapsack([0, 0, 0, 0], [1, 1, 1, 1], 2)
    shares = robustness(base, ratings, [1, 1, 1], [True, True, False], draws=50, seed=3)
    assert shares == robustness(base, ratings, [1, 1, 1], [True, True, False], draws=50, seed=3)
    assert shares[0] == 1.0
    assert shares[1] == 0.0
    assert shares[2] + shares[3] == pytest.approx(1.0)
    assert 0 < shares[2] < 1  # the third and fourth swap places as the weights move


def test_selection_shares_count_each_draw_and_agree_across_workers():
    base = knapsack([0, 0, 0], [1, 1, 1], 2, must=[2])
    draws = np.array([[3.0, 1.0, 0.0], [1.0, 3.0, 0.0], [3.0, 2.0, 0.0], [2.0, 3.0, 0.0]] * 5)
    shares = selection_shares(base, draws)
    assert shares == [0.5, 0.5, 1.0]  # the must-do every time; the better of the other two each time
    assert selection_shares(base, draws, workers=2) == shares


def test_selection_shares_match_a_fresh_exact_solve_of_every_draw():
    # The warm start from earlier draws must never change the answer: compare with solve().
    rng = np.random.default_rng(7)
    costs = rng.integers(1, 9, size=12).tolist()
    base = knapsack([0.0] * 12, costs, 20)
    draws = rng.uniform(1, 10, size=(30, 12))
    expected = np.zeros(12)
    for values in draws:
        solution = solve(knapsack(values.tolist(), costs, 20))
        expected[solution.selected] += 1
    assert selection_shares(base, draws) == pytest.approx((expected / 30).tolist())


def test_selection_shares_reject_bad_draws_and_give_zeros_when_infeasible():
    with pytest.raises(ProblemError, match="one row per draw and 2 columns"):
        selection_shares(knapsack([1, 1], [1, 1], 1), [[1.0, 2.0, 3.0]])
    with pytest.raises(ProblemError, match="finite"):
        selection_shares(knapsack([1, 1], [1, 1], 1), [[1.0, float("nan")]])
    assert selection_shares(knapsack([1, 1], [5, 6], 10, must=[0, 1]), [[1.0, 1.0]]) == [0.0, 0.0]


# Exact explanations on near-ties (issue 10 item 17, ADR 19) --------------------------------------


def brute_force_best(problem: Problem, *, forced_in: int | None = None, forced_out: int | None = None) -> float:
    """The best total over every subset (capacity rows only), by enumeration: the truth to check
    the solver's thresholds against."""
    n = problem.n
    masks = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(np.float64)
    feasible = np.all(masks @ np.asarray(problem.weights, dtype=np.float64).T <= np.asarray(problem.capacities), axis=1)
    if forced_in is not None:
        feasible &= masks[:, forced_in] == 1
    if forced_out is not None:
        feasible &= masks[:, forced_out] == 0
    totals = masks @ np.asarray(problem.values, dtype=np.float64)
    return float(totals[feasible].max()) if feasible.any() else -np.inf


def near_tie(seed: int, n: int = 12, **kwargs) -> Problem:
    """Values of about 100 that differ by hundredths, under two tight budgets: totals of about 600,
    so the default relative gap of 1e-4 allows 0.06, more than the differences that decide."""
    rng = np.random.default_rng(seed)
    values = (100 + rng.integers(0, 6, n) * 0.01).round(2).tolist()
    weights = rng.integers(3, 11, (2, n)).astype(float)
    capacities = (weights.sum(axis=1) * 0.45).round().tolist()
    return Problem(values=values, weights=weights.tolist(), capacities=capacities, **kwargs)


def test_explanations_on_near_ties_state_the_thresholds_brute_force_finds():
    wrong = []
    for seed in range(12):
        problem = near_tie(seed)  # the default relative gap, as rounds were solved before
        solution = solve(problem)
        best = brute_force_best(problem)
        if solution.status == "optimal":
            assert solution.objective == pytest.approx(best, abs=1e-9), seed
        for e in explain(problem, solution):
            value = problem.values[e.index]
            if e.selected:
                truth = value - (best - brute_force_best(problem, forced_out=e.index))
                stated = e.value_to_leave
                ok = stated is not None and (
                    stated == pytest.approx(truth, abs=1e-6) if e.exact else stated <= truth + 1e-6
                )
            else:
                truth = value + (best - brute_force_best(problem, forced_in=e.index))
                stated = e.value_to_enter
                ok = stated is not None and (
                    stated == pytest.approx(truth, abs=1e-6) if e.exact else stated >= truth - 1e-6
                )
            if not ok:
                wrong.append(f"seed {seed} item {e.index}: stated {stated}, truth {truth:.4f}: {e.reason}")
            assert "lose -" not in e.reason
    assert wrong == []


def test_a_rounds_problem_is_proven_optimal_so_every_explanation_is_exact():
    for seed in range(10):
        problem = near_tie(seed, mip_rel_gap=0.0)
        solution = solve(problem)
        assert solution.status == "optimal"
        assert solution.objective == pytest.approx(brute_force_best(problem), abs=1e-9)
        assert all(e.exact for e in explain(problem, solution))


def test_optimal_is_said_only_when_proven_and_a_stop_at_the_gap_says_so():
    problem = near_tie(3, n=14, mip_rel_gap=0.05)
    solution = solve(problem)
    best = brute_force_best(problem)
    if solution.objective < best - 1e-9:
        assert solution.status == "within_gap"
    assert solution.status in {"optimal", "within_gap"}
    assert (solution.status == "optimal") == (solution.bound - solution.objective <= 1e-6)


def test_an_unproven_threshold_is_stated_as_a_range():
    # A time limit too short to prove anything: whatever was found, the words say it is a range.
    problem = Problem(**{**_instance("OR5x100-0.25_1"), "time_limit_s": 0.05, "mip_rel_gap": 0.0})
    solution = solve(problem)
    assert solution.status == "time_limit"
    [e] = explain(problem, solution, items=[next(k for k in range(problem.n) if k not in solution.selected)])
    assert not e.exact
    assert "between" in e.reason or "could not be worked out" in e.reason
    assert "in the time allowed" in e.reason


def _instance(name: str) -> dict:
    instance = json.loads((MKP / f"{name}.json").read_text())
    return {key: instance[key] for key in ("values", "weights", "capacities")}


def test_thresholds_on_a_published_instance_move_the_item_when_crossed():
    # mknap1-2 (Petersen 1967, via OR-Library): profits with one decimal place.
    problem = Problem(**_instance("mknap1-2"), mip_rel_gap=0.0)
    solution = solve(problem)
    assert solution.status == "optimal"
    for e in explain(problem, solution):
        threshold = e.value_to_leave if e.selected else e.value_to_enter
        if threshold is None:
            continue
        assert e.exact
        for step, expect_in in ((0.01, True), (-0.01, False)):
            values = list(problem.values)
            values[e.index] = threshold + step
            moved = solve(Problem(**{**_instance("mknap1-2"), "values": values, "mip_rel_gap": 0.0}))
            assert (e.index in moved.selected) is expect_in, (e.index, step, e.reason)


def test_the_solver_writes_nothing_on_standard_output():
    # Solved in a fresh process so that output HiGHS writes from C (file descriptor 1) is seen too;
    # the time limit is short so that the unproven paths, where solvers like to log, are taken.
    script = (
        "import json, numpy as np\n"
        "from headway.prioritisation.selection import Problem, solve, explain, selection_shares\n"
        f"d = json.load(open({str(MKP / 'OR5x100-0.25_1.json')!r}))\n"
        "p = Problem(values=d['values'], weights=d['weights'], capacities=d['capacities'], time_limit_s=0.1)\n"
        "s = solve(p)\n"
        "explain(p, s, items=[0, 1])\n"
        "draws = np.tile(np.asarray(p.values, float), (8, 1)) + np.random.default_rng(1).normal(0, 1, (8, p.n))\n"
        "selection_shares(p, draws, time_limit_s=0.05, seconds=2)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout == ""


def test_what_the_solver_prints_from_c_goes_to_standard_error_and_standard_output_comes_back():
    # Some HiGHS builds print a debugging line with C's printf only when a time limit cuts the
    # search at the right moment, so the test above cannot make it happen on demand: this one
    # prints from C inside the guard the solves run in, and checks where each line lands.
    script = (
        "import ctypes, sys\n"
        "from headway.prioritisation.selection import _solver_output_to_stderr\n"
        "libc = ctypes.CDLL(None)\n"
        "print('before', flush=True)\n"
        "with _solver_output_to_stderr():\n"
        "    with _solver_output_to_stderr():\n"
        "        libc.printf(b'from C inside\\n')\n"
        "    libc.printf(b'from C still inside\\n')\n"
        "    print('from Python inside', flush=True)\n"
        "print('after', flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout == "before\nafter\n"
    assert done.stderr.splitlines() == ["from C inside", "from C still inside", "from Python inside"]
