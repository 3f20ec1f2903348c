"""Importing funding lines, matched by initiative, financial year, kind, source and purpose."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from headway.finance.models import FundingLine
from tests.factories import make_funding_line, make_initiative
from tests.importing import csv_file, imported, problems_of
from tests.personas import personas

HEADER = ["initiative", "financial_year", "kind", "source", "purpose", "state", "amount", "note"]


class ImportingFundingTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, reference="RZZ-001")
        cls.line = make_funding_line(cls.initiative, by=cls.cast.office, amount=100_000)

    def rows(self) -> list[list[object]]:
        return [
            HEADER,
            ["RZZ-001", "2026/27", "capital", "trust", "build", "approved", "£120,000", ""],
            ["RZZ-001", "2027-28", "Revenue", "national", "run", "", "50k", "Run costs"],
        ]

    def test_it_changes_the_matching_line_and_adds_a_new_one_and_twice_changes_nothing(self) -> None:
        plan = imported(self.cast.trust, "funding", csv_file(self.rows()), by=self.cast.office)
        self.assertEqual((plan.created, plan.changed), (1, 1))
        [change] = plan.items[0].changes
        self.assertEqual((change.column, change.old, change.new), ("amount", "£100,000", "£120,000"))
        self.line.refresh_from_db()
        self.assertEqual(self.line.amount, 120_000)
        new = FundingLine.objects.get(financial_year="2027/28")
        self.assertEqual((new.kind, new.state, new.amount), ("revenue", "requested", 50_000))
        history = FundingLine.history.count()
        again = imported(self.cast.trust, "funding", csv_file(self.rows()), by=self.cast.office)
        self.assertEqual(again.summary(), "0 created, 0 changed, 2 unchanged")
        self.assertEqual(FundingLine.history.count(), history)

    def test_bad_years_amounts_and_choices_are_named(self) -> None:
        rows = [HEADER, ["RZZ-001", "2026/28", "gold", "trust", "", "", "-5", ""]]
        problems = problems_of(self.cast.trust, "funding", csv_file(rows), by=self.cast.office)
        self.assertEqual(
            problems,
            [
                "Row 2, column financial_year: ‘2026/28’ is not a financial year: after 2026 comes 27.",
                "Row 2, column kind: ‘gold’ is not one of the choices: capital, revenue.",
                "Row 2, column amount: An amount cannot be negative.",
            ],
        )

    def test_only_roles_that_manage_money_may_import_funding(self) -> None:
        with self.assertRaises(PermissionDenied):
            imported(self.cast.trust, "funding", csv_file(self.rows()), by=self.cast.viewer)
