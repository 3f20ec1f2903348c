from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from headway.accounts.people import member_by_email
from headway.commands import file_option, organisation_option
from headway.imports import presenters
from headway.imports.actions import import_file, kind_for, may_import
from headway.imports.kinds import KINDS
from headway.imports.plan import ImportRefused, preview


class Command(BaseCommand):
    help = (
        "Import initiatives, checkpoints, risks, metric values or funding lines from a CSV, Excel (.xlsx) or "
        "JSON file (docs/imports.md). Every row is checked first; if any has a problem, each is printed with "
        "its row and column and nothing is saved. Rows find existing records by reference, so importing the "
        "same file twice changes nothing. Example: manage.py import_data initiatives portfolio.xlsx "
        "--organisation RZZ01 --by pmo@example.nhs.uk --dry-run"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="What the file holds.")
        parser.add_argument("file", help="The CSV, .xlsx or .json file.")
        parser.add_argument("--organisation", required=True, help="The organisation's ODS code, for example RZZ01.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change, and save nothing.")
        parser.add_argument(
            "--by",
            default=None,
            help="Email of the member the import is recorded as; their role must allow it. Without it the "
            "history records the command itself (no person).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_option(options["organisation"])
        kind = kind_for(options["kind"])
        by = None
        if options["by"]:
            by = member_by_email(organisation, options["by"])
            if by is None:
                raise CommandError(f"--by: {options['by']} is not a member of {organisation.name}.")
            if not may_import(organisation, by, kind):
                raise CommandError(f"--by: {options['by']}'s role does not allow importing {kind.title.lower()}.")
        path = Path(options["file"])
        data = file_option(path)
        today = timezone.localdate()
        if options["dry_run"]:
            plan = preview(organisation=organisation, kind=kind, data=data, filename=path.name, today=today)
            problems = [str(p) for p in plan.problems]
        else:
            try:
                plan = import_file(
                    organisation=organisation,
                    kind=options["kind"],
                    data=data,
                    filename=path.name,
                    by=by,
                    reason=f"Imported from {path.name} by manage.py import_data",
                    today=today,
                )
                problems = []
            except ImportRefused as refused:
                problems = [str(p) for p in refused.problems]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            count = len(problems)
            raise CommandError(
                f"Nothing was imported: {path.name} has {count} problem{'s' if count != 1 else ''}"
                + (f" ({problems[0]})" if count == 1 else "")
                + "."
            )
        for line in presenters.plan_lines(plan):
            self.stdout.write(line)
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(f"{verb} {path.name} into {organisation.name}: {plan.summary()}.")
