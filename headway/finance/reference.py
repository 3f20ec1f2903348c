"""HM Treasury's optimism-bias table as reference data.

The data migration `0002_optimism_bias_reference` loads it from `reference/optimism_bias_2003.json`.
`ensure_optimism_bias_reference` loads it again if the table is empty, which happens when a test
flushes the database (live-server tests empty every table) before the demo is loaded.
"""

from __future__ import annotations

import importlib

from django.apps import apps

from headway.finance.models import ProjectType


def ensure_optimism_bias_reference() -> bool:
    """Load the table if it is missing; True when it had to be loaded."""
    if ProjectType.objects.exists():
        return False
    migration = importlib.import_module("headway.finance.migrations.0002_optimism_bias_reference")
    migration.load(apps, None)
    return True
