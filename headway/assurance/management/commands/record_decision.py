from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.accounts.people import member_by_email
from headway.assurance import actions
from headway.commands import date_option, organisation_option
from headway.lib import bounds
from headway.portfolio.models import Decision, Initiative


class Command(BaseCommand):
    help = (
        "Record a decision on an initiative from a script or the minutes of a meeting held elsewhere. "
        "It goes through the same rules as the decision form: a rationale is required, the "
        "initiative's status changes only as the decision allows, and a stop, pause or close takes it "
        "out of the open prioritisation rounds. Example: manage.py record_decision "
        "--organisation RZZ01 --initiative DIG-004 --kind stop --rationale '...' --evidence '...' "
        "--decided-by 'Digital Investment Board' --by pmo@example.nhs.uk"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="ODS code of the organisation.")
        parser.add_argument("--initiative", required=True, help="The initiative's reference, e.g. DIG-004.")
        parser.add_argument("--kind", required=True, choices=[str(k) for k in Decision.TRANSITIONS])
        parser.add_argument("--rationale", required=True, help="Why: every decision needs its reason.")
        parser.add_argument("--evidence", required=True, help="The evidence considered.")
        parser.add_argument("--decided-by", required=True, help="The person or group that decided.")
        parser.add_argument("--on", default=None, help="Date decided, YYYY-MM-DD (default today).")
        parser.add_argument("--by", default=None, help="Email of the person recording it (a member).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_option(options["organisation"])
        try:
            initiative = Initiative.objects.for_organisation(organisation).get(reference=options["initiative"])
        except Initiative.DoesNotExist:
            raise CommandError(
                f"{organisation.name} has no initiative with the reference {options['initiative']!r}."
            ) from None
        by = None
        if options["by"]:
            by = member_by_email(organisation, options["by"])
            if by is None:
                raise CommandError(f"{options['by']} is not a member of {organisation.name}.")
        decided_on = date_option("on", options["on"])
        # The same rules as the decision form: a reason and evidence a board can read later.
        for option, check in (
            ("rationale", lambda text: bounds.check_reason(text, what="why it was decided")),
            ("evidence", lambda text: bounds.check_reason(text, what="the evidence considered")),
            ("decided_by", bounds.check_name),
        ):
            try:
                check(options[option].strip())
            except bounds.BoundsError as error:
                raise CommandError(f"Nothing was recorded. {option}: {error}") from None
        try:
            bounds.check_date(decided_on)
        except bounds.BoundsError as error:
            raise CommandError(f"Nothing was recorded. decided_on: {error}") from None
        try:
            decided = actions.record_decision(
                initiative=initiative,
                by=by,
                kind=options["kind"],
                rationale=options["rationale"],
                evidence=options["evidence"],
                decided_by=options["decided_by"],
                decided_on=decided_on,
                reason="manage.py record_decision",
            )
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            raise CommandError(f"Nothing was recorded. {problems}") from None
        decision = decided.decision
        self.stdout.write(
            f"Recorded: {decision.get_kind_display()} {initiative.reference} "
            f"({decision.get_status_before_display()} → {decision.get_status_after_display()})."
        )
        for round in decided.taken_out_of:
            self.stdout.write(f"Taken out of the open prioritisation round {round.name}.")
        for round in decided.put_back_into:
            self.stdout.write(f"A candidate again in the open prioritisation round {round.name}.")
