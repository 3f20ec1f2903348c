"""Board packs through the API: published packs for every role, drafts only for those who
prepare packs (as on the pages), and the pack as PDF, workbook and HTML with its SHA-256 (ADR 31)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from headway.assurance import pack_actions, pack_outputs, packs
from headway.metrics import actions as metric_actions
from tests.clock import TODAY
from tests.factories import bearer, make_initiative, make_metric, make_token
from tests.personas import personas
from tests.test_board_packs import COVER

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PackReadTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Reporting Trust")
        office = cls.cast.office
        portal = make_initiative(cls.cast.trust, by=office, title="Patient portal", status="active")
        # A measure with a chart: a chart's element ids differ each time a draft is worked out.
        metric = make_metric(cls.cast.trust, "Appointments booked online")
        metric_actions.save_metric(
            organisation=cls.cast.trust, by=office, fields={}, initiatives=[portal], metric=metric
        )
        for month, value in enumerate([20, 22, 21, 23, 24, 22, 25, 26, 24, 27, 28, 29], start=1):
            metric_actions.record_observation(
                metric=metric, by=office, period=dt.date(2025 + month // 12, month % 12 + 1, 1), value=value
            )
        draft = pack_actions.create_pack(organisation=cls.cast.trust, by=office, fields=COVER)
        cls.published = pack_actions.publish_pack(pack=draft, by=office, today=TODAY)
        cls.draft = pack_actions.create_pack(
            organisation=cls.cast.trust, by=office, fields={**COVER, "title": "Next month's report"}
        )
        cls.theirs = pack_actions.create_pack(
            organisation=cls.cast.other_trust, by=cls.cast.other_office, fields={**COVER, "title": "Their report"}
        )
        cls.viewer = make_token(cls.cast.viewer, cls.cast.trust)
        cls.office = make_token(office, cls.cast.trust)

    def get(self, path, secret=None, **params):
        return self.client.get(API + path, params, headers=bearer(secret or self.viewer))

    def test_every_role_lists_the_published_packs_and_only_the_office_the_drafts_too(self):
        for role, person in self.cast.by_role().items():
            with self.subTest(role=role):
                body = self.get("/board-packs", secret=make_token(person, self.cast.trust)).json()
                titles = [p["title"] for p in body["items"]]
                if role == "portfolio_office":
                    self.assertCountEqual(titles, [COVER["title"], "Next month's report"])
                else:
                    self.assertEqual(titles, [COVER["title"]])
        self.assertEqual(self.get("/board-packs", secret=self.office, status="draft").json()["count"], 1)
        self.assertEqual(self.get("/board-packs", status="draft").json()["count"], 0)
        self.assertEqual(self.get("/board-packs", status="final").status_code, 422)

    def test_a_published_pack_gives_its_frozen_content_and_its_sha256(self):
        response = self.get(f"/board-packs/{self.published.pk}")
        body = response.json()
        self.assertEqual(body["status"], "published")
        self.assertEqual(body["sha256"], self.published.content_hash)
        self.assertEqual(response["Pack-SHA256"], self.published.content_hash)
        self.assertEqual(packs.content_hash(body["content"]), self.published.content_hash)
        self.assertEqual(body["baf_risks"], ["BAF 3: digital capacity", "BAF 7: cyber security"])

    def test_a_draft_is_not_found_except_by_those_who_prepare_packs(self):
        response = self.get(f"/board-packs/{self.draft.pk}")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(self.get(f"/board-packs/{self.draft.pk}/xlsx").status_code, 404)
        body = self.get(f"/board-packs/{self.draft.pk}", secret=self.office).json()
        self.assertIsNone(body["sha256"])
        self.assertEqual(body["content_sha256"], packs.content_hash(body["content"]))

    def test_another_trusts_pack_is_not_found(self):
        for path in (f"/board-packs/{self.theirs.pk}", f"/board-packs/{self.theirs.pk}/html"):
            with self.subTest(path=path):
                self.assertEqual(self.get(path, secret=self.office).status_code, 404)

    def test_the_pack_downloads_as_pdf_workbook_and_html_with_its_sha256(self):
        name = f"board-pack-{COVER['meeting_date'].isoformat()}-{self.published.pk}"
        for extension, media_type, start in (
            ("pdf", "application/pdf", b"%PDF"),
            ("xlsx", XLSX, b"PK"),
            ("html", "text/html; charset=utf-8", b"<!"),
        ):
            with self.subTest(extension=extension):
                response = self.get(f"/board-packs/{self.published.pk}/{extension}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], media_type)
                self.assertEqual(response["Pack-SHA256"], self.published.content_hash)
                self.assertEqual(response["Content-Disposition"], f'attachment; filename="{name}.{extension}"')
                self.assertTrue(response.content.lstrip().upper().startswith(start.upper()), response.content[:20])
        book = openpyxl.load_workbook(io.BytesIO(self.get(f"/board-packs/{self.published.pk}/xlsx").content))
        self.assertEqual(book.sheetnames, pack_outputs.SHEETS)
        html = self.get(f"/board-packs/{self.published.pk}/html").content.decode()
        self.assertEqual(html, pack_outputs.html_for_pdf(self.published))

    def test_a_drafts_files_carry_the_sha256_printed_in_them_though_a_draft_is_worked_out_afresh(self):
        self.assertNotEqual(pack_outputs.pack_content(self.draft)[1], pack_outputs.pack_content(self.draft)[1])
        html = self.get(f"/board-packs/{self.draft.pk}/html", secret=self.office)
        self.assertIn(html["Pack-SHA256"], html.content.decode())
        sheet = self.get(f"/board-packs/{self.draft.pk}/xlsx", secret=self.office)
        book = openpyxl.load_workbook(io.BytesIO(sheet.content))
        printed = {row[0]: row[1] for row in book[book.sheetnames[0]].iter_rows(values_only=True) if row and row[0]}
        self.assertEqual(printed["SHA-256 of the pack"], sheet["Pack-SHA256"])

    def test_the_openapi_document_declares_the_files_and_their_header(self):
        document = self.client.get(f"{API}/openapi.json").json()
        for extension, media_type in (("pdf", "application/pdf"), ("xlsx", XLSX), ("html", "text/html")):
            with self.subTest(extension=extension):
                answer = document["paths"][f"{API}/board-packs/{{pack_id}}/{extension}"]["get"]["responses"]["200"]
                self.assertEqual(answer["content"], {media_type: {"schema": {"type": "string", "format": "binary"}}})
                self.assertIn("Pack-SHA256", answer["headers"])

    def test_the_list_takes_as_many_queries_for_many_packs_as_for_few(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get("/board-packs", secret=self.office).status_code, 200)
            return len(queries)

        self.get("/organisations", secret=self.office)  # the token's first use of the minute writes when it was used
        few = count()
        for n in range(4):
            pack_actions.create_pack(
                organisation=self.cast.trust, by=self.cast.office, fields={**COVER, "title": f"Pack {n}"}
            )
        self.assertEqual(self.get("/board-packs", secret=self.office).json()["count"], 6)
        self.assertEqual(count(), few)
