"""A metric's value as people type it and spreadsheets write it (pure; no Django).

One reader for the observation form, the metric form's baseline and target, and uploads, so
that "72%" means the same everywhere: for a metric measured in % it is 72 (through
`headway.lib.percentages`, which also reads "72" and "72.5 %"); for any other unit a % sign is
refused rather than silently dropped. Otherwise a plain number, with thousands separated by
commas if you like ("1,200"), as before. Every value is then held to the bounds in
`headway.lib.bounds`: a share from 0 to 100 for a metric measured in %, and otherwise a number no
larger than `MAX_MEASURE` either way.
"""

from __future__ import annotations

import math
import re

from headway.lib.bounds import BoundsError, check_measure, check_share
from headway.lib.errors import InputError
from headway.lib.percentages import PercentError, parse_percent

_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class ValueTextError(InputError):
    """Not a value; the message says why, in words for the person who typed it."""


class NotANumber(ValueTextError):
    pass


class NotThisUnit(ValueTextError):
    pass


class OutOfBounds(ValueTextError):
    """A number, but outside what a value may be (`headway.lib.bounds`)."""


def read_value(cell: object, unit: str) -> float:
    """The value as a finite number within the bounds (`headway.lib.bounds`: 0 to 100 for a metric
    measured in %). `cell` is text, or a number from a workbook."""
    value = _read(cell, unit)
    try:
        return check_share(value) if unit.strip() == "%" else check_measure(value)
    except BoundsError as error:
        raise OutOfBounds(str(error)) from None


def _read(cell: object, unit: str) -> float:
    if isinstance(cell, bool):
        raise NotANumber(f"'{cell}' is not a number.")
    if isinstance(cell, int | float):
        value = float(cell)
        if not math.isfinite(value):
            raise NotANumber(f"'{cell}' is not a number that can be charted.")
        return value
    text = str(cell if cell is not None else "").strip()
    if text == "":
        raise NotANumber("the value is empty.")
    if text.endswith("%"):
        if unit.strip() != "%":
            raise NotThisUnit(
                f"'{text}' is a percentage, but this metric is measured in {unit or 'its own unit'}: "
                "give the number alone."
            )
        try:
            return parse_percent(text)
        except PercentError:
            raise NotANumber(f"'{text}' is not a number.") from None
    plain = text.replace(",", "") if _GROUPED.match(text) else text
    if not _PLAIN.fullmatch(plain):
        raise NotANumber(f"'{text}' is not a number.")  # "nan", "inf", "infinity" and the like
    value = float(plain)
    if not math.isfinite(value):
        raise NotANumber(f"'{text}' is not a number that can be charted.")
    return value
