"""Importing metric values, matched by metric name and period, written in bulk with history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from headway.metrics import actions
from headway.metrics.models import Observation
from tests.factories import make_initiative, make_metric
from tests.importing import csv_file, imported, problems_of, xlsx_file
from tests.personas import personas

HEADER = ["metric", "initiative", "period", "value", "note"]


class ImportingMetricValuesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, reference="RZZ-001")
        cls.metric = make_metric(cls.cast.trust, "Seen within 15 minutes")
        cls.metric.initiatives.add(cls.initiative)
        cls.weekly = make_metric(cls.cast.trust, "Falls a week", unit="falls", frequency="weekly")
        make_metric(cls.cast.other_trust, "Their metric")
        actions.record_observation(metric=cls.metric, by=cls.cast.office, period=dt.date(2026, 1, 1), value=70.0)

    def rows(self) -> list[list[object]]:
        return [
            HEADER,
            ["Seen within 15 minutes", "RZZ-001", "2026-01", "72%", "New triage"],
            ["seen within 15 MINUTES", "", "2026-02", 74, ""],
            ["Falls a week", "", "2026-03-04", 3, ""],
        ]

    def test_it_adds_and_replaces_values_across_metrics_and_twice_changes_nothing(self) -> None:
        plan = imported(self.cast.trust, "metrics_observations", csv_file(self.rows()), by=self.cast.office)
        self.assertEqual((plan.created, plan.changed, plan.unchanged), (2, 1, 0))
        january = Observation.objects.get(metric=self.metric, period=dt.date(2026, 1, 1))
        self.assertEqual((january.value, january.note), (72.0, "New triage"))
        falls = Observation.objects.get(metric=self.weekly)
        self.assertEqual(falls.period, dt.date(2026, 3, 2))  # the Monday of that week
        history = Observation.history.count()
        for data, name in ((csv_file(self.rows()), "v.csv"), (xlsx_file(self.rows()), "v.xlsx")):
            again = imported(self.cast.trust, "metrics_observations", data, by=self.cast.office, filename=name)
            self.assertEqual(again.summary(), "0 created, 0 changed, 3 unchanged")
        self.assertEqual(Observation.history.count(), history)

    def test_unknown_metrics_bad_periods_and_values_are_named_by_row_and_column(self) -> None:
        rows = [
            HEADER,
            ["Their metric", "", "2026-01", 1, ""],
            ["Seen within 15 minutes", "RZZ-999", "2027-06", "lots", ""],
            ["Seen within 15 minutes", "", "2026-02", 101, ""],
            ["Seen within 15 minutes", "", "2026-03", 50, ""],
            ["Seen within 15 minutes", "", "2026-03-15", 51, ""],
        ]
        problems = problems_of(self.cast.trust, "metrics_observations", csv_file(rows), by=self.cast.office)
        self.assertEqual(
            problems[0], "Row 2, column metric: there is no metric called ‘Their metric’ in your organisation."
        )
        self.assertEqual(
            problems[1], "Row 3, column initiative: ‘Seen within 15 minutes’ does not serve the initiative RZZ-999."
        )
        self.assertTrue(problems[2].startswith("Row 3, column period: the period starting 1 June 2027 has not started"))
        self.assertTrue(problems[3].startswith("Row 3, column value:"), problems[3])
        self.assertTrue(problems[4].startswith("Row 4, column value: 101"), problems[4])
        self.assertEqual(
            problems[5],
            "Row 6, column period: Seen within 15 minutes for Mar 2026 is already on row 5. Give each period once.",
        )
        self.assertEqual(len(problems), 6)
        self.assertEqual(Observation.objects.count(), 1)

    def test_only_roles_that_manage_metrics_may_import_values(self) -> None:
        with self.assertRaises(PermissionDenied):
            imported(self.cast.trust, "metrics_observations", csv_file(self.rows()), by=self.cast.lead)
