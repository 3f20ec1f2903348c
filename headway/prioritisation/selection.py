"""Optimal portfolio selection: a 0-1 integer programme solved exactly with HiGHS (scipy.optimize.milp).

Pure computation (numpy, scipy); no Django. The model, for candidates j = 0..n−1 with x_j ∈ {0, 1}:

    maximise   Σ v_j x_j
    subject to Σ_j w_ij x_j ≤ c_i      for each capacity row i (a year's capital or revenue, a team-quarter)
               x_i = 1                  for each must-do i
               x_i ≤ x_j                for each (i, j) in requires  (i needs j; cycles mean "both or neither")
               x_i + x_j ≤ 1            for each (i, j) in exclusive (alternatives)
               Σ_j x_j ≤ max_selected   (the work-in-progress limit, if any)

Weights and capacities are not negative, so a selection exists exactly when the must-dos together
with everything they need (transitively) fit: `diagnose_infeasible` checks precisely that, and so
explains every infeasible input in plain English. See docs/prioritisation.md.
"""

from __future__ import annotations

import ctypes
import math
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from typing import Literal

import highspy
import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csc_matrix, csr_matrix

from headway.prioritisation.scoring import weighted_scores

#: "optimal": proven the best (to within PROOF_TOLERANCE); "within_gap": the solver stopped at the
#: relative gap it was asked for, so the best may be a little higher; "time_limit": time ran out.
Status = Literal["optimal", "within_gap", "time_limit", "infeasible"]
FloatArray = npt.NDArray[np.float64]

#: A capacity row counts as binding when its slack is at most this share of its capacity (or too
#: small for any unselected candidate that uses it).
NEAR_CAPACITY_SHARE = 0.02

#: How far below its proven bound a total value may be and still count as proven the best: HiGHS's
#: own absolute gap tolerance (its relative gap is set to 0 for a proof), plus rounding.
PROOF_TOLERANCE = 1e-6


class ProblemError(ValueError):
    """A malformed problem. `field` names the input and `index` the offending position, if any."""

    def __init__(self, field: str, message: str, index: int | None = None) -> None:
        where = field if index is None else f"{field}[{index}]"
        super().__init__(f"{where}: {message}")
        self.field = field
        self.index = index



# --------------------------------------------------------------------------- solver output
#
# Some HiGHS builds print a leftover debugging line ("HighsMipSolverData::transformNewInteger...")
# with C's printf whatever `output_flag` says, and only when a time limit cuts a search at the
# right moment. On standard output it would corrupt what a command prints (JSON, CSV). While any
# solve runs, file descriptor 1 therefore points at standard error: the line reaches the log, and
# whatever another thread writes to standard output meanwhile is moved to standard error, not lost.

_redirect_lock = threading.Lock()
_redirect_users = 0
_saved_stdout: int | None = None


def _flush_c_stdio() -> None:
    with suppress(OSError, AttributeError):  # no C library to ask (not a POSIX system)
        ctypes.CDLL(None).fflush(None)


@contextmanager
def _solver_output_to_stderr() -> Iterator[None]:
    global _redirect_users, _saved_stdout
    with _redirect_lock:
        if _redirect_users == 0:
            with suppress(AttributeError, ValueError, OSError):  # closed or replaced standard output
                sys.stdout.flush()
            _flush_c_stdio()
            try:
                _saved_stdout = os.dup(1)
                os.dup2(2, 1)
            except OSError:  # no standard output or error to move: nothing to protect
                _saved_stdout = None
        _redirect_users += 1
    try:
        yield
    finally:
        with _redirect_lock:
            _redirect_users -= 1
            if _redirect_users == 0 and _saved_stdout is not None:
                _flush_c_stdio()
                os.dup2(_saved_stdout, 1)
                os.close(_saved_stdout)
                _saved_stdout = None


@dataclass(frozen=True)
class Problem:
    values: list[float]
    weights: list[list[float]]  # one row per capacity constraint, each with one entry per candidate
    capacities: list[float]
    must: list[int] = field(default_factory=list)
    requires: list[tuple[int, int]] = field(default_factory=list)  # (i, j): i needs j
    exclusive: list[tuple[int, int]] = field(default_factory=list)  # (i, j): not both
    max_selected: int | None = None  # the work-in-progress limit
    names: list[str] | None = None
    constraint_names: list[str] | None = None
    time_limit_s: float = 10
    mip_rel_gap: float = 1e-4

    def __post_init__(self) -> None:
        validate(self)

    @property
    def n(self) -> int:
        return len(self.values)

    def item_name(self, index: int) -> str:
        return self.names[index] if self.names is not None else f"item {index}"

    def constraint_name(self, row: int) -> str:
        return self.constraint_names[row] if self.constraint_names is not None else f"constraint {row}"


@dataclass(frozen=True)
class Solution:
    status: Status
    selected: list[int]
    objective: float
    bound: float  # proven upper bound on the best total value (equals objective when optimal)
    gap: float  # (bound − objective) / max(|objective|, 1e-9)
    greedy_selected: list[int]
    greedy_objective: float
    seconds: float
    conflicts: list[str] = field(default_factory=list)  # plain-English reasons when infeasible

    @property
    def value_left_by_greedy(self) -> float:
        """How much more value the optimiser captures than the greedy ratio sort."""
        return self.objective - self.greedy_objective


@dataclass(frozen=True)
class Explanation:
    index: int
    selected: bool
    binding: list[str]  # full (or nearly full) constraints this item uses
    displaced: list[int]  # out item: what would leave if it were forced in
    brought_in: list[int]  # what would come in: with it forced in (out item) or forced out (in item)
    value_to_enter: float | None  # out item: the value at which it would be selected; None if it never can
    value_to_leave: float | None  # in item: the value below which it would drop out; None if it never can
    reason: str
    # False when a solve behind the threshold was not proven within its time: the threshold is then
    # only known to lie in a range, and value_to_enter (value_to_leave) is the end of it that is
    # certain: above it the item would be selected (below it, it would drop out).
    exact: bool = True


# --------------------------------------------------------------------------- validation


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def _is_index(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _numbers(name: str, values: object, *, non_negative: bool) -> None:
    if not isinstance(values, list | tuple | np.ndarray):
        raise ProblemError(name, "must be a list of numbers.")
    for index, value in enumerate(values):
        if not _is_number(value):
            raise ProblemError(name, f"{value!r} is not a number.", index)
        if not math.isfinite(value):
            raise ProblemError(name, f"{value!r} is not a finite number.", index)
        if non_negative and value < 0:
            raise ProblemError(name, f"{value!r} is negative.", index)


def _pairs(name: str, pairs: object, n: int) -> None:
    if not isinstance(pairs, list | tuple):
        raise ProblemError(name, "must be a list of [i, j] pairs.")
    for index, pair in enumerate(pairs):
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not all(_is_index(k) for k in pair):
            raise ProblemError(name, f"{pair!r} is not a pair of item indices.", index)
        i, j = pair
        if not (0 <= i < n and 0 <= j < n):
            raise ProblemError(name, f"{list(pair)!r} refers to an item outside 0–{n - 1}.", index)
        if i == j:
            raise ProblemError(name, f"{list(pair)!r} pairs an item with itself.", index)


def validate(problem: Problem) -> None:
    """Raise ProblemError (naming the field and index) unless the problem is well formed."""
    _numbers("values", problem.values, non_negative=False)
    n = len(problem.values)
    if n == 0:
        raise ProblemError("values", "there must be at least one candidate.")
    if not isinstance(problem.weights, list | tuple | np.ndarray):
        raise ProblemError("weights", "must be a list of rows, one per constraint.")
    for row_index, row in enumerate(problem.weights):
        name = f"weights[{row_index}]"
        if not isinstance(row, list | tuple | np.ndarray):
            raise ProblemError(name, "must be a list of numbers, one per candidate.")
        if len(row) != n:
            raise ProblemError(name, f"has {len(row)} entries but there are {n} values.")
        _numbers(name, row, non_negative=True)
    _numbers("capacities", problem.capacities, non_negative=True)
    if len(problem.capacities) != len(problem.weights):
        raise ProblemError(
            "capacities", f"has {len(problem.capacities)} entries but there are {len(problem.weights)} weight rows."
        )
    if not isinstance(problem.must, list | tuple):
        raise ProblemError("must", "must be a list of item indices.")
    for index, item in enumerate(problem.must):
        if not _is_index(item) or not 0 <= item < n:
            raise ProblemError("must", f"{item!r} is not an item index 0–{n - 1}.", index)
    _pairs("requires", problem.requires, n)
    _pairs("exclusive", problem.exclusive, n)
    if problem.max_selected is not None and (not _is_index(problem.max_selected) or problem.max_selected < 0):
        raise ProblemError("max_selected", f"{problem.max_selected!r} is not a whole number ≥ 0.")
    if problem.names is not None and len(problem.names) != n:
        raise ProblemError("names", f"has {len(problem.names)} entries but there are {n} values.")
    if problem.constraint_names is not None and len(problem.constraint_names) != len(problem.weights):
        raise ProblemError(
            "constraint_names",
            f"has {len(problem.constraint_names)} entries but there are {len(problem.weights)} weight rows.",
        )
    for name, value, low in (("time_limit_s", problem.time_limit_s, 0.0), ("mip_rel_gap", problem.mip_rel_gap, -1.0)):
        if not _is_number(value) or not math.isfinite(value) or value <= low:
            raise ProblemError(name, f"{value!r} must be a finite number {'above' if low == 0 else 'of at least'} 0.")


# --------------------------------------------------------------------------- helpers


def _fmt(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return f"{round(x):,}"
    return f"{x:,.2f}"


def _names(problem: Problem, items: Iterable[int]) -> str:
    labels = [problem.item_name(i) for i in items]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _weights(problem: Problem) -> FloatArray:
    return np.asarray(problem.weights, dtype=np.float64).reshape(len(problem.weights), problem.n)


def _tolerance(capacities: FloatArray) -> FloatArray:
    return 1e-9 * np.maximum(1.0, np.abs(capacities))


def _needs(problem: Problem) -> dict[int, list[int]]:
    graph: dict[int, list[int]] = {}
    for i, j in problem.requires:
        graph.setdefault(int(i), []).append(int(j))
    return graph


def _closure(problem: Problem, seeds: Iterable[int]) -> dict[int, int | None]:
    """The seeds and everything they need, transitively, each mapped to the item that pulled it in."""
    needs = _needs(problem)
    parent: dict[int, int | None] = {}
    queue: deque[int] = deque()
    for seed in seeds:
        if int(seed) not in parent:
            parent[int(seed)] = None
            queue.append(int(seed))
    while queue:
        item = queue.popleft()
        for needed in needs.get(item, []):
            if needed not in parent:
                parent[needed] = item
                queue.append(needed)
    return parent


def _why(problem: Problem, parent: dict[int, int | None], item: int, forced: str) -> str:
    """'B, which must-do A needs' / 'must-do A'."""
    chain = [item]
    while parent[chain[-1]] is not None:
        chain.append(parent[chain[-1]])  # type: ignore[arg-type]
    if len(chain) == 1:
        return f"{forced} {problem.item_name(item)}"
    text = problem.item_name(chain[0])
    for later in chain[1:-1]:
        text += f", which {problem.item_name(later)} needs"
    return text + f", which {forced} {problem.item_name(chain[-1])} needs"


# --------------------------------------------------------------------------- diagnosis


def diagnose_infeasible(problem: Problem, *, forced: str = "must-do") -> list[str]:
    """Plain-English reasons why no selection meets every constraint; [] when one exists.

    Exact, because weights and capacities are not negative: a selection exists if and only if the
    must-dos plus everything they need (transitively; cycles just mean "both or neither") break
    no exclusive pair, fit every capacity row and fit the work-in-progress limit.
    """
    parent = _closure(problem, problem.must)
    core = sorted(parent)
    conflicts: list[str] = []
    must = {int(i) for i in problem.must}
    for i, j in problem.exclusive:
        if i in parent and j in parent:
            if i in must and j in must:
                conflicts.append(
                    f"{problem.item_name(i)} and {problem.item_name(j)} are both {forced}s, "
                    "but they are mutually exclusive."
                )
            else:
                conflicts.append(
                    f"{problem.item_name(i)} and {problem.item_name(j)} are mutually exclusive, but both are "
                    f"needed: {_why(problem, parent, i, forced)}; and {_why(problem, parent, j, forced)}."
                )
    if problem.weights and core:
        matrix = _weights(problem)
        capacities = np.asarray(problem.capacities, dtype=np.float64)
        loads = matrix[:, core].sum(axis=1)
        extra = "" if len(core) == len(must) else " (with the items they need)"
        for row in (int(r) for r in np.flatnonzero(loads > capacities + _tolerance(capacities))):
            users = sorted(core, key=lambda k: -matrix[row, k])
            biggest = [k for k in users if matrix[row, k] > 0][:3]
            detail = ", ".join(f"{problem.item_name(k)} {_fmt(float(matrix[row, k]))}" for k in biggest)
            conflicts.append(
                f"The {forced} items{extra} alone need {_fmt(float(loads[row]))} of {problem.constraint_name(row)} "
                f"against a capacity of {_fmt(float(capacities[row]))} (largest: {detail})."
            )
    if problem.max_selected is not None and len(core) > problem.max_selected:
        counted = "" if len(core) == len(must) else " (counting the items they need)"
        conflicts.append(
            f"There are {len(core)} {forced} items{counted} but the work-in-progress limit is {problem.max_selected}."
        )
    return conflicts


# --------------------------------------------------------------------------- greedy


def greedy(problem: Problem) -> list[int]:
    """What most tools do: must-dos (and what they need) first, then candidates in order of value per
    unit of size, each added (with anything it needs) whenever that still fits every constraint.

    Size is the candidate's share of each capacity row, summed over rows (Σ_i w_ij / c_i), so a
    candidate using 10% of one budget and 5% of a team's quarter has size 0.15. Candidates of
    size 0 come first; candidates with no positive value are never added by choice. If the
    must-dos are themselves infeasible the must-dos are returned as they are.
    """
    matrix = _weights(problem)
    capacities = np.asarray(problem.capacities, dtype=np.float64)
    limit = capacities + _tolerance(capacities)
    values = np.asarray(problem.values, dtype=np.float64)
    chosen = set(_closure(problem, problem.must))
    if diagnose_infeasible(problem):
        return sorted(chosen)
    excluded: dict[int, set[int]] = {}
    for i, j in problem.exclusive:
        excluded.setdefault(int(i), set()).add(int(j))
        excluded.setdefault(int(j), set()).add(int(i))
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(matrix > 0, matrix / capacities[:, None], 0.0)
    size = shares.sum(axis=0) if len(capacities) else np.zeros(problem.n)
    ratio = np.where(size > 0, values / np.where(size > 0, size, 1.0), np.where(values > 0, np.inf, -np.inf))
    order = sorted(range(problem.n), key=lambda k: (-ratio[k], -values[k], k))
    loads = matrix[:, sorted(chosen)].sum(axis=1) if chosen else np.zeros(len(capacities))
    for item in order:
        if item in chosen or values[item] <= 0:
            continue
        bundle = [k for k in _closure(problem, [item]) if k not in chosen]
        if problem.max_selected is not None and len(chosen) + len(bundle) > problem.max_selected:
            continue
        together = chosen.union(bundle)
        if any(excluded.get(k, set()) & together for k in bundle):
            continue
        new_loads = loads + matrix[:, bundle].sum(axis=1)
        if (new_loads > limit).any():
            continue
        chosen.update(bundle)
        loads = new_loads
    return sorted(chosen)


# --------------------------------------------------------------------------- the MILP


@dataclass(frozen=True)
class _Model:
    n: int
    constraints: LinearConstraint | None
    lower: FloatArray
    upper: FloatArray


def _model(problem: Problem) -> _Model:
    n = problem.n
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    upper_bounds: list[float] = []
    count = 0
    if problem.weights:
        matrix = _weights(problem)
        capacities = np.asarray(problem.capacities, dtype=np.float64)
        # A row that every candidate together fits into can never bind: leave it out.
        useful = np.flatnonzero(matrix.sum(axis=1) > capacities)
        if useful.size:
            sub = coo_matrix(matrix[useful])
            rows.extend((sub.row + count).tolist())
            cols.extend(sub.col.tolist())
            data.extend(sub.data.tolist())
            upper_bounds.extend(capacities[useful].tolist())
            count += useful.size
    for i, j in problem.requires:  # x_i − x_j ≤ 0
        rows += [count, count]
        cols += [int(i), int(j)]
        data += [1.0, -1.0]
        upper_bounds.append(0.0)
        count += 1
    for i, j in problem.exclusive:  # x_i + x_j ≤ 1
        rows += [count, count]
        cols += [int(i), int(j)]
        data += [1.0, 1.0]
        upper_bounds.append(1.0)
        count += 1
    if problem.max_selected is not None and problem.max_selected < n:
        rows += [count] * n
        cols += list(range(n))
        data += [1.0] * n
        upper_bounds.append(float(problem.max_selected))
        count += 1
    lower = np.zeros(n)
    lower[[int(i) for i in problem.must]] = 1.0
    constraints = None
    if count:
        a = csr_matrix((data, (rows, cols)), shape=(count, n))
        constraints = LinearConstraint(a, -np.inf, np.asarray(upper_bounds))
    return _Model(n=n, constraints=constraints, lower=lower, upper=np.ones(n))


@dataclass(frozen=True)
class _Run:
    status: Status
    selected: list[int] | None  # None: no solution found
    bound: float


def _run(
    model: _Model,
    values: FloatArray,
    time_limit_s: float,
    mip_rel_gap: float,
    lower: FloatArray | None = None,
    upper: FloatArray | None = None,
) -> _Run:
    lo = model.lower if lower is None else lower
    hi = model.upper if upper is None else upper
    if (lo > hi).any():
        return _Run("infeasible", None, -math.inf)
    with _solver_output_to_stderr():
        result = milp(
            c=-values,
            constraints=[model.constraints] if model.constraints is not None else [],
            integrality=np.ones(model.n),
            bounds=Bounds(lo, hi),
            options={"time_limit": float(time_limit_s), "mip_rel_gap": float(mip_rel_gap), "disp": False},
        )
    if result.status == 2:
        return _Run("infeasible", None, -math.inf)
    selected = None if result.x is None else [int(k) for k in np.flatnonzero(result.x > 0.5)]
    dual = getattr(result, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and math.isfinite(dual) else math.inf
    return _Run("optimal" if result.status == 0 else "time_limit", selected, bound)


def _value(values: Sequence[float] | FloatArray, selected: Iterable[int]) -> float:
    return math.fsum(float(values[k]) for k in selected)


def _integral(values: FloatArray) -> bool:
    return bool(np.all(values == np.round(values)))


def _rounded_bound(values: FloatArray, bound: float, found: float) -> float:
    """The solver's bound, rounded down when every value is whole (no selection can then be worth
    a fraction), and never below what was found."""
    if _integral(values) and math.isfinite(bound):
        return max(float(math.floor(bound + 1e-6)), found)
    return max(bound, found)


def _proven(found: float, bound: float) -> bool:
    return math.isfinite(bound) and bound - found <= PROOF_TOLERANCE + 1e-12 * abs(found)


@dataclass(frozen=True)
class _Best:
    """A re-solve for an explanation: the best selection found (None: none exists or none was
    found in time), its value, and the proven upper bound on the best value."""

    selected: list[int] | None
    found: float
    bound: float


def _best(
    model: _Model,
    values: FloatArray,
    time_limit_s: float,
    lower: FloatArray | None = None,
    upper: FloatArray | None = None,
) -> _Best:
    # Always with a relative gap of 0: a threshold is a difference of two totals, and a solve that
    # stops within a relative gap can be out by more than the difference itself on a near-tie.
    run = _run(model, values, time_limit_s, 0.0, lower=lower, upper=upper)
    if run.selected is None:
        return _Best(None, -math.inf, run.bound)
    found = _value(values, run.selected)
    return _Best(run.selected, found, _rounded_bound(values, run.bound, found))


def _difference(high: tuple[float, float], low: tuple[float, float]) -> tuple[float, float]:
    """The range of A − B (never below 0, as A is the unrestricted best and B a restricted one)
    from A's range and B's range (each: found, proven bound)."""
    return max(high[0] - low[1], 0.0), max(high[1] - low[0], 0.0)


def solve(problem: Problem) -> Solution:
    """Select the candidates of greatest total value that meet every constraint (HiGHS branch and cut).

    "optimal" means proven the best (the solver's bound is within PROOF_TOLERANCE of it; a
    `mip_rel_gap` of 0 asks for that proof, and a round's problem always does); "within_gap" means
    the solver stopped at the `mip_rel_gap` it was given without that proof; "time_limit" means the
    best selection found when time ran out. Both
    report the proven gap. When the values are whole numbers the bound is rounded down, which can
    prove optimality sooner. Infeasible input gives
    status "infeasible" with `conflicts` in plain English (objective, bound and gap are then 0).
    """
    began = time.perf_counter()
    conflicts = diagnose_infeasible(problem)
    if conflicts:
        return Solution("infeasible", [], 0.0, 0.0, 0.0, [], 0.0, time.perf_counter() - began, conflicts)
    values = np.asarray(problem.values, dtype=np.float64)
    greedy_selected = greedy(problem)
    greedy_objective = _value(problem.values, greedy_selected)
    run = _run(_model(problem), values, problem.time_limit_s, problem.mip_rel_gap)
    if run.status == "infeasible":  # cannot happen when the diagnosis is right; never crash regardless
        message = "The solver found no selection that meets every constraint, though no single conflict explains it."
        return Solution("infeasible", [], 0.0, 0.0, 0.0, [], 0.0, time.perf_counter() - began, [message])
    selected = run.selected
    if selected is None or _value(problem.values, selected) < greedy_objective:
        selected = greedy_selected  # the greedy selection is feasible, so there is always an answer
    objective = _value(problem.values, selected)
    bound = _rounded_bound(values, max(run.bound, objective), objective)
    status: Status = run.status
    if _proven(objective, bound):
        status = "optimal"
    elif status == "optimal":
        status = "within_gap"
    gap = 0.0 if not math.isfinite(bound) else (bound - objective) / max(abs(objective), 1e-9)
    return Solution(
        status=status,
        selected=sorted(selected),
        objective=objective,
        bound=bound,
        gap=gap,
        greedy_selected=greedy_selected,
        greedy_objective=greedy_objective,
        seconds=time.perf_counter() - began,
    )


def is_feasible(problem: Problem, selected: Sequence[int]) -> bool:
    """Whether a selection meets every constraint (used by tests and as a guard)."""
    chosen = {int(k) for k in selected}
    if len(chosen) != len(selected) or not chosen.issuperset(int(k) for k in problem.must):
        return False
    if problem.max_selected is not None and len(chosen) > problem.max_selected:
        return False
    if any(i in chosen and j not in chosen for i, j in problem.requires):
        return False
    if any(i in chosen and j in chosen for i, j in problem.exclusive):
        return False
    if problem.weights and chosen:
        capacities = np.asarray(problem.capacities, dtype=np.float64)
        loads = _weights(problem)[:, sorted(chosen)].sum(axis=1)
        return bool((loads <= capacities + _tolerance(capacities)).all())
    return True


# --------------------------------------------------------------------------- explanations


def _binding_rows(problem: Problem, selected: Sequence[int]) -> list[int]:
    if not problem.weights:
        return []
    matrix = _weights(problem)
    capacities = np.asarray(problem.capacities, dtype=np.float64)
    chosen = sorted(selected)
    loads = matrix[:, chosen].sum(axis=1) if chosen else np.zeros(len(capacities))
    slack = capacities - loads
    out = np.setdiff1d(np.arange(problem.n), chosen)
    binding = []
    for row in range(len(capacities)):
        positive = matrix[row, out][matrix[row, out] > 0]
        smallest = float(positive.min()) if positive.size else math.inf
        if slack[row] <= NEAR_CAPACITY_SHARE * capacities[row] or slack[row] < smallest:
            binding.append(row)
    return binding


def explain(
    problem: Problem,
    solution: Solution,
    items: Sequence[int] | None = None,
    *,
    time_limit_s: float | None = None,
) -> list[Explanation]:
    """Why each item is in or out, by re-solving with it forced the other way (one MILP per item).

    For an out item i, forcing x_i = 1 gives the best total Z_in; i would be chosen once its value
    exceeds value_to_enter = v_i + (Z* − Z_in), and `displaced` lists what leaves. For an in item,
    forcing x_i = 0 gives Z_out and value_to_leave = v_i − (Z* − Z_out). A threshold is a small
    difference of two large totals, so every re-solve is proven with a relative gap of 0 (a gap of
    1e-4 on a total of 1,000 is 0.1, more than a near-tie). Both thresholds are then exact (at the
    threshold itself there is a tie). When the solution or a re-solve is not proven in its time,
    the threshold is only known to lie in a range: the reason says so and gives the range, and the
    explanation is marked not exact. `items` limits the work to some items; `time_limit_s` caps
    each re-solve (default: the problem's own limit).
    """
    indices = list(range(problem.n)) if items is None else [int(k) for k in items]
    if solution.status == "infeasible":
        summary = solution.conflicts[0] if solution.conflicts else "the constraints conflict."
        reason = f"No selection is possible until the conflicts are resolved; first: {summary}"
        return [Explanation(k, False, [], [], [], None, None, reason) for k in indices]
    model = _model(problem)
    values = np.asarray(problem.values, dtype=np.float64)
    limit = problem.time_limit_s if time_limit_s is None else time_limit_s
    best = (solution.objective, solution.bound if math.isfinite(solution.bound) else math.inf)
    chosen = set(solution.selected)
    rows = _binding_rows(problem, solution.selected)
    matrix = _weights(problem) if problem.weights else np.zeros((0, problem.n))
    full_wip = problem.max_selected is not None and len(chosen) >= problem.max_selected
    must_closure = _closure(problem, problem.must)
    unproven = "; the solver could not narrow this down in the time allowed"
    explanations: list[Explanation] = []
    for item in indices:
        name = problem.item_name(item)
        binding = [problem.constraint_name(r) for r in rows if matrix[r, item] > 0]
        if full_wip:
            binding.append("the work-in-progress limit")
        uses = (
            f"; it uses {_names_plain(binding)}, which {'is' if len(binding) == 1 else 'are'} full" if binding else ""
        )
        value = float(values[item])
        if item in chosen:
            if item in must_closure:
                reason = (
                    f"{name} is a must-do."
                    if must_closure[item] is None
                    else f"{name} is in because {_why(problem, must_closure, item, 'must-do')}."
                )
                explanations.append(Explanation(item, True, binding, [], [], None, None, reason))
                continue
            upper = model.upper.copy()
            upper[item] = 0.0
            run = _best(model, values, limit, upper=upper)
            if run.selected is None:
                reason = f"{name} is in and cannot be left out without breaking a constraint."
                explanations.append(Explanation(item, True, binding, [], [], None, None, reason))
                continue
            low, high = _difference(best, (run.found, run.bound))
            brought = sorted(set(run.selected) - chosen)
            instead = f" (the best alternative brings in {_names(problem, brought)})" if brought else ""
            if high - low <= 2 * PROOF_TOLERANCE:
                loss = max(best[0] - run.found, 0.0)
                reason = (
                    f"{name} is in: leaving it out would lose {_fmt(loss)} of value{instead}, so it would drop "
                    f"out only if its value fell below {_fmt(value - loss)} (now {_fmt(value)}){uses}."
                )
                explanations.append(Explanation(item, True, binding, [], brought, None, value - loss, reason))
                continue
            if math.isfinite(high):
                reason = (
                    f"{name} is in: leaving it out would lose between {_fmt(low)} and {_fmt(high)} of value"
                    f"{instead}, so it would drop out if its value fell below a figure between "
                    f"{_fmt(value - high)} and {_fmt(value - low)} (now {_fmt(value)}){unproven}{uses}."
                )
                to_leave: float | None = value - high
            else:
                reason = (
                    f"{name} is in: leaving it out would lose at least {_fmt(low)} of value{instead}; how much "
                    f"more could not be worked out in the time allowed{uses}."
                )
                to_leave = None
            explanations.append(Explanation(item, True, binding, [], brought, None, to_leave, reason, exact=False))
            continue
        blockers = diagnose_infeasible(replace(problem, must=[*problem.must, item]), forced="must-do")
        if blockers:
            reason = f"{name} is out and can never be selected (treated as a must-do: {blockers[0].rstrip('.')})."
            explanations.append(Explanation(item, False, binding, [], [], None, None, reason))
            continue
        lower = model.lower.copy()
        lower[item] = 1.0
        run = _best(model, values, limit, lower=lower)
        if run.selected is None:
            reason = f"{name} is out: no selection containing it was found within the time limit."
            explanations.append(Explanation(item, False, binding, [], [], None, None, reason, exact=False))
            continue
        low, high = _difference(best, (run.found, run.bound))
        displaced = sorted(chosen - set(run.selected))
        brought = sorted(set(run.selected) - chosen - {item})
        lost = _value(values, displaced)
        if displaced:
            push = f"bringing it in would push out {_names(problem, displaced)} (worth {_fmt(lost)})"
        else:
            push = "bringing it in would displace nothing"
        if brought:
            push += f" and bring in {_names(problem, brought)}"
        if high - low <= 2 * PROOF_TOLERANCE:
            to_enter = value + max(best[0] - run.found, 0.0)
            reason = (
                f"{name} is out: {push}; it would need a value above {_fmt(to_enter)} (now {_fmt(value)}) "
                f"to be selected{uses}."
            )
            explanations.append(Explanation(item, False, binding, displaced, brought, to_enter, None, reason))
            continue
        if math.isfinite(high):
            reason = (
                f"{name} is out: {push}; it would need a value above a figure between {_fmt(value + low)} and "
                f"{_fmt(value + high)} (now {_fmt(value)}) to be selected{unproven}{uses}."
            )
            certain: float | None = value + high
        else:
            reason = (
                f"{name} is out: {push}; it would need a value above {_fmt(value + low)} at least (now "
                f"{_fmt(value)}) to be selected; how much more could not be worked out in the time allowed{uses}."
            )
            certain = None
        explanations.append(Explanation(item, False, binding, displaced, brought, certain, None, reason, exact=False))
    return explanations


def _names_plain(labels: Sequence[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


# --------------------------------------------------------------------------- robustness
#
# Hundreds of draws re-solve the same model with a different objective, so they go to HiGHS
# directly (highspy): the model is passed once and only the costs change. Each draw starts from
# the best selection found so far for its values (a warm start), which roughly halves the time;
# presolve is off because on these small models it costs more than it saves.


def _highs(model: _Model, time_limit_s: float, mip_rel_gap: float) -> highspy.Highs:
    # The private class is the same solver without the Python callbacks (and without the banner
    # the public one prints on creation); fall back to the public one if it is ever renamed.
    solver = getattr(highspy, "_Highs", highspy.Highs)()
    for name, value in (
        ("output_flag", False),
        ("presolve", "off"),
        ("time_limit", float(time_limit_s)),
        ("mip_rel_gap", float(mip_rel_gap)),
        ("threads", 1),
    ):
        solver.setOptionValue(name, value)
    n = model.n
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = model.lower
    lp.col_upper_ = model.upper
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    if model.constraints is None:
        lp.num_row_ = 0
        lp.a_matrix_.start_ = np.zeros(n + 1, dtype=np.int32)
    else:
        a = csc_matrix(model.constraints.A)
        lp.num_row_ = a.shape[0]
        lp.row_lower_ = np.full(a.shape[0], -highspy.kHighsInf)
        lp.row_upper_ = np.asarray(model.constraints.ub, dtype=np.float64)
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data.astype(np.float64)
    solver.passModel(lp)
    return solver


def _count_selections(
    model: _Model, value_draws: FloatArray, time_limit_s: float, mip_rel_gap: float, deadline: float | None
) -> tuple[FloatArray, int]:
    """(how many draws selected each candidate, draws solved). Stops early at `deadline`
    (a time.monotonic() value); draws that found no solution in their time select nothing."""
    solver = _highs(model, time_limit_s, mip_rel_gap)
    columns = np.arange(model.n, dtype=np.int32)
    pool: list[FloatArray] = []  # distinct selections found so far, as 0/1 vectors
    counts = np.zeros(model.n)
    solved = 0
    for values in value_draws:
        if deadline is not None and time.monotonic() > deadline:
            break
        solver.changeColsCost(model.n, columns, -values)
        if pool:
            start = highspy.HighsSolution()
            start.col_value = pool[int(np.argmax(np.asarray(pool) @ values))].tolist()
            start.value_valid = True
            solver.setSolution(start)
        with _solver_output_to_stderr():
            solver.run()
        solved += 1
        if solver.getInfo().primal_solution_status != 2:  # 2: a feasible solution exists
            continue
        x: FloatArray = np.round(np.asarray(solver.getSolution().col_value, dtype=np.float64)).astype(np.float64)
        counts += x
        if not any(np.array_equal(x, seen) for seen in pool):
            pool.append(x)
    return counts, solved


def _count_chunk(
    model: _Model, value_draws: FloatArray, time_limit_s: float, mip_rel_gap: float, deadline: float | None
) -> tuple[FloatArray, int]:
    return _count_selections(model, value_draws, time_limit_s, mip_rel_gap, deadline)


def selection_shares(
    base: Problem,
    value_draws: npt.ArrayLike,
    *,
    time_limit_s: float = 1.0,
    seconds: float | None = None,
    workers: int = 1,
) -> list[float]:
    """Share of the draws in which each candidate is selected: one row of `value_draws` per draw
    (values in the order of base.values), each solved under base's constraints.

    `seconds` caps the whole analysis: draws not reached in time are left out and the shares are
    of the draws solved. `workers` > 1 splits the draws across that many processes. An infeasible
    base gives all zeros.
    """
    draws = np.asarray(value_draws, dtype=np.float64)
    if draws.ndim != 2 or draws.shape[1] != base.n:
        raise ProblemError("value_draws", f"must have one row per draw and {base.n} columns, one per candidate.")
    if draws.shape[0] < 1:
        raise ProblemError("draws", "must be at least 1.")
    if not np.all(np.isfinite(draws)):
        raise ProblemError("value_draws", "must all be finite numbers.")
    if diagnose_infeasible(base):
        return [0.0] * base.n
    model = _model(base)
    deadline = None if seconds is None else time.monotonic() + seconds
    if workers <= 1 or draws.shape[0] < 2 * workers:
        counts, solved = _count_selections(model, draws, time_limit_s, base.mip_rel_gap, deadline)
    else:
        chunks = np.array_split(draws, workers)
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            parts = list(
                pool.map(
                    _count_chunk,
                    [model] * workers,
                    chunks,
                    [time_limit_s] * workers,
                    [base.mip_rel_gap] * workers,
                    [deadline] * workers,
                )
            )
        counts = np.sum([c for c, _ in parts], axis=0)
        solved = sum(s for _, s in parts)
    if solved == 0:
        return [0.0] * base.n
    return [float(c) / solved for c in counts]


def weight_draws(weights: Sequence[float], *, perturb: float, draws: int, seed: int) -> FloatArray:
    """draws × criteria: every weight times its own factor, uniform on [1 − perturb, 1 + perturb],
    from numpy's PCG64 seeded with `seed` (so the same call gives the same draws)."""
    if not 0 <= perturb < 1:
        raise ProblemError("perturb", f"{perturb!r} must be at least 0 and below 1.")
    if draws < 1:
        raise ProblemError("draws", f"{draws!r} must be at least 1.")
    w = np.asarray(weights, dtype=np.float64)
    rng = np.random.default_rng(seed)
    return w * rng.uniform(1 - perturb, 1 + perturb, size=(draws, w.size))


def robustness(
    base: Problem,
    ratings: npt.ArrayLike,
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
    *,
    perturb: float = 0.2,
    draws: int = 300,
    seed: int = 0,
    scale_min: float = 1,
    scale_max: float = 5,
    time_limit_s: float = 1.0,
    workers: int = 1,
) -> list[float]:
    """Share of draws in which each candidate is selected when the criteria weights are uncertain.

    `ratings` is candidates × criteria (rows in the order of base.values); `weights` and
    `higher_is_better` have one entry per criterion. Each draw multiplies every weight by its own
    factor (`weight_draws`); the weighted scores (0–100, `scoring.weighted_scores`, which divides
    by the sum of the weights, so the perturbed weights are in effect renormalised) become the
    values and the selection is re-solved under base's constraints.
    """
    matrix = np.asarray(ratings, dtype=np.float64)
    if matrix.shape[0] != base.n:
        raise ProblemError("ratings", f"has {matrix.shape[0]} rows but the problem has {base.n} candidates.")
    factors = weight_draws(weights, perturb=perturb, draws=draws, seed=seed)
    scores = weighted_scores(matrix, factors, higher_is_better, scale_max, scale_min=scale_min)
    return selection_shares(base, scores, time_limit_s=time_limit_s, workers=workers)
