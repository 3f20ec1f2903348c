"""The limits on what Headway accepts, in one place (pure; no Django).

Every form, upload, command and (later) the API checks what it is given against these, so a
figure typed on one page cannot be refused on another or slip past a third. Each check raises
`BoundsError`, an `InputError`, whose message says what is wrong and what would be accepted;
forms show it against the field unchanged.

Why each limit is what it is (ADR 18):

- **Money** in whole pounds from £0 to £10 billion: above any trust's whole budget, so only a
  slip goes over it, and far below what arithmetic on it can overflow.
- **Whole numbers** (counts, limits, positions) from 0 to what a PostgreSQL `integer` column
  holds, unless a field states a tighter range of its own. A span of time typed in weeks is at
  most 520 (ten years): dates are worked out from it.
- **Measured values** finite and no larger than a million million either way, so sums of squares
  and averages in the charts stay exact enough and never become infinite.
- **A metric measured in %** is a share of a whole: 0 to 100. A percentage that can go below 0
  or above 100 (a change, a growth rate) is a metric with another unit, such as "% change".
- **Dates and periods** from 1 January 2000 to 31 December 2099, the window the financial years
  already use; a measurement for a period that has not started yet is refused.
- **Text**: a line up to 300 characters, a longer answer up to 10,000 (about 1,500 words).
- **A reason a board will read later** (why a decision was taken, the evidence) says something:
  at least two different real words, not "x" or "tbc".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice

from headway.lib.errors import InputError

MAX_POUNDS = 10_000_000_000
MAX_WHOLE_NUMBER = 2_147_483_647
MAX_WEEKS = 520
MAX_MEASURE = 1_000_000_000_000
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)
SHORT_TEXT = 300
LONG_TEXT = 10_000
MIN_REASON_WORDS = 2

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_VOWEL = re.compile(r"[aeiouy]")
# Words that stand for "nothing yet" and so say nothing a board could rely on later.
_PLACEHOLDERS = {"tbc", "tbd", "na", "n/a", "none", "nothing", "test", "todo", "xx", "xxx", "asdf", "etc"}


class BoundsError(InputError):
    """A value outside what Headway accepts; the message says what would be accepted."""


def check_pounds(value: int | Decimal) -> int:
    """Whole pounds from £0 to `MAX_POUNDS`."""
    if value < 0:
        raise BoundsError("An amount cannot be negative.")
    if value > MAX_POUNDS:
        raise BoundsError(
            f"An amount can be at most £{MAX_POUNDS:,} (ten billion pounds): check the number of noughts."
        )
    return int(value)


def check_whole_number(value: int, *, minimum: int = 0, maximum: int = MAX_WHOLE_NUMBER) -> int:
    """A count, limit or position within its stated range (by default what the database holds)."""
    if value < minimum or value > maximum:
        raise BoundsError(f"Give a whole number from {minimum:,} to {maximum:,}.")
    return int(value)


def check_measure(value: float) -> float:
    """A measured value: finite and no more than `MAX_MEASURE` either way."""
    if not math.isfinite(value):
        raise BoundsError("This is not a number that can be charted.")
    if abs(value) > MAX_MEASURE:
        raise BoundsError(
            f"A value can be at most {MAX_MEASURE:,} either way: check the number of noughts, or measure in "
            "larger units (thousands or millions)."
        )
    return float(value)


def check_share(value: float) -> float:
    """Percentage points of a whole, 0 to 100 (a metric measured in %)."""
    check_measure(value)
    if not 0 <= value <= 100:
        raise BoundsError(
            f"{value:g}% is not a share of a whole, which is from 0% to 100%. For a change or a growth rate "
            "that can go below 0 or above 100, give the metric another unit, such as ‘% change’."
        )
    return float(value)


def check_date(day: dt.date) -> dt.date:
    """A date within the window Headway works in."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise BoundsError(
            f"Give a date from {FIRST_DATE:%-d %B %Y} to {LAST_DATE:%-d %B %Y}: {day.isoformat()} is outside that."
        )
    return day


def check_period(start: dt.date, *, today: dt.date) -> dt.date:
    """The first day of a measurement period: within the window, and already started."""
    check_date(start)
    if start > today:
        raise BoundsError(
            f"The period starting {start:%-d %B %Y} has not started yet: a value is recorded once it has been measured."
        )
    return start


def check_text(text: str, *, limit: int = LONG_TEXT) -> str:
    """Text no longer than `limit` characters."""
    if len(text) > limit:
        raise BoundsError(f"Keep this to {limit:,} characters or fewer: it has {len(text):,}.")
    return text


def _each_real_word(text: str) -> Iterator[str]:
    seen: set[str] = set()
    for match in _WORD.finditer(text or ""):
        word = match[0].lower()
        if word in seen or len(word) < 2 or (word.isascii() and not _VOWEL.search(word)) or word in _PLACEHOLDERS:
            continue
        seen.add(word)
        yield word


def real_words(text: str) -> list[str]:
    """The distinct words in `text` that read as words: two or more letters, with a vowel if written
    in the Latin alphabet, and not a placeholder such as "tbc". Lower case, in the order first met."""
    return list(_each_real_word(text))


def count_real_words(text: str, *, up_to: int | None = None) -> int:
    """How many distinct real words `text` has, counting no further than `up_to` when it is given:
    enough to answer "at least this many?" without reading a long text through."""
    return sum(1 for _ in islice(_each_real_word(text), up_to))


def check_reason(text: str, *, what: str = "the reason") -> str:
    """A reason or account a board will read later: at least `MIN_REASON_WORDS` real words."""
    if len(real_words(text)) < MIN_REASON_WORDS:
        raise BoundsError(
            f"Write {what} in words a board member could read later, for example ‘Usage fell for three "
            "months in a row’."
        )
    return check_text(text)


def check_name(text: str) -> str:
    """The name of a person or group (who decided): at least one real word."""
    if not real_words(text):
        raise BoundsError("Give the name of the person or group, for example ‘Digital Investment Board’.")
    return check_text(text, limit=SHORT_TEXT)

# Personal access tokens for the API (ADR 32): how long one may last, and how long by default.
TOKEN_DAYS_CHOICES = (30, 90, 180, 365)
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365
# The most records one API page or one bulk write may hold.
API_PAGE_MAX = 200
API_BULK_MAX = 500
# How long uploaded files are kept for imports (`remove_old_import_files`, ADR 33): at least a day,
# so that a preview opened today can still be confirmed, and at most ten years.
IMPORT_FILES_MIN_DAYS = 1
IMPORT_FILES_MAX_DAYS = 3650
