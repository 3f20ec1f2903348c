"""Email the weeknotes to the people who chose to receive them (ADR 30).

Run weekly by cron, for example on Monday morning, for the week that has just ended:
    manage.py send_weeknotes
Each person gets each organisation's week once: running it again sends nothing more. A week in
which nothing was shown, reached users, went live or was decided is not sent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from headway.accounts.models import Membership, Organisation
from headway.assurance import actions
from headway.assurance.models import WeeknotesSent
from headway.assurance.weeknotes import weeknotes
from headway.assurance.weeknotes_views import page_address
from headway.commands import organisation_option, site_address, week_option
from headway.lib.weeks import latest_complete_week, week_start


class Command(BaseCommand):
    help = (
        "Email the week's weeknotes to everyone who chose them on their account page, once per person "
        "per week. Example: manage.py send_weeknotes --organisation RZZ01 --week 2026-11-23 --dry-run"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="ODS code of one organisation (default: every organisation).")
        parser.add_argument("--week", help="The Monday of the week, YYYY-MM-DD (default: the latest complete week).")
        parser.add_argument("--dry-run", action="store_true", help="Say who would be emailed; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        week = week_option("week", options["week"]) or latest_complete_week(today)
        if week > week_start(today):
            raise CommandError(f"--week: the week of {week:%-d %B %Y} has not started yet.")
        if options["organisation"]:
            organisations = [organisation_option(options["organisation"])]
        else:
            # Every organisation at once: this is a scheduled job, not a view.
            organisations = list(Organisation.objects.order_by("name"))
        dry_run = options["dry_run"]
        sent = already = 0
        for organisation in organisations:
            readers = (
                Membership.objects.for_organisation(organisation)
                .filter(weeknotes_by_email=True, user__is_active=True)
                .select_related("user")
                .order_by("user__email")
            )
            if not readers:
                continue
            notes = weeknotes(organisation, week)
            if notes.is_empty:
                self.stdout.write(f"{organisation.name}: nothing to tell for the week of {week:%-d %B %Y}; not sent.")
                continue
            done = set(
                WeeknotesSent.objects.filter(organisation=organisation, week_start=week).values_list(
                    "user_id", flat=True
                )
            )
            subject = f"Weeknotes for {organisation.name}: the week of {week:%-d %B %Y}"
            for membership in readers:
                user = membership.user
                if user.pk in done:
                    already += 1
                    continue
                if dry_run:
                    self.stdout.write(f"Would email {user.email} the weeknotes for {organisation.name}.")
                    sent += 1
                    continue
                body = render_to_string(
                    "assurance/weeknotes_email.txt",
                    {
                        "notes": notes,
                        "organisation": organisation,
                        "person": user,
                        "link": site_address() + page_address(week),
                        "account": site_address() + reverse("accounts:account") + "#weeknotes",
                    },
                )
                if actions.email_weeknotes(organisation=organisation, user=user, week=week, subject=subject, body=body):
                    sent += 1
                else:
                    already += 1
        verb = "Would email" if dry_run else "Emailed"
        self.stdout.write(
            f"{verb} the weeknotes for the week of {week:%-d %B %Y} to {sent} person(s); "
            f"{already} already had them."
        )
