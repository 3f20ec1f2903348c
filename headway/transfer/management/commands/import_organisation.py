"""`python manage.py import_organisation FILE --ods NEW`: an organisation's export read into a new,
empty organisation, all or nothing."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from headway.transfer.importer import ImportRefused, check_document, import_organisation, read_document


class Command(BaseCommand):
    help = (
        "Read an export written by export_organisation into a new organisation with the ODS code given "
        "(one that does not exist yet, or exists and holds nothing). The file is checked whole first; "
        "each problem is listed with its place in the file and nothing is written. People the file names "
        "who have no account here are created only with --create-people, as accounts that cannot sign in "
        "until they are invited."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The export to read.")
        parser.add_argument("--ods", required=True, help="The ODS code of the new organisation.")
        parser.add_argument("--name", help="The new organisation's name (by default the one in the file).")
        parser.add_argument(
            "--create-people",
            action="store_true",
            help="Create accounts, unable to sign in until invited, for people in the file who have none here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {str(path)!r} to import.")
        started = time.perf_counter()
        try:
            with path.open("rb") as stream:
                document = read_document(stream)
            checked = check_document(document)
            summary = import_organisation(
                checked, ods_code=options["ods"], name=options["name"], create_people=options["create_people"]
            )
        except ImportRefused as refused:
            raise CommandError(
                "Nothing was imported. Put these right in the file (or the options) and run again:\n"
                + "\n".join(f"- {problem}" for problem in refused.problems)
            ) from None
        organisation = summary.organisation
        rows = sum(summary.rows.values())
        self.stdout.write(
            f"Imported {rows:,} rows into {organisation.name} ({organisation.ods_code}) "
            f"in {time.perf_counter() - started:.1f} s; {summary.people_found:,} people already had accounts."
        )
        if summary.people_created:
            self.stdout.write(
                f"Created {len(summary.people_created):,} accounts that cannot sign in until invited: "
                + ", ".join(summary.people_created)
            )
