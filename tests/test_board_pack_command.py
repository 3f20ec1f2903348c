"""`manage.py board_pack`: a pack for a meeting written to a file, for a scheduled job."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from headway.assurance import pack_actions
from tests.clock import TODAY
from tests.personas import personas
from tests.test_board_packs import COVER


@pytest.mark.slow
class BoardPackCommandTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.cast.trust.ods_code = "RZZ99"
        cls.cast.trust.save()
        cls.published = pack_actions.publish_pack(
            pack=pack_actions.create_pack(organisation=cls.cast.trust, by=cls.cast.office, fields=COVER),
            by=cls.cast.office,
            today=TODAY,
        )

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        call_command("board_pack", *args, stdout=out)
        return out.getvalue()

    def test_it_writes_the_published_pack_in_each_format(self) -> None:
        meeting = COVER["meeting_date"].isoformat()
        for fmt, starts in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("html", b"<!DOCTYPE html")):
            target = self.folder / f"pack.{fmt}"
            said = self.run_command(
                "--organisation", "RZZ99", "--meeting", meeting, "--format", fmt, "--out", str(target)
            )
            self.assertTrue(target.read_bytes().startswith(starts), fmt)
            self.assertIn("published", said)
            self.assertIn(self.published.content_hash, said)
        workbook = openpyxl.load_workbook(self.folder / "pack.xlsx", read_only=True)
        self.assertGreater(len(workbook.sheetnames), 3)
        self.assertIn(self.published.content_hash, (self.folder / "pack.html").read_text())

    def test_a_meeting_with_only_a_draft_writes_the_draft_and_says_so(self) -> None:
        later = COVER["meeting_date"].replace(day=24)
        pack_actions.create_pack(
            organisation=self.cast.trust, by=self.cast.office, fields={**COVER, "meeting_date": later}
        )
        target = self.folder / "draft.html"
        said = self.run_command(
            "--organisation", "RZZ99", "--meeting", later.isoformat(), "--format", "html", "--out", str(target)
        )
        self.assertIn("draft", said)
        self.assertTrue(target.exists())

    def test_bad_arguments_are_named_and_nothing_is_written(self) -> None:
        meeting = COVER["meeting_date"].isoformat()
        target = self.folder / "never.pdf"
        for args, message in (
            (["--organisation", "XXXXX", "--meeting", meeting], "No organisation has the ODS code 'XXXXX'"),
            (["--organisation", "RZZ99", "--meeting", "10/12/2026"], "--meeting must be a date"),
            (["--organisation", "RZZ99", "--meeting", "2026-12-11"], "no board pack for the meeting on 11 December"),
        ):
            with self.assertRaisesMessage(CommandError, message):
                self.run_command(*args, "--format", "pdf", "--out", str(target))
        with self.assertRaisesMessage(CommandError, "does not exist"):
            self.run_command(
                "--organisation",
                "RZZ99",
                "--meeting",
                meeting,
                "--format",
                "pdf",
                "--out",
                str(self.folder / "no" / "x.pdf"),
            )
        self.assertFalse(target.exists())
