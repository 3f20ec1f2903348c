"""`python manage.py load_demo`: the demo organisations, for trying Headway out."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from headway.demo.loader import DemoNotAllowed, DemoSummary, load_demo

ROLE_LOGINS = {"board", "sro", "delivery", "pmo", "viewer", "cdio"}


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Load a fictional acute trust (Northgate and Riverside, ODS code RZZ01) and a small mental "
        "health trust (Fenmoor, RZZ02) in a fictional integrated care system, with people for every "
        "role, a year of initiatives, decisions, weekly checkpoints, risks and comments, dated back "
        "from today. Safe to run twice: if the demo organisations already exist they are left exactly "
        "as they are and the logins are listed again; pass --reset to delete them and load them afresh "
        "(for example, to bring the dates up to today). Refuses to run when HEADWAY_ENV=production."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organisations and everything in them, then load them again.",
        )
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            help="Count the demo's dates back from this day (YYYY-MM-DD) instead of today.",
        )
        parser.add_argument("--all-logins", action="store_true", help="List every demo person, not one per role.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.all_logins = options["all_logins"]
        try:
            summary = load_demo(today=options["today"], stdout=self.stdout, reset=options["reset"])
        except DemoNotAllowed as error:
            raise CommandError(str(error)) from error
        self.report(summary)

    def report(self, summary: DemoSummary) -> None:
        if summary.created:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo in {summary.seconds:.1f} seconds:"))
        else:
            self.stdout.write("The demo contains:")
        self.stdout.write(
            f"  {len(summary.organisations)} organisations, {summary.people} people, "
            f"{summary.initiatives} initiatives, {summary.decisions} decisions, "
            f"{summary.checkpoints} checkpoints, {summary.risks} risks, {summary.comments} comments, "
            f"{summary.metrics} metrics with {summary.observations} observations."
        )
        self.stdout.write("")
        # One login per role is what someone trying Headway needs; --all-logins lists everyone.
        shown = [login for login in summary.logins if self.all_logins or login.email.split("@")[0] in ROLE_LOGINS]
        self.stdout.write(f"Demo logins, one for each role (every one uses the password {summary.password}):")
        header = ("Organisation", "Role", "Name", "Email")
        rows = [(login.organisation, login.role, login.name, login.email) for login in shown]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write(line(header))
        self.stdout.write(line(tuple("-" * width for width in widths)))
        for row in rows:
            self.stdout.write(line(row))
        hidden = len(summary.logins) - len(shown)
        if hidden:
            self.stdout.write(f"({hidden} more demo people share the same password: --all-logins lists them.)")
        if self.all_logins:
            self.stdout.write("")
            self.stdout.write(
                f"A read-only API token for {summary.organisation.name}, to try the API (docs/api.md):\n"
                f"  curl -H 'Authorization: Bearer {summary.api_token}' http://127.0.0.1:8000/api/v1/initiatives"
            )
