"""Importing initiatives: created, changed, unchanged, with goals, user needs and people by email."""

from __future__ import annotations

from unittest.mock import patch

from django.core.exceptions import ValidationError
from django.test import TestCase

from headway.portfolio.models import Initiative, StrategicGoal, UserNeed
from tests.factories import make_initiative, make_person
from tests.importing import csv_file, imported, json_file, previewed, problems_of, xlsx_file
from tests.personas import personas

HEADER = ["reference", "title", "problem", "phase", "sro", "delivery_lead", "goals", "user_needs", "start_date"]


class ImportingInitiativesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.goal = StrategicGoal.objects.create(organisation=cls.cast.trust, title="Safer care")
        cls.existing = make_initiative(
            cls.cast.trust, by=cls.cast.office, reference="RZZ-012", title="Old title", sro=cls.cast.executive
        )
        cls.other = make_initiative(cls.cast.other_trust, by=cls.cast.other_office, reference="OTH-001")
        cls.outsider = make_person(cls.cast.other_trust, name="Out Sider", email="outsider@example.test")

    def rows(self) -> list[list[str]]:
        return [
            HEADER,
            [
                "RZZ-012",
                "New title",
                "Staff re-key the same information into three systems.",
                "alpha",
                self.cast.executive.email,
                self.cast.lead.email.upper(),
                "Safer care",
                "researched: As a nurse I need to see who is deteriorating so that I can act",
                "2026-04-01",
            ],
            ["rzz-013", "A new one", "Paper charts delay escalation.", "", self.cast.office.email, "", "", "", ""],
        ]

    def test_it_creates_new_initiatives_and_changes_existing_ones_by_reference(self) -> None:
        plan = imported(self.cast.trust, "initiatives", csv_file(self.rows()), by=self.cast.office)
        self.assertEqual((plan.created, plan.changed, plan.unchanged), (1, 1, 0))
        self.existing.refresh_from_db()
        self.assertEqual(self.existing.title, "New title")
        self.assertEqual(self.existing.phase, "alpha")
        self.assertEqual(self.existing.delivery_lead, self.cast.lead)
        self.assertEqual(list(self.existing.goals.all()), [self.goal])
        [need] = UserNeed.objects.filter(initiative=self.existing)
        self.assertEqual(need.evidence, "researched")
        new = Initiative.objects.get(organisation=self.cast.trust, reference="RZZ-013")
        self.assertEqual((new.status, new.phase, new.sro), ("proposed", "discovery", self.cast.office))
        self.assertEqual(self.existing.history.first().history_user, self.cast.office)

    def test_importing_the_same_file_twice_changes_nothing_the_second_time(self) -> None:
        data = csv_file(self.rows())
        imported(self.cast.trust, "initiatives", data, by=self.cast.office)
        history = Initiative.history.count(), UserNeed.history.count()
        plan = imported(self.cast.trust, "initiatives", data, by=self.cast.office)
        self.assertEqual(plan.summary(), "0 created, 0 changed, 2 unchanged")
        self.assertEqual((Initiative.history.count(), UserNeed.history.count()), history)

    def test_the_preview_says_what_would_change_from_old_to_new_and_writes_nothing(self) -> None:
        history = Initiative.history.count()
        plan = previewed(self.cast.trust, "initiatives", csv_file(self.rows()))
        changed = next(item for item in plan.items if item.outcome == "change")
        self.assertIn(("title", "Old title", "New title"), [(c.column, c.old, c.new) for c in changed.changes])
        self.assertEqual(Initiative.history.count(), history)
        self.assertFalse(Initiative.objects.filter(reference="RZZ-013").exists())

    def test_a_workbook_and_a_json_file_import_the_same(self) -> None:
        for data, name in ((xlsx_file(self.rows()), "file.xlsx"), (json_file(self.rows()), "file.json")):
            with self.subTest(name):
                plan = previewed(self.cast.trust, "initiatives", data, name)
                self.assertEqual((plan.created, plan.changed, plan.problems), (1, 1, []))

    def test_every_problem_is_named_by_row_and_column_and_nothing_is_saved(self) -> None:
        rows = [
            HEADER,
            ["RZZ-020", "", "A problem", "gamma", "nobody@example.test", self.outsider.email, "No such goal", "",
             "31/13/2026"],
            ["RZZ-021", "Fine", "A problem", "", "", "", "No such goal", "", ""],
            ["RZZ-021", "Twice", "A problem", "", "", "", "", "", ""],
        ]  # fmt: skip
        problems = problems_of(self.cast.trust, "initiatives", csv_file(rows), by=self.cast.office)
        self.assertEqual(
            problems,
            [
                "Row 2, column title: every row needs this: it is empty.",
                "Row 2, column phase: ‘gamma’ is not one of the choices: discovery, alpha, beta, live, retiring.",
                "Row 2, column sro: no one with the email ‘nobody@example.test’ is a member of Test Acute Trust. "
                "Invite them first, or give the email of someone who is.",
                "Row 2, column delivery_lead: no one with the email ‘outsider@example.test’ is a member of Test Acute "
                "Trust. Invite them first, or give the email of someone who is.",
                "Row 2, column start_date: ‘31/13/2026’ is not a date: write it like 2026-03-31 or 31/03/2026.",
                "Row 3, column goals: there is no strategic goal called ‘No such goal’. Add it first.",
                "Row 4: this row describes the same record as row 3. Give each once.",
            ],
        )
        self.assertFalse(Initiative.objects.filter(reference__in=["RZZ-020", "RZZ-021"]).exists())

    def test_a_refusal_by_the_actions_is_placed_by_row_and_column_and_undoes_the_rows_already_written(self) -> None:
        refusal = ValidationError({"statement": "This need is refused."})
        with patch("headway.portfolio.actions.save_user_need", side_effect=refusal):
            problems = problems_of(self.cast.trust, "initiatives", csv_file(self.rows()), by=self.cast.office)
        self.assertEqual(problems, ["Row 2, column user_needs: this need is refused."])
        self.existing.refresh_from_db()
        self.assertEqual(self.existing.title, "Old title")
        self.assertFalse(Initiative.objects.filter(reference="RZZ-013").exists())

    def test_another_organisations_reference_is_a_new_initiative_here_and_theirs_is_untouched(self) -> None:
        rows = [HEADER[:3], ["OTH-001", "Ours now", "A problem of ours."]]
        plan = imported(self.cast.trust, "initiatives", csv_file(rows), by=self.cast.office)
        self.assertEqual(plan.created, 1)
        self.other.refresh_from_db()
        self.assertNotEqual(self.other.title, "Ours now")

    def test_roles_that_cannot_create_initiatives_may_not_import_them(self) -> None:
        from django.core.exceptions import PermissionDenied

        for person in (self.cast.board, self.cast.lead, self.cast.viewer, self.cast.other_office):
            with self.subTest(person.full_name), self.assertRaises(PermissionDenied):
                imported(self.cast.trust, "initiatives", csv_file(self.rows()), by=person)
