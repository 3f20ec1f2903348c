"""The export aligned with the programme and project data standard (ADR 34): GMPP column names,
each entity's rows from known data, a coverage statement naming every column, the workbook and
JSON, the command, the portfolio office only, and nothing from another organisation."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.assurance import data_standard
from headway.metrics import actions as metric_actions
from headway.portfolio import actions as portfolio_actions
from tests.factories import make_business_case, make_funding_line, make_initiative, make_metric, record_actual
from tests.personas import personas

TODAY = dt.date(2026, 12, 9)
MONDAY = dt.date(2026, 12, 7)


def table(found: list[data_standard.Table], key: str) -> list[dict[str, Any]]:
    for t in found:
        if t.entity.key == key:
            names = [c.name for c in t.entity.columns]
            return [dict(zip(names, row, strict=True)) for row in t.rows]
    raise AssertionError(f"no table {key}")


class StandardData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = c = personas()
        cls.initiative = make_initiative(
            c.trust,
            by=c.office,
            status="active",
            reference="DIG-001",
            title="Electronic observations",
            sro=c.executive,
            sro_directorate="Nursing",
            delivery_lead=c.lead,
            planned_go_live=dt.date(2027, 3, 1),
            planned_first_release=dt.date(2026, 6, 1),
        )
        portfolio_actions.record_checkpoint(
            initiative=cls.initiative,
            by=c.lead,
            week=MONDAY,
            fields={
                "confidence": "amber",
                "confidence_reason": "Ward 3 waits for devices",
                "asks_of_the_board": "Approve the device order",
            },
        )
        portfolio_actions.save_risk(
            organisation=c.trust,
            by=c.office,
            fields={
                "title": "Devices run out",
                "initiative": cls.initiative,
                "likelihood": 4,
                "consequence": 5,
                "owner": c.lead,
                "next_review": dt.date(2027, 1, 4),
            },
        )
        metric = make_metric(c.trust, name="Observations on time", baseline_value=62.0, target_value=90.0)
        metric.initiatives.add(cls.initiative)
        metric_actions.record_observation(metric=metric, by=c.office, period=dt.date(2026, 11, 1), value=71.0)
        make_business_case(cls.initiative, by=c.office, costs={"2026/27": 50_000, "2027/28": 20_000})
        make_funding_line(cls.initiative, by=c.office, amount=60_000, financial_year="2026/27")
        record_actual(cls.initiative, by=c.office, amount=45_000, financial_year="2026/27")
        make_initiative(c.other_trust, by=c.other_office, reference="OTH-001", title="Not ours")


class TheTablesHoldTheKnownData(StandardData):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.found = data_standard.build(cls.cast.trust, TODAY)

    def test_there_is_a_table_for_each_entity_of_the_standard_in_order(self) -> None:
        self.assertEqual(
            [t.entity.key for t in self.found], ["project", "risk", "issue", "benefit", "milestone", "cost", "people"]
        )

    def test_the_project_table_uses_the_gmpp_names_and_maps_confidence_to_the_dca_scale(self) -> None:
        [project] = table(self.found, "project")
        self.assertEqual(project["GMPP ID Number"], "DIG-001")
        self.assertEqual(project["Project Name"], "Electronic observations")
        self.assertEqual(project["IPA Delivery Confidence Assessment"], "Amber")
        self.assertEqual(
            project["Departmental commentary on actions planned or taken on the IPA RAG rating"],
            "Ward 3 waits for devices",
        )
        self.assertEqual(project["SRO Name"], self.cast.executive.full_name)
        self.assertEqual(project["End Date"], dt.date(2027, 3, 1))
        self.assertEqual(project["Whole Life Cost (£)"], 70_000)
        self.assertIsNotNone(project["Cost to go-live P80 (£)"])
        self.assertIsNone(project["Schedule Narrative"])
        self.assertIn(self.cast.trust.ods_code, project["Department"])

    def test_the_five_point_scale_is_the_one_the_gmpp_releases_publish(self) -> None:
        self.assertEqual(list(data_standard.DCA.values()), ["Green", "Amber/Green", "Amber", "Amber/Red", "Red"])

    def test_the_risk_issue_and_benefit_tables_come_from_the_register_the_checkpoint_and_the_metric(self) -> None:
        [risk] = table(self.found, "risk")
        self.assertEqual(
            (risk["Risk Title"], risk["Risk Score (1-25)"], risk["Risk Rating"]), ("Devices run out", 20, "Extreme")
        )
        [issue] = table(self.found, "issue")
        self.assertEqual((issue["Action Requested"], issue["Date Raised"]), ("Approve the device order", MONDAY))
        [benefit] = table(self.found, "benefit")
        self.assertEqual(
            (benefit["Benefit Name"], benefit["Baseline Value"], benefit["Target Value"], benefit["Latest Value"]),
            ("Observations on time", 62.0, 90.0, 71.0),
        )

    def test_the_milestone_cost_and_people_tables_come_from_the_dates_the_money_and_the_roles(self) -> None:
        milestones = {m["Milestone Name"]: m for m in table(self.found, "milestone")}
        self.assertEqual(milestones["Go-live"]["Baseline Date"], dt.date(2027, 3, 1))
        self.assertEqual(milestones["Go-live"]["Milestone Status"], "Not yet achieved")
        self.assertEqual(milestones["First release to real users"]["Milestone Status"], "Late")
        self.assertEqual(milestones["Start"]["Milestone Status"], "Achieved")
        costs = {c["Financial Year"]: c for c in table(self.found, "cost")}
        this_year = costs["2026/27"]
        self.assertEqual(
            (this_year["Financial Year Baseline Revenue (£)"], this_year["Funding (£)"], this_year["Actual Spend (£)"]),
            (50_000, 60_000, 45_000),
        )
        self.assertEqual(this_year["Variance (£)"], -5_000)
        self.assertEqual(costs["2027/28"]["Actual Spend (£)"], 0)
        people = {(p["Role"], p["Name"]) for p in table(self.found, "people")}
        self.assertEqual(
            people,
            {("Senior responsible owner", self.cast.executive.full_name), ("Delivery lead", self.cast.lead.full_name)},
        )

    def test_the_coverage_statement_names_every_column_of_every_table_with_its_fit(self) -> None:
        rows = data_standard.coverage(self.found)
        listed = {(r[0], r[1]) for r in rows[1:]}
        every = {(t.entity.sheet, c.name) for t in self.found for c in t.entity.columns}
        self.assertEqual(listed, every)
        self.assertEqual(len(rows) - 1, len(every))
        self.assertEqual(
            {r[4] for r in rows[1:]}, {data_standard.MAPS, data_standard.APPROXIMATE, data_standard.CANNOT}
        )
        # A column Headway cannot supply has no value to give.
        for t in self.found:
            for c in t.entity.columns:
                self.assertEqual(c.value is None, c.fit == data_standard.CANNOT, c.name)

    def test_another_organisations_initiatives_are_left_out(self) -> None:
        self.assertNotIn("OTH-001", [p["GMPP ID Number"] for p in table(self.found, "project")])


class TheFilesAndTheCommand(StandardData):
    def test_the_workbook_has_about_coverage_and_a_sheet_per_entity_with_formula_text_kept_as_text(self) -> None:
        portfolio_actions.update_initiative(initiative=self.initiative, by=self.cast.office, fields={"title": "=1+1"})
        book = openpyxl.load_workbook(io.BytesIO(data_standard.xlsx(self.cast.trust, TODAY)))
        self.assertEqual(
            book.sheetnames, ["About", "Coverage", "Project", "Risk", "Issue", "Benefit", "Milestone", "Cost", "People"]
        )
        self.assertEqual(book["About"]["B1"].value, data_standard.SCHEMA_VERSION)
        header = [c.value for c in book["Project"][1]]
        for name in ("GMPP ID Number", "Project Name", "Department", "Description / Aims", "SRO Name"):
            self.assertIn(name, header)
        cell = book["Project"].cell(row=2, column=2)
        self.assertEqual((cell.value, cell.data_type), ("=1+1", "s"))

    def test_the_json_carries_the_version_the_coverage_and_each_entity(self) -> None:
        document = json.loads(data_standard.as_json(self.cast.trust, TODAY))
        self.assertEqual(document["schema_version"], "headway-pds-1")
        self.assertEqual(
            set(document["entities"]), {"project", "risk", "issue", "benefit", "milestone", "cost", "people"}
        )
        self.assertEqual(document["entities"]["issue"][0]["Date Raised"], MONDAY.isoformat())
        self.assertIn({"Entity": "Issue", "Column": "Priority", "Name from the GMPP data releases": "No",
                       "Headway source": "Headway does not rank issues", "Fit": "Cannot supply"},
                      document["coverage"])  # fmt: skip

    def test_the_command_writes_a_workbook_or_json_for_an_ods_code(self) -> None:
        code = self.cast.trust.ods_code
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "pds.xlsx"
            call_command(
                "export_data_standard", code, "--out", str(out), "--date", TODAY.isoformat(), stdout=io.StringIO()
            )
            self.assertIn("Project", openpyxl.load_workbook(out).sheetnames)
            out = Path(folder) / "pds.json"
            call_command("export_data_standard", code, "--out", str(out), "--format", "json", stdout=io.StringIO())
            self.assertEqual(json.loads(out.read_text())["organisation"]["ods_code"], code)

    def test_the_command_refuses_an_unknown_ods_code(self) -> None:
        with self.assertRaisesMessage(CommandError, "No organisation has the ODS code 'XXX99'"):
            call_command("export_data_standard", "XXX99", "--out", "unused.xlsx")


class OnlyThePortfolioOfficeExportsIt(StandardData):
    def test_the_portfolio_office_sees_the_page_and_downloads_both_files(self) -> None:
        self.client.force_login(self.cast.office)
        page = self.client.get(reverse("portfolio:data_standard"))
        self.assertContains(page, "headway-pds-1")
        self.assertContains(page, "IPA Delivery Confidence Assessment")
        response = self.client.get(reverse("portfolio:data_standard"), {"format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"headway-{self.cast.trust.ods_code}-data-standard-", response["Content-Disposition"])
        response = self.client.get(reverse("portfolio:data_standard"), {"format": "json"})
        self.assertEqual(json.loads(response.content)["organisation"]["ods_code"], self.cast.trust.ods_code)
        self.assertContains(self.client.get(reverse("portfolio:packs")), reverse("portfolio:data_standard"))

    def test_other_roles_are_refused_and_not_shown_the_link(self) -> None:
        for person in (self.cast.board, self.cast.executive, self.cast.lead, self.cast.viewer):
            self.client.force_login(person)
            with self.subTest(person=person.full_name):
                self.assertEqual(
                    self.client.get(reverse("portfolio:data_standard"), {"format": "xlsx"}).status_code, 403
                )
                self.assertNotContains(self.client.get(reverse("portfolio:packs")), reverse("portfolio:data_standard"))

    def test_another_organisations_office_gets_only_its_own_portfolio(self) -> None:
        self.client.force_login(self.cast.other_office)
        document = json.loads(self.client.get(reverse("portfolio:data_standard"), {"format": "json"}).content)
        self.assertEqual([p["GMPP ID Number"] for p in document["entities"]["project"]], ["OTH-001"])
        self.assertEqual(document["entities"]["risk"], [])

    def test_a_format_it_does_not_come_in_is_a_400(self) -> None:
        self.client.force_login(self.cast.office)
        response = self.client.get(reverse("portfolio:data_standard"), {"format": "csv"})
        self.assertContains(response, "‘csv’ is not a format this export comes in", status_code=400)


class QueriesStayFixed(StandardData):
    def queries(self) -> int:
        with CaptureQueriesContext(connection) as captured:
            data_standard.xlsx(self.cast.trust, TODAY)
        return len(captured)

    def test_the_export_makes_as_many_queries_for_twenty_initiatives_as_for_one(self) -> None:
        small = self.queries()
        c = self.cast
        for _ in range(20):
            initiative = make_initiative(c.trust, by=c.office, status="active", sro=c.executive, delivery_lead=c.lead)
            make_funding_line(initiative, by=c.office)
            make_business_case(initiative, by=c.office, costs={"2026/27": 10_000})
        self.assertEqual(self.queries(), small)
