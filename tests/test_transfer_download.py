"""The portfolio office can download the organisation's export from the settings page; nobody
else can (ADR 35)."""

from __future__ import annotations

import json

from django.test import TestCase
from django.urls import reverse

from headway.accounts.roles import Role
from tests.factories import make_initiative
from tests.personas import Cast, personas


class DownloadTheExportTest(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        make_initiative(cls.cast.trust, by=cls.cast.office, reference="DIG-001")
        make_initiative(cls.cast.other_trust, by=cls.cast.other_office, reference="OTH-001")

    def test_the_portfolio_office_downloads_its_own_organisation_as_a_file(self) -> None:
        self.client.force_login(self.cast.office)
        response = self.client.get(reverse("transfer:download"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertRegex(
            response["Content-Disposition"], rf'^attachment; filename="{self.cast.trust.ods_code}-headway-export-'
        )
        document = json.loads(response.content)
        self.assertEqual(document["source"]["ods_code"], self.cast.trust.ods_code)
        self.assertEqual([i["reference"] for i in document["sections"]["initiatives"]], ["DIG-001"])

    def test_the_settings_page_links_to_it(self) -> None:
        self.client.force_login(self.cast.office)
        page = self.client.get(reverse("portfolio:settings")).content.decode()
        self.assertIn(f'href="{reverse("transfer:download")}"', page)

    def test_every_other_role_is_refused(self) -> None:
        for role, person in self.cast.by_role().items():
            if role == Role.PORTFOLIO_OFFICE:
                continue
            with self.subTest(role):
                self.client.force_login(person)
                self.assertEqual(self.client.get(reverse("transfer:download")).status_code, 403)

    def test_someone_signed_out_is_sent_to_sign_in(self) -> None:
        response = self.client.get(reverse("transfer:download"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
