"""Percentages: read "72%" (as a spreadsheet writes it) or "72", and show a fraction as "72%".

Two representations meet here and must not be mixed up: a **fraction** (0.72, what the maths
works in) and **percentage points** (72, what people type and metrics store). `parse_percent`
gives points; `percent` shows a fraction; `points` shows points.
"""

from __future__ import annotations

import math
import re

from headway.lib.errors import InputError

_PERCENT = re.compile(r"^([-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+))\s*%?$")


class PercentError(InputError):
    pass


def parse_percent(text: str | float | int) -> float:
    """Percentage points from "72%", "72", "72.5 %" or a number."""
    if isinstance(text, bool):
        raise PercentError(f"‘{text}’ is not a percentage: write it like 72%.")
    if isinstance(text, int | float):
        value = float(text)
    else:
        raw = (text or "").strip()
        match = _PERCENT.match(raw)
        if not match:
            raise PercentError(f"‘{raw}’ is not a percentage: write it like 72%.")
        value = float(match[1].replace(",", ""))
    if not math.isfinite(value):
        raise PercentError(f"‘{text}’ is not a percentage: write it like 72%.")
    return value


def _trim(number: float, places: int) -> str:
    if not places:
        return f"{number:,.0f}"
    return f"{number:,.{places}f}".rstrip("0").rstrip(".")


def percent(fraction: float | None, places: int = 1) -> str:
    """0.725 → "72.5%"; "" for no value."""
    if fraction is None:
        return ""
    return f"{_trim(fraction * 100, places)}%"


def points(value: float | None, places: int = 1) -> str:
    """72.5 → "72.5%"; "" for no value."""
    if value is None:
        return ""
    return f"{_trim(value, places)}%"
