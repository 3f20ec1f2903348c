"""The portfolio office can download the organisation's export from the settings page; nobody
else can (ADR 35)."""

from __future__ import annotations

import io
import json
import threading

from django.db import connections
from django.test import TestCase
from django.urls import reverse

from headway.accounts.roles import Role
from headway.transfer.export import streamed_export, write_export
from tests.concurrency import AtOnceTestCase
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
        self.assertTrue(response.streaming)  # never held whole in the worker's memory
        downloaded = b"".join(response.streaming_content)
        document = json.loads(downloaded)
        self.assertEqual(document["source"]["ods_code"], self.cast.trust.ods_code)
        self.assertEqual([i["reference"] for i in document["sections"]["initiatives"]], ["DIG-001"])
        # The same document as the command writes, apart from when each was made.
        out = io.StringIO()
        write_export(self.cast.trust, out)
        written = json.loads(out.getvalue())
        self.assertEqual({**document, "exported_at": ""}, {**written, "exported_at": ""})

    def test_the_blocks_join_into_the_document_whatever_their_size(self) -> None:
        whole = b"".join(streamed_export(self.cast.trust))
        blocks = list(streamed_export(self.cast.trust, block=100))
        self.assertGreater(len(blocks), 3)
        self.assertTrue(all(len(b) >= 100 for b in blocks[:-1]))
        self.assertEqual(json.loads(b"".join(blocks)) | {"exported_at": ""}, json.loads(whole) | {"exported_at": ""})

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


class ExportAtOneMomentTest(AtOnceTestCase):
    """A download takes a while at a large trust; what is saved meanwhile must not show up in the
    sections read later only (an initiative without its checkpoints, say)."""

    def test_an_initiative_saved_while_the_download_runs_is_not_in_it(self) -> None:
        cast = personas("Moment Trust")
        make_initiative(cast.trust, by=cast.office, reference="DIG-001")
        blocks = streamed_export(cast.trust, block=1)
        first = next(blocks)  # reading has begun
        def save_another() -> None:
            try:
                make_initiative(cast.trust, by=cast.office, reference="DIG-002")
            finally:
                connections.close_all()

        saved = threading.Thread(target=save_another, daemon=True)
        saved.start()
        saved.join(timeout=30)
        assert not saved.is_alive()
        document = json.loads(first + b"".join(blocks))
        assert [i["reference"] for i in document["sections"]["initiatives"]] == ["DIG-001"]
        assert sorted(cast.trust.initiatives.values_list("reference", flat=True)) == ["DIG-001", "DIG-002"]
