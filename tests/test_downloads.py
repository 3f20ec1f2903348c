"""Every list downloads as CSV and as a workbook with the page's own filters (ADR 34): the same
rows as the page (every page of them), text that could run as a formula neutralised, the same
role check and organisation boundary, a clear 400 for a bad filter, and a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.accounts.roles import Role
from headway.metrics import actions as metric_actions
from headway.portfolio import actions as portfolio_actions
from headway.prioritisation import actions as round_actions
from headway.prioritisation.models import Round
from tests.factories import make_funding_line, make_initiative, make_metric, make_person
from tests.personas import personas
from tests.tools import needs

FORMULA = '=HYPERLINK("http://example.test","Click")'


def read_csv(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def read_xlsx(response: Any) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book[book.sheetnames[0]]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def column(rows: list[list[Any]], heading: str) -> list[Any]:
    at = rows[0].index(heading)
    return [row[at] for row in rows[1:]]


class ListsData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = c = personas()
        cls.active = make_initiative(c.trust, by=c.office, status="active", title=FORMULA, reference="DIG-001")
        cls.second = make_initiative(c.trust, by=c.office, status="active", title="Bed board", reference="DIG-002")
        cls.proposed = make_initiative(c.trust, by=c.office, title="Kiosk check-in", reference="DIG-003")
        make_initiative(c.other_trust, by=c.other_office, title="Someone else's", reference="OTH-001")
        for title, likelihood in (("+44 supplier line down", 5), ("Low risk", 1)):
            portfolio_actions.save_risk(
                organisation=c.trust,
                by=c.office,
                fields={
                    "title": title,
                    "initiative": cls.active,
                    "likelihood": likelihood,
                    "owner": c.lead,
                    "consequence": 4,
                    "next_review": dt.date(2026, 12, 1),
                },
            )
        cls.metric = make_metric(c.trust, name="Discharges before noon", unit="%")
        for month, value in ((1, 20.0), (2, 25.5), (3, 31.0)):
            metric_actions.record_observation(
                metric=cls.metric, by=c.office, period=dt.date(2026, month, 1), value=value, note="-from the ward"
            )
        make_funding_line(cls.active, by=c.office, amount=250_000, note="@capital bid")
        make_funding_line(cls.second, by=c.office, amount=40_000, kind="revenue")
        cls.round = round_actions.create_round(
            organisation=c.trust, by=c.office, name="2026/27 Q3", held_on=dt.date(2026, 11, 20)
        )


class TheFileHoldsThePagesRows(ListsData):
    def setUp(self) -> None:
        self.client.force_login(self.cast.board)

    def test_the_portfolio_file_has_the_filtered_lists_rows_with_dates_typed(self) -> None:
        query = {"status": "active", "sort": "title", "order": "desc"}
        page = self.client.get(reverse("portfolio:list"), query)
        shown = [row["initiative"].reference for row in page.context["rows"]]
        self.assertEqual(shown, ["DIG-002", "DIG-001"])
        self.assertContains(page, "format=csv")
        rows = read_csv(self.client.get(reverse("portfolio:list"), {**query, "format": "csv"}))
        self.assertEqual(column(rows, "Reference"), shown)
        self.assertEqual(column(rows, "Status"), ["Active", "Active"])
        self.assertTrue(column(rows, "Link")[0].startswith("http://testserver/initiatives/"))
        book = read_xlsx(self.client.get(reverse("portfolio:list"), {**query, "format": "xlsx"}))
        self.assertEqual(column(book, "Reference"), shown)
        self.assertEqual(column(book, "Start date")[0], dt.datetime(2026, 1, 5))

    def test_the_links_on_the_page_carry_its_filters_and_leave_out_the_page_number(self) -> None:
        page = self.client.get(reverse("portfolio:list"), {"status": "active", "page": "1"})
        self.assertEqual(
            page.context["downloads"],
            [("CSV", "?status=active&format=csv"), ("Spreadsheet (XLSX)", "?status=active&format=xlsx")],
        )

    def test_the_file_holds_every_page_of_the_list_not_only_the_first(self) -> None:
        rows = read_csv(self.client.get(reverse("portfolio:list"), {"page": "2", "format": "csv"}))
        self.assertEqual(column(rows, "Reference"), ["DIG-001", "DIG-002", "DIG-003"])

    def test_the_risk_register_file_has_the_filtered_registers_rows(self) -> None:
        page = self.client.get(reverse("portfolio:risks"), {"level": "extreme"})
        shown = [risk.title for risk, _ in page.context["risks"]]
        self.assertEqual(shown, ["+44 supplier line down"])
        rows = read_csv(self.client.get(reverse("portfolio:risks"), {"level": "extreme", "format": "csv"}))
        self.assertEqual(column(rows, "Risk"), ["'+44 supplier line down"])
        self.assertEqual(column(rows, "Score (1 to 25)"), ["20"])
        book = read_xlsx(self.client.get(reverse("portfolio:risks"), {"level": "extreme", "format": "xlsx"}))
        self.assertEqual(column(book, "Risk"), shown)
        self.assertEqual(column(book, "Score (1 to 25)"), [20])
        self.assertEqual(column(book, "Next review"), [dt.datetime(2026, 12, 1)])

    def test_the_decision_log_file_has_the_logs_rows_of_the_kind_chosen(self) -> None:
        page = self.client.get(reverse("portfolio:decisions"), {"kind": "start"})
        shown = [d.initiative.reference for d in page.context["page"].object_list]
        self.assertEqual(sorted(shown), ["DIG-001", "DIG-002"])
        rows = read_csv(self.client.get(reverse("portfolio:decisions"), {"kind": "start", "format": "csv"}))
        self.assertEqual(column(rows, "Initiative reference"), shown)
        self.assertEqual(set(column(rows, "Decision")), {"Start"})

    def test_the_metrics_file_has_the_lists_rows_and_a_metrics_file_has_its_data_newest_first(self) -> None:
        page = self.client.get(reverse("metrics:list"))
        rows = read_csv(self.client.get(reverse("metrics:list"), {"format": "csv"}))
        self.assertEqual(column(rows, "Metric"), [r.metric.name for r in page.context["rows"]])
        detail = self.client.get(reverse("metrics:detail", args=[self.metric.pk]))
        book = read_xlsx(self.client.get(reverse("metrics:detail", args=[self.metric.pk]), {"format": "xlsx"}))
        self.assertEqual(column(book, "Period"), [r.label for r in detail.context["rows"]])
        self.assertEqual(column(book, "Value (%)"), [31.0, 25.5, 20.0])
        self.assertEqual(column(book, "Period starting")[0], dt.datetime(2026, 3, 1))
        # Typed notes that start with a minus sign stay text, and are neutralised in the CSV.
        self.assertEqual(column(book, "Note"), ["-from the ward"] * 3)
        text = read_csv(self.client.get(reverse("metrics:detail", args=[self.metric.pk]), {"format": "csv"}))
        self.assertEqual(column(text, "Note"), ["'-from the ward"] * 3)

    def test_the_money_files_have_each_initiatives_money_and_every_funding_line(self) -> None:
        page = self.client.get(reverse("finance:overview"))
        shown = [m.initiative.reference for m in [*page.context["o"].current, *page.context["o"].finished]]
        rows = read_csv(self.client.get(reverse("finance:overview"), {"format": "csv"}))
        self.assertEqual(column(rows, "Reference"), shown)
        book = read_xlsx(self.client.get(reverse("finance:overview"), {"list": "funding", "format": "xlsx"}))
        self.assertEqual(sorted(column(book, "Amount (£)")), [40_000, 250_000])
        self.assertIn("@capital bid", column(book, "Note"))

    def test_the_rounds_files_have_the_rounds_and_a_rounds_initiatives(self) -> None:
        rows = read_csv(self.client.get(reverse("prioritisation:list"), {"format": "csv"}))
        self.assertEqual(column(rows, "Round"), ["2026/27 Q3"])
        page = self.client.get(reverse("prioritisation:detail", args=[self.round.pk]))
        shown = [r.figures.candidate.initiative.reference for r in page.context["rows"]]
        text = read_csv(self.client.get(reverse("prioritisation:detail", args=[self.round.pk]), {"format": "csv"}))
        self.assertEqual(column(text, "Reference"), shown)

    def test_a_file_is_an_attachment_named_after_the_trust_the_list_and_the_day(self) -> None:
        response = self.client.get(reverse("portfolio:risks"), {"format": "xlsx"})
        code = self.cast.trust.ods_code
        self.assertRegex(
            response["Content-Disposition"], rf'^attachment; filename="headway-{code}-risks-\d{{4}}-\d\d-\d\d\.xlsx"$'
        )
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class FormulaTextIsNeutralised(ListsData):
    def test_a_title_that_is_a_formula_gets_an_apostrophe_in_csv_and_is_text_in_the_workbook(self) -> None:
        self.client.force_login(self.cast.viewer)
        rows = read_csv(self.client.get(reverse("portfolio:list"), {"format": "csv"}))
        self.assertEqual(column(rows, "Title")[0], "'" + FORMULA)
        response = self.client.get(reverse("portfolio:list"), {"format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        cell = sheet.cell(row=2, column=2)
        self.assertEqual((cell.value, cell.data_type), (FORMULA, "s"))


class BadRequestsAreRefusedClearly(ListsData):
    def setUp(self) -> None:
        self.client.force_login(self.cast.office)

    def test_a_filter_value_the_page_does_not_allow_is_a_400_naming_the_filter(self) -> None:
        response = self.client.get(reverse("portfolio:risks"), {"level": "catastrophic", "format": "csv"})
        self.assertContains(response, "Level: Select a valid choice", status_code=400)
        response = self.client.get(reverse("portfolio:list"), {"status": "nonsense", "format": "xlsx"})
        self.assertContains(response, "Select a valid choice", status_code=400)

    def test_a_format_headway_does_not_write_is_a_400(self) -> None:
        response = self.client.get(reverse("metrics:list"), {"format": "pdf"})
        self.assertContains(response, "‘pdf’ is not a format Headway can write", status_code=400)
        response = self.client.get(reverse("finance:overview"), {"list": "suppliers", "format": "csv"})
        self.assertContains(response, "‘suppliers’ is not a list on this page", status_code=400)


class OnlyThoseWhoSeeAListDownloadIt(ListsData):
    def test_someone_signed_out_is_sent_to_sign_in(self) -> None:
        response = self.client.get(reverse("portfolio:risks"), {"format": "csv"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_someone_in_no_organisation_is_refused(self) -> None:
        self.client.force_login(make_person(None, Role.VIEWER, "Nobody"))
        self.assertEqual(self.client.get(reverse("portfolio:list"), {"format": "csv"}).status_code, 403)

    def test_another_organisations_metric_or_round_is_not_found_and_its_lists_are_its_own(self) -> None:
        self.client.force_login(self.cast.other_office)
        for address in (
            reverse("metrics:detail", args=[self.metric.pk]),
            reverse("prioritisation:detail", args=[self.round.pk]),
        ):
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address, {"format": "csv"}).status_code, 404)
        rows = read_csv(self.client.get(reverse("portfolio:list"), {"format": "csv"}))
        self.assertEqual(column(rows, "Reference"), ["OTH-001"])
        self.assertEqual(read_csv(self.client.get(reverse("portfolio:risks"), {"format": "csv"}))[1:], [])

    def test_every_role_can_download_every_list(self) -> None:
        for person in self.cast.by_role().values():
            self.client.force_login(person)
            for address in (reverse("portfolio:list"), reverse("portfolio:decisions"), reverse("finance:overview")):
                with self.subTest(role=person.full_name, address=address):
                    self.assertEqual(self.client.get(address, {"format": "xlsx"}).status_code, 200)


class QueriesStayFixed(TestCase):
    """The number of queries a download makes does not grow with its rows."""

    ADDRESSES = (
        ("portfolio:list", {}),
        ("portfolio:risks", {}),
        ("portfolio:decisions", {}),
        ("metrics:list", {}),
        ("finance:overview", {}),
        ("finance:overview", {"list": "funding"}),
        ("prioritisation:list", {}),
    )

    def add(self, count: int) -> None:
        c = self.cast
        for _ in range(count):
            initiative = make_initiative(c.trust, by=c.office, status="active")
            make_funding_line(initiative, by=c.office)
            portfolio_actions.save_risk(
                organisation=c.trust,
                by=c.office,
                fields={"title": "A risk", "initiative": initiative, "likelihood": 3, "consequence": 3, "owner": c.lead,
                        "next_review": dt.date(2026, 12, 1)},
            )  # fmt: skip
            metric = make_metric(c.trust)
            metric.initiatives.add(initiative)
        round_actions.create_round(
            organisation=c.trust, by=c.office, name=f"Round {count}", held_on=dt.date(2026, 11, 1)
        )

    def counts(self) -> dict[str, int]:
        self.client.force_login(self.cast.office)
        found = {}
        for name, query in self.ADDRESSES:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse(name), {**query, "format": "csv"})
            self.assertEqual(response.status_code, 200)
            found[f"{name} {query}"] = len(queries)
        return found

    def one(self, address: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(address, {"format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_a_download_makes_as_many_queries_for_sixty_rows_as_for_two(self) -> None:
        self.cast = personas()
        self.add(2)
        small = self.counts()
        first_round = Round.objects.get(name="Round 2")
        metric = make_metric(self.cast.trust)
        for month in (1, 2):
            metric_actions.record_observation(
                metric=metric, by=self.cast.office, period=dt.date(2024, month, 1), value=1
            )
        round_small = self.one(reverse("prioritisation:detail", args=[first_round.pk]))
        observations_small = self.one(reverse("metrics:detail", args=[metric.pk]))
        self.add(58)  # more than a page of the portfolio list
        large = self.counts()
        self.assertEqual(large, small)
        rows = read_csv(self.client.get(reverse("portfolio:list"), {"format": "csv"}))
        self.assertEqual(len(rows), 61)
        second_round = Round.objects.get(name="Round 58")
        self.assertEqual(second_round.candidates.count(), 60)
        for month in range(3, 13):
            for year in (2024, 2025):
                metric_actions.record_observation(
                    metric=metric, by=self.cast.office, period=dt.date(year, month, 1), value=month
                )
        self.assertEqual(self.one(reverse("prioritisation:detail", args=[second_round.pk])), round_small)
        self.assertEqual(self.one(reverse("metrics:detail", args=[metric.pk])), observations_small)


@pytest.mark.slow
class RealSpreadsheetSoftware(ListsData):
    def test_libreoffice_opens_a_downloaded_workbook_and_shows_the_formula_as_text(self) -> None:
        needs("soffice", "libreoffice-calc-nogui")
        self.client.force_login(self.cast.office)
        response = self.client.get(reverse("portfolio:list"), {"format": "xlsx"})
        with tempfile.TemporaryDirectory() as folder:
            book = Path(folder) / "portfolio.xlsx"
            book.write_bytes(response.content)
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "csv",
                 "--outdir", folder, str(book)],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            text = (Path(folder) / "portfolio.csv").read_text(encoding="utf-8", errors="replace")
        self.assertIn("Click", text)
        self.assertIn("HYPERLINK", text)  # shown as typed: a formula would show only "Click"
        self.assertIn("Kiosk check-in", text)
