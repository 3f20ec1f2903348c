"""Money in whole pounds: read what people type and spreadsheets write, and show it one way.

Amounts are held as whole pounds (int). `parse_pounds` reads "£250,000", "250000", "1200.00"
(as a spreadsheet writes a whole amount), "£1.2m" and "250k"; it refuses pence, negative amounts,
more than the stated maximum (`bounds.MAX_POUNDS`) and anything else with a message that says
how to write it. `pounds` shows £1,234,567 and `short_pounds` £1.2m for headlines.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from headway.lib.bounds import BoundsError, check_pounds
from headway.lib.errors import InputError

EXAMPLE = "£250,000"
_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_AMOUNT = re.compile(r"^(-?)£?(-?)(\d[\d,]*(?:\.\d+)?|\.\d+)(k|m|bn)?$", re.IGNORECASE)


class MoneyError(InputError):
    pass


def parse_pounds(text: str | int | float | Decimal | None) -> int:
    """Whole pounds from text a person typed or a spreadsheet cell held."""
    if isinstance(text, bool):
        raise MoneyError(f"‘{text}’ is not an amount in whole pounds. Write it like {EXAMPLE}.")
    if isinstance(text, int):
        value = Decimal(text)
        raw = str(text)
    elif isinstance(text, float | Decimal):
        raw = str(text)
        try:
            value = Decimal(str(text))
        except InvalidOperation as error:
            raise MoneyError(f"‘{raw}’ is not an amount in whole pounds. Write it like {EXAMPLE}.") from error
        if not value.is_finite():
            raise MoneyError(f"‘{raw}’ is not an amount in whole pounds. Write it like {EXAMPLE}.")
    else:
        raw = (text or "").strip()
        compact = re.sub(r"\s", "", raw)
        match = _AMOUNT.match(compact)
        # Commas only as thousands separators: "1,2,3" is a slip, not 123.
        if not match or ("," in match[3] and not re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", match[3])):
            raise MoneyError(f"‘{raw}’ is not an amount in whole pounds. Write it like {EXAMPLE}.")
        if match[1] or match[2]:
            raise MoneyError("An amount cannot be negative.")
        value = Decimal(match[3].replace(",", "")) * _SUFFIX[(match[4] or "").lower()]
    if value < 0:
        raise MoneyError("An amount cannot be negative.")
    try:
        check_pounds(value)
    except BoundsError as error:
        raise MoneyError(str(error)) from None
    if value != value.to_integral_value():
        raise MoneyError(f"‘{raw}’ has pence or a part of a pound: give whole pounds, like {EXAMPLE}.")
    return int(value)


def pounds(value: float | int | Decimal | None) -> str:
    """£1,234,567 (whole pounds); "" for no value."""
    if value is None:
        return ""
    amount = round(float(value))
    return f"-£{-amount:,}" if amount < 0 else f"£{amount:,}"


def short_pounds(value: float | int | Decimal | None) -> str:
    """£1.2m for a million or more; £450,000 below that. For summaries and headlines."""
    if value is None:
        return ""
    amount = float(value)
    if abs(amount) >= 999_500:
        text = f"£{abs(amount) / 1_000_000:,.1f}m"
        return f"-{text}" if amount < 0 else text
    return pounds(amount)
