"""`python manage.py remove_old_import_files [--days N] [--dry-run]`: let go of uploaded files no
longer needed (ADR 33): uploads never imported, and the contents of imported files, once they are
older than `IMPORT_FILES_KEPT_DAYS` (30 by default). Run it daily from cron."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.imports.actions import remove_old_files
from headway.lib.bounds import IMPORT_FILES_MAX_DAYS, IMPORT_FILES_MIN_DAYS


class Command(BaseCommand):
    help = (
        "Remove uploads never imported, and the contents of imported files, older than --days (default "
        "IMPORT_FILES_KEPT_DAYS). What was imported, by whom and when stays on the record. Example: "
        "manage.py remove_old_import_files --days 30 --dry-run"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", default=None, help="Keep files this many days (default the IMPORT_FILES_KEPT_DAYS setting)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed, and remove nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["days"] if options["days"] is not None else settings.IMPORT_FILES_KEPT_DAYS
        try:
            days = int(given)
        except (TypeError, ValueError):
            raise CommandError(f"--days must be a whole number of days, not {given!r}.") from None
        if not IMPORT_FILES_MIN_DAYS <= days <= IMPORT_FILES_MAX_DAYS:
            raise CommandError(
                f"--days must be from {IMPORT_FILES_MIN_DAYS} to {IMPORT_FILES_MAX_DAYS:,}, not {days}."
            )
        removed = remove_old_files(kept_days=days, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"Would remove, older than {days} days: {removed.summary()}. Nothing was removed.")
        else:
            self.stdout.write(f"Removed, older than {days} days: {removed.summary()}.")
