"""`python manage.py spc --json`: XmR analysis of series read as JSON from standard input.

Input: a JSON list of series, each {"values": [number or null, ...], "improvement_direction":
"increase"|"decrease"|"neutral", "target": number or null, "rebase_at": [0-based indices],
"screen_outliers": true|false, "fix_after_n_points": null or a whole number ≥ 12}; only "values"
is required. Output: a JSON list with one SPCResult.to_json() object per series. Any bad input is
reported on standard error, naming the series and the field, with nothing on standard output.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.lib import bounds
from headway.metrics import spc

FIELDS = ("values", "improvement_direction", "target", "rebase_at", "screen_outliers", "fix_after_n_points")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _within(value: float, where: str) -> None:
    """The same bound on a measured value as every form and upload (`headway.lib.bounds`)."""
    try:
        bounds.check_measure(value)
    except bounds.BoundsError as error:
        raise CommandError(f"{where}: {error}") from None


def parse_series(text: str) -> list[dict[str, Any]]:
    """Check the document's shape and types; the SPC engine checks the rest (ranges, limits)."""
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise CommandError(f"The input is not valid JSON: {error}") from None
    if not isinstance(document, list):
        raise CommandError("The input must be a JSON list of series.")
    series: list[dict[str, Any]] = []
    for number, item in enumerate(document):
        where = f"series {number}"
        if not isinstance(item, dict):
            raise CommandError(f"{where}: must be an object with at least a 'values' field.")
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            raise CommandError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(FIELDS)}).")
        if "values" not in item:
            raise CommandError(f"{where}: field 'values' is required.")
        values = item["values"]
        if not isinstance(values, list):
            raise CommandError(f"{where}, field 'values': must be a list of numbers or nulls.")
        for index, value in enumerate(values):
            if value is not None and not _is_number(value):
                raise CommandError(
                    f"{where}, field 'values': item {index} is {json.dumps(value)}, not a number or null."
                )
            if value is not None and not math.isfinite(value):
                raise CommandError(f"{where}, field 'values': item {index} is too large to be a number.")
            if value is not None:
                _within(value, f"{where}, field 'values': item {index}")
        target = item.get("target")
        if target is not None and not (_is_number(target) and math.isfinite(target)):
            raise CommandError(f"{where}, field 'target': {json.dumps(target)} is not a number or null.")
        if target is not None:
            _within(target, f"{where}, field 'target'")
        rebase_at = item.get("rebase_at", [])
        if not isinstance(rebase_at, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in rebase_at
        ):
            raise CommandError(f"{where}, field 'rebase_at': must be a list of whole-number indices.")
        if not isinstance(item.get("screen_outliers", True), bool):
            raise CommandError(f"{where}, field 'screen_outliers': must be true or false.")
        fix = item.get("fix_after_n_points")
        if fix is not None and (not isinstance(fix, int) or isinstance(fix, bool)):
            raise CommandError(f"{where}, field 'fix_after_n_points': must be null or a whole number.")
        direction = item.get("improvement_direction", "increase")
        if direction not in spc.DIRECTIONS:
            raise CommandError(
                f"{where}, field 'improvement_direction': {json.dumps(direction)} is not one of "
                f"{', '.join(spc.DIRECTIONS)}."
            )
        series.append(item)
    return series


class Command(BaseCommand):
    help = "Analyse series as XmR charts (Making Data Count): JSON in on standard input, JSON out."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="read and write JSON (the only format so far)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["json"]:
            raise CommandError("Pass --json: the input is a JSON list of series on standard input.")
        stream = options.get("stdin") or sys.stdin
        series = parse_series(stream.read())
        try:
            results = spc.analyse_many(series)
        except spc.SPCInputError as error:
            # The engine names the series and the field: "series 2: rebase_at: index 40 is outside ..."
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps([result.to_json() for result in results], allow_nan=False))
