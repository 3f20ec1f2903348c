"""What a stored `Result` holds: its declared, versioned shape, how a run's output becomes it,
and the one loader that reads it back.

Pure Python; no Django. A result is never changed once written, so results written by older
code stay in the database for ever; `load` reads every version, and nothing else reads the
stored JSON.

Versions:

- 0: results written before the shape was declared (no version stored). Some were written by
  the demo loader without explanations or robustness, and their score rows may lack `scorers`,
  `greedy` and `must_do`.
- 1: adds `costs`: each candidate's money as the run used it and where it came from, because
  the business case or funding lines it came from can change after the run.
- 2: each explanation says whether its threshold is `exact` (every solve behind it proven the
  best) or only known to lie in the range its reason gives (ADR 19). Older explanations are read
  as exact, which is what their words claimed.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from headway.prioritisation import costs as money_sources
from headway.prioritisation import scoring, selection

SCHEMA_VERSION = 2
UNVERSIONED = 0

#: The `Result` fields that hold the stored shape, besides the version itself.
FIELDS = (
    "method",
    "method_version",
    "weights",
    "inputs",
    "scores",
    "status",
    "selected",
    "objective",
    "bound",
    "gap",
    "seconds",
    "greedy_selected",
    "greedy_objective",
    "capacity",
    "explanations",
    "robustness",
    "conflicts",
    "costs",
)


class ScoreRow(TypedDict):
    initiative: int
    reference: str
    value: float | None
    spread: float | None
    wide: bool
    scorers: int
    rank: int
    selected: bool
    greedy: bool
    must_do: bool


class StoredExplanation(TypedDict):
    selected: bool
    binding: list[str]
    displaced: list[str]
    brought_in: list[str]
    value_to_enter: float | None
    value_to_leave: float | None
    reason: str
    exact: bool


class CapacityUse(TypedDict):
    name: str
    capacity: float
    used: float


class CostsUsed(TypedDict):
    origin: str
    label: str
    costs: dict[str, dict[str, int]]


class ResultFields(TypedDict):
    """Everything a new result stores, keyed by candidate id (as text) where it is per candidate."""

    schema_version: int
    method: str
    method_version: str
    weights: scoring.Weights
    inputs: dict[str, dict[str, dict[str, float]]]
    scores: dict[str, ScoreRow]
    status: str
    selected: list[int]
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    greedy_selected: list[int]
    greedy_objective: float | None
    capacity: list[CapacityUse]
    explanations: dict[str, StoredExplanation]
    robustness: dict[str, float]
    conflicts: list[str]
    costs: dict[str, CostsUsed]


@dataclasses.dataclass(frozen=True)
class RunCandidate:
    """One candidate of a run, in the order of the selection problem."""

    pk: int
    initiative: int
    reference: str
    must_do: bool
    costs: money_sources.CostSource


def _plain(value: Any) -> Any:
    """JSON-ready copy of what the maths returned (tuples, numpy numbers; NaN and infinity as None)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if hasattr(value, "item"):
        return _plain(value.item())
    return str(value)


def _number(value: Any) -> float | None:
    plain = _plain(value)
    return float(plain) if isinstance(plain, int | float) and not isinstance(plain, bool) else None


def _explanation(explanation: selection.Explanation, names: Sequence[str]) -> StoredExplanation:
    return {
        "selected": bool(explanation.selected),
        "binding": list(explanation.binding),
        "displaced": [names[i] for i in explanation.displaced],
        "brought_in": [names[i] for i in explanation.brought_in],
        "value_to_enter": _number(explanation.value_to_enter),
        "value_to_leave": _number(explanation.value_to_leave),
        "reason": explanation.reason,
        "exact": bool(explanation.exact),
    }


def result_fields(
    *,
    method: str,
    weights: scoring.Weights,
    inputs: scoring.Inputs,
    scores: Mapping[str, scoring.CandidateScore],
    candidates: Sequence[RunCandidate],
    problem: selection.Problem,
    solution: selection.Solution,
    explanations: Sequence[selection.Explanation],
    robustness: Sequence[float],
) -> ResultFields:
    """A run's output in the stored shape of `SCHEMA_VERSION`."""
    names = [c.reference for c in candidates]
    chosen = {int(i) for i in solution.selected}
    greedy = {int(i) for i in solution.greedy_selected}
    ranked = sorted(range(len(candidates)), key=lambda i: (-problem.values[i], names[i]))
    rank = {i: position + 1 for position, i in enumerate(ranked)}
    rows: dict[str, ScoreRow] = {}
    for i, candidate in enumerate(candidates):
        score = scores.get(str(candidate.pk))
        rows[str(candidate.pk)] = {
            "initiative": candidate.initiative,
            "reference": names[i],
            "value": score["value"] if score else None,
            "spread": score["spread"] if score else None,
            "wide": score["wide"] if score else False,
            "scorers": score["n"] if score else 0,
            "rank": rank[i],
            "selected": i in chosen,
            "greedy": i in greedy,
            "must_do": candidate.must_do,
        }
    return {
        "schema_version": SCHEMA_VERSION,
        "method": method,
        "method_version": str(scoring.METHOD_VERSION),
        "weights": weights,
        "inputs": {c: {s: dict(v) for s, v in by.items()} for c, by in inputs.items()},
        "scores": rows,
        "status": str(solution.status),
        "selected": [candidates[i].pk for i in sorted(chosen)],
        "objective": _number(solution.objective),
        "bound": _number(solution.bound),
        "gap": _number(solution.gap),
        "seconds": float(solution.seconds),
        "greedy_selected": [candidates[i].pk for i in sorted(greedy)],
        "greedy_objective": _number(solution.greedy_objective),
        "capacity": [
            {
                "name": name,
                "capacity": float(problem.capacities[r]),
                "used": float(sum(problem.weights[r][i] for i in chosen)),
            }
            for r, name in enumerate(problem.constraint_names or [])
        ],
        "explanations": {str(candidates[e.index].pk): _explanation(e, names) for e in explanations},
        "robustness": {str(candidates[i].pk): float(share) for i, share in enumerate(robustness)},
        "conflicts": [str(c) for c in solution.conflicts],
        "costs": {
            str(c.pk): {"origin": c.costs.origin, "label": c.costs.label, "costs": c.costs.costs} for c in candidates
        },
    }


# Loading -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class StoredResult:
    """A stored result as the pages read it, whichever version wrote it."""

    version: int
    scores: dict[str, ScoreRow]
    explanations: dict[str, StoredExplanation]
    robustness: dict[str, float]
    capacity: list[CapacityUse]
    costs: dict[str, CostsUsed]
    selected: list[int]
    greedy_selected: list[int]
    conflicts: list[str]

    def score(self, candidate: int | str) -> ScoreRow | None:
        return self.scores.get(str(candidate))

    def by_initiative(self) -> dict[int, ScoreRow]:
        return {row["initiative"]: row for row in self.scores.values()}


class ResultShapeError(ValueError):
    """A stored result in a version this code does not know (written by newer code)."""


def _float_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _score_row(row: Mapping[str, Any]) -> ScoreRow:
    return {
        "initiative": int(row["initiative"]),
        "reference": str(row.get("reference", "")),
        "value": _float_or_none(row.get("value")),
        "spread": _float_or_none(row.get("spread")),
        "wide": bool(row.get("wide", False)),
        "scorers": int(row.get("scorers", 0) or 0),
        "rank": int(row["rank"]),
        "selected": bool(row["selected"]),
        "greedy": bool(row.get("greedy", False)),
        "must_do": bool(row.get("must_do", False)),
    }


def _stored_explanation(value: Mapping[str, Any]) -> StoredExplanation:
    return {
        "selected": bool(value.get("selected", False)),
        "binding": [str(b) for b in value.get("binding") or []],
        "displaced": [str(d) for d in value.get("displaced") or []],
        "brought_in": [str(b) for b in value.get("brought_in") or []],
        "value_to_enter": _float_or_none(value.get("value_to_enter")),
        "value_to_leave": _float_or_none(value.get("value_to_leave")),
        "reason": str(value.get("reason") or ""),
        "exact": bool(value.get("exact", True)),
    }


def load(stored: Mapping[str, Any]) -> StoredResult:
    """Read a stored result of any known version (`stored` maps the `Result` field names, and
    `schema_version`, to their values)."""
    version = int(stored.get("schema_version") or UNVERSIONED)
    if version > SCHEMA_VERSION:
        raise ResultShapeError(f"This result was stored in version {version}; this code reads up to {SCHEMA_VERSION}.")
    explanations = stored.get("explanations") or {}
    robustness = stored.get("robustness") or {}
    costs: dict[str, CostsUsed] = {}
    if version >= 1:
        costs = {
            str(key): {"origin": str(c["origin"]), "label": str(c["label"]), "costs": dict(c["costs"])}
            for key, c in (stored.get("costs") or {}).items()
        }
    return StoredResult(
        version=version,
        scores={str(key): _score_row(row) for key, row in (stored.get("scores") or {}).items()},
        explanations={
            str(key): _stored_explanation(value) for key, value in explanations.items() if isinstance(value, Mapping)
        },
        # Shares were always stored as plain numbers: anything else is not a share.
        robustness={str(key): float(v) for key, v in robustness.items() if _float_or_none(v) is not None},
        capacity=[
            {"name": str(row["name"]), "capacity": float(row["capacity"]), "used": float(row["used"])}
            for row in stored.get("capacity") or []
        ],
        costs=costs,
        selected=[int(pk) for pk in stored.get("selected") or []],
        greedy_selected=[int(pk) for pk in stored.get("greedy_selected") or []],
        conflicts=[str(c) for c in stored.get("conflicts") or []],
    )
