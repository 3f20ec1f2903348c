from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from headway.accounts.people import member_by_email
from headway.commands import file_option
from headway.metrics import actions
from headway.metrics.imports import FileRefused, read_observations
from headway.metrics.models import Metric


class Command(BaseCommand):
    help = (
        "Import a metric's values from a CSV file or an Excel workbook (.xlsx) whose first row names the "
        "columns period, value and (optionally) note. Every row is checked first: if any has a problem, "
        "each problem is printed with its row and column and nothing is saved. A period that already has "
        "a value is replaced; the history keeps the old one. Example: manage.py import_observations "
        "waits.csv --metric 12 --by analyst@example.nhs.uk"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or .xlsx file.")
        parser.add_argument("--metric", required=True, type=int, help="The metric's number (its id).")
        parser.add_argument("--by", default=None, help="Email of the person the import is recorded as (a member).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            metric = Metric.objects.select_related("organisation").get(pk=options["metric"])
        except Metric.DoesNotExist:
            raise CommandError(f"There is no metric {options['metric']}.") from None
        by = None
        if options["by"]:
            by = member_by_email(metric.organisation, options["by"])
            if by is None:
                raise CommandError(f"{options['by']} is not a member of {metric.organisation.name}.")
        path = Path(options["file"])
        data = file_option(path)
        try:
            rows = read_observations(
                data, filename=path.name, frequency=metric.frequency, unit=metric.unit, today=timezone.localdate()
            )
            counts = actions.import_observations(
                metric=metric, by=by, rows=rows, reason=f"Imported from {path.name} by manage.py import_observations"
            )
        except FileRefused as refused:
            problems = [str(e) for e in refused.errors]
        except ValidationError as error:
            problems = list(error.messages)
        else:
            self.stdout.write(f"Imported {path.name} into ‘{metric.name}’: {counts}.")
            return
        for problem in problems:
            self.stderr.write(problem)
        count = len(problems)
        raise CommandError(
            f"Nothing was imported: {path.name} has {count} problem{'s' if count != 1 else ''}"
            + (f" ({problems[0]})" if count == 1 else "")
            + "."
        )
