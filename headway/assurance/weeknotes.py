"""Weeknotes: one week of progress across an organisation's portfolio, for its staff (ADR 30).

What was shown to people and what reached real users come from that week's checkpoints; what was
decided (started, paused, stopped, closed…) and what went live come from the decision log and the
go-live dates. The page, the Atom feed and the email all read `weeknotes` or `weeknotes_for`, so
they can never tell a different story about the same week.

`compose` holds the rule and is pure: it takes the week's rows and says what goes in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from headway.accounts.models import Organisation
from headway.lib.weeks import week_start
from headway.portfolio.models import Checkpoint, Decision, Initiative


@dataclass(frozen=True)
class Progress:
    """What one initiative's checkpoint said about the week."""

    pk: int  # the initiative
    reference: str
    title: str
    demonstrated: str
    demonstrated_to: str
    reached_real_users: bool
    real_users_detail: str


@dataclass(frozen=True)
class Decided:
    pk: int  # the initiative
    reference: str
    title: str
    kind: str  # as stored ("stop"); the page words it
    kind_label: str
    decided_on: dt.date
    decided_by: str
    rationale: str


@dataclass(frozen=True)
class WentLive:
    pk: int
    reference: str
    title: str
    on: dt.date


@dataclass(frozen=True)
class Weeknotes:
    week: dt.date  # its Monday
    shown: list[Progress]  # something was demonstrated
    reached_users: list[Progress]  # something reached real users
    decided: list[Decided]
    went_live: list[WentLive]
    checkpoints: int  # recorded for the week, including those with nothing to tell
    quiet: list[Progress]  # a checkpoint that showed nothing and put nothing in users' hands

    @property
    def week_ends(self) -> dt.date:
        return self.week + dt.timedelta(days=6)

    @property
    def is_empty(self) -> bool:
        """Nothing to tell anyone: nothing shown, nothing reached users, nothing decided or live."""
        return not (self.shown or self.reached_users or self.decided or self.went_live)


def compose(
    week: dt.date,
    progress: Iterable[Progress],
    decided: Iterable[Decided] = (),
    went_live: Iterable[WentLive] = (),
) -> Weeknotes:
    """The week's weeknotes from its checkpoints, decisions and go-lives (pure).

    An initiative is "shown" when its checkpoint says what was demonstrated (blank text is not a
    demonstration) and "reached users" when the checkpoint says something reached real users, with
    or without saying what. Everything is in reference order, decisions in the order taken."""
    rows = sorted(progress, key=lambda p: p.reference)
    shown = [p for p in rows if p.demonstrated.strip()]
    reached = [p for p in rows if p.reached_real_users]
    quiet = [p for p in rows if not p.demonstrated.strip() and not p.reached_real_users]
    return Weeknotes(
        week=week,
        shown=shown,
        reached_users=reached,
        decided=sorted(decided, key=lambda d: (d.decided_on, d.reference)),
        went_live=sorted(went_live, key=lambda w: (w.on, w.reference)),
        checkpoints=len(rows),
        quiet=quiet,
    )


# Loading -------------------------------------------------------------------------------------


def weeknotes(organisation: Organisation, week: dt.date) -> Weeknotes:
    """The weeknotes of `organisation` for the week starting on the Monday `week`."""
    return weeknotes_for(organisation, [week])[0]


def weeknotes_for(organisation: Organisation, weeks: Sequence[dt.date]) -> list[Weeknotes]:
    """The weeknotes for each of these Mondays, in the order given: three queries for any number
    of weeks (the feed asks for several at once)."""
    if not weeks:
        return []
    first, last = min(weeks), max(weeks) + dt.timedelta(days=6)
    progress: dict[dt.date, list[Progress]] = defaultdict(list)
    checkpoints = (
        Checkpoint.objects.filter(initiative__organisation=organisation, week_start__in=weeks)
        .select_related("initiative")
        .only(
            "week_start", "demonstrated", "demonstrated_to", "reached_real_users", "real_users_detail",
            "initiative__reference", "initiative__title",
        )
    )
    for c in checkpoints:
        progress[c.week_start].append(
            Progress(
                pk=c.initiative_id,
                reference=c.initiative.reference,
                title=c.initiative.title,
                demonstrated=c.demonstrated,
                demonstrated_to=c.demonstrated_to,
                reached_real_users=c.reached_real_users,
                real_users_detail=c.real_users_detail,
            )
        )
    decided: dict[dt.date, list[Decided]] = defaultdict(list)
    decisions = (
        Decision.objects.for_organisation(organisation)
        .filter(decided_on__gte=first, decided_on__lte=last)
        .select_related("initiative")
    )
    for d in decisions:
        decided[week_start(d.decided_on)].append(
            Decided(
                pk=d.initiative_id,
                reference=d.initiative.reference,
                title=d.initiative.title,
                kind=d.kind,
                kind_label=d.get_kind_display(),
                decided_on=d.decided_on,
                decided_by=d.decided_by,
                rationale=d.rationale,
            )
        )
    live: dict[dt.date, list[WentLive]] = defaultdict(list)
    went_live = Initiative.objects.for_organisation(organisation).filter(
        went_live_on__gte=first, went_live_on__lte=last
    )
    for i in went_live.only("reference", "title", "went_live_on"):
        assert i.went_live_on is not None
        live[week_start(i.went_live_on)].append(WentLive(i.pk, i.reference, i.title, i.went_live_on))
    return [compose(week, progress[week], decided[week], live[week]) for week in weeks]
