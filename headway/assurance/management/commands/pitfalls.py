from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from headway.assurance import pitfall_inputs
from headway.commands import date_option, organisation_option


class Command(BaseCommand):
    help = (
        "List the guide's common pitfalls found in an organisation's data, most severe first, with "
        "the initiatives named and the numbers behind each. Example: manage.py pitfalls "
        "--organisation RZZ01 --json"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="ODS code of the organisation.")
        parser.add_argument("--json", action="store_true", help="Print a JSON list instead of text.")
        parser.add_argument("--on", default=None, help="Judge as on this date, YYYY-MM-DD (default today).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_option(options["organisation"])
        today = date_option("on", options["on"])
        found = pitfall_inputs.findings(organisation, today)
        if options["json"]:
            self.stdout.write(json.dumps([f.as_json() for f in found], indent=2, default=str))
            return
        if not found:
            self.stdout.write(f"No pitfalls found for {organisation.name} on {today:%d %B %Y}.")
            return
        self.stdout.write(f"{len(found)} pitfalls found for {organisation.name} on {today:%d %B %Y}:")
        for f in found:
            named = ", ".join(f.initiatives) if f.initiatives else "the portfolio as a whole"
            since = f" (since {f.since:%d %B %Y})" if f.since else ""
            self.stdout.write(f"\n[{f.severity}] {f.title}{since}\n  {f.key}: {named}")
            for name, value in f.evidence.items():
                self.stdout.write(f"  {name}: {value}")
