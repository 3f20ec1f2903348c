"""Uploaded files are let go once no longer needed (`remove_old_import_files`): uploads never
imported are removed, imported files lose their contents and keep their record, and the page of
such an import says what it did."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from headway.imports.actions import remove_old_files
from headway.imports.models import Upload
from headway.portfolio.models import Initiative
from tests.importing import csv_file
from tests.personas import personas

ROWS = [["reference", "title", "problem"], ["RZZ-101", "Kept", "A problem people have."]]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("remove_old_import_files", *args, stdout=out)
    return out.getvalue()


class RemoveOldImportFilesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()

    def setUp(self) -> None:
        self.client.force_login(self.cast.office)
        now = timezone.now()
        data = csv_file(ROWS)

        def upload(name: str, days_ago: int, imported_days_ago: int | None) -> Upload:
            made = Upload.objects.create(
                organisation=self.cast.trust, uploaded_by=self.cast.office, kind="initiatives", filename=name, data=data
            )
            imported = None if imported_days_ago is None else now - dt.timedelta(days=imported_days_ago)
            Upload.objects.filter(pk=made.pk).update(
                uploaded_at=now - dt.timedelta(days=days_ago),
                imported_at=imported,
                imported_by=self.cast.office if imported else None,
                outcome="1 created, 0 changed, 0 unchanged" if imported else "",
            )
            return Upload.objects.get(pk=made.pk)

        self.size = len(data)
        self.abandoned = upload("abandoned.csv", 31, None)
        self.waiting = upload("waiting.csv", 29, None)
        self.old = upload("old.csv", 40, 31)
        self.recent = upload("recent.csv", 40, 29)

    def test_old_previews_go_old_files_lose_their_contents_and_recent_ones_stay(self) -> None:
        printed = run("--days", "30")
        assert "1 upload never imported removed, and the contents of 1 imported file" in printed
        assert f"({2 * self.size:,} bytes in all)" in printed
        assert not Upload.objects.filter(pk=self.abandoned.pk).exists()
        old = Upload.objects.get(pk=self.old.pk)
        assert bytes(old.data) == b"" and old.file_removed_at is not None
        assert old.outcome and old.imported_by == self.cast.office  # the record stays
        for kept in (self.waiting, self.recent):
            found = Upload.objects.get(pk=kept.pk)
            assert bytes(found.data) == csv_file(ROWS) and found.file_removed_at is None
        # A second run finds nothing more to do.
        assert "0 uploads never imported removed, and the contents of 0 imported files" in run("--days", "30")

    def test_a_dry_run_says_what_would_go_and_removes_nothing(self) -> None:
        before = list(Upload.objects.order_by("pk").values_list("pk", "data", "file_removed_at"))
        printed = run("--days", "30", "--dry-run")
        assert "Would remove" in printed and "Nothing was removed" in printed
        assert list(Upload.objects.order_by("pk").values_list("pk", "data", "file_removed_at")) == before

    def test_the_setting_is_the_default(self) -> None:
        with self.settings(IMPORT_FILES_KEPT_DAYS=25):
            assert "2 uploads never imported removed, and the contents of 2 imported files" in run()

    def test_days_out_of_bounds_or_not_a_number_are_refused_naming_the_option_and_nothing_goes(self) -> None:
        before = Upload.objects.count()
        for given, message in (("0", "from 1 to 3,650, not 0"), ("3651", "not 3651"), ("a month", "whole number")):
            with pytest.raises(CommandError, match=message) as refused:
                run("--days", given)
            assert "--days" in str(refused.value)
        assert Upload.objects.count() == before
        assert not Upload.objects.filter(file_removed_at__isnull=False).exists()

    def test_the_page_of_an_import_whose_file_was_removed_says_what_it_did_and_writes_nothing(self) -> None:
        remove_old_files(kept_days=30)
        address = reverse("imports:preview", args=[self.old.pk])
        page = self.client.get(address)
        self.assertContains(page, "Imported: old.csv")
        self.assertContains(page, "1 created, 0 changed, 0 unchanged")
        self.assertContains(page, "Upload the file again")
        # The start page still lists it, and links to that page.
        self.assertContains(self.client.get(reverse("imports:start")), address)
        # A confirmation posted for it (an old tab) imports nothing and shows the same page.
        response = self.client.post(reverse("imports:confirm", args=[self.old.pk]), {"seen": "x"})
        self.assertContains(response, "Imported: old.csv")
        assert not Initiative.objects.filter(reference="RZZ-101").exists()

    def test_an_upload_made_through_the_page_is_kept_until_its_time(self) -> None:
        file = SimpleUploadedFile("portfolio.csv", csv_file(ROWS), content_type="text/csv")
        response = self.client.post(reverse("imports:start"), {"kind": "initiatives", "file": file})
        pk = int(re.findall(r"\d+", response["Location"])[0])
        run("--days", "1")
        assert Upload.objects.filter(pk=pk, file_removed_at__isnull=True).exists()
