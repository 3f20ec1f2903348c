"""The SPC engine against NHSRplotthedots 0.2.2, the reference implementation of Making Data Count.

Two sets of cases: the team's shared reference data, copied unchanged into
tests/data/nhsrplotthedots_cases.json: sixteen series from the package's tests and vignettes
and its Python port's tests, reproduced by running the package; and our own in
tests/data/spc_cases_extra.json, each with expected values from a run of the package (its `source`
field says how). Floats agree to 1e-9 relative.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from headway.metrics.spc import analyse

ROOT = Path(__file__).resolve().parent.parent
# A copy of the team's shared reference data (shared/benchmarks/spc/nhsrplotthedots_cases.json,
# unchanged), kept in the repository so that the check runs wherever the tests do.
SHARED = Path(os.environ.get("HEADWAY_REFERENCE_DATA", ROOT / "tests" / "data")) / "nhsrplotthedots_cases.json"
EXTRA = ROOT / "tests" / "data" / "spc_cases_extra.json"


def _load(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text()) if path.exists() else []


SHARED_CASES = _load(SHARED)
EXTRA_CASES = _load(EXTRA)
CASES = SHARED_CASES + EXTRA_CASES


# Where Headway deliberately differs from the package, case by case, and what it gives instead
# (ADR 19): a latest period whose points are all the same passes or fails by its value, where the
# package, comparing the target with undefined limits, says "inconsistent". The limits still agree.
DIFFERENCES: dict[str, dict[str, Any]] = {
    "constant_series_screened_has_no_limits": {"assurance_icon": "pass"},  # every point 7, target 5
}


def _close(got: float | None, expected: float | None) -> bool:
    if got is None or expected is None:
        return got is None and expected is None
    return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)


def _run(case: dict[str, Any]):
    options = case.get("options", {})
    return analyse(
        case["values"],
        improvement_direction=case["improvement_direction"],
        target=case["target"],
        rebase_at=case["rebase_at"],
        screen_outliers=options.get("screen_outliers", True),
        fix_after_n_points=options.get("fix_after_n_points"),
    )


def test_each_deliberate_difference_names_a_case_that_exists_and_really_differs():
    names = {case["name"]: case for case in CASES}
    for name, ours in DIFFERENCES.items():
        assert name in names
        assert all(names[name]["expected"][key] != value for key, value in ours.items())


def test_there_are_at_least_twenty_reference_cases_each_citing_its_source():
    assert len(EXTRA_CASES) >= 8
    assert len(SHARED_CASES) == 16, SHARED
    assert len(CASES) >= 20
    assert all(case["source"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_it_matches_the_reference_package(case: dict[str, Any]):
    result = _run(case)
    expected = {**case["expected"], **DIFFERENCES.get(case["name"], {})}

    assert [(p.first_index, p.last_index) for p in result.periods] == [
        (p["first_index"], p["last_index"]) for p in expected["periods"]
    ]
    for period, wanted in zip(result.periods, expected["periods"], strict=True):
        for field in ("mean", "lpl", "upl"):
            assert _close(getattr(period, field), wanted[field]), (field, getattr(period, field), wanted[field])
    assert list(result.special_cause) == expected["special_cause"]
    assert list(result.special_cause_rule) == expected["special_cause_rule"]
    assert result.variation_icon == expected["variation_icon"]
    assert result.assurance_icon == expected["assurance_icon"]
    assert result.trial_limits == expected["short_group_warning"]


def test_the_cases_cover_every_rule_and_icon_kind():
    results = [_run(case) for case in CASES]
    rules = {rule for result in results for rule in result.special_cause_rule}
    assert rules == {None, "astronomical", "trend", "two_in_three", "shift"}
    assert {result.assurance_icon for result in results} >= {None, "pass", "fail", "inconsistent"}
    assert any(None in case["values"] for case in CASES)
    assert any(case["rebase_at"] for case in CASES)
    assert any(case["options"]["fix_after_n_points"] for case in CASES)
    assert any(not case["options"]["screen_outliers"] for case in CASES)
