"""Importing risks, matched by initiative and title (a risk has no reference of its own)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from headway.portfolio import actions
from headway.portfolio.models import Risk
from tests.factories import make_initiative
from tests.importing import imported, json_file, problems_of
from tests.personas import personas

HEADER = ["initiative", "title", "likelihood", "consequence", "owner", "next_review", "status"]


class ImportingRisksTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, reference="RZZ-001")
        cls.risk = actions.save_risk(
            organisation=cls.cast.trust,
            by=cls.cast.office,
            fields={
                "initiative": cls.initiative,
                "title": "Supplier late",
                "likelihood": 3,
                "consequence": 3,
                "owner": cls.cast.executive,
                "next_review": "2027-01-31",
            },
        )

    def rows(self) -> list[list[object]]:
        owner = self.cast.executive.email
        return [
            HEADER,
            ["RZZ-001", "supplier late", 4, 3, owner, "2027-01-31", "open"],
            [None, "Too few analysts", 2, 5, owner, "2027-02-28", None],
        ]

    def test_it_updates_a_risk_found_by_initiative_and_title_and_raises_a_portfolio_risk(self) -> None:
        plan = imported(self.cast.trust, "risks", json_file(self.rows()), by=self.cast.office, filename="r.json")
        self.assertEqual((plan.created, plan.changed), (1, 1))
        self.risk.refresh_from_db()
        self.assertEqual(self.risk.likelihood, 4)
        portfolio = Risk.objects.get(title="Too few analysts")
        self.assertIsNone(portfolio.initiative)
        self.assertEqual(portfolio.status, "open")
        again = imported(self.cast.trust, "risks", json_file(self.rows()), by=self.cast.office, filename="r.json")
        self.assertEqual(again.summary(), "0 created, 0 changed, 2 unchanged")

    def test_two_risks_with_one_title_are_ambiguous(self) -> None:
        actions.save_risk(
            organisation=self.cast.trust,
            by=self.cast.office,
            fields={**{f: getattr(self.risk, f) for f in ("initiative", "title", "owner", "next_review")},
                    "likelihood": 1, "consequence": 1},
        )  # fmt: skip
        problems = problems_of(self.cast.trust, "risks", json_file(self.rows()), by=self.cast.office, filename="r.json")
        self.assertEqual(
            problems, ["Row 1, column title: 2 risks have this title here, so Headway cannot tell which one this is."]
        )

    def test_scores_outside_the_matrix_and_missing_owners_are_refused(self) -> None:
        rows = [HEADER, ["RZZ-001", "New", 6, 0, "", "2027-01-31", "shut"]]
        problems = problems_of(self.cast.trust, "risks", json_file(rows), by=self.cast.office, filename="r.json")
        self.assertEqual(
            problems,
            [
                "Row 1, column likelihood: give a whole number from 1 to 5, not ‘6’.",
                "Row 1, column consequence: give a whole number from 1 to 5, not ‘0’.",
                "Row 1, column owner: every row needs this: it is empty.",
                "Row 1, column status: ‘shut’ is not one of the choices: open, closed.",
            ],
        )

    def test_only_roles_that_manage_portfolio_risks_may_import_them(self) -> None:
        with self.assertRaises(PermissionDenied):
            imported(self.cast.trust, "risks", json_file(self.rows()), by=self.cast.board, filename="r.json")
