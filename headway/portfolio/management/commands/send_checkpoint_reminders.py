"""Email each delivery lead one reminder listing their active initiatives owing a checkpoint.

Run weekly by cron, for example on Thursday morning:
    manage.py send_checkpoint_reminders
Use --dry-run to see who would be emailed, and --today to pretend it is another day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from headway.accounts.models import User
from headway.commands import date_option, site_address
from headway.lib.weeks import checkpoint_state, week_start
from headway.portfolio.models import Initiative

STATE_WORDS = {"due": "due this week", "overdue": "overdue"}


class Command(BaseCommand):
    help = "Email each delivery lead one reminder listing their initiatives whose checkpoint is due or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say who would be emailed; send nothing.")
        parser.add_argument("--today", help="Treat this date (YYYY-MM-DD) as today.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date_option("today", options["today"])
        base_url = site_address()

        # Every organisation at once: this is a scheduled job, not a view.
        initiatives = (
            Initiative.objects.needing_checkpoints()
            .filter(delivery_lead__isnull=False, delivery_lead__is_active=True)
            .select_related("delivery_lead", "organisation")
            .order_by("organisation__name", "reference")
        )
        owed: dict[int, list[tuple[Initiative, str]]] = defaultdict(list)
        leads: dict[int, User] = {}
        for initiative in initiatives:
            state = checkpoint_state(
                initiative.last_checkpoint_week,
                initiative.start_date,
                today,
            )
            if state in STATE_WORDS:
                assert initiative.delivery_lead is not None
                leads[initiative.delivery_lead.pk] = initiative.delivery_lead
                owed[initiative.delivery_lead.pk].append((initiative, state))

        sent = 0
        for pk, items in owed.items():
            lead = leads[pk]
            if options["dry_run"]:
                self.stdout.write(f"Would email {lead.email}: {len(items)} checkpoint(s)")
                continue
            send_mail(
                subject=self._subject(items),
                message=self._body(lead, items, base_url, today),
                from_email=None,
                recipient_list=[lead.email],
            )
            sent += 1
        total = sum(len(items) for items in owed.values())
        if options["dry_run"]:
            self.stdout.write(f"Dry run: would email {len(owed)} delivery lead(s) about {total} checkpoint(s).")
        else:
            self.stdout.write(f"Emailed {sent} delivery lead(s) about {total} checkpoint(s).")

    @staticmethod
    def _subject(items: list[tuple[Initiative, str]]) -> str:
        if len(items) == 1:
            return f"Headway: the weekly checkpoint for {items[0][0].reference} is {STATE_WORDS[items[0][1]]}"
        return f"Headway: {len(items)} weekly checkpoints to record"

    @staticmethod
    def _body(lead: User, items: list[tuple[Initiative, str]], base_url: str, today: dt.date) -> str:
        lines = [
            f"Hello {lead.get_short_name()},",
            "",
            f"These initiatives you lead need a checkpoint for the week beginning {week_start(today):%-d %B %Y}:",
            "",
        ]
        for initiative, state in items:
            link = base_url + reverse("portfolio:checkpoint", args=[initiative.pk])
            lines += [
                f"- {initiative.reference} {initiative.title} ({initiative.organisation.name}): {STATE_WORDS[state]}",
                f"  Record it here: {link}",
            ]
        lines += [
            "",
            "A checkpoint takes about two minutes: what you showed, whether anything reached real users,",
            "your delivery confidence and why, and anything you need from the board.",
            "",
            "Headway",
        ]
        return "\n".join(lines)
