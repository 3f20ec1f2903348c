"""Write the export aligned with the programme and project data standard to a file (ADR 34)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.assurance import data_standard
from headway.commands import date_option, organisation_option


class Command(BaseCommand):
    help = (
        "Write an organisation's portfolio as projects, risks, issues, benefits, milestones, costs and "
        f"people (schema {data_standard.SCHEMA_VERSION}) with its coverage statement, as a workbook "
        "or JSON. Example: manage.py export_data_standard RZZ01 --out portfolio.xlsx"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="ODS code of the organisation, for example RZZ01.")
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--format", choices=["xlsx", "json"], default="xlsx", help="xlsx (the default) or json.")
        parser.add_argument("--date", help="The day the figures are for, YYYY-MM-DD; today if not given.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_option(options["organisation"])
        today = date_option("date", options.get("date"))
        if options["format"] == "json":
            data: bytes = data_standard.as_json(organisation, today).encode("utf-8")
        else:
            data = data_standard.xlsx(organisation, today)
        out = Path(options["out"])
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {out}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {out} ({data_standard.SCHEMA_VERSION}, {len(data):,} bytes).")
