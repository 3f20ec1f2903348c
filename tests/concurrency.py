"""Tests that need two writers at the same moment, which only PostgreSQL runs side by side.

They are TransactionTestCases, so each test's data is really committed for the other thread to
see, and emptied afterwards by flushing every table. The flush also empties the reference data
the migrations load (the optimism-bias table, the board's questions), which the tests that follow on the same worker
expect: `CommittingTestCase` puts it back after each test. `AtOnceTestCase` is skipped as a whole
on SQLite, so no flush happens there at all.
"""

from __future__ import annotations

from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase

from headway.assurance.reference import ensure_board_questions
from headway.finance.reference import ensure_optimism_bias_reference

ONLY_ON_POSTGRESQL = (
    "races need writers side by side, which only PostgreSQL runs (SQLite lets one writer in at a time); "
    "these run in the PostgreSQL suite"
)


class CommittingTestCase(TransactionTestCase):
    """A test whose writes really commit (no transaction around the test), on any database."""

    def _fixture_teardown(self) -> None:
        super()._fixture_teardown()
        ensure_optimism_bias_reference()
        ensure_board_questions()


@skipUnless(connection.vendor == "postgresql", ONLY_ON_POSTGRESQL)
class AtOnceTestCase(CommittingTestCase):
    """Two writers side by side."""
