"""The Import data pages: templates, upload, a preview that writes nothing, and a confirmation
that imports once and refuses a stale preview."""

from __future__ import annotations

import io
import re

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from headway.imports.models import Upload
from headway.portfolio.models import Initiative
from tests.factories import make_initiative
from tests.importing import csv_file
from tests.personas import personas

ROWS = [
    ["reference", "title", "problem"],
    ["RZZ-001", "Renamed", "A problem people have."],
    ["RZZ-002", "New", "Another one."],
]


class ImportPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, reference="RZZ-001", title="Old")

    def setUp(self) -> None:
        self.client.force_login(self.cast.office)

    def upload(self, rows: list[list[str]] = ROWS, kind: str = "initiatives") -> str:
        file = SimpleUploadedFile("portfolio.csv", csv_file(rows), content_type="text/csv")
        response = self.client.post(reverse("imports:start"), {"kind": kind, "file": file})
        self.assertEqual(response.status_code, 302)
        return str(response["Location"])

    def confirm(self, address: str) -> tuple[object, str]:
        html = self.client.get(address).content.decode()
        posted = dict(re.findall(r'name="(seen|_submission)" value="([^"]*)"', html))
        upload = Upload.objects.latest("pk")
        return self.client.post(reverse("imports:confirm", args=[upload.pk]), posted), html

    def test_the_portfolio_office_sees_the_link_and_the_page_with_a_template_for_each_kind(self) -> None:
        self.assertContains(self.client.get(reverse("portfolio:list")), reverse("imports:start"))
        page = self.client.get(reverse("imports:start"))
        for kind in ("initiatives", "checkpoints", "risks", "metrics", "metrics_observations", "funding"):
            self.assertContains(page, reverse("imports:template", args=[kind, "csv"]))

    def test_the_templates_have_the_columns_an_example_and_a_sheet_explaining_them(self) -> None:
        response = self.client.get(reverse("imports:template", args=["funding", "xlsx"]))
        self.assertIn("attachment", response["Content-Disposition"])
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        first, explained = workbook.worksheets
        self.assertEqual([c.value for c in first[1]][:3], ["initiative", "financial_year", "kind"])
        self.assertEqual([c.value for c in first[2]][:2], ["DIG-101", "2026/27"])
        self.assertIn("every row", [c.value for c in explained[2]])
        csv_text = self.client.get(reverse("imports:template", args=["risks", "csv"])).content.decode()
        self.assertTrue(csv_text.lstrip("\ufeff").startswith("initiative,title,description,likelihood"))

    def test_the_preview_lists_what_changes_and_opening_it_writes_nothing(self) -> None:
        address = self.upload()
        history = Initiative.history.count()
        page = self.client.get(address)
        self.assertContains(page, "title: Old → Renamed")
        self.assertContains(page, "Import 2 records")
        self.assertEqual(Initiative.history.count(), history)
        self.assertFalse(Initiative.objects.filter(reference="RZZ-002").exists())

    def test_confirming_imports_once_and_a_second_confirmation_is_refused(self) -> None:
        address = self.upload()
        response, html = self.confirm(address)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Initiative.objects.filter(reference="RZZ-002").exists())
        page = self.client.get(address)
        self.assertContains(page, "1 created, 1 changed, 0 unchanged")
        posted = dict(re.findall(r'name="(seen)" value="([^"]*)"', html))
        again = self.client.post(reverse("imports:confirm", args=[Upload.objects.latest("pk").pk]), posted)
        self.assertContains(again, "has already been imported")
        self.assertEqual(Initiative.objects.filter(organisation=self.cast.trust).count(), 2)

    def test_a_preview_made_stale_by_another_change_is_refused_and_shown_again(self) -> None:
        address = self.upload()
        html = self.client.get(address).content.decode()
        self.initiative.title = "Changed meanwhile"
        self.initiative.save()
        posted = dict(re.findall(r'name="(seen|_submission)" value="([^"]*)"', html))
        response = self.client.post(reverse("imports:confirm", args=[Upload.objects.latest("pk").pk]), posted)
        self.assertContains(response, "has changed since you opened this preview")
        self.assertContains(response, "title: Changed meanwhile → Renamed")
        self.assertFalse(Initiative.objects.filter(reference="RZZ-002").exists())

    def test_a_file_with_problems_lists_them_and_offers_no_import(self) -> None:
        address = self.upload([["reference", "title", "problem"], ["RZZ-003", "", "x"]])
        page = self.client.get(address)
        self.assertContains(page, "The file has a problem. Nothing has been saved.")
        self.assertContains(page, "every row needs this: it is empty.")
        self.assertNotContains(page, reverse("imports:confirm", args=[Upload.objects.latest("pk").pk]))

    def test_a_file_too_large_is_refused_on_the_form(self) -> None:
        big = SimpleUploadedFile("big.csv", b"reference\n" + b"x" * (5 * 1024 * 1024 + 10))
        response = self.client.post(reverse("imports:start"), {"kind": "initiatives", "file": big})
        self.assertContains(response, "The file is larger than 5 MB.")
        self.assertFalse(Upload.objects.exists())

    def test_roles_that_may_not_import_are_refused_and_see_no_link(self) -> None:
        for person in (self.cast.board, self.cast.lead, self.cast.viewer):
            self.client.force_login(person)
            with self.subTest(person.full_name):
                self.assertNotContains(self.client.get(reverse("portfolio:list")), reverse("imports:start"))
                self.assertEqual(self.client.get(reverse("imports:start")).status_code, 403)
                self.assertEqual(self.client.get(reverse("imports:template", args=["risks", "csv"])).status_code, 403)

    def test_another_organisations_upload_is_not_found(self) -> None:
        address = self.upload()
        self.client.force_login(self.cast.other_office)
        self.assertEqual(self.client.get(address).status_code, 404)
        pk = Upload.objects.latest("pk").pk
        self.assertEqual(self.client.post(reverse("imports:confirm", args=[pk]), {"seen": "x"}).status_code, 404)

    def test_opening_the_confirmation_address_goes_back_to_the_preview(self) -> None:
        address = self.upload()
        pk = Upload.objects.latest("pk").pk
        response = self.client.get(reverse("imports:confirm", args=[pk]))
        self.assertRedirects(response, address)
