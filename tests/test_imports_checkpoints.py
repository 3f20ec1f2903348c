"""Importing weekly checkpoints, matched by initiative reference and week."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from headway.portfolio import actions
from headway.portfolio.models import Checkpoint
from tests.factories import make_initiative
from tests.importing import csv_file, imported, problems_of
from tests.personas import personas

HEADER = ["initiative", "week", "demonstrated", "reached_real_users", "confidence", "confidence_reason"]
MONDAY = dt.date(2026, 11, 30)


class ImportingCheckpointsTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, reference="RZZ-001")
        make_initiative(cls.cast.other_trust, by=cls.cast.other_office, reference="OTH-001")
        actions.record_checkpoint(
            initiative=cls.initiative,
            by=cls.cast.lead,
            week=MONDAY,
            fields={"confidence": "green", "confidence_reason": "On track with the supplier", "demonstrated": "Login"},
        )

    def test_it_records_new_weeks_and_edits_a_recorded_one(self) -> None:
        rows = [
            HEADER,
            ["RZZ-001", "2026-11-30", "Login", "no", "amber", "The supplier is late again"],
            ["rzz-001", "2026-11-23", "Nothing yet", "yes", "Green", "All going to plan"],
        ]
        plan = imported(self.cast.trust, "checkpoints", csv_file(rows), by=self.cast.office)
        self.assertEqual((plan.created, plan.changed, plan.unchanged), (1, 1, 0))
        edited = Checkpoint.objects.get(initiative=self.initiative, week_start=MONDAY)
        self.assertEqual((edited.confidence, edited.recorded_by), ("amber", self.cast.office))
        earlier = Checkpoint.objects.get(initiative=self.initiative, week_start=dt.date(2026, 11, 23))
        self.assertTrue(earlier.reached_real_users)
        history = Checkpoint.history.count()
        again = imported(self.cast.trust, "checkpoints", csv_file(rows), by=self.cast.office)
        self.assertEqual(again.summary(), "0 created, 0 changed, 2 unchanged")
        self.assertEqual(Checkpoint.history.count(), history)

    def test_every_row_error_is_named_and_nothing_is_saved(self) -> None:
        rows = [
            HEADER,
            ["RZZ-001", "2026-12-01", "", "maybe", "purple", "tbc"],
            ["OTH-001", "2026-11-23", "", "no", "green", "All going to plan"],
            ["RZZ-001", "2026-11-16", "", "no", "green", "tbc"],
        ]
        problems = problems_of(self.cast.trust, "checkpoints", csv_file(rows), by=self.cast.office)
        self.assertEqual(
            problems,
            [
                "Row 2, column week: ‘2026-12-01’ is a Tuesday: a reporting week starts on a Monday (2026-11-30).",
                "Row 2, column reached_real_users: write yes or no, not ‘maybe’.",
                "Row 2, column confidence: ‘purple’ is not one of the choices: green, amber, red.",
                "Row 3, column initiative: there is no initiative with the reference ‘OTH-001’ in your organisation.",
                "Row 4, column confidence_reason: write the reason for the rating in words a board member could "
                "read later, for example ‘Usage fell for three months in a row’.",
            ],
        )
        self.assertEqual(Checkpoint.objects.count(), 1)

    def test_a_delivery_lead_may_not_import_checkpoints_for_every_initiative(self) -> None:
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            imported(self.cast.trust, "checkpoints", csv_file([HEADER]), by=self.cast.lead)
