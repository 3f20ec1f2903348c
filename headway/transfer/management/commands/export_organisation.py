"""`python manage.py export_organisation ODS --out FILE`: the whole organisation as one JSON file."""

from __future__ import annotations

import os
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from headway.commands import organisation_option
from headway.transfer.export import write_export


class Command(BaseCommand):
    help = (
        "Write everything an organisation holds (its settings, people and their roles, goals, services, "
        "initiatives with every checkpoint, decision, risk and comment, metrics and their observations, "
        "prioritisation rounds and results, money, board packs) to one JSON file, which "
        "import_organisation reads into another Headway. docs/organisation-export.md says what it carries."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("ods_code", help="The ODS code of the organisation to export.")
        parser.add_argument("--out", required=True, help="The file to write (replaced if it exists); - for stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_option(options["ods_code"])
        started = time.perf_counter()
        out = options["out"]
        if out == "-":
            self.stdout.ending = ""  # the document's own line ends, nothing added
            write_export(organisation, self.stdout)
            return
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"--out: the folder {str(path.parent)!r} does not exist.")
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as stream:
                summary = write_export(organisation, stream)
            os.replace(partial, path)  # a half-written file never takes the name
        finally:
            partial.unlink(missing_ok=True)
        rows = sum(summary.rows.values())
        self.stdout.write(
            f"Exported {organisation.name} ({organisation.ods_code}): {rows:,} rows and {summary.people:,} people "
            f"to {path} in {time.perf_counter() - started:.1f} s."
        )
