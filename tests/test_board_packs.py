"""Board packs (ADR 28): drafted and published by the portfolio office, read by everyone, frozen
on publishing with the SHA-256 of their content, and the same in the page, PDF and workbook."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from headway.accounts.roles import Role
from headway.assurance import pack_actions, pack_outputs, packs
from headway.assurance.models import BoardPack
from headway.metrics import actions as metric_actions
from headway.portfolio import actions as portfolio_actions
from tests.clock import TODAY
from tests.factories import make_initiative, make_metric
from tests.personas import personas
from tests.tools import needs

COVER: dict[str, Any] = {
    "title": "Digital portfolio report",
    "meeting": "Trust Board meeting in public",
    "meeting_date": dt.date(2026, 12, 10),
    "purpose": "assurance",
    "assurance_level": "reasonable",
    "assurance_reason": "Most initiatives measure outcomes; two have no data yet.",
    "baf_risks": "BAF 3: digital capacity\nBAF 7: cyber security",
    "recommendation": "=1+1 The board is asked to note the report.",
    "executive_lead": "Chief Digital Officer",
    "author": "Portfolio office",
}


def login(client: Any, user: Any) -> None:
    client.force_login(user)


class PackData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        trust, office = cls.cast.trust, cls.cast.office
        cls.portal = make_initiative(trust, by=office, title="Patient portal", status="active")
        cls.stopped = make_initiative(trust, by=office, title="Paper forms scanner", status="active")
        portfolio_actions.record_decision(
            initiative=cls.stopped,
            by=office,
            kind="stop",
            rationale="No measurable benefit after six months of use.",
            evidence="Adoption stayed under 5%.",
            decided_by="Digital Board",
            decided_on=dt.date(2026, 11, 2),
        )
        cls.metric = make_metric(trust, "Appointments booked online")
        metric_actions.save_metric(
            organisation=trust, by=office, fields={}, initiatives=[cls.portal], metric=cls.metric
        )
        for month, value in enumerate([20, 22, 21, 23, 24, 22, 25, 26, 24, 27, 28, 29], start=1):
            metric_actions.record_observation(
                metric=cls.metric, by=office, period=dt.date(2025 + month // 12, month % 12 + 1, 1), value=value
            )
        portfolio_actions.save_risk(
            organisation=trust,
            by=office,
            fields={
                "title": "Supplier may not deliver the booking API",
                "likelihood": 4,
                "consequence": 4,
                "owner": office,
                "next_review": dt.date(2026, 11, 1),
            },
        )

    def draft(self, **changes: Any) -> BoardPack:
        return pack_actions.create_pack(organisation=self.cast.trust, by=self.cast.office, fields={**COVER, **changes})


class LifecycleAndRoles(PackData):
    def test_only_the_portfolio_office_drafts_edits_and_publishes(self) -> None:
        for role, user in self.cast.by_role().items():
            login(self.client, user)
            response = self.client.post(reverse("portfolio:pack_new"), {**COVER, "meeting_date": "2026-12-10"})
            if role == Role.PORTFOLIO_OFFICE:
                self.assertEqual(response.status_code, 302, role)
            else:
                self.assertEqual(response.status_code, 403, role)
        self.assertEqual(BoardPack.objects.count(), 1)
        pack = BoardPack.objects.get()
        self.assertEqual(pack.status, "draft")
        for user in (self.cast.board, self.cast.viewer, self.cast.executive):
            login(self.client, user)
            self.assertEqual(self.client.post(reverse("portfolio:pack_publish", args=[pack.pk])).status_code, 403)
            self.assertEqual(self.client.get(reverse("portfolio:pack", args=[pack.pk])).status_code, 404)
        pack.refresh_from_db()
        self.assertEqual(pack.status, "draft")

        login(self.client, self.cast.office)
        self.client.post(
            reverse("portfolio:pack_edit", args=[pack.pk]),
            {**COVER, "meeting_date": "2026-12-10", "author": "Pat Office"},
        )
        pack.refresh_from_db()
        self.assertEqual(pack.author, "Pat Office")
        self.assertEqual(self.client.post(reverse("portfolio:pack_publish", args=[pack.pk])).status_code, 302)
        pack.refresh_from_db()
        self.assertEqual(pack.status, "published")
        self.assertEqual(len(pack.content_hash), 64)
        self.assertEqual(pack.content["cover"]["author"], "Pat Office")

        for user in (self.cast.board, self.cast.viewer):
            login(self.client, user)
            page = self.client.get(reverse("portfolio:pack", args=[pack.pk]))
            self.assertContains(page, pack.content_hash)
            self.assertContains(self.client.get(reverse("portfolio:packs")), "Digital portfolio report")

    def test_a_published_pack_cannot_be_edited_or_published_again(self) -> None:
        pack = pack_actions.publish_pack(pack=self.draft(), by=self.cast.office, today=TODAY)
        with self.assertRaises(ValidationError):
            pack_actions.update_pack(pack=pack, by=self.cast.office, fields={"title": "Changed"})
        with self.assertRaises(ValidationError):
            pack_actions.publish_pack(pack=pack, by=self.cast.office, today=TODAY)
        pack.title = "Changed behind the actions' back"
        with self.assertRaises(ValueError):
            pack.save()
        login(self.client, self.cast.office)
        self.assertEqual(self.client.get(reverse("portfolio:pack_edit", args=[pack.pk])).status_code, 403)
        self.assertEqual(BoardPack.objects.get(pk=pack.pk).title, COVER["title"])

    def test_a_draft_missing_its_cover_sheet_is_refused_with_what_is_missing(self) -> None:
        login(self.client, self.cast.office)
        response = self.client.post(reverse("portfolio:pack_new"), {**COVER, "meeting_date": "", "recommendation": ""})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(BoardPack.objects.count(), 0)
        self.assertContains(response, "Digital portfolio report")  # what was typed is kept
        self.assertTrue(response.context["form"].errors.keys() >= {"meeting_date", "recommendation"})


class Content(PackData):
    def test_the_content_comes_from_the_figures_and_is_comparable_with_the_previous_pack(self) -> None:
        first = pack_actions.publish_pack(pack=self.draft(), by=self.cast.office, today=TODAY)
        c = first.content
        self.assertEqual(c["summary"]["active"], 1)
        self.assertEqual(c["summary"]["risks_past_review"], 1)
        self.assertEqual(c["risks"]["heat"][3][3], 1)
        self.assertEqual([d["reference"] for d in c["decisions"]], [self.stopped.reference])
        self.assertEqual(c["decisions"][0]["reason"], "No measurable benefit after six months of use.")
        self.assertEqual(c["working"]["measures"][0]["metric"], "Appointments booked online")
        self.assertIn("<svg", c["working"]["measures"][0]["chart_svg"])
        self.assertIsNone(c["changes"])
        self.assertEqual(c["since"], (TODAY - dt.timedelta(days=365)).isoformat())  # the first pack looks back a year
        self.assertEqual(first.content_hash, packs.content_hash(c))

        make_initiative(self.cast.trust, by=self.cast.office, status="active")
        second = pack_actions.publish_pack(
            pack=self.draft(meeting_date=dt.date(2027, 1, 14)), by=self.cast.office, today=TODAY
        )
        self.assertEqual(second.content["previous"]["hash"], first.content_hash)
        self.assertIn({"key": "active", "was": 1, "now": 2, "change": 1}, second.content["changes"])
        self.assertEqual(second.content["since"], "2026-12-10")
        # The stop came before the first pack's meeting, so it is not new in the second.
        self.assertEqual(second.content["decisions"], [])


class PitfallsAndQuestions(PackData):
    def test_the_pack_carries_the_pitfalls_and_the_answers_the_pages_show(self) -> None:
        from headway.assurance import pitfall_inputs, questions

        pack = pack_actions.publish_pack(pack=self.draft(), by=self.cast.office, today=TODAY)
        c = pack.content
        found = pitfall_inputs.findings(self.cast.trust, TODAY)
        self.assertTrue(found, "the fixture should show at least one pitfall")
        self.assertEqual([f["key"] for f in c["pitfalls"]], [f.key for f in found])
        self.assertEqual(c["summary"]["pitfalls"], len(found))
        first = c["pitfalls"][0]
        self.assertEqual([ref for ref, _ in first["initiatives"]], list(found[0].initiatives))
        self.assertTrue(all(isinstance(line, str) and line for line in first["evidence"]))

        answers = questions.answers(self.cast.trust, TODAY)
        self.assertEqual([q["key"] for q in c["questions"]], [a.question.key for a in answers])
        self.assertEqual([q["rating"] for q in c["questions"]], [a.rating or "" for a in answers])
        self.assertEqual(c["summary"]["questions_concern"], sum(1 for a in answers if a.rating == "concern"))
        self.assertTrue(all(q["rule"] for q in c["questions"] if q["rating"]))

        login(self.client, self.cast.board)
        page = self.client.get(reverse("portfolio:pack", args=[pack.pk]))
        self.assertContains(page, 'id="pack-pitfalls"')
        self.assertContains(page, escape(first["title"]))
        self.assertContains(page, escape(c["questions"][0]["question"]))
        book = openpyxl.load_workbook(io.BytesIO(pack_outputs.xlsx(pack)), read_only=True)
        questions_sheet = [row for row in book["Questions"].iter_rows(values_only=True)]
        self.assertIn(c["questions"][0]["question"], [row[0] for row in questions_sheet if row])

    def test_a_pack_published_before_the_sections_existed_still_reads(self) -> None:
        pack = pack_actions.publish_pack(pack=self.draft(), by=self.cast.office, today=TODAY)
        old = {k: v for k, v in pack.content.items() if k not in ("pitfalls", "questions")}
        old["schema"] = 1
        BoardPack.objects.filter(pk=pack.pk).update(content=old, content_hash=packs.content_hash(old))
        login(self.client, self.cast.board)
        page = self.client.get(reverse("portfolio:pack", args=[pack.pk]))
        self.assertContains(page, "published before Headway looked for the guide")
        self.assertContains(page, "published before Headway answered the board")
        book = openpyxl.load_workbook(io.BytesIO(pack_outputs.xlsx(BoardPack.objects.get(pk=pack.pk))), read_only=True)
        self.assertEqual(book.sheetnames, pack_outputs.SHEETS)


class Immutability(PackData):
    def test_a_published_pack_is_identical_after_the_data_changes(self) -> None:
        pack = pack_actions.publish_pack(pack=self.draft(), by=self.cast.office, today=TODAY)
        login(self.client, self.cast.board)
        url = reverse("portfolio:pack", args=[pack.pk])
        page_before = self.client.get(url).content.decode()
        pdf_before = self.client.get(reverse("portfolio:pack_pdf", args=[pack.pk])).content
        xlsx_before = pack_outputs.sheets(pack.content, pack.content_hash)
        stored_before, hash_before = pack.content, pack.content_hash

        # Everything the pack shows moves on: new work, a new value, a pause and the risk closed.
        make_initiative(self.cast.trust, by=self.cast.office, title="New virtual ward", status="active")
        metric_actions.record_observation(metric=self.metric, by=self.cast.office, period=dt.date(2026, 12, 1), value=5)
        portfolio_actions.record_decision(
            initiative=self.portal,
            by=self.cast.office,
            kind="pause",
            rationale="Waiting for the supplier's booking API.",
            evidence="Supplier letter.",
            decided_by="Digital Board",
            decided_on=dt.date(2026, 12, 3),
        )
        self.assertNotEqual(
            packs.content(BoardPack.objects.get(pk=pack.pk), TODAY)["summary"], stored_before["summary"]
        )

        pack = BoardPack.objects.get(pk=pack.pk)
        self.assertEqual(pack.content, stored_before)
        self.assertEqual(pack.content_hash, hash_before)
        self.assertEqual(packs.content_hash(pack.content), hash_before)
        page_after = self.client.get(url).content.decode()
        for text in (hash_before, "Paper forms scanner", "Appointments booked online"):
            self.assertIn(text, page_after)
        self.assertNotIn("New virtual ward", page_after)
        self.assertEqual(_main(page_after), _main(page_before))
        self.assertEqual(pack_outputs.sheets(pack.content, pack.content_hash), xlsx_before)
        pdf_after = self.client.get(reverse("portfolio:pack_pdf", args=[pack.pk])).content
        self.assertEqual(_pdf_text(pdf_after), _pdf_text(pdf_before))


def _main(page: str) -> str:
    """The pack itself, without the header and messages around it."""
    return page[page.index('class="app-pack-hash"') : page.index("</main>")]


def _pdf_text(data: bytes) -> str:
    needs("pdftotext", "poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.pdf"
        path.write_bytes(data)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout


class Outputs(PackData):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        draft = pack_actions.create_pack(organisation=cls.cast.trust, by=cls.cast.office, fields=COVER)
        cls.pack = pack_actions.publish_pack(pack=draft, by=cls.cast.office, today=TODAY)

    def test_the_pdf_is_a4_with_page_numbers_and_the_hash_on_every_page(self) -> None:
        login(self.client, self.cast.viewer)
        response = self.client.get(reverse("portfolio:pack_pdf", args=[self.pack.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = _pdf_text(response.content)
        pages = text.split("\f")
        pages = [page for page in pages if page.strip()]
        self.assertGreater(len(pages), 1)
        for number, page in enumerate(pages, start=1):
            self.assertIn(self.pack.content_hash, page.replace(" ", "").replace("\n", ""), f"page {number}")
            self.assertIn(f"Page {number} of {len(pages)}", page)
        self.assertIn("Level of assurance offered", pages[0])
        self.assertIn("Appointments booked online", text)

    def test_the_workbook_has_one_sheet_per_section_typed_cells_and_no_formula(self) -> None:
        login(self.client, self.cast.board)
        response = self.client.get(reverse("portfolio:pack_xlsx", args=[self.pack.pk]))
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        self.assertEqual(book.sheetnames, pack_outputs.SHEETS)
        for name in book.sheetnames:
            first = next(book[name].iter_rows(max_row=1, values_only=True))
            self.assertEqual(first[:2], ("SHA-256 of the pack", self.pack.content_hash), name)
        cover = {row[0]: row[1] for row in book["Cover"].iter_rows(values_only=True) if row and row[0]}
        self.assertEqual(cover["Recommendation"], COVER["recommendation"])  # shown as typed, as text
        self.assertEqual(cover["Date of the meeting"], dt.datetime(2026, 12, 10))
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
        self.assertEqual(summary["Active initiatives"], 1)
        formulas = openpyxl.load_workbook(io.BytesIO(response.content))
        for sheet in formulas.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    self.assertNotEqual(cell.data_type, "f", f"{sheet.title}!{cell.coordinate}")
        book.close()


class PackList(PackData):
    def queries_for_the_list(self) -> int:
        self.client.force_login(self.cast.board)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("portfolio:packs"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_list_reads_the_same_number_of_queries_for_one_pack_or_many(self) -> None:
        BoardPack.objects.create(
            organisation=self.cast.trust,
            status="published",
            content={},
            content_hash="0" * 64,
            **{**COVER, "title": "One"},
        )
        one = self.queries_for_the_list()
        for n in range(5):
            BoardPack.objects.create(
                organisation=self.cast.trust,
                status="published",
                content={},
                content_hash=str(n) * 64,
                **{**COVER, "title": f"Pack {n}"},
            )
        self.assertEqual(self.queries_for_the_list(), one)
        self.assertContains(self.client.get(reverse("portfolio:packs")), "Pack 4")


@pytest.mark.slow
class RealSpreadsheetSoftware(PackData):
    def test_libreoffice_opens_the_workbook_and_reads_every_sheet(self) -> None:
        needs("soffice", "libreoffice-calc-nogui")
        pack = pack_actions.publish_pack(pack=self.draft(), by=self.cast.office, today=TODAY)
        with tempfile.TemporaryDirectory() as folder:
            book = Path(folder) / "pack.xlsx"
            book.write_bytes(pack_outputs.xlsx(pack))
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                 "--outdir", folder, str(book)],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            text = _pdf_text((Path(folder) / "pack.pdf").read_bytes())
        self.assertEqual(text.count("SHA-256 of the pack"), len(pack_outputs.SHEETS))
        # Shown as the text typed (a formula would show 2), wrapped in its cell.
        self.assertIn("=1+1", text)


class PaperNamesTheExceptions(PackData):
    def test_long_lists_are_cut_on_paper_and_whole_in_the_workbook(self) -> None:
        pack = pack_actions.publish_pack(pack=self.draft(), by=self.cast.office, today=TODAY)
        content = dict(pack.content)
        risks = [
            {
                "title": f"Risk {n}",
                "initiative": None,
                "likelihood": 1 + n % 5,
                "consequence": 5,
                "score": 5 * (1 + n % 5),
                "rating": "",
                "next_review": f"2026-11-{1 + n:02d}",
            }
            for n in range(25)
        ]
        content["risks"] = {**content["risks"], "past_review": risks}
        funded = {"go_live": None, "live": False, "funding_after_go_live": 0, "requested_after_go_live": 0}
        content["money"] = {
            **content["money"],
            "after_go_live": [
                {**funded, "reference": f"X-{n:03d}", "title": f"Work {n}", "flagged": n % 4 != 0} for n in range(40)
            ],
        }
        names = [[f"X-{n:03d}", f"Work {n}"] for n in range(15)]
        content["pitfalls"] = [{**content["pitfalls"][0], "initiatives": names, "evidence": ["a line"] * 12}]

        worded = pack_outputs.words(content, "0" * 64, draft=False)
        shown = worded["past_review"]
        self.assertEqual(len(shown), pack_outputs.NAMED_IN_PAPER)
        self.assertEqual(worded["past_review_more"], 5)
        self.assertEqual([r["score"] for r in shown], sorted((r["score"] for r in risks), reverse=True)[:20])
        self.assertEqual(len(worded["after_go_live"]), 20)
        self.assertEqual(worded["after_go_live_more"], 10)  # 30 without money after go-live
        self.assertEqual(worded["after_go_live_funded"], 10)
        self.assertTrue(all(r["flagged"] for r in worded["after_go_live"]))
        finding = worded["pitfalls"][0]
        self.assertEqual((len(finding["initiatives"]), finding["more_initiatives"]), (10, 5))
        self.assertEqual((len(finding["evidence"]), finding["more_evidence"]), (10, 2))

        sheets = dict(pack_outputs.sheets(content, "0" * 64))
        self.assertEqual(sum(1 for row in sheets["Risks"] if row and str(row[0]).startswith("Risk ")), 25)
        self.assertEqual(sum(1 for row in sheets["Money"] if row and str(row[0]).startswith("X-")), 40)
        self.assertEqual(len(str(sheets["Pitfalls"][3][3]).split("\n")), 15)


class PitfallsFromTheStore(PackData):
    def test_a_pack_takes_the_stored_findings_when_fresh_and_works_them_out_when_not(self) -> None:
        from unittest import mock

        from headway.assurance import pitfall_inputs, pitfall_store
        from headway.assurance.models import StoredFindings

        pitfall_store.refresh(self.cast.trust, TODAY)
        stored = [f.key for f in pitfall_store.stored(self.cast.trust).findings]  # type: ignore[union-attr]
        with mock.patch.object(pitfall_inputs, "findings", side_effect=AssertionError("worked out again")):
            content = packs.content(self.draft(), TODAY)
        self.assertEqual([f["key"] for f in content["pitfalls"]], stored)

        StoredFindings.objects.filter(organisation=self.cast.trust).update(
            changed_since=dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC)
        )
        with mock.patch.object(pitfall_inputs, "findings", wraps=pitfall_inputs.findings) as afresh:
            packs.content(self.draft(), TODAY)
        afresh.assert_called_once()


class PaperLeavesOutTooltips(PackData):
    def test_the_pdf_draws_the_charts_without_the_points_tooltips_the_page_keeps(self) -> None:
        pack = pack_actions.publish_pack(pack=self.draft(), by=self.cast.office, today=TODAY)
        chart = pack.content["working"]["measures"][0]["chart_svg"]
        points = chart.count("><title>")
        self.assertGreater(points, 5)  # each point says what it is on a screen
        html = pack_outputs.html_for_pdf(pack)
        self.assertIn("<svg", html)
        self.assertLess(html.count("><title>"), points)
        self.assertEqual(html.count("<circle") + html.count("<path"), chart.count("<circle") + chart.count("<path"))
