"""manage.py import_data KIND FILE --organisation ODS [--dry-run] [--by EMAIL]."""

from __future__ import annotations

import io
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.test import TestCase

from headway.portfolio.models import Initiative
from tests.factories import make_initiative
from tests.importing import csv_file
from tests.personas import personas

ROWS = [
    ["reference", "title", "problem"],
    ["RZZ-001", "Renamed", "Staff re-key the same information into three systems."],
    ["RZZ-002", "New", "Another."],
]


class ImportDataCommandTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, reference="RZZ-001", title="Old")

    def run_command(self, rows: list[list[str]], *options: str) -> str:
        with TemporaryDirectory() as folder:
            path = Path(folder) / "portfolio.csv"
            path.write_bytes(csv_file(rows))
            out = io.StringIO()
            call_command(
                "import_data", "initiatives", str(path), "--organisation", self.cast.trust.ods_code, *options,
                stdout=out, stderr=io.StringIO(),
            )  # fmt: skip
            return out.getvalue()

    def test_a_dry_run_prints_what_would_change_and_saves_nothing(self) -> None:
        out = self.run_command(ROWS, "--dry-run")
        self.assertIn("Row 2: change RZZ-001 (title: Old → Renamed)", out)
        self.assertIn("Row 3: create RZZ-002", out)
        self.assertIn("Would import portfolio.csv into Test Acute Trust: 1 created, 1 changed, 0 unchanged.", out)
        self.assertFalse(Initiative.objects.filter(reference="RZZ-002").exists())

    def test_it_imports_as_the_named_member_and_twice_changes_nothing(self) -> None:
        self.run_command(ROWS, "--by", self.cast.office.email)
        self.initiative.refresh_from_db()
        self.assertEqual(self.initiative.history.first().history_user, self.cast.office)
        out = self.run_command(ROWS, "--by", self.cast.office.email)
        self.assertIn("0 created, 0 changed, 2 unchanged", out)

    def test_problems_fail_the_command_naming_each_by_row_and_column(self) -> None:
        with self.assertRaisesMessage(CommandError, "Row 2, column title: every row needs this: it is empty."):
            self.run_command([["reference", "title", "problem"], ["RZZ-003", "", "A problem people have."]])

    def test_a_person_who_is_not_a_member_or_may_not_import_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "is not a member of Test Acute Trust"):
            self.run_command(ROWS, "--by", self.cast.other_office.email)
        with self.assertRaisesMessage(CommandError, "role does not allow importing initiatives"):
            self.run_command(ROWS, "--by", self.cast.viewer.email)
        self.assertFalse(Initiative.objects.filter(reference="RZZ-002").exists())

    def test_an_unknown_organisation_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "No organisation has the ODS code 'NOPE'"):
            call_command("import_data", "risks", "x.csv", "--organisation", "NOPE", stdout=io.StringIO())
