"""The Debian tools some checks run (pdftotext, soffice): in CI a missing one fails the test, and
elsewhere it skips with the reason and how to install it."""

from __future__ import annotations

import os
import shutil

import pytest


def needs(tool: str, package: str) -> None:
    """Fail in CI, skip with the reason elsewhere, when `tool` (from Debian's `package`) is missing."""
    if shutil.which(tool) is None:
        message = f"{tool} is missing: install Debian's {package} package (make test does it as root)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
