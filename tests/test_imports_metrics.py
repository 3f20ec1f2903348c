"""Importing metrics, matched by name, so a trust can bring its measures and then their values."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from headway.imports.kinds import KINDS
from headway.metrics import actions
from headway.metrics.forms import MetricForm
from headway.metrics.models import Metric, Observation
from tests.factories import make_initiative, make_metric, make_person
from tests.importing import csv_file, imported, json_file, previewed, problems_of, xlsx_file
from tests.personas import personas

HEADER = [
    "name",
    "definition",
    "kind",
    "beneficiary",
    "unit",
    "improvement_direction",
    "frequency",
    "baseline_value",
    "target_value",
    "target_date",
    "owner",
    "data_source",
    "initiatives",
]


class ImportingMetricsTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.first = make_initiative(cls.cast.trust, by=cls.cast.office, reference="RZZ-001")
        cls.second = make_initiative(cls.cast.trust, by=cls.cast.office, reference="RZZ-002")
        make_initiative(cls.cast.other_trust, by=cls.cast.other_office, reference="OTH-001")
        cls.stranger = make_person(None, email="stranger@example.test")
        cls.metric = make_metric(cls.cast.trust, "Seen within 15 minutes", target_value=80.0)
        cls.metric.initiatives.add(cls.first)

    def rows(self) -> list[list[object]]:
        owner = self.cast.executive.email
        return [
            HEADER,
            [
                "Falls a month",
                "Inpatient falls reported on the incident system",
                "Outcome",
                "patients",
                "falls",
                "Lower is better",
                "monthly",
                "40",
                30,
                "2027-03-31",
                owner,
                "Incident system",
                "rzz-001; RZZ-002",
            ],
            [
                "seen within 15 MINUTES",
                "What is counted.",
                "outcome",
                "patients",
                "%",
                "increase",
                "monthly",
                "",
                "85%",
                "",
                owner,
                "Test data",
                "RZZ-001",
            ],
        ]

    def test_it_creates_a_metric_and_changes_one_found_by_name_and_twice_changes_nothing(self) -> None:
        plan = imported(self.cast.trust, "metrics", csv_file(self.rows()), by=self.cast.office)
        self.assertEqual((plan.created, plan.changed, plan.unchanged), (1, 1, 0))
        falls = Metric.objects.get(organisation=self.cast.trust, name="Falls a month")
        self.assertEqual(
            (falls.kind, falls.unit, falls.improvement_direction, falls.baseline_value, falls.target_value),
            ("outcome", "falls", "decrease", 40.0, 30.0),
        )
        self.assertEqual((falls.target_date, falls.owner), (dt.date(2027, 3, 31), self.cast.executive))
        self.assertEqual(sorted(i.reference for i in falls.initiatives.all()), ["RZZ-001", "RZZ-002"])
        self.assertEqual(falls.history.latest().history_user, self.cast.office)
        self.assertEqual(falls.history.latest().history_change_reason, "Test import")
        self.metric.refresh_from_db()
        self.assertEqual((self.metric.name, self.metric.target_value), ("Seen within 15 minutes", 85.0))
        self.assertEqual(self.metric.owner, self.cast.executive)
        history = Metric.history.count()
        again = imported(self.cast.trust, "metrics", csv_file(self.rows()), by=self.cast.office)
        self.assertEqual(again.summary(), "0 created, 0 changed, 2 unchanged")
        self.assertEqual(Metric.history.count(), history)

    def test_the_preview_shows_each_changed_field_old_and_new_and_writes_nothing(self) -> None:
        plan = previewed(self.cast.trust, "metrics", csv_file(self.rows()))
        changed = next(item for item in plan.items if item.outcome == "change")
        self.assertEqual(changed.label, "Seen within 15 minutes")
        self.assertEqual(
            [(c.column, c.old, c.new) for c in changed.changes],
            [("target_value", "80", "85"), ("owner", "(blank)", self.cast.executive.email)],
        )
        created = next(item for item in plan.items if item.outcome == "create")
        self.assertIn(("initiatives", "", "RZZ-001; RZZ-002"), [(c.column, c.old, c.new) for c in created.changes])
        self.assertFalse(Metric.objects.filter(name="Falls a month").exists())

    def test_a_workbook_and_a_json_file_are_read_as_a_csv_file_is(self) -> None:
        plan = imported(self.cast.trust, "metrics", xlsx_file(self.rows()), by=self.cast.office, filename="m.xlsx")
        self.assertEqual(plan.summary(), "1 created, 1 changed, 0 unchanged")
        again = imported(self.cast.trust, "metrics", json_file(self.rows()), by=self.cast.office, filename="m.json")
        self.assertEqual(again.summary(), "0 created, 0 changed, 2 unchanged")

    def test_a_file_naming_only_some_columns_leaves_the_others_alone(self) -> None:
        rows = [["name", "initiatives"], ["Seen within 15 minutes", "RZZ-002"]]
        plan = imported(self.cast.trust, "metrics", csv_file(rows), by=self.cast.office)
        self.assertEqual(plan.items[0].changes[0].old, "RZZ-001")
        self.metric.refresh_from_db()
        self.assertEqual([i.reference for i in self.metric.initiatives.all()], ["RZZ-002"])
        self.assertEqual((self.metric.target_value, self.metric.unit), (80.0, "%"))

    def test_each_problem_is_named_by_row_and_column_and_nothing_is_saved(self) -> None:
        rows = [
            ["name", "definition", "kind", "unit", "frequency", "baseline_value", "target_value", "target_date"],
            ["New metric", "", "impact", "minutes", "daily", "72%", "lots", "31/02/2027"],
            ["Seen within 15 minutes", "What is counted.", "outcome", "", "monthly", "101", "", ""],
        ]
        problems = problems_of(self.cast.trust, "metrics", csv_file(rows), by=self.cast.office)
        self.assertEqual(
            problems[:3],
            [
                "Row 2, column kind: ‘impact’ is not one of the choices: outcome, adoption, experience, financial, "
                "activity.",
                "Row 2, column frequency: ‘daily’ is not one of the choices: weekly, monthly, quarterly.",
                "Row 2, column target_date: ‘31/02/2027’ is not a date: write it like 2026-03-31 or 31/03/2026.",
            ],
        )
        self.assertEqual(problems[3], "Row 3, column unit: enter the unit, for example %, minutes or patients.")
        self.assertTrue(problems[4].startswith("Row 3, column baseline_value: 101% is not a share"), problems[4])
        self.assertEqual(len(problems), 5, problems)
        self.assertEqual(Metric.objects.filter(organisation=self.cast.trust).count(), 1)

    def test_a_new_metric_needs_what_the_metric_form_needs_and_values_in_its_unit(self) -> None:
        rows = [
            ["name", "definition", "unit", "baseline_value", "target_value"],
            ["New metric", "", "minutes", "72%", "lots"],
        ]
        problems = problems_of(self.cast.trust, "metrics", csv_file(rows), by=self.cast.office)
        self.assertEqual(
            problems,
            [
                "Row 2, column definition: say exactly what is counted or measured.",
                "Row 2, column kind: choose what kind of measure it is.",
                "Row 2, column beneficiary: choose who benefits.",
                "Row 2, column improvement_direction: choose which way is better.",
                "Row 2, column frequency: choose how often it is measured.",
                "Row 2, column data_source: say where the numbers come from.",
                "Row 2, column baseline_value: '72%' is a percentage, but this metric is measured in minutes: "
                "give the number alone.",
                "Row 2, column target_value: 'lots' is not a number.",
            ],
        )

    def test_names_and_references_are_held_to_their_bounds_and_every_row_needs_a_name(self) -> None:
        rows = [
            ["name", "initiatives"],
            ["x" * 201, ""],
            ["", "RZZ-001"],
            ["Seen within 15 minutes", "RZZ-001; " + "R" * 21],
        ]
        problems = problems_of(self.cast.trust, "metrics", csv_file(rows), by=self.cast.office)
        self.assertEqual(len(problems), 3, problems)
        self.assertTrue(problems[0].startswith("Row 2, column name: "), problems[0])
        self.assertIn("200", problems[0])
        self.assertEqual(problems[1], "Row 3, column name: every row needs this: it is empty.")
        self.assertEqual(
            problems[2],
            f"Row 4, column initiatives: ‘{'R' * 21}’ is not a reference: a reference has at most 20 characters, "
            "like RZZ-012.",
        )

    def test_unknown_and_other_organisations_initiatives_are_not_found(self) -> None:
        rows = [["name", "initiatives"], ["Seen within 15 minutes", "RZZ-001; RZZ-999; OTH-001"]]
        problems = problems_of(self.cast.trust, "metrics", csv_file(rows), by=self.cast.office)
        self.assertEqual(
            problems,
            [
                "Row 2, column initiatives: there is no initiative with the reference ‘RZZ-999’ in your organisation.",
                "Row 2, column initiatives: there is no initiative with the reference ‘OTH-001’ in your organisation.",
            ],
        )

    def test_an_owner_must_be_a_member_and_no_account_is_made(self) -> None:
        rows = [
            ["name", "owner"],
            ["Seen within 15 minutes", "Nobody@example.test"],
            ["Falls a week", self.stranger.email],
            ["Time to triage", self.cast.other_office.email],
        ]
        problems = problems_of(self.cast.trust, "metrics", csv_file(rows), by=self.cast.office)
        for row, email in ((2, "nobody@example.test"), (3, self.stranger.email), (4, self.cast.other_office.email)):
            self.assertIn(
                f"Row {row}, column owner: no one with the email ‘{email}’ is a member of Test Acute Trust. "
                "Invite them first, or give the email of someone who is.",
                problems,
            )
        self.assertFalse(type(self.stranger).objects.filter(email="nobody@example.test").exists())

    def test_a_name_given_twice_is_refused(self) -> None:
        rows = [["name", "target_value"], ["Seen within 15 minutes", 90], ["SEEN within 15 minutes", 95]]
        problems = problems_of(self.cast.trust, "metrics", csv_file(rows), by=self.cast.office)
        self.assertEqual(problems, ["Row 3: this row describes the same record as row 2. Give each once."])

    def test_a_unit_or_frequency_may_change_under_existing_values_as_the_metric_form_allows(self) -> None:
        actions.record_observation(metric=self.metric, by=self.cast.office, period=dt.date(2026, 1, 1), value=70.0)
        form = MetricForm(
            {
                **{f: getattr(self.metric, f) for f in ("name", "definition", "kind", "beneficiary", "data_source")},
                "improvement_direction": "increase",
                "unit": "patients",
                "frequency": "quarterly",
                "screen_outliers": "on",
            },
            instance=self.metric,
            organisation=self.cast.trust,
        )
        self.assertTrue(form.is_valid(), form.errors)
        rows = [["name", "unit", "frequency"], ["Seen within 15 minutes", "patients", "quarterly"]]
        plan = imported(self.cast.trust, "metrics", csv_file(rows), by=self.cast.office)
        self.assertEqual([c.column for c in plan.items[0].changes], ["unit", "frequency"])
        self.metric.refresh_from_db()
        self.assertEqual((self.metric.unit, self.metric.frequency), ("patients", "quarterly"))
        self.assertEqual(Observation.objects.filter(metric=self.metric).count(), 1)

    def test_only_roles_that_manage_metrics_may_import_them(self) -> None:
        for person in (self.cast.lead, self.cast.board, self.cast.viewer):
            with self.subTest(person=person.full_name), self.assertRaises(PermissionDenied):
                imported(self.cast.trust, "metrics", csv_file(self.rows()), by=person)
        self.assertFalse(Metric.objects.filter(name="Falls a month").exists())

    def test_metrics_come_before_their_values_in_the_list_of_kinds(self) -> None:
        slugs = list(KINDS)
        self.assertEqual(slugs.index("metrics") + 1, slugs.index("metrics_observations"))

    def test_a_trust_imports_its_metrics_then_their_values_from_two_files(self) -> None:
        imported(self.cast.trust, "metrics", xlsx_file(self.rows()), by=self.cast.office, filename="metrics.xlsx")
        values = [
            ["metric", "initiative", "period", "value"],
            ["Falls a month", "RZZ-002", "2026-10", 38],
            ["falls a month", "", "2026-11", 35],
            ["Seen within 15 minutes", "RZZ-001", "2026-11", "79%"],
        ]
        plan = imported(
            self.cast.trust, "metrics_observations", csv_file(values), by=self.cast.office, filename="values.csv"
        )
        self.assertEqual(plan.summary(), "3 created, 0 changed, 0 unchanged")
        falls = Metric.objects.get(organisation=self.cast.trust, name="Falls a month")
        self.assertEqual(list(falls.observations.values_list("value", flat=True)), [38.0, 35.0])
        self.assertEqual(falls.latest_period, dt.date(2026, 11, 1))

    def test_the_command_offers_metrics_and_prints_each_change_old_and_new(self) -> None:
        rows = [["name", "target_value"], ["Seen within 15 minutes", 90]]
        with TemporaryDirectory() as folder:
            path = Path(folder) / "metrics.csv"
            path.write_bytes(csv_file(rows))
            out = io.StringIO()
            call_command(
                "import_data", "metrics", str(path), "--organisation", self.cast.trust.ods_code,
                "--by", self.cast.office.email, stdout=out, stderr=io.StringIO(),
            )  # fmt: skip
        self.assertIn("Row 2: change Seen within 15 minutes (target_value: 80 → 90)", out.getvalue())
        self.metric.refresh_from_db()
        self.assertEqual(self.metric.target_value, 90.0)

    def test_the_page_lists_metrics_before_their_values_and_previews_an_upload_without_saving(self) -> None:
        self.client.force_login(self.cast.office)
        page = self.client.get(reverse("imports:start")).content.decode()
        metrics = page.index(reverse("imports:template", args=["metrics", "csv"]))
        self.assertLess(metrics, page.index(reverse("imports:template", args=["metrics_observations", "csv"])))
        template = self.client.get(reverse("imports:template", args=["metrics", "csv"])).content.decode("utf-8-sig")
        self.assertTrue(template.startswith("name,definition,kind,beneficiary,unit,"), template)
        file = SimpleUploadedFile("metrics.csv", csv_file(self.rows()), content_type="text/csv")
        preview = self.client.get(
            self.client.post(reverse("imports:start"), {"kind": "metrics", "file": file})["Location"]
        )
        self.assertContains(preview, "Falls a month")
        self.assertFalse(Metric.objects.filter(name="Falls a month").exists())
