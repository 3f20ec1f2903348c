"""Shared test set-up.

Settings come from HEADWAY_ENV=test (set by `make test`): fast password hashing, the in-memory
email backend. Browser tests drive Debian's Chromium; with CI=true a missing browser fails the
run instead of skipping it.

The clock is fixed: every test, and every date a test module works out when it is imported,
sees `FIXED_NOW` (moving on in real time from there), so a test never passes on one day and
fails on another. Network connections go only to this machine (pytest-socket, set in
pyproject.toml), and tests that take seconds are marked `slow` so `-m "not slow"` gives a quick
loop while `make test` still runs everything.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings

from tests.clock import FIXED_NOW

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() == "true"

_clock = time_machine.travel(FIXED_NOW, tick=True)


def pytest_configure(config: pytest.Config) -> None:
    if settings.ENV != "test":
        raise pytest.UsageError("Run the tests with HEADWAY_ENV=test (make test does this).")
    # Started before collection, so dates computed when a test module is imported are fixed too.
    _clock.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    _clock.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if browser_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package (make test does it as root)."
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS}


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache. The API's per-token request counts live there, and a
    rolled-back token's key is reused by the next test's token (SQLite hands out the same id
    again), so without this a run of API tests in one minute reached the rate limit (429)."""
    from django.core.cache import cache

    cache.clear()
