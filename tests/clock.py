"""The moment every test runs at (tests/conftest.py fixes the clock there).

Friday 4 December 2026, midday in London: the day the clock was fixed. A test that needs another
moment travels there itself (time_machine.travel) rather than reading the real date.
"""

from __future__ import annotations

import datetime as dt

FIXED_NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
TODAY = FIXED_NOW.date()
