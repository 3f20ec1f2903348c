"""The board's questions as reference data.

The data migration `0002_questions_board_questions` loads them from
`reference/board_questions.json`. `ensure_board_questions` loads them again if the table is empty,
which happens when a test flushes the database (live-server tests empty every table) before the
demo is loaded.
"""

from __future__ import annotations

import importlib

from django.apps import apps

from headway.assurance.models import Question


def ensure_board_questions() -> bool:
    """Load the questions if there are none; True when they had to be loaded."""
    if Question.objects.exists():
        return False
    migration = importlib.import_module("headway.assurance.migrations.0002_questions_board_questions")
    migration.load(apps, None)
    return True
