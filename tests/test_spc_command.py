"""`python manage.py spc --json`, through call_command and as a real process."""

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
STEADY = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 9, 10, 30]


def run(payload: str) -> list[dict]:
    out = io.StringIO()
    call_command("spc", json=True, stdin=io.StringIO(payload), stdout=out)
    return json.loads(out.getvalue())


def test_it_analyses_each_series_in_the_list():
    results = run(json.dumps([{"values": STEADY, "target": 5}, {"values": [1, None, 2]}]))
    assert len(results) == 2
    first = results[0]
    assert set(first) == {
        "periods",
        "special_cause",
        "special_cause_rule",
        "variation_icon",
        "assurance_icon",
        "trial_limits",
    }
    assert first["special_cause"][-1] == "improvement"
    assert first["special_cause_rule"][-1] == "astronomical"
    assert first["variation_icon"] == "improvement_high"
    assert first["assurance_icon"] == "pass"
    assert first["trial_limits"] is False
    assert results[1]["trial_limits"] is True


def test_every_optional_field_is_understood():
    series = {
        "values": STEADY * 2,
        "improvement_direction": "decrease",
        "target": None,
        "rebase_at": [14],
        "screen_outliers": False,
        "fix_after_n_points": 12,
    }
    (result,) = run(json.dumps([series]))
    assert [p["first_index"] for p in result["periods"]] == [0, 14]
    assert result["assurance_icon"] is None


def test_an_empty_list_gives_an_empty_list():
    assert run("[]") == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"values": [1]}', "must be a JSON list"),
        ("[[1, 2]]", "series 0: must be an object"),
        ('[{"values": [1]}, {"target": 3}]', "series 1: field 'values' is required"),
        ('[{"values": [1, "2"]}]', "series 0, field 'values': item 1"),
        ('[{"values": [1, true]}]', "series 0, field 'values': item 1"),
        ('[{"values": [1, NaN]}]', "not valid JSON"),
        ('[{"values": [1], "colour": "red"}]', "series 0: unknown field 'colour'"),
        ('[{"values": [1], "improvement_direction": "up"}]', "series 0, field 'improvement_direction'"),
        ('[{"values": [1], "target": "high"}]', "series 0, field 'target'"),
        ('[{"values": [1], "screen_outliers": 1}]', "series 0, field 'screen_outliers'"),
        ('[{"values": [1, 2]}, {"values": [1, 2], "rebase_at": [2]}]', "series 1, field 'rebase_at'"),
        ('[{"values": [1], "fix_after_n_points": 11}]', "series 0, field 'fix_after_n_points'"),
        ('[{"values": [1], "fix_after_n_points": 12.0}]', "series 0, field 'fix_after_n_points'"),
        ('[{"values": [1, 1e308]}]', "series 0, field 'values': item 1: A value can be at most"),
        ('[{"values": [1], "target": -1e13}]', "series 0, field 'target': A value can be at most"),
    ],
)
def test_bad_input_is_an_error_naming_the_series_and_the_field(payload, message):
    out = io.StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("spc", json=True, stdin=io.StringIO(payload), stdout=out)
    assert out.getvalue() == ""


def test_without_the_json_flag_it_says_to_pass_it():
    with pytest.raises(CommandError, match="--json"):
        call_command("spc", stdin=io.StringIO("[]"))


def _process(payload: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEADWAY_ENV": "test", "DJANGO_SETTINGS_MODULE": "headway.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", "spc", "--json"],
        input=payload,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_as_a_process_it_reads_standard_input_and_writes_json_to_standard_output():
    completed = _process(json.dumps([{"values": STEADY}]))
    assert completed.returncode == 0, completed.stderr
    (result,) = json.loads(completed.stdout)
    assert result["variation_icon"] == "improvement_high"


@pytest.mark.slow
def test_as_a_process_bad_input_exits_non_zero_with_the_reason_on_standard_error_only():
    completed = _process('[{"values": [1, 2]}, {"values": [1, "x"]}]')
    assert completed.returncode != 0
    assert completed.stdout == ""
    assert "series 1, field 'values': item 1" in completed.stderr
