"""`python manage.py refresh_findings [--organisation ODS] [--changed]`: work the pitfall findings
out again and store them (ADR 26), for every organisation or one. Actions keep them fresh as data
changes; run this each night too, because some checks count weeks and months to the day, and with
`--changed` every minute, for the large portfolios whose changes wait for it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from headway.accounts.models import Organisation
from headway.assurance import pitfall_store
from headway.assurance.models import StoredFindings
from headway.commands import date_option, organisation_option


class Command(BaseCommand):
    help = (
        "Work out and store the pitfall findings the pages show, for every organisation or one. "
        "Example: manage.py refresh_findings --organisation RZZ01"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="ODS code of one organisation (default: all of them).")
        parser.add_argument("--on", default=None, help="Judge as on this date, YYYY-MM-DD (default today).")
        parser.add_argument(
            "--changed",
            action="store_true",
            help="Only the organisations whose data changed since their findings were worked out.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = date_option("on", options["on"])
        if options["organisation"]:
            organisations = [organisation_option(options["organisation"])]
        else:
            organisations = list(Organisation.objects.order_by("name"))
        if options["changed"]:
            waiting = set(
                StoredFindings.objects.filter(changed_since__isnull=False).values_list("organisation_id", flat=True)
            )
            organisations = [o for o in organisations if o.pk in waiting]
        for organisation in organisations:
            with transaction.atomic():
                row = pitfall_store.refresh(organisation, today)
            self.stdout.write(
                f"{organisation.name}: {len(row.findings)} pitfall finding{'s' if len(row.findings) != 1 else ''}, "
                f"as on {today:%d %B %Y}."
            )
