"""Load the demo organisations from `headway.demo.data`.

Initiatives, user needs, decisions, checkpoints, risks and comments are all written through
`headway.portfolio.actions`, so the demo has the same history and obeys the same rules as real
data: in particular, every status is reached by a recorded decision. Organisations, people,
goals and services have no actions of their own yet and are created directly.

The weekly detail is drawn with a seeded random generator, and every date is counted back from
`today`, so two loads on the same day give the same demo and the demo is always recent.

Each initiative's impact metrics (`headway.demo.metrics_data`) are created through
`headway.metrics.actions`; their observations, a few hundred a metric at most, go in with one bulk
insert each (with history), and the metric's SPC summary and the initiatives' verdicts are then
refreshed once, as ADR 7 requires of anything that bulk-loads observations.

The decisions are replayed in the order they were taken across the whole portfolio, so that the
acute trust's two past prioritisation rounds (`headway.demo.rounds_data`) are held on their meeting
days with the statuses of that day: set up, scored, selected and given their reasons through
`headway.prioritisation.actions`, then closed by `close_round` after the decisions the board took
at that meeting, which the round takes as its own (its other changes get a decision of their own,
as any closed round's do). The open round comes last, ready to run, with its money from finance.

After loading, a few timestamps the models set to "now" (when a checkpoint or decision was
recorded, when a comment was posted, when an initiative or risk was created) are moved back to
the dates the story gives them, so that pages showing them agree with the story. The
django-simple-history records keep the real load time.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from headway import derived
from headway.accounts import actions as account_actions
from headway.accounts.models import IntegratedCareSystem, Membership, Organisation, User
from headway.accounts.roles import Role
from headway.api import actions as api_actions
from headway.api.models import AccessToken, token_digest
from headway.assurance import pack_actions, pitfall_store
from headway.assurance.models import BoardPack
from headway.assurance.reference import ensure_board_questions
from headway.demo import baf_data, data, finance_data, metrics_data, rounds_data
from headway.lib import bounds
from headway.lib.financial_years import years_between
from headway.lib.periods import MONTHLY, period_label, period_start
from headway.lib.quarters import FinancialQuarter
from headway.lib.weeks import week_start
from headway.metrics import actions as metric_actions
from headway.metrics.imports import ObservationRow
from headway.metrics.models import Annotation, Metric, Observation
from headway.metrics.verdicts import refresh_verdicts
from headway.portfolio import actions
from headway.portfolio.models import (
    Checkpoint,
    Comment,
    Decision,
    Initiative,
    Risk,
    Service,
    Status,
    StrategicGoal,
)
from headway.prioritisation import actions as prioritisation_actions
from headway.prioritisation import sources
from headway.prioritisation.costs import NO_COSTS
from headway.prioritisation.models import Candidate, Combine, Method, Result, Round

SEED = 2026
_CANDIDATES = {spec.reference: spec for spec in rounds_data.CANDIDATES}
# The demo's decision meetings are on Wednesdays.
DECISION_WEEKDAY = 2
MEETING_WEEKDAY = 3  # board committees in the story meet on a Thursday
PAPERS_BEFORE_MEETING_DAYS = 7  # and their papers go out a week before
NEW_PERIOD_NOTE = (
    "The change is in place across the service and the figures have settled at a new level, so the "
    "limits are worked out again from here."
)
_ENDS_ACTIVITY = frozenset({Status.PAUSED, Status.STOPPED, Status.COMPLETED})


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


class DemoNotAllowed(Exception):
    """The demo must never be loaded here (for example, in production)."""


# While the demo loads, the moment in the story that the current write belongs to: history
# records are dated by it, so a history page shows when each thing happened in the story rather
# than when the demo was loaded. A context variable, so only the loading thread is affected.
_STORY_TIME: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("demo_story_time", default=None)


def _date_history_by_the_story(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    when = _STORY_TIME.get()
    if when is not None:
        history_instance.history_date = when


pre_create_historical_record.connect(_date_history_by_the_story, dispatch_uid="headway.demo.story_time")


@dataclass(frozen=True)
class DemoLogin:
    organisation: str
    role: str
    name: str
    email: str
    job_title: str


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    organisation: Organisation
    organisations: tuple[str, ...]
    people: int
    initiatives: int
    decisions: int
    checkpoints: int
    risks: int
    comments: int
    metrics: int
    observations: int
    logins: tuple[DemoLogin, ...]
    password: str
    api_token: str
    seconds: float


def demo_ods_codes() -> list[str]:
    return [spec.ods_code for spec in data.ORGANISATIONS]


def load_demo(*, today: dt.date | None = None, stdout: Writer | None = None, reset: bool = False) -> DemoSummary:
    """Create the demo organisations and their data, unless they are already there.

    With `reset`, the demo organisations (and everything in them) are deleted first and
    loaded again, which brings the dates up to `today`. Demo people are kept and reused.
    """
    if getattr(settings, "ENV", "development") == "production":
        raise DemoNotAllowed(
            "The demo organisation is never loaded in production (HEADWAY_ENV=production): its invented "
            "people and data must not mix with real ones, and its logins share a published password."
        )
    started = time.perf_counter()
    today = today or timezone.localdate()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    with transaction.atomic():
        # The board's questions are reference data; a test's flush may have emptied them.
        ensure_board_questions()
        if reset:
            deleted, _ = Organisation.objects.filter(ods_code__in=demo_ods_codes()).delete()
            if deleted:
                say("Removed the demo organisations and their data.")
        present = set(Organisation.objects.filter(ods_code__in=demo_ods_codes()).values_list("ods_code", flat=True))
        already = bool(present)
        if already and present != set(demo_ods_codes()):
            raise DemoNotAllowed(
                "Only part of the demo is in this database (someone may have deleted an organisation); "
                "run load_demo --reset to load it afresh."
            )
        if already:
            say("The demo organisations are already loaded; nothing was changed. Use --reset to reload them.")
        else:
            say(f"Loading the demo organisations, with dates counted back from {today:%d %B %Y}.")
            # Every action asks for the pitfall findings to be worked out again; once per
            # organisation at the end is enough, as of the demo's own date (ADR 26).
            with derived.batch():
                _Builder(today=today).build()
                for organisation in Organisation.objects.filter(ods_code__in=demo_ods_codes()):
                    pitfall_store.refresh(organisation, today)
                    derived.refreshed(organisation.pk)
        ensure_demo_token(today)
    return _summarise(created=not already, seconds=time.perf_counter() - started)


def ensure_demo_token(today: dt.date) -> AccessToken:
    """The demo trust viewer's read-only API token, with the published secret, working for a year
    from now. Its history is dated on the story's day, like the rest of the demo's."""
    story = _STORY_TIME.set(min(timezone.make_aware(dt.datetime.combine(today, dt.time(8))), timezone.now()))
    try:
        return _ensure_demo_token()
    finally:
        _STORY_TIME.reset(story)


def _ensure_demo_token() -> AccessToken:
    viewer = User.objects.get(email=f"{data.DEMO_API_TOKEN_PERSON}@{data.EMAIL_DOMAIN}")
    acute = Organisation.objects.get(ods_code=_organisation_spec(data.ACUTE).ods_code)
    token = AccessToken.objects.filter(digest=token_digest(data.DEMO_API_TOKEN)).first()
    if token is None:
        membership = Membership.objects.get(user=viewer, organisation=acute)
        token, _secret = api_actions.create_token(
            membership=membership,
            by=viewer,
            name="Demo: trying the API",
            can_write=False,
            days=bounds.TOKEN_MAX_DAYS,
            secret=data.DEMO_API_TOKEN,
            reason="Made by the demo loader",
        )
    elif token.state() != "active":
        api_actions.renew_token(token=token, by=None, days=bounds.TOKEN_MAX_DAYS, reason="Renewed by the demo loader")
    return token


def _summarise(*, created: bool, seconds: float) -> DemoSummary:
    organisations = list(Organisation.objects.filter(ods_code__in=demo_ods_codes()))
    by_code = {o.ods_code: o for o in organisations}
    acute = by_code[_organisation_spec(data.ACUTE).ods_code]
    short_names = {spec.key: spec.short_name for spec in data.ORGANISATIONS}
    logins = [
        DemoLogin(
            organisation=short_names[seat.organisation],
            role=Role(seat.role).label,
            name=person.full_name,
            email=person.email,
            job_title=person.job_title,
        )
        for person in sorted(data.PEOPLE, key=lambda p: not p.role_login)
        for seat in person.seats
    ]
    return DemoSummary(
        created=created,
        organisation=acute,
        organisations=tuple(o.name for o in organisations),
        people=User.objects.filter(memberships__organisation__in=organisations).distinct().count(),
        initiatives=Initiative.objects.filter(organisation__in=organisations).count(),
        decisions=Decision.objects.filter(initiative__organisation__in=organisations).count(),
        checkpoints=Checkpoint.objects.filter(initiative__organisation__in=organisations).count(),
        risks=Risk.objects.filter(organisation__in=organisations).count(),
        comments=Comment.objects.filter(initiative__organisation__in=organisations).count(),
        metrics=Metric.objects.filter(organisation__in=organisations).count(),
        observations=Observation.objects.filter(metric__organisation__in=organisations).count(),
        logins=tuple(logins),
        password=data.DEMO_PASSWORD,
        api_token=data.DEMO_API_TOKEN,
        seconds=seconds,
    )


def _organisation_spec(key: str) -> data.OrganisationSpec:
    return next(spec for spec in data.ORGANISATIONS if spec.key == key)


def active_periods(decisions: Sequence[data.DecisionSpec]) -> list[tuple[int, int | None]]:
    """The stretches of weeks (from, to; both weeks ago) in which the decisions left an initiative
    active. `to` is None while it is still active."""
    periods: list[tuple[int, int | None]] = []
    opened: int | None = None
    for decision in sorted(decisions, key=lambda d: -d.weeks_ago):
        target = Decision.TRANSITIONS[decision.kind][1]
        if target == Status.ACTIVE and opened is None:
            opened = decision.weeks_ago
        elif target in _ENDS_ACTIVITY and opened is not None:
            periods.append((opened, decision.weeks_ago))
            opened = None
    if opened is not None:
        periods.append((opened, None))
    return periods


def rating_for(story: data.Story, weeks_ago: int) -> str:
    """The story's confidence rating in a given week."""
    steps = sorted(story.confidence, key=lambda step: -step[0])
    rating = steps[0][1]
    for since, value in steps:
        if since >= weeks_ago:
            rating = value
    return rating


# Prioritisation rounds --------------------------------------------------------------------------


def status_then(spec: data.InitiativeSpec, weeks_ago: int) -> str | None:
    """The initiative's status just before a meeting `weeks_ago`, or None if it was not yet written down."""
    first = max((d.weeks_ago for d in spec.decisions), default=None)
    created = spec.proposed_weeks_ago if first is None else first + 3
    if created <= weeks_ago:
        return None
    status: str = Status.PROPOSED
    for decision in sorted(spec.decisions, key=lambda d: -d.weeks_ago):
        target = Decision.TRANSITIONS[decision.kind][1]
        if decision.weeks_ago > weeks_ago and target is not None:
            status = target
    return status


def _round_up(value: float, step: int) -> int:
    return int(-(-value // step) * step)


class _Builder:
    def __init__(self, *, today: dt.date) -> None:
        self.today = today
        self.this_week = week_start(today)
        self.now = timezone.now()
        self.rng = random.Random(SEED)
        # The scorers' ratings in the rounds, drawn in the same order on every load.
        self.round_rng = random.Random(SEED)
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, User] = {}
        self.recorders: dict[str, User] = {}
        self.goals: dict[tuple[str, str], StrategicGoal] = {}
        self.services: dict[tuple[str, str], Service] = {}
        self.initiatives: dict[tuple[str, str], Initiative] = {}
        self.backdated_checkpoints: list[Checkpoint] = []
        self.backdated_decisions: list[Decision] = []
        self.backdated_initiatives: list[Initiative] = []
        self.backdated_risks: list[Risk] = []
        self.backdated_comments: list[Comment] = []
        self.backdated_metrics: list[Metric] = []
        self.backdated_observations: list[Observation] = []
        self.backdated_annotations: list[Annotation] = []

    # Dates ------------------------------------------------------------------------------------

    def monday(self, weeks_ago: int) -> dt.date:
        return self.this_week - dt.timedelta(weeks=weeks_ago)

    def day(self, weeks_ago: int, weekday: int) -> dt.date:
        return min(self.monday(weeks_ago) + dt.timedelta(days=weekday), self.today)

    def moment(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """An aware time on `day`, never later than now."""
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(when, self.now)

    @contextlib.contextmanager
    def at(self, when: dt.datetime) -> Iterator[None]:
        """Date the history of the writes inside by `when` in the story (never later than now)."""
        token = _STORY_TIME.set(min(when, self.now))
        try:
            yield
        finally:
            _STORY_TIME.reset(token)

    # Building ---------------------------------------------------------------------------------

    def build(self) -> None:
        # The finished initiatives of the trust's track record (the reference class) come after
        # the current ones.
        specs = (*data.INITIATIVES, *finance_data.FINISHED)
        # The organisations, people, goals and services were set up before the first initiative.
        first = max(self.created_weeks_ago(spec) for spec in specs)
        with self.at(self.moment(self.day(first + 1, 0), 9)):
            self.create_organisations()
            self.create_people()
            self.choose_weeknotes()
            self.create_goals_and_services()
        for spec in specs:
            self.create_initiative(spec)
        self.link_initiatives()
        self.replay_decisions(specs)
        for spec in specs:
            if spec.story is not None:
                recorder = self.recorders[spec.organisation]
                by = self._person(spec.delivery_lead) or recorder
                self.record_checkpoints(self.initiatives[spec.organisation, spec.reference], spec, spec.story, by)
        self.create_risks()
        baf_data.create_principal_risks(self)
        self.create_comments()
        self.create_metrics()
        # Money before the rounds: the open round's candidates take their costs from it.
        finance_data.create_money(self)
        self.create_rounds()
        self.backdate()
        # Last: a pack is a snapshot of everything above, as of the day its papers went out.
        self.create_board_packs()

    def create_organisations(self) -> None:
        system, _ = IntegratedCareSystem.objects.get_or_create(
            code=data.SYSTEM.code, defaults={"name": data.SYSTEM.name}
        )
        for spec in data.ORGANISATIONS:
            organisation = Organisation(
                name=spec.name,
                ods_code=spec.ods_code,
                kind=spec.kind,
                integrated_care_system=system,
                wip_limit=spec.wip_limit,
            )
            organisation.full_clean()
            organisation.save()
            self.organisations[spec.key] = organisation

    def create_people(self) -> None:
        # Hash the shared password once: Argon2 is slow on purpose, and there are 27 people.
        password = make_password(data.DEMO_PASSWORD)
        for spec in data.PEOPLE:
            user = User.objects.filter(email=spec.email).first() or User(email=spec.email)
            user.full_name = spec.full_name
            user.job_title = spec.job_title
            user.password = password
            user.is_active = True
            user.save()
            self.people[spec.key] = user
            for seat in spec.seats:
                # The portfolio office's own way of giving someone access.
                account_actions.add_member(
                    organisation=self.organisations[seat.organisation],
                    by=None,
                    email=user.email,
                    full_name=user.full_name,
                    role=Role(seat.role),
                    directorate=seat.directorate,
                )
                if seat.role == Role.PORTFOLIO_OFFICE:
                    self.recorders.setdefault(seat.organisation, user)

    def choose_weeknotes(self) -> None:
        organisation = self.organisations[data.ACUTE]
        for key in data.WEEKNOTES_READERS:
            person = self.people[key]
            account_actions.choose_weeknotes(
                membership=person.memberships.get(organisation=organisation), by=person, by_email=True
            )

    def create_goals_and_services(self) -> None:
        for order, goal in enumerate(data.GOALS, start=1):
            self.goals[goal.organisation, goal.key] = StrategicGoal.objects.create(
                organisation=self.organisations[goal.organisation],
                title=goal.title,
                description=goal.description,
                order=order,
            )
        for service in data.SERVICES:
            self.services[service.organisation, service.key] = Service.objects.create(
                organisation=self.organisations[service.organisation],
                name=service.name,
                description=service.description,
            )

    def _person(self, key: str | None) -> User | None:
        return self.people[key] if key is not None else None

    def _release_date(self, weeks: int | None) -> dt.date | None:
        return None if weeks is None else self.monday(-weeks) + dt.timedelta(days=DECISION_WEEKDAY)

    @staticmethod
    def created_weeks_ago(spec: data.InitiativeSpec) -> int:
        """When the initiative was first written down: three weeks before its first decision."""
        first_decision = max((d.weeks_ago for d in spec.decisions), default=None)
        return spec.proposed_weeks_ago if first_decision is None else first_decision + 3

    def create_initiative(self, spec: data.InitiativeSpec) -> None:
        created = self.moment(self.day(self.created_weeks_ago(spec), 1), 11)
        with self.at(created):
            self.write_initiative(spec, created)

    def write_initiative(self, spec: data.InitiativeSpec, created: dt.datetime) -> None:
        org = spec.organisation
        recorder = self.recorders[org]
        initiative = actions.create_initiative(
            organisation=self.organisations[org],
            by=recorder,
            fields={
                "reference": spec.reference,
                "title": spec.title,
                "phase": spec.phase,
                "problem": spec.problem,
                "patients_served": spec.patients_served,
                "staff_served": spec.staff_served,
                "sro": self._person(spec.sro),
                "sro_directorate": spec.sro_directorate,
                "clinical_lead": self._person(spec.clinical_lead),
                "delivery_lead": self._person(spec.delivery_lead),
                "riskiest_assumption": spec.riskiest_assumption,
                "planned_first_release": self._release_date(spec.first_release_in_weeks),
                "planned_go_live": self._release_date(spec.go_live_in_weeks),
            },
            goals=[self.goals[org, key] for key in spec.goals],
            services=[self.services[org, key] for key in spec.services],
        )
        self.initiatives[org, spec.reference] = initiative
        initiative.created_at = created
        self.backdated_initiatives.append(initiative)

        for need in spec.needs:
            actions.save_user_need(
                initiative=initiative,
                by=recorder,
                fields={"statement": need.statement, "evidence": need.evidence, "evidence_notes": need.notes},
            )
        for decision_spec in spec.decisions:
            if decision_spec.weeks_ago < 1:
                raise ValueError(f"{spec.reference}: demo decisions must be dated in a past week.")

    def replay_decisions(self, specs: Sequence[data.InitiativeSpec]) -> None:
        """Every initiative's decisions and go-live in the order they happened, across the
        portfolio, week by week, with the acute trust's past prioritisation rounds held and closed
        on their meeting days, so that each round sees the statuses of its day and records its
        decisions as a closed round does, and every history record follows the one before it."""
        decisions: dict[int, list[tuple[int, data.InitiativeSpec, data.DecisionSpec]]] = {}
        for spec in specs:
            for decision in spec.decisions:
                decisions.setdefault(decision.weeks_ago, []).append((decision.weeks_ago, spec, decision))
        go_lives: dict[int, list[tuple[str, str]]] = {}
        for key, weeks_ago in finance_data.WENT_LIVE.items():
            go_lives.setdefault(weeks_ago, []).append(key)
        past_rounds = {r.weeks_ago: r for r in rounds_data.ROUNDS if r.closed}
        for week in sorted({*decisions, *go_lives, *past_rounds}, reverse=True):
            for organisation, reference in go_lives.get(week, []):
                self.record_go_live(organisation, reference, week)
            at_meeting = decisions.get(week, [])
            if week in past_rounds:
                self.hold_past_round(past_rounds[week], at_meeting)
            else:
                self.record_decisions(at_meeting)

    def record_go_live(self, organisation: str, reference: str, weeks_ago: int) -> None:
        went_live = self.day(weeks_ago, DECISION_WEEKDAY)
        with self.at(self.moment(went_live, 12)):
            actions.update_initiative(
                initiative=Initiative.objects.get(pk=self.initiatives[organisation, reference].pk),
                by=self.recorders[organisation],
                fields={"went_live_on": went_live},
                reason="Went live",
            )

    def record_decisions(self, entries: Sequence[tuple[int, data.InitiativeSpec, data.DecisionSpec]]) -> None:
        for weeks_ago, spec, decision_spec in entries:
            decided_on = self.day(weeks_ago, DECISION_WEEKDAY)
            with self.at(self.moment(decided_on, 17)):
                decision = actions.record_decision(
                    initiative=self.initiatives[spec.organisation, spec.reference],
                    by=self.recorders[spec.organisation],
                    kind=decision_spec.kind,
                    rationale=decision_spec.rationale,
                    evidence=decision_spec.evidence,
                    decided_by=decision_spec.decided_by,
                    decided_on=decided_on,
                )
            decision.recorded_at = self.moment(decided_on, 17)
            self.backdated_decisions.append(decision)

    def record_checkpoints(
        self, initiative: Initiative, spec: data.InitiativeSpec, story: data.Story, by: User
    ) -> None:
        asks = dict(story.asks)
        planned: set[int] = set()
        for start, end in active_periods(spec.decisions):
            first = start - 1
            last = story.silent_weeks if end is None else end + 1
            for weeks_ago in range(first, last - 1, -1):
                # The odd missed week in the past, as in real life; never near the end of a
                # stretch (so the up-to-date, due and overdue states are exactly as written).
                protected = weeks_ago in asks or weeks_ago <= last + 3 or weeks_ago == first
                if not protected and self.rng.random() < 0.05:
                    continue
                planned.add(weeks_ago)
                progress = (first - weeks_ago) / max(1, first - last)
                self.record_checkpoint(initiative, story, by, weeks_ago, progress, last, asks.get(weeks_ago, ""))
        missing = set(asks) - planned
        if missing:
            raise ValueError(f"{spec.reference}: asks in weeks {sorted(missing)} fall outside its checkpoints.")

    def _pick(self, options: Sequence[str], progress: float) -> str:
        """An item roughly as far through `options` as the initiative is through its work."""
        index = round(progress * (len(options) - 1)) + self.rng.choice((-1, 0, 0, 1))
        return options[min(max(index, 0), len(options) - 1)]

    def record_checkpoint(
        self,
        initiative: Initiative,
        story: data.Story,
        by: User,
        weeks_ago: int,
        progress: float,
        last: int,
        ask: str,
    ) -> None:
        rng = self.rng
        near_the_end = weeks_ago <= last + 3
        rating = rating_for(story, weeks_ago)
        own = {"green": story.green, "amber": story.amber, "red": story.red}[rating]
        if not near_the_end and rating != "amber" and rng.random() < 0.08:
            # A wobble either way, not a change in the story: its reason is a week's slip, not
            # one of the story's own amber events from another time.
            rating, own = "amber", ()
        reasons = own or data.GENERIC_REASONS[rating]

        quiet = not near_the_end and not ask and rng.random() < 0.04
        # What was shown, and to whom, move through the story together, as its reasons do.
        demonstrated = "" if quiet else self._pick(story.demos, progress)
        if quiet:
            demonstrated_to = ""
        elif rng.random() < 0.8:
            demonstrated_to = self._pick(story.audiences, progress)
        else:
            demonstrated_to = rng.choice(data.GENERIC_AUDIENCES)

        reached = False
        detail = ""
        if story.real_users_from is not None and weeks_ago <= story.real_users_from and story.real_users:
            reached = rng.random() < 0.85
            if reached:
                span = max(1, story.real_users_from - last)
                detail = self._pick(story.real_users, (story.real_users_from - weeks_ago) / span)

        if quiet:
            risks = rng.choice(data.QUIET_WEEK_REASONS)
        elif rng.random() < 0.4:
            pool = story.risks if story.risks and rng.random() < 0.75 else data.GENERIC_RISKS
            risks = rng.choice(pool)
        else:
            risks = ""

        monday = self.monday(weeks_ago)
        fields = {
            "demonstrated": demonstrated,
            "demonstrated_to": demonstrated_to,
            "reached_real_users": reached,
            "real_users_detail": detail,
            "confidence": rating,
            "confidence_reason": self._pick(reasons, progress),
            "risks_and_blockers": risks,
            "asks_of_the_board": ask,
        }
        # Written up on Thursday or Friday afternoon.
        day = self.day(weeks_ago, rng.choice((3, 4)))
        written = self.moment(day, rng.choice((14, 15, 16)), rng.choice((0, 20, 40)))
        with self.at(written):
            checkpoint, _ = actions.record_checkpoint(initiative=initiative, by=by, week=monday, fields=fields)
        checkpoint.recorded_at = written
        self.backdated_checkpoints.append(checkpoint)

    def link_initiatives(self) -> None:
        for spec in data.INITIATIVES:
            if not spec.joins_up_with:
                continue
            org = spec.organisation
            # Fetched afresh: decisions have changed the status since it was created.
            initiative = Initiative.objects.get(pk=self.initiatives[org, spec.reference].pk)
            partners = [self.initiatives[org, ref] for ref in spec.joins_up_with]
            # Linked as soon as both were written down.
            with self.at(max(i.created_at for i in (self.initiatives[org, spec.reference], *partners))):
                actions.update_initiative(
                    initiative=initiative,
                    by=self.recorders[org],
                    fields={},
                    joins_up_with=partners,
                    reason="Linked to the initiatives it must join up with",
                )

    def create_risks(self) -> None:
        for spec in data.RISKS:
            org = spec.organisation
            raised = self.moment(self.day(spec.raised_weeks_ago, 1), 10)
            with self.at(raised):
                risk = actions.save_risk(
                    organisation=self.organisations[org],
                    by=self.people[spec.owner],
                    fields={
                        "initiative": self.initiatives[org, spec.initiative] if spec.initiative else None,
                        "title": spec.title,
                        "description": spec.description,
                        "likelihood": spec.likelihood,
                        "consequence": spec.consequence,
                        "owner": self.people[spec.owner],
                        "mitigation": spec.mitigation,
                        "next_review": self.today + dt.timedelta(days=spec.review_in_days),
                        "status": Risk.State.CLOSED if spec.closed else Risk.State.OPEN,
                    },
                )
            risk.created_at = raised
            self.backdated_risks.append(risk)

    def create_comments(self) -> None:
        for spec in data.COMMENTS:
            posted = self.moment(self.day(spec.weeks_ago, self.rng.randrange(5)), 19, 30)
            with self.at(posted):
                comment = actions.add_comment(
                    initiative=self.initiatives[spec.organisation, spec.initiative],
                    by=self.people[spec.author],
                    body=spec.body,
                )
            comment.created_at = posted
            self.backdated_comments.append(comment)

    # Metrics ----------------------------------------------------------------------------------

    def period(self, frequency: str, periods_ago: int) -> dt.date:
        """The start of the period `periods_ago` before the one containing today."""
        if frequency != MONTHLY:
            return self.monday(periods_ago)
        month = period_start(self.today, MONTHLY)
        index = month.year * 12 + month.month - 1 - periods_ago
        return dt.date(index // 12, index % 12 + 1, 1)

    def create_metrics(self) -> None:
        for spec in (*metrics_data.METRICS, *finance_data.METRICS):
            self.create_metric(spec)
        # Initiatives without metrics get their verdict too ("not measured"), so every page
        # reads a stored verdict.
        refresh_verdicts(initiative.pk for initiative in self.initiatives.values())

    def create_metric(self, spec: metrics_data.MetricSpec) -> None:
        org = spec.organisation
        shape = spec.series
        values = metrics_data.draw(spec)
        periods = [self.period(spec.frequency, ago) for ago in range(shape.first, shape.last - 1, -1)]
        baseline = values[: shape.baseline_points]
        initiatives = [self.initiatives[org, reference] for reference in spec.initiatives]
        created = min(i.created_at for i in initiatives)
        with self.at(created):
            metric = self.write_metric(spec, periods, baseline, initiatives)
        metric.created_at = created
        self.backdated_metrics.append(metric)

        # Each period's figure arrives a few days after the period ends.
        holder = self.people[spec.owner]
        # The same all-or-nothing import an upload goes through; its history is dated afterwards
        # (`backdate`), as a bulk write sends no signal per row.
        rows = [
            ObservationRow(row=number, period=period, value=value, note=None)
            for number, (period, value) in enumerate(zip(periods, values, strict=True), start=2)
        ]
        metric_actions.import_observations(metric=metric, by=holder, rows=rows, reason="Imported")
        observations = list(Observation.objects.filter(metric=metric).order_by("period"))
        for observation, following in zip(observations, [*periods[1:], None], strict=True):
            due = following or self.period(spec.frequency, shape.last - 1)
            observation.recorded_at = self.moment(min(due + dt.timedelta(days=2), self.today), 10)
        self.backdated_observations.extend(observations)

        # Where the story's change has settled at a new level, the owner starts the limits again,
        # as an analyst would; the spec's own annotations say it in their own words.
        settled = [
            metrics_data.AnnotationSpec(at=at, by=spec.owner, starts_new_period=True, text=NEW_PERIOD_NOTE)
            for at in metrics_data.settled_changes(spec)
        ]
        for note in sorted((*spec.annotations, *settled), key=lambda n: -n.at):
            period = self.period(spec.frequency, note.at)
            noted = self.moment(min(period + dt.timedelta(days=1), self.today), 16)
            with self.at(noted):
                annotation = metric_actions.add_annotation(
                    metric=metric,
                    by=self.people[note.by],
                    period=period,
                    text=note.text,
                    starts_new_period=note.starts_new_period,
                )
            annotation.created_at = noted
            self.backdated_annotations.append(annotation)

    def write_metric(
        self,
        spec: metrics_data.MetricSpec,
        periods: Sequence[dt.date],
        baseline: Sequence[float],
        initiatives: Sequence[Initiative],
    ) -> Metric:
        org, shape = spec.organisation, spec.series
        return metric_actions.save_metric(
            organisation=self.organisations[org],
            by=self.recorders[org],
            fields={
                "name": spec.name,
                "definition": spec.definition,
                "kind": spec.kind,
                "beneficiary": spec.beneficiary,
                "unit": spec.unit,
                "improvement_direction": spec.direction,
                "baseline_value": round(statistics.fmean(baseline), shape.decimals),
                "baseline_period": (
                    f"{period_label(periods[0], spec.frequency)} to "
                    f"{period_label(periods[len(baseline) - 1], spec.frequency)}"
                ),
                "target_value": spec.target,
                "target_date": (
                    None if spec.target_in_weeks is None else self.this_week + dt.timedelta(weeks=spec.target_in_weeks)
                ),
                "frequency": spec.frequency,
                "owner": self.people[spec.owner],
                "data_source": spec.data_source,
            },
            initiatives=initiatives,
        )

    # Prioritisation rounds --------------------------------------------------------------------

    def create_rounds(self) -> None:
        """The acute trust's open round, ready to run; its past rounds were held and closed as the
        decisions were replayed (`hold_past_round`)."""
        organisation = self.organisations[data.ACUTE]
        for spec in rounds_data.ROUNDS:
            if not spec.closed:
                with self.at(self.moment(self.today - dt.timedelta(days=1), 10)):
                    self.create_open_round(organisation, spec)

    def round_calendar(self, held_on: dt.date) -> tuple[str, list[str], list[str]]:
        """The round's name, its two financial years and its four quarters."""
        quarters = [FinancialQuarter.containing(held_on).next()]
        for _ in range(3):
            quarters.append(quarters[-1].next())
        first = quarters[0]
        return first.label, years_between(first.year, first.year + 1), [q.label for q in quarters]

    @staticmethod
    def candidate_fields(
        spec: rounds_data.CandidateSpec, years: Sequence[str], quarters: Sequence[str]
    ) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
        costs = {
            year: {"capital": capital, "revenue": revenue}
            for year, (capital, revenue) in zip(years, (spec.this_year, spec.next_year), strict=True)
        }
        demand = {
            team: {quarter: d for quarter, d in zip(quarters, days, strict=True) if d} for team, days in spec.demand
        }
        return costs, demand

    def scorer_ratings(
        self, spec: rounds_data.CandidateSpec, then: rounds_data.Ratings | None
    ) -> dict[str, dict[str, float]]:
        """{scorer key: {criterion: rating}}: the SRO's own, and the others within a point of it."""
        given = dict(spec.ratings_by)
        base = then or spec.ratings
        ratings: dict[str, dict[str, float]] = {}
        for scorer in rounds_data.SCORERS:
            values: tuple[int, ...]
            if scorer in given and then is None:
                values = given[scorer]
            elif scorer == rounds_data.SRO_SCORER:
                values = base
            else:
                values = tuple(min(5, max(1, v + self.round_rng.choice((-1, 0, 0, 0, 1)))) for v in base)
            ratings[scorer] = {key: float(v) for key, v in zip(rounds_data.CRITERIA, values, strict=True)}
        return ratings

    def set_up_candidates(
        self,
        round: Round,
        by: User,
        years: Sequence[str],
        quarters: Sequence[str],
        costs_reason: Callable[[str], str | None],
    ) -> dict[str, Candidate]:
        """Each candidate's must-do, team days, constraints and, where `costs_reason` gives a
        reason for its reference, money typed for the round; the others take their money from
        finance. As the candidate form saves them."""
        by_reference = {c.initiative.reference: c for c in round.candidates.select_related("initiative")}
        needs: dict[str, list[str]] = {}
        for a, b in rounds_data.DEPENDENCIES:
            needs.setdefault(a, []).append(b)
        partners: dict[str, list[str]] = {}
        for a, b in rounds_data.EXCLUSIVES:
            partners.setdefault(a, []).append(b)
            partners.setdefault(b, []).append(a)
        for reference, candidate in sorted(by_reference.items()):
            candidate_spec = _CANDIDATES[reference]
            costs, demand = self.candidate_fields(candidate_spec, years, quarters)
            reason = costs_reason(reference)
            prioritisation_actions.update_candidate(
                candidate=candidate,
                by=by,
                must_do=bool(candidate_spec.must_do),
                must_do_reason=candidate_spec.must_do,
                costs=costs if reason is not None else {},
                costs_reason=reason or "",
                committed={},
                team_demand=demand,
                requires=[by_reference[r] for r in needs.get(reference, []) if r in by_reference],
                exclusive_with=[by_reference[r] for r in partners.get(reference, []) if r in by_reference],
            )
        return by_reference

    def rate(
        self,
        round: Round,
        by_reference: dict[str, Candidate],
        order: Sequence[str],
        then: dict[str, rounds_data.Ratings],
    ) -> None:
        """Each scorer's ratings, saved as the scoring page saves them. The candidates are rated
        in `order`, always the same, so the same ratings are drawn whenever the demo loads."""
        by_scorer: dict[str, dict[int, dict[str, float | None]]] = {}
        for reference in order:
            candidate = by_reference[reference]
            for scorer, values in self.scorer_ratings(_CANDIDATES[reference], then.get(reference)).items():
                by_scorer.setdefault(scorer, {})[candidate.pk] = dict(values)
        for scorer, ratings in by_scorer.items():
            prioritisation_actions.save_ratings(round=round, by=self.people[scorer], ratings=ratings)

    def hold_past_round(
        self,
        spec: rounds_data.RoundSpec,
        at_meeting: Sequence[tuple[int, data.InitiativeSpec, data.DecisionSpec]],
    ) -> Round:
        """A past round on its meeting day, as the portfolio office ran it then: set up, scored,
        selected and given its reasons before the meeting; at the meeting, the decisions the board
        took on initiatives' own pages (`at_meeting`), then the round closed by `close_round`,
        which takes those decisions as the round's and records the rest."""
        held_on = self.day(spec.weeks_ago, DECISION_WEEKDAY)
        # Set up and scored in the fortnight before the meeting.
        with self.at(self.moment(held_on - dt.timedelta(days=14), 10)):
            round = self.prepare_past_round(spec, held_on, at_meeting)
        return self.close_past_round(round, spec, held_on, at_meeting)

    def prepare_past_round(
        self,
        spec: rounds_data.RoundSpec,
        held_on: dt.date,
        at_meeting: Sequence[tuple[int, data.InitiativeSpec, data.DecisionSpec]],
    ) -> Round:
        org = data.ACUTE
        organisation = self.organisations[org]
        prioritisation_actions.set_up_criteria(organisation)  # the defaults, before the first round
        recorder = self.recorders[org]
        name, years, quarters = self.round_calendar(held_on)
        # The candidates are the initiatives that were active, paused or proposed then.
        initiatives = []
        for initiative_spec in data.INITIATIVES:
            if initiative_spec.organisation != org:
                continue
            status = status_then(initiative_spec, spec.weeks_ago)
            if status in (Status.ACTIVE, Status.PAUSED, Status.PROPOSED):
                initiative = Initiative.objects.get(pk=self.initiatives[org, initiative_spec.reference].pk)
                if initiative.status != status:
                    raise ValueError(f"Round {name}: {initiative.reference} is {initiative.status}, not {status}.")
                initiatives.append(initiative)
        round = prioritisation_actions.create_round(
            organisation=organisation,
            by=recorder,
            name=name,
            held_on=held_on,
            method=Method.WEIGHTED,
            combine=Combine.MEDIAN,
            wip_limit=spec.wip_limit,
            initiatives=initiatives,
        )
        # Past rounds were held on the portfolio office's own figures, typed in.
        by_reference = self.set_up_candidates(round, recorder, years, quarters, lambda _: rounds_data.COSTS_REASON)
        candidates = [c for _, c in sorted(by_reference.items())]
        # The money and days were enough for everything these rounds chose; the limit that bit
        # was the number of initiatives, so the budgets sit a little above what was asked for.
        prioritisation_actions.set_capacity(
            round=round,
            by=recorder,
            budgets={
                year: {
                    kind: _round_up(sum(c.costs[year][kind] for c in candidates) * 1.1, 50_000)
                    for kind in ("capital", "revenue")
                }
                for year in years
            },
            teams={
                team: {
                    quarter: max(
                        _round_up(sum(c.team_demand.get(team, {}).get(quarter, 0) for c in candidates) * 1.1, 5), 5
                    )
                    for quarter in quarters
                }
                for team in rounds_data.TEAMS
            },
            wip_limit=spec.wip_limit,
        )
        self.rate(round, by_reference, [i.reference for i in initiatives], dict(spec.ratings_then))
        result = self.store_result(round, recorder, held_on)
        by_pk = {c.pk: c for c in candidates}
        chosen = sorted(by_pk[pk].initiative.reference for pk in result.stored().selected)
        if chosen != sorted(spec.chosen):
            raise ValueError(f"Round {name}: the optimiser chose {chosen}, not the story's {sorted(spec.chosen)}.")
        # Reasons for the changes the board's own decisions at the meeting will not explain.
        decided_at_meeting = {decision_spec_entry[1].reference for decision_spec_entry in at_meeting}
        reasons = dict(spec.reasons)
        written: dict[int, str] = {}
        for change in prioritisation_actions.compute_changes(round=round):
            reference = change.initiative.reference
            if reference in decided_at_meeting:
                continue
            if reference in reasons:
                written[change.pk] = reasons[reference]
            elif not change.reason:
                written[change.pk] = rounds_data.DEFAULT_REASONS[change.change]
        prioritisation_actions.save_change_reasons(round=round, by=recorder, reasons=written)
        return round

    def close_past_round(
        self,
        round: Round,
        spec: rounds_data.RoundSpec,
        held_on: dt.date,
        at_meeting: Sequence[tuple[int, data.InitiativeSpec, data.DecisionSpec]],
    ) -> Round:
        organisation, recorder, name = round.organisation, self.recorders[data.ACUTE], round.name
        self.record_decisions(at_meeting)
        with self.at(self.moment(held_on, 18)):
            decisions = prioritisation_actions.close_round(
                round=round, by=recorder, decided_by=spec.decided_by, decided_on=held_on
            )
        backdated = {d.pk for d in self.backdated_decisions}
        for decision in decisions:
            if decision.pk not in backdated:
                decision.recorded_at = self.moment(held_on, 18)
                self.backdated_decisions.append(decision)
        that_day = Decision.objects.filter(initiative__organisation=organisation, decided_on=held_on)
        unlinked = sorted(d.initiative.reference for d in that_day.exclude(pk__in=[d.pk for d in decisions]))
        if unlinked:
            raise ValueError(f"Round {name}: decisions at the meeting with no change in the round: {unlinked}.")
        Round.objects.filter(pk=round.pk).update(
            closed_at=self.moment(held_on, 18),
            created_at=self.moment(held_on - dt.timedelta(days=14), 10),
        )
        round.ratings.update(updated_at=self.moment(held_on - dt.timedelta(days=5), 16))
        return round

    def store_result(self, round: Round, by: User, held_on: dt.date) -> Result:
        """Score and select through `run_selection`, as the round page does, without the weight
        what-ifs (which would add seconds to the load), dated the day the round was held."""
        result = prioritisation_actions.run_selection(round=round, by=by, with_robustness=False)
        Result.objects.filter(pk=result.pk).update(created_at=self.moment(held_on, 11))
        return result

    def create_open_round(self, organisation: Organisation, spec: rounds_data.RoundSpec) -> Round:
        org = data.ACUTE
        recorder = self.recorders[org]
        held_on = self.day(spec.weeks_ago, DECISION_WEEKDAY)
        name, years, quarters = self.round_calendar(held_on)
        # Active and proposed initiatives, and the paused ones, because a round is where the
        # board decides whether to restart them.
        round = prioritisation_actions.create_round(
            organisation=organisation,
            by=recorder,
            name=name,
            held_on=held_on,
            wip_limit=spec.wip_limit,
            initiatives=Initiative.objects.for_organisation(organisation).filter(
                status__in=[Status.ACTIVE, Status.PROPOSED, Status.PAUSED]
            ),
        )
        # Money is entered once: each candidate's comes from its business case or funding lines,
        # except where the story gives a reason to type it for this round.
        overrides = dict(spec.costs_entered)
        by_reference = self.set_up_candidates(round, recorder, years, quarters, overrides.get)
        money = sources.effective_costs(list(by_reference.values()))
        missing = sorted(c.initiative.reference for c in by_reference.values() if money[c.pk].origin == NO_COSTS)
        if missing:
            raise ValueError(f"Round {name}: no money in finance or entered for {missing}.")
        assert spec.budgets is not None and spec.capacity is not None
        prioritisation_actions.set_capacity(
            round=round,
            by=recorder,
            budgets={
                year: {"capital": capital, "revenue": revenue}
                for year, (capital, revenue) in zip(years, spec.budgets, strict=True)
            },
            teams={team: dict(zip(quarters, days, strict=True)) for team, days in spec.capacity},
            wip_limit=spec.wip_limit,
        )
        self.rate(round, by_reference, sorted(by_reference), {})
        # A what-if beside it, as a finance director would ask for: the same round with 10% less
        # money. Not run, like the round itself, so a demonstration starts by pressing Run.
        prioritisation_actions.copy_as_scenario(
            round=round,
            by=self.people[rounds_data.PMO_SCORER],
            note="Capital and revenue budgets 10% lower",
            budget_factor=0.9,
        )
        return round

    def create_board_packs(self) -> None:
        """The board packs of the story, through the same actions as the pages: drafted by the
        portfolio office, then published (frozen) as of the day the papers went out, a week
        before the meeting."""
        for spec in data.BOARD_PACKS:
            organisation = self.organisations[spec.organisation]
            meeting_date = self.monday(spec.weeks_ago) + dt.timedelta(days=MEETING_WEEKDAY)
            papers_out = min(meeting_date - dt.timedelta(days=PAPERS_BEFORE_MEETING_DAYS), self.today)
            author = self.people[spec.author]
            drafted = self.moment(papers_out - dt.timedelta(days=2), 14)
            with self.at(drafted):
                pack = pack_actions.create_pack(
                    organisation=organisation,
                    by=author,
                    fields={
                        "title": spec.title,
                        "meeting": spec.meeting,
                        "meeting_date": meeting_date,
                        "purpose": spec.purpose,
                        "assurance_level": spec.assurance_level,
                        "assurance_reason": spec.assurance_reason,
                        "baf_risks": spec.baf_risks,
                        "recommendation": spec.recommendation,
                        "executive_lead": self.people[spec.executive_lead].full_name,
                        "author": author.full_name,
                    },
                )
            BoardPack.objects.filter(pk=pack.pk).update(created_at=drafted)
            if spec.published:
                published = self.moment(papers_out, 16)
                with self.at(published):
                    pack_actions.publish_pack(pack=pack, by=author, today=papers_out)
                # The next pack compares itself with this one by when it was published.
                BoardPack.objects.filter(pk=pack.pk).update(published_at=published)

    def backdate(self) -> None:
        # bulk_update writes the values as given; it does not apply auto_now.
        Checkpoint.objects.bulk_update(self.backdated_checkpoints, ["recorded_at"], batch_size=500)
        Decision.objects.bulk_update(self.backdated_decisions, ["recorded_at"], batch_size=500)
        Initiative.objects.bulk_update(self.backdated_initiatives, ["created_at"], batch_size=500)
        Risk.objects.bulk_update(self.backdated_risks, ["created_at"], batch_size=500)
        Comment.objects.bulk_update(self.backdated_comments, ["created_at"], batch_size=500)
        Metric.objects.bulk_update(self.backdated_metrics, ["created_at"], batch_size=500)
        Observation.objects.bulk_update(self.backdated_observations, ["recorded_at"], batch_size=500)
        # The observations went in by a bulk import, whose history rows sent no signal to date
        # them by the story: each is dated when its figure arrived.
        arrived = {o.pk: o.recorded_at for o in self.backdated_observations}
        history = list(Observation.history.filter(id__in=arrived.keys(), history_type="+"))
        for record in history:
            record.history_date = arrived[record.id]
        Observation.history.model.objects.bulk_update(history, ["history_date"], batch_size=500)
        Annotation.objects.bulk_update(self.backdated_annotations, ["created_at"], batch_size=500)
