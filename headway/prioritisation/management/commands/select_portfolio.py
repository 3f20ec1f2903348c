"""`python manage.py select_portfolio --json`: optimal portfolio selection, JSON in on stdin, JSON out.

Input: {"values": [...], "weights": [[... one row per constraint, one entry per value ...]],
"capacities": [...], "must": [i, ...], "requires": [[i, j], ...] (i needs j), "exclusive":
[[i, j], ...], "max_selected": n, "names": [...], "constraint_names": [...], "time_limit_s": n,
"mip_rel_gap": n}; only values, weights and capacities are required. Output: {"status",
"selected", "objective", "bound", "gap", "greedy_selected", "greedy_objective", "seconds",
"conflicts"}; "status" is "optimal" only when the bound proves it, "within_gap" when the solver
stopped at the given mip_rel_gap (default 1e-4; pass 0 for a proof), "time_limit" or "infeasible".
Bad input is reported on standard error, naming the field (and index), with a
non-zero exit and nothing on standard output.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.prioritisation.selection import Problem, ProblemError, solve

REQUIRED = ("values", "weights", "capacities")
OPTIONAL = (
    "must",
    "requires",
    "exclusive",
    "max_selected",
    "names",
    "constraint_names",
    "time_limit_s",
    "mip_rel_gap",
)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def parse_problem(text: str) -> Problem:
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise CommandError(f"The input is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise CommandError("The input must be a JSON object with at least 'values', 'weights' and 'capacities'.")
    unknown = sorted(set(document) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise CommandError(f"Unknown field {unknown[0]!r} (known: {', '.join(REQUIRED + OPTIONAL)}).")
    for name in REQUIRED:
        if name not in document:
            raise CommandError(f"Field {name!r} is required.")
    fields = dict(document)
    for name in ("requires", "exclusive"):
        pairs = fields.get(name, [])
        if isinstance(pairs, list):
            fields[name] = [tuple(pair) if isinstance(pair, list) else pair for pair in pairs]
    for name in ("names", "constraint_names"):
        labels = fields.get(name)
        if labels is not None and (not isinstance(labels, list) or not all(isinstance(x, str) for x in labels)):
            raise CommandError(f"{name}: must be a list of strings.")
    try:
        return Problem(**fields)
    except ProblemError as error:
        raise CommandError(str(error)) from None
    except (TypeError, ValueError) as error:  # a wrong type the validator did not name
        raise CommandError(f"The input does not describe a problem: {error}") from None


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS occasionally prints to file descriptor 1 from C; keep that out of our JSON."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class Command(BaseCommand):
    help = "Select the portfolio of greatest value under budgets and constraints (HiGHS MILP): JSON in, JSON out."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="read and write JSON (the only format so far)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["json"]:
            raise CommandError("Pass --json: the input is a JSON object on standard input.")
        stream = options.get("stdin") or sys.stdin
        problem = parse_problem(stream.read())
        with _quiet_stdout():
            solution = solve(problem)
        result = {
            "status": solution.status,
            "selected": solution.selected,
            "objective": solution.objective,
            "bound": solution.bound if math.isfinite(solution.bound) else None,
            "gap": solution.gap if math.isfinite(solution.gap) else None,
            "greedy_selected": solution.greedy_selected,
            "greedy_objective": solution.greedy_objective,
            "seconds": round(solution.seconds, 4),
            "conflicts": solution.conflicts,
        }
        self.stdout.write(json.dumps(result, allow_nan=False))
