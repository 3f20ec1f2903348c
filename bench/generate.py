"""Generate one large, consistent organisation for the benchmark.

Everything comes from a seeded `random.Random`, so a given (scale, weeks, seed, today) makes the
same data every time. Rows go in through `bulk_create` in batches inside one transaction: that
bypasses simple-history (the bench needs no history rows) and `actions.py` (far too slow for
200,000 checkpoints), so this module keeps the same rules itself — every status is reached by a
chain of decisions allowed by `Decision.TRANSITIONS`, checkpoints are one per initiative per
Monday and stop when an initiative is paused, stopped or closed.

`generate_metrics` is an optional second step, run only by the metrics benchmark after the page
benchmarks: it gives one initiative five charts and every initiative a metric, so the metrics
tables are the size a large trust's would be.

Needs Django configured (settings and apps ready) before it is imported.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from bench.registry import DEFAULT_SCALE, DEFAULT_SEED, DEFAULT_WEEKS
from headway import derived
from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Role
from headway.lib.weeks import week_start
from headway.metrics import spc
from headway.metrics.models import Annotation, Metric, Observation
from headway.portfolio.models import (
    Checkpoint,
    Comment,
    Confidence,
    Decision,
    Initiative,
    Phase,
    Risk,
    Service,
    Status,
    StrategicGoal,
    UserNeed,
)

BATCH = 5_000
EMAIL_DOMAIN = "bench.headway.test"
LOGIN_EMAIL = f"portfolio.office.1@{EMAIL_DOMAIN}"
# Users are never signed in with a password in the bench (the runner uses force_login): an
# unusable password ("!" prefix) avoids hashing thousands of them.
UNUSABLE_PASSWORD = "!bench-unusable"

# Share of initiatives in each status; proposed ones have no checkpoints yet.
STATUS_MIX: tuple[tuple[str, float], ...] = (
    (Status.ACTIVE, 0.78),
    (Status.PAUSED, 0.05),
    (Status.STOPPED, 0.06),
    (Status.COMPLETED, 0.08),
    (Status.PROPOSED, 0.03),
)
THREE_POINT = (Confidence.GREEN, Confidence.AMBER, Confidence.RED)

TOPICS = (
    "Electronic prescribing",
    "Patient portal",
    "Virtual ward",
    "Theatre scheduling",
    "Bed management",
    "Discharge summaries",
    "Clinical noting",
    "Pathology ordering",
    "Maternity record",
    "Outpatient booking",
    "Radiology reporting",
    "Sepsis alerting",
    "Medicines reconciliation",
    "Rostering",
    "Referral triage",
    "Remote monitoring",
    "Patient flow dashboard",
    "Digital consent",
    "Speech recognition",
    "Bed-side observations",
    "Frailty register",
    "Community scheduling",
    "Results acknowledgement",
    "Clinic letters",
    "Waiting list validation",
)
SETTINGS = (
    "for the emergency department",
    "for community nursing",
    "in outpatients",
    "for maternity",
    "in theatres",
    "on the wards",
    "for mental health teams",
    "for children's services",
    "across the trust",
    "for pharmacy",
)
PREFIXES = ("DIG", "CLN", "OPS", "WKF", "FIN")
DIRECTORATES = ("Digital", "Medicine", "Surgery", "Women and children", "Operations", "Finance", "Workforce")
PROBLEMS = (
    "Staff re-key the same information into three systems.",
    "Patients wait weeks for letters that could reach them the same day.",
    "Nurses spend an hour a shift looking for equipment and beds.",
    "Results are not acknowledged, so abnormal ones are missed.",
    "Paper forms are lost between wards and departments.",
    "Clinicians cannot see the community record when a patient arrives.",
    "Clinics are overbooked while other slots go unused.",
    "The current supplier's contract ends and the system cannot be extended.",
)
DEMONSTRATED = (
    "Showed the new triage screen to two consultants and a ward manager.",
    "Walked nurses on the pilot ward through the observations flow.",
    "Demonstrated the booking journey to the patient panel.",
    "Showed the discharge summary prototype to GPs from two practices.",
    "Nothing demonstrated this week; the team was fixing integration faults.",
    "Played back the research findings to the clinical safety officer.",
)
AUDIENCES = (
    "Pilot ward staff",
    "Patient panel",
    "Clinical safety officer",
    "Consultants",
    "GP practices",
    "",
)
REACHED = (
    "Released to the pilot ward; 40 patients seen with it.",
    "Switched on for two clinics.",
    "First letters sent through the new route.",
    "Available to all community teams.",
)
REASONS = {
    Confidence.GREEN: (
        "On track: releases are reaching users every fortnight.",
        "Adoption is rising as planned.",
    ),
    Confidence.AMBER: ("Integration testing is behind by two weeks.", "A key clinician has left the team."),
    Confidence.RED: ("The supplier has not delivered the interface.", "No release to users for six weeks."),
}
BLOCKERS = ("Waiting for the supplier's test environment.", "Data sharing agreement not signed.", "", "")
ASKS = ("Agree a decision on the interface supplier.", "Release two clinicians for testing.", "", "", "")
RISK_TITLES = (
    "Supplier delivers late",
    "Clinicians cannot be released for testing",
    "Data migration loses records",
    "Funding ends before go-live",
    "Integration engine capacity",
    "Cyber security assurance not complete",
    "Low adoption on night shifts",
    "Clinical safety case not approved",
)
NEEDS = (
    ("a ward nurse", "to see which beds are free", "I can admit patients without phoning round"),
    ("a patient", "to book my own appointment", "I do not wait on the phone"),
    ("a GP", "the discharge summary the same day", "I can change medicines safely"),
    ("a consultant", "to acknowledge results in one place", "abnormal results are not missed"),
    ("a pharmacist", "the full medicines list on admission", "I can reconcile it within 24 hours"),
)
DECIDERS = ("Digital Board", "Executive Management Team", "Portfolio Board", "Trust Board")
COMMENTS = (
    "What have real users said about this so far?",
    "Please bring the adoption figures to the next board.",
    "Is the supplier's exit plan agreed?",
    "Good to see it reaching patients.",
)
GOALS = (
    "Cut waiting times for planned care",
    "Keep patients safe in hospital",
    "Care closer to home",
    "A workforce that has the time to care",
    "Financial sustainability",
    "Reduce health inequalities",
    "Joined-up care across the system",
    "Net zero by 2040",
)
SERVICES = (
    "Electronic patient record",
    "Patient administration system",
    "Laboratory information system",
    "Radiology information system",
    "Integration engine",
    "Rostering system",
    "Pharmacy system",
    "Maternity system",
    "Theatres system",
    "Shared care record",
    "Patient engagement portal",
    "Data warehouse",
    "Identity and access",
    "Clinical decision support",
)


@dataclass
class GenerationSummary:
    """What was made, counted as it was made (the tests compare these with the database)."""

    organisation_id: int = 0
    login_user_id: int = 0
    login_email: str = LOGIN_EMAIL
    showcase_initiative_id: int = 0
    weeks: int = 0
    first_week: str = ""
    last_week: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    members_by_role: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation_id,
            "login_user_id": self.login_user_id,
            "login_email": self.login_email,
            "showcase_initiative_id": self.showcase_initiative_id,
            "weeks": self.weeks,
            "first_week": self.first_week,
            "last_week": self.last_week,
            "counts": dict(self.counts),
            "members_by_role": dict(self.members_by_role),
            "seconds": round(self.seconds, 2),
        }


@dataclass
class _Plan:
    """One initiative's life: its status, its weeks with checkpoints, the decisions taken."""

    status: str
    first_week: int | None  # index into the weeks, None for a proposed initiative
    last_week: int | None
    decisions: list[tuple[str, int]]  # (kind, week index), in order
    missing_recent: int = 0  # active initiatives behind on their checkpoints


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(model: type[Model], rows: list[Any]) -> list[Any]:
    created: list[Any] = []
    for chunk in _chunks(rows, BATCH):
        created.extend(model._default_manager.bulk_create(chunk))
    return created


def _pick_status(rng: random.Random) -> str:
    roll = rng.random()
    for status, share in STATUS_MIX:
        if roll < share:
            return status
        roll -= share
    return Status.ACTIVE


def _plan(rng: random.Random, weeks: int, status: str, *, showcase: bool = False) -> _Plan:
    """Decide an initiative's history so that its decisions replay to its status."""
    last = weeks - 1
    if status == Status.PROPOSED:
        return _Plan(status=status, first_week=None, last_week=None, decisions=[])
    if showcase:
        # No pause: the showcase has a checkpoint in every one of the weeks.
        kinds = ["start", "continue", "change_course", "continue", "continue"]
        marks = [0] + [max(1, round(last * n / (len(kinds) - 1))) for n in range(1, len(kinds))]
        marked = [(kind, min(mark, last)) for kind, mark in zip(kinds, marks, strict=True)]
        return _Plan(status=Status.ACTIVE, first_week=0, last_week=last, decisions=marked)

    if status == Status.ACTIVE:
        # Most have run for the whole two years; some started within the first part of it.
        first = 0 if rng.random() < 0.85 else rng.randint(0, int(last * 0.4))
        end = last
        closing: str | None = None
    else:
        first = 0 if rng.random() < 0.8 else rng.randint(0, int(last * 0.3))
        end = rng.randint(first + (last - first) * 7 // 10, last) if last > first else first
        closing = {"paused": "pause", "stopped": "stop", "completed": "close"}[str(status)]

    decisions: list[tuple[str, int]] = [("start", first)]
    # A few reviews in between: mostly "continue", sometimes a change of course.
    span = end - first
    for _ in range(rng.randint(1, 3)):
        if span < 2:
            break
        at = rng.randint(first + 1, end - 1)
        kind = "change_course" if rng.random() < 0.15 else "continue"
        decisions.append((kind, at))
    decisions.sort(key=lambda pair: pair[1])
    if closing:
        decisions.append((closing, end))
    missing = 0
    if status == Status.ACTIVE and rng.random() < 0.1 and end - first > 3:
        missing = rng.randint(1, 3)  # overdue checkpoints show up on the glance page
    return _Plan(status=status, first_week=first, last_week=end, decisions=decisions, missing_recent=missing)


def generate(
    *,
    scale: int = DEFAULT_SCALE,
    weeks: int = DEFAULT_WEEKS,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    people_domain: str = EMAIL_DOMAIN,
    name: str = "Bench Teaching Hospitals NHS Foundation Trust",
) -> GenerationSummary:
    """Make one organisation with `scale` initiatives and up to `weeks` weekly checkpoints each.
    A second organisation in the same database needs its own `people_domain` (and seed)."""
    if scale < 1 or weeks < 1:
        raise ValueError("scale and weeks must both be at least 1.")
    started = timezone.now()
    rng = random.Random(seed)
    today = today or timezone.localdate()
    this_week = week_start(today)
    mondays = [this_week - dt.timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
    summary = GenerationSummary(weeks=weeks, first_week=mondays[0].isoformat(), last_week=mondays[-1].isoformat())
    counts = summary.counts

    with transaction.atomic():
        org = Organisation.objects.create(
            name=name,
            ods_code=f"B{seed % 100_000:05d}",
            kind=Organisation.Kind.ACUTE,
            wip_limit=max(12, scale // 2),
        )
        summary.organisation_id = org.pk

        # People in every role; delivery leads scale with the portfolio.
        role_sizes = {
            Role.PORTFOLIO_OFFICE: 6,
            Role.BOARD: 12,
            Role.EXECUTIVE: 10,
            Role.DELIVERY_LEAD: max(3, scale // 10),
            Role.VIEWER: 25 + max(3, scale // 40),  # the last of them are clinical leads
        }
        slug = {Role.PORTFOLIO_OFFICE.value: "portfolio.office", Role.DELIVERY_LEAD.value: "delivery.lead"}
        users: list[User] = []
        roles: list[str] = []
        for role_choice, size in role_sizes.items():
            role = role_choice.value
            for n in range(1, size + 1):
                users.append(
                    User(
                        email=f"{slug.get(role, role)}.{n}@{people_domain}",
                        full_name=f"{role_choice.label.split(' ')[0]} Person {n}",
                        job_title=role_choice.label,
                        password=UNUSABLE_PASSWORD,
                    )
                )
                roles.append(role)
        users = _insert(User, users)
        members = [
            Membership(user=user, organisation=org, role=role, directorate=rng.choice(DIRECTORATES))
            for user, role in zip(users, roles, strict=True)
        ]
        _insert(Membership, members)
        by_role: dict[str, list[int]] = {}
        for user, role in zip(users, roles, strict=True):
            by_role.setdefault(role, []).append(user.pk)
        summary.members_by_role = {role: len(ids) for role, ids in by_role.items()}
        summary.login_user_id = by_role[Role.PORTFOLIO_OFFICE][0]
        counts["users"] = len(users)
        counts["memberships"] = len(members)
        executives = by_role[Role.EXECUTIVE]
        leads = by_role[Role.DELIVERY_LEAD]
        clinicians = by_role[Role.VIEWER][25:]
        office = by_role[Role.PORTFOLIO_OFFICE]

        goals = _insert(
            StrategicGoal,
            [StrategicGoal(organisation=org, title=title, order=n) for n, title in enumerate(GOALS)],
        )
        services = _insert(Service, [Service(organisation=org, name=name) for name in SERVICES])
        counts["goals"] = len(goals)
        counts["services"] = len(services)

        plans: list[_Plan] = []
        initiatives: list[Initiative] = []
        for n in range(scale):
            showcase = n == 0
            status = Status.ACTIVE if showcase else _pick_status(rng)
            plan = _plan(rng, weeks, status, showcase=showcase)
            plans.append(plan)
            first = mondays[plan.first_week] if plan.first_week is not None else None
            initiatives.append(
                Initiative(
                    organisation=org,
                    reference=f"{PREFIXES[n % len(PREFIXES)]}-{n + 1:04d}",
                    title=f"{rng.choice(TOPICS)} {rng.choice(SETTINGS)}",
                    problem=" ".join(rng.sample(PROBLEMS, 2)),
                    patients_served="Adults admitted as emergencies." if rng.random() < 0.6 else "",
                    staff_served="Ward nurses and junior doctors.",
                    sro_id=rng.choice(executives),
                    sro_directorate=rng.choice(DIRECTORATES),
                    clinical_lead_id=rng.choice(clinicians) if rng.random() < 0.7 else None,
                    delivery_lead_id=leads[n % len(leads)],
                    phase=Phase.BETA if showcase else rng.choice(list(Phase)),
                    status=plan.status,
                    start_date=first,
                    planned_first_release=(first + dt.timedelta(weeks=12)) if first else None,
                    planned_go_live=(first + dt.timedelta(weeks=rng.randint(40, 130))) if first else None,
                    riskiest_assumption="Clinicians will use it on a busy shift.",
                )
            )
        initiatives = _insert(Initiative, initiatives)
        summary.showcase_initiative_id = initiatives[0].pk
        counts["initiatives"] = len(initiatives)

        goal_links = Initiative.goals.through
        service_links = Initiative.services.through
        join_links = Initiative.joins_up_with.through
        links_goal: list[Any] = []
        links_service: list[Any] = []
        links_join: list[Any] = []
        needs: list[UserNeed] = []
        risks: list[Risk] = []
        comments: list[Comment] = []
        decisions: list[Decision] = []
        for n, (initiative, plan) in enumerate(zip(initiatives, plans, strict=True)):
            showcase = n == 0
            for goal in rng.sample(goals, 2 if showcase else rng.randint(1, 2)):
                links_goal.append(goal_links(initiative_id=initiative.pk, strategicgoal_id=goal.pk))
            for service in rng.sample(services, 3 if showcase else rng.randint(0, 3)):
                links_service.append(service_links(initiative_id=initiative.pk, service_id=service.pk))
            if n > 0 and rng.random() < 0.4:
                other = initiatives[rng.randrange(n)]
                links_join.append(join_links(from_initiative_id=initiative.pk, to_initiative_id=other.pk))
            for _ in range(3 if showcase else rng.randint(1, 3)):
                who, what, why = rng.choice(NEEDS)
                needs.append(
                    UserNeed(
                        initiative=initiative,
                        statement=f"As {who} I need {what} so that {why}.",
                        evidence=rng.choice(list(UserNeed.Evidence)),
                    )
                )
            for _ in range(5 if showcase else rng.randint(2, 4)):
                risks.append(
                    Risk(
                        organisation=org,
                        initiative=initiative,
                        title=rng.choice(RISK_TITLES),
                        description="Raised at the weekly checkpoint.",
                        likelihood=rng.randint(1, 5),
                        consequence=rng.randint(1, 5),
                        owner_id=initiative.sro_id,
                        mitigation="Weekly call with the supplier; escalate to the SRO.",
                        next_review=today + dt.timedelta(days=rng.randint(-30, 60)),
                        status=Risk.State.OPEN if rng.random() < 0.8 else Risk.State.CLOSED,
                    )
                )
            for _ in range(4 if showcase else rng.randint(0, 2)):
                comments.append(
                    Comment(
                        initiative=initiative,
                        author_id=rng.choice(by_role[Role.BOARD]),
                        body=rng.choice(COMMENTS),
                    )
                )
            current: str = Status.PROPOSED
            for kind, at in plan.decisions:
                sources, target = Decision.TRANSITIONS[kind]
                if current not in sources:  # a bug in _plan, not something to paper over
                    raise AssertionError(f"{kind} is not allowed from {current}")
                after = target or current
                decisions.append(
                    Decision(
                        initiative=initiative,
                        kind=kind,
                        rationale=f"{Decision.Kind(kind).label}: the evidence at the checkpoint supports it.",
                        evidence="Weekly checkpoints, user research and the benefits tracker.",
                        decided_by=rng.choice(DECIDERS),
                        decided_on=min(mondays[at] + dt.timedelta(days=rng.randint(0, 4)), today),
                        status_before=current,
                        status_after=after,
                        recorded_by_id=rng.choice(office),
                    )
                )
                current = after
            if current != plan.status:
                raise AssertionError(f"decisions replay to {current}, not {plan.status}")
        # A handful of portfolio-level risks with no initiative.
        for n in range(max(2, scale // 200)):
            risks.append(
                Risk(
                    organisation=org,
                    initiative=None,
                    title=f"Portfolio risk {n + 1}: {rng.choice(RISK_TITLES).lower()}",
                    likelihood=rng.randint(1, 5),
                    consequence=rng.randint(1, 5),
                    owner_id=rng.choice(executives),
                    next_review=today + dt.timedelta(days=rng.randint(-30, 60)),
                )
            )
        _insert(goal_links, links_goal)
        _insert(service_links, links_service)
        _insert(join_links, links_join)
        _insert(UserNeed, needs)
        _insert(Risk, risks)
        _insert(Comment, comments)
        _insert(Decision, decisions)
        counts.update(
            goal_links=len(links_goal),
            service_links=len(links_service),
            join_links=len(links_join),
            user_needs=len(needs),
            risks=len(risks),
            comments=len(comments),
            decisions=len(decisions),
        )
        del needs, risks, comments, decisions, links_goal, links_service, links_join

        # Checkpoints last and in batches, so at most BATCH of them are held in memory.
        confidence_index = {c: i for i, c in enumerate(THREE_POINT)}
        pending: list[Checkpoint] = []
        total = 0
        for initiative, plan in zip(initiatives, plans, strict=True):
            if plan.first_week is None or plan.last_week is None:
                continue
            level = rng.choice(THREE_POINT)
            for week in range(plan.first_week, plan.last_week + 1 - plan.missing_recent):
                # Confidence drifts: mostly unchanged from last week, sometimes one step.
                if rng.random() < 0.12:
                    step = confidence_index[level] + rng.choice((-1, 1))
                    level = THREE_POINT[min(max(step, 0), len(THREE_POINT) - 1)]
                reached = rng.random() < 0.3
                pending.append(
                    Checkpoint(
                        initiative_id=initiative.pk,
                        week_start=mondays[week],
                        demonstrated=rng.choice(DEMONSTRATED),
                        demonstrated_to=rng.choice(AUDIENCES),
                        reached_real_users=reached,
                        real_users_detail=rng.choice(REACHED) if reached else "",
                        confidence=level,
                        confidence_reason=rng.choice(REASONS[level]),
                        risks_and_blockers=rng.choice(BLOCKERS),
                        asks_of_the_board=rng.choice(ASKS),
                        recorded_by_id=initiative.delivery_lead_id,
                    )
                )
                if len(pending) >= BATCH:
                    Checkpoint.objects.bulk_create(pending)
                    total += len(pending)
                    pending = []
        if pending:
            Checkpoint.objects.bulk_create(pending)
            total += len(pending)
        # bulk_create sends no signals: bring each initiative's newest-checkpoint summary up to date.
        Initiative.objects.filter(organisation=org).refresh_checkpoint_summaries()
        counts["checkpoints"] = total

    if connection.vendor == "postgresql":
        # Autovacuum would analyse the new tables within a minute; do it now so the planner
        # sees production-like statistics before anything is timed.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The stored pitfall findings, as the actions would have left them (ADR 26): the pages read them.
    derived.organisation_changed(org.pk)
    summary.seconds = (timezone.now() - started).total_seconds()
    return summary


# Metrics (optional) --------------------------------------------------------------------------

CHART_METRICS: tuple[tuple[str, str, str, str, float, float], ...] = (
    # name, kind, unit, improvement direction, level before, level after the go-live
    ("Time to first observations after arrival (minutes)", "outcome", "minutes", "decrease", 42.0, 31.0),
    ("Discharge summaries sent within 24 hours (%)", "outcome", "%", "increase", 48.0, 71.0),
    ("Patients using the portal to book (weekly users)", "adoption", "users", "increase", 300.0, 1900.0),
    ("Staff time spent on rota admin (hours/week)", "outcome", "hours/week", "decrease", 64.0, 41.0),
    ("Patient-reported ease of booking (1-5)", "experience", "score", "increase", 3.2, 3.3),
)
BACKGROUND_KINDS = ("outcome", "outcome", "adoption", "experience", "activity")


@dataclass
class MetricsSummary:
    chart_initiative_id: int = 0
    chart_metric_ids: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _weekly_values(rng: random.Random, points: int, before: float, after: float, change_at: int) -> list[float]:
    spread = max(abs(after - before) / 6, abs(before) * 0.03, 0.05)
    return [round((before if n < change_at else after) + rng.gauss(0, spread), 2) for n in range(points)]


def generate_metrics(
    *,
    organisation_id: int,
    seed: int = DEFAULT_SEED,
    charts: int = 5,
    points: int = 60,
    background_points: int = 60,
    today: dt.date | None = None,
) -> MetricsSummary:
    """Give one active initiative (not the page benchmark's showcase) `charts` weekly metrics of
    `points` points each, one of them with a process change that starts a new SPC period, and
    every other initiative one metric of `background_points` points. Bulk inserts as above; the
    SPC summaries are computed in one `spc.analyse_many` call and stored, the chart metrics'
    through `metrics.actions`, and then every initiative's verdict (ADR 7)."""
    from headway.metrics.actions import refresh_metric_summary
    from headway.metrics.verdicts import refresh_verdicts

    started = timezone.now()
    rng = random.Random(seed + 1)
    this_week = week_start(today or timezone.localdate())
    org = Organisation.objects.get(pk=organisation_id)
    initiatives = list(Initiative.objects.filter(organisation=org).order_by("pk").values_list("pk", "status"))
    showcase = initiatives[0][0]
    chart_initiative = next(pk for pk, status in initiatives[1:] if status == Status.ACTIVE)
    owner = Membership.objects.filter(organisation=org, role=Role.PORTFOLIO_OFFICE).values_list("user_id", flat=True)[0]
    summary = MetricsSummary(chart_initiative_id=chart_initiative)

    def mondays(count: int) -> list[dt.date]:
        return [this_week - dt.timedelta(weeks=count - n) for n in range(count)]

    with transaction.atomic():
        metrics: list[Metric] = []
        links: list[tuple[int, int]] = []  # (metric index, initiative pk)
        values: list[list[float]] = []
        for n in range(charts):
            name, kind, unit, direction, before, after = CHART_METRICS[n % len(CHART_METRICS)]
            metrics.append(
                Metric(
                    organisation=org,
                    name=name if n < len(CHART_METRICS) else f"{name} {n + 1}",
                    definition=name,
                    kind=kind,
                    beneficiary="patients",
                    unit=unit,
                    improvement_direction=direction,
                    baseline_value=before,
                    target_value=after,
                    frequency="weekly",
                    owner_id=owner,
                    data_source="Generated for the benchmark",
                )
            )
            links.append((len(metrics) - 1, chart_initiative))
            values.append(_weekly_values(rng, points, before, after, points * 2 // 3))
        for pk, _status in initiatives:
            if pk in (chart_initiative, showcase):
                continue
            kind = rng.choice(BACKGROUND_KINDS)
            level = rng.uniform(5, 95)
            metrics.append(
                Metric(
                    organisation=org,
                    name=f"Measure for initiative {pk}",
                    definition="Generated.",
                    kind=kind,
                    beneficiary="patients",
                    unit="%",
                    improvement_direction=rng.choice(("increase", "decrease")),
                    baseline_value=round(level, 1),
                    target_value=round(level * 1.1, 1),
                    frequency="weekly",
                    owner_id=owner,
                    data_source="Generated for the benchmark",
                )
            )
            links.append((len(metrics) - 1, pk))
            shift = rng.choice((0.0, 0.0, level * 0.1, -level * 0.1))
            values.append(_weekly_values(rng, background_points, level, level + shift, background_points // 2))
        metrics = _insert(Metric, metrics)
        through = Metric.initiatives.through
        _insert(through, [through(metric_id=metrics[m].pk, initiative_id=i) for m, i in links])
        summary.chart_metric_ids = [m.pk for m in metrics[:charts]]

        # 120,000 rows: plain executemany, because building a model instance for each row costs
        # more than the database does.
        ops = connection.ops
        recorded_at = ops.adapt_datetimefield_value(timezone.now())
        weeks = {n: [ops.adapt_datefield_value(day) for day in mondays(n)] for n in {len(v) for v in values}}
        table = connection.ops.quote_name(Observation._meta.db_table)
        insert = (
            f"INSERT INTO {table} (metric_id, period, value, note, recorded_by_id, recorded_at) "
            "VALUES (%s, %s, %s, '', %s, %s)"
        )
        rows = [
            (metric.pk, period, value, owner, recorded_at)
            for metric, series in zip(metrics, values, strict=True)
            for period, value in zip(weeks[len(series)], series, strict=True)
        ]
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, BATCH):
                cursor.executemany(insert, chunk)
        total = len(rows)
        # A process change on the first chart: its limits are recalculated from there.
        changed_at = mondays(points)[points * 2 // 3]
        Annotation.objects.create(
            metric=metrics[0], period=changed_at, text="New triage process", starts_new_period=True, created_by_id=owner
        )

        # Stored SPC summaries for the background metrics in one vectorised call.
        results = spc.analyse_many(
            {"values": series, "improvement_direction": metric.improvement_direction, "target": metric.target_value}
            for metric, series in zip(metrics[charts:], values[charts:], strict=True)
        )
        # A few distinct summaries between them: one UPDATE for each, not one per metric.
        alike: dict[tuple[str, str, bool], list[int]] = {}
        for metric, result in zip(metrics[charts:], results, strict=True):
            key = (result.variation_icon or "", result.assurance_icon or "", result.trial_limits)
            alike.setdefault(key, []).append(metric.pk)
        for (variation, assurance, trial), ids in alike.items():
            for chunk in _chunks(ids, 500):
                Metric.objects.filter(pk__in=chunk).update(
                    latest_period=this_week - dt.timedelta(weeks=1),
                    point_count=background_points,
                    variation_icon=variation,
                    assurance_icon=assurance,
                    trial_limits=trial,
                )
        # Each summary refreshed asks for the pitfall findings again; once, after the verdicts, is
        # enough, and leaves them stored for the pages as an action would (ADR 26).
        with derived.batch():
            for metric in metrics[:charts]:
                refresh_metric_summary(metric)
            refresh_verdicts(pk for pk, _status in initiatives)
            derived.organisation_changed(org.pk)
        summary.counts = {"metrics": len(metrics), "observations": total, "annotations": 1}

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    summary.seconds = (timezone.now() - started).total_seconds()
    return summary
