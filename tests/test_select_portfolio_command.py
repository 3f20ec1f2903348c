"""`python manage.py select_portfolio --json`, through call_command and as a real process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parent.parent
SMALL = {"values": [9, 5, 5], "weights": [[6, 5, 5]], "capacities": [10]}


def run(payload: str) -> dict:
    out = io.StringIO()
    call_command("select_portfolio", json=True, stdin=io.StringIO(payload), stdout=out)
    return json.loads(out.getvalue())


def test_it_selects_the_optimal_portfolio_and_shows_greedy_beside_it():
    result = run(json.dumps(SMALL))
    assert {"status", "selected", "objective", "bound", "gap", "greedy_objective", "seconds"} <= set(result)
    assert result["status"] == "optimal"
    assert result["selected"] == [1, 2]
    assert result["objective"] == 10
    assert result["bound"] == 10
    assert result["gap"] == 0
    assert result["greedy_objective"] == 9


def test_every_optional_field_is_understood():
    payload = {
        "values": [5, 4, 3, 2],
        "weights": [[1, 1, 1, 1], [2, 0, 0, 2]],
        "capacities": [3, 2],
        "must": [3],
        "requires": [[2, 3]],
        "exclusive": [[0, 1]],
        "max_selected": 3,
        "names": ["A", "B", "C", "D"],
        "constraint_names": ["budget", "team"],
        "time_limit_s": 2,
        "mip_rel_gap": 0,
    }
    result = run(json.dumps(payload))
    assert result["selected"] == [1, 2, 3]
    assert result["objective"] == 9


def test_infeasible_input_is_explained_not_a_crash():
    result = run(json.dumps({**SMALL, "must": [0, 1]}))
    assert result["status"] == "infeasible"
    assert result["selected"] == []
    assert result["conflicts"] == [
        "The must-do items alone need 11 of constraint 0 against a capacity of 10 (largest: item 0 6, item 1 5)."
    ]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"values": [1], "weights": [[1]]}', "Field 'capacities' is required"),
        ('{"values": [1], "weights": [[1]], "capacities": [1], "colour": "red"}', "Unknown field 'colour'"),
        ('{"values": [1, 2], "weights": [[1]], "capacities": [1]}', r"weights\[0\]: has 1 entries but there are 2"),
        ('{"values": [1], "weights": [[1]], "capacities": [-1]}', r"capacities\[0\]: -1 is negative"),
        ('{"values": [1], "weights": [[1]], "capacities": [1, 2]}', "capacities: has 2 entries"),
        ('{"values": [1, "x"], "weights": [[1, 1]], "capacities": [1]}', r"values\[1\]: 'x' is not a number"),
        ('{"values": [1, true], "weights": [[1, 1]], "capacities": [1]}', r"values\[1\]: True is not a number"),
        ('{"values": [1, NaN], "weights": [[1, 1]], "capacities": [1]}', "not valid JSON"),
        ('{"values": [1], "weights": [[1]], "capacities": [1], "must": [4]}', r"must\[0\]: 4 is not an item index"),
        ('{"values": [1, 2], "weights": [[1, 1]], "capacities": [1], "requires": [[0, 2]]}', r"requires\[0\]"),
        ('{"values": [1, 2], "weights": [[1, 1]], "capacities": [1], "exclusive": [[0]]}', r"exclusive\[0\]"),
        ('{"values": [1], "weights": [[1]], "capacities": [1], "time_limit_s": 0}', "time_limit_s"),
        ('{"values": [1], "weights": 5, "capacities": [1]}', "weights: must be a list of rows"),
        ('{"values": [], "weights": [], "capacities": []}', "at least one candidate"),
    ],
)
def test_bad_input_is_refused_naming_the_field(payload, message):
    out = io.StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("select_portfolio", json=True, stdin=io.StringIO(payload), stdout=out)
    assert out.getvalue() == ""


def test_without_json_it_refuses():
    with pytest.raises(CommandError, match="--json"):
        call_command("select_portfolio", stdin=io.StringIO("{}"))


@pytest.mark.slow
def test_as_a_real_process_it_writes_json_to_stdout_and_errors_to_stderr():
    env = {**os.environ, "HEADWAY_ENV": "test"}
    command = [sys.executable, "manage.py", "select_portfolio", "--json"]
    ok = subprocess.run(command, input=json.dumps(SMALL), capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["selected"] == [1, 2]
    bad = subprocess.run(
        command,
        input='{"values": [1], "weights": [[1, 2]], "capacities": [1]}',
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert bad.returncode != 0
    assert bad.stdout == ""
    assert "weights[0]: has 2 entries but there are 1 values" in bad.stderr
