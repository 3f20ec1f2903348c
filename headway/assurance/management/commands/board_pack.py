"""Write a board pack to a file, for a scheduled job (issue 11, item 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.assurance import pack_outputs
from headway.assurance.models import BoardPack
from headway.commands import date_option, organisation_option

WRITERS = {
    "pdf": pack_outputs.pdf,
    "xlsx": pack_outputs.xlsx,
    "html": lambda pack: pack_outputs.html_for_pdf(pack).encode(),
}


class Command(BaseCommand):
    help = (
        "Write the board pack for a meeting as a PDF, workbook or web page. The published pack is "
        "written as it was published; with none, the newest draft for that meeting, from today's "
        "figures and marked as a draft. Example: manage.py board_pack --organisation RZZ01 "
        "--meeting 2026-12-10 --format pdf --out board-pack.pdf"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="ODS code of the organisation.")
        parser.add_argument("--meeting", required=True, help="Date of the meeting, YYYY-MM-DD.")
        parser.add_argument("--format", required=True, choices=sorted(WRITERS), help="pdf, xlsx or html.")
        parser.add_argument("--out", required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_option(options["organisation"])
        meeting = date_option("meeting", options["meeting"])
        packs = BoardPack.objects.for_organisation(organisation).filter(meeting_date=meeting)
        pack = packs.published().order_by("-published_at").first() or packs.order_by("-created_at").first()
        if pack is None:
            raise CommandError(
                f"{organisation.name} has no board pack for the meeting on {meeting:%d %B %Y}: draft one on "
                "the Board packs page first, with its cover sheet. Nothing was written."
            )
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"The folder {str(out.parent)!r} does not exist. Nothing was written.")
        data = WRITERS[options["format"]](pack)
        out.write_bytes(data)
        state = "published" if pack.is_published else "draft (from today's figures)"
        digest = f", SHA-256 {pack.content_hash}" if pack.is_published else ""
        self.stdout.write(f"Wrote the {state} board pack '{pack.title}' to {out} ({len(data):,} bytes{digest}).")
