"""The guide's common pitfalls, found from the data (ADR 25).

Pure: every detector reads plain facts (`PortfolioFacts`, built by `pitfall_inputs.load`) and a
`Thresholds`, and gives `Finding`s — a key, a title, a severity, the initiatives named, the numbers
behind it and where they came from, since when, and where it can be put right (a URL name and its
arguments, which the presenter resolves). No Django here, and no second copy of a rule another
app owns: whether an initiative's measures show impact is the metrics app's verdict
(`metrics.verdicts`), whether its funding ends at go-live, its case is argued only in cash or its
value comes only at the end are the finance app's flags (`finance.flags`), and the P80 cost is the
finance app's reference-class forecast; the facts carry their answers, and the detectors here
only count, compare with a threshold and name names.

The detectors and their defaults are listed in docs/assurance.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from headway.lib import bounds

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
SEVERITIES = (HIGH, MEDIUM, LOW)

ACTIVE = "active"
PAUSED = "paused"
PROPOSED = "proposed"
OPEN = (PROPOSED, ACTIVE, PAUSED)

#: The codes the facts carry from the apps that own the rules.
NO_OUTCOME = "no_outcome_or_adoption"  # metrics.verdicts
ACTIVITY_ONLY = "activity_only"  # metrics.verdicts
DETERIORATING = "deteriorating"  # metrics Verdict.State
FUNDING_ENDS = "funding_ends"  # finance.flags
CASH_ONLY = "cash_only"  # finance.flags
VALUE_ONLY_AT_END = "value_only_at_end"  # finance.flags
GREEN = "green"


@dataclass(frozen=True)
class Thresholds:
    """The numbers each detector compares with, for one organisation. The defaults are the
    project's judgement, not the guide's (it gives none); an organisation overrides any of them
    (`assurance.models.PitfallSettings`)."""

    weeks_without_demo: int = 4  # an active initiative that has shown nothing for this many weeks
    largest_share: float = 0.4  # one initiative holding this share of the secured funding of open work
    per_sro: int = 3  # active initiatives one senior responsible owner may hold
    per_delivery_lead: int = 2  # active initiatives one delivery lead may hold
    months_without_stop: int = 12  # nothing stopped or paused for this long
    unchanged_checkpoints: int = 12  # the same confidence this many weeks running
    live_weeks_without_checkpoint: int = 8  # a live service with no checkpoint for this long
    min_evidence_words: int = bounds.MIN_REASON_WORDS  # the decision form's own minimum (lib.bounds)
    team_load_share: float = 1.0  # a team asked for more than this share of its days in a quarter
    digital_directorates: tuple[str, ...] = ("digital", "it", "ict", "informatics", "technology", "ehealth")

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, Any] | None) -> Thresholds:
        """The defaults with an organisation's overrides; unknown names and values of the wrong
        kind are ignored (`bad_overrides` says which), so a mistyped setting never stops a page."""
        if not overrides:
            return cls()
        return replace(cls(), **_valid(overrides))

    @classmethod
    def bad_overrides(cls, overrides: Mapping[str, Any] | None) -> list[str]:
        return sorted(set(overrides or {}) - set(_valid(overrides or {})))


def _valid(overrides: Mapping[str, Any]) -> dict[str, Any]:
    defaults = Thresholds()
    good: dict[str, Any] = {}
    for f in fields(Thresholds):
        if f.name not in overrides:
            continue
        value, default = overrides[f.name], getattr(defaults, f.name)
        if isinstance(default, tuple):
            if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                good[f.name] = tuple(v.strip().lower() for v in value)
        elif isinstance(default, float):
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1:
                good[f.name] = float(value)
        elif isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            good[f.name] = value
    return good


@dataclass(frozen=True)
class LinkTarget:
    """Where a finding can be put right: a URL name, its arguments and a query string's values."""

    name: str
    args: tuple[int, ...] = ()
    query: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    key: str  # "boom_and_bust.funding_ends"
    pitfall: str  # the guide's pitfall it belongs to: "boom_and_bust"
    title: str
    severity: str  # HIGH, MEDIUM or LOW
    initiatives: tuple[str, ...]  # references, in order
    evidence: Mapping[str, Any]  # plain values: numbers, strings, dates as ISO text, lists
    since: dt.date | None
    link: LinkTarget

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "pitfall": self.pitfall,
            "title": self.title,
            "severity": self.severity,
            "initiatives": list(self.initiatives),
            "evidence": dict(self.evidence),
            "since": self.since.isoformat() if self.since else None,
        }


@dataclass(frozen=True)
class InitiativeFacts:
    pk: int
    reference: str
    status: str
    verdict_state: str = ""  # the stored verdict; "" when none is stored
    verdict_flags: tuple[str, ...] = ()  # as stored; NO_OUTCOME when no verdict is stored
    money_flags: tuple[str, ...] = ()  # finance.flags codes that failed (open initiatives only)
    has_case: bool = False
    bias_scored: int = 0  # optimism-bias risk areas with a mitigation score, on the latest case
    bias_mitigated: int = 0  # of them, those scored above nothing
    cost_bias: float | None = None  # the latest case's resultant cost bias (finance.figures), 2.0 = 200%
    p80_cost: float | None = None  # the latest case's P80 cost to go-live (reference class)
    funding_secured: int = 0
    unowned_benefits: int = 0  # benefit lines of the latest case with nobody named to realise them
    started_on: dt.date | None = None
    went_live_on: dt.date | None = None
    last_checkpoint_week: dt.date | None = None
    last_demonstrated_week: dt.date | None = None  # the newest checkpoint with a demonstration
    last_reached_users_week: dt.date | None = None
    # The checkpoints running, newest first, with the newest one's rating, within twice
    # `unchanged_checkpoints` weeks (so a missed week or two does not hide a rating that never moves).
    steady_checkpoints: int = 0
    current_confidence: str = ""
    sro: str = ""  # the person's name; "" when none
    sro_directorate: str = ""
    delivery_lead: str = ""
    goals: int = 0
    joins: int = 0  # services and initiatives it declares it joins up with
    user_needs: int = 0
    assumed_needs: int = 0
    riskiest_assumption: bool = False
    risks_past_review: int = 0

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class TeamLoad:
    """One team's days in one quarter, from the latest prioritisation round: what it has and what
    the active initiatives in the round ask of it."""

    team: str
    quarter: str
    days: int
    demand: float
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class PortfolioFacts:
    today: dt.date
    wip_limit: int
    initiatives: tuple[InitiativeFacts, ...]
    # (reference, kind, decided on, real words of evidence recorded), any order
    decisions: tuple[tuple[str, str, dt.date, int], ...] = ()
    last_stop: dt.date | None = None  # the last stop or pause, when older than `decisions` reach
    round_name: str = ""  # the latest prioritisation round, where the team loads come from
    round_pk: int | None = None
    team_loads: tuple[TeamLoad, ...] = ()

    @property
    def active(self) -> list[InitiativeFacts]:
        return [i for i in self.initiatives if i.is_active]

    @property
    def open(self) -> list[InitiativeFacts]:
        return [i for i in self.initiatives if i.is_open]


def months_ago(today: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months before (the month's last day when it has fewer)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _refs(items: Sequence[InitiativeFacts]) -> tuple[str, ...]:
    return tuple(sorted(i.reference for i in items))


def _list_link(**query: str) -> LinkTarget:
    return LinkTarget("portfolio:list", (), tuple(sorted(query.items())))


def _link_for(items: Sequence[InitiativeFacts], name: str = "portfolio:detail") -> LinkTarget:
    """One initiative: its page (or `name`'s page for it); several: the portfolio list."""
    if len(items) == 1:
        return LinkTarget(name, (items[0].pk,))
    return LinkTarget("portfolio:list")


def _earliest(dates: Sequence[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None


# 1. Judged on plan and activity rather than outcomes ------------------------------------------


def plan_not_outcomes(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    found = []
    active = facts.active
    unmeasured = [i for i in active if NO_OUTCOME in i.verdict_flags]
    if unmeasured:
        found.append(
            Finding(
                "plan_not_outcomes.no_outcome_measure",
                "plan_not_outcomes",
                "No outcome or adoption measure",
                HIGH if len(unmeasured) * 2 >= len(active) else MEDIUM,
                _refs(unmeasured),
                {"initiatives": len(unmeasured), "active": len(active), "source": "metrics verdicts (stored)"},
                None,
                _link_for(unmeasured),
            )
        )
    activity = [i for i in active if ACTIVITY_ONLY in i.verdict_flags]
    if activity:
        found.append(
            Finding(
                "plan_not_outcomes.activity_only",
                "plan_not_outcomes",
                "Only activity is measured",
                MEDIUM,
                _refs(activity),
                {"initiatives": len(activity), "source": "metrics verdicts (stored)"},
                None,
                _link_for(activity),
            )
        )
    limit = facts.today - dt.timedelta(weeks=t.weeks_without_demo)
    quiet = [i for i in active if (i.last_demonstrated_week or i.started_on or facts.today) <= limit]
    if quiet:
        found.append(
            Finding(
                "plan_not_outcomes.no_demonstration",
                "plan_not_outcomes",
                f"Nothing demonstrated for {t.weeks_without_demo} weeks or more",
                MEDIUM,
                _refs(quiet),
                {
                    "initiatives": len(quiet),
                    "weeks_without_demo": t.weeks_without_demo,
                    "last_demonstrated": {
                        i.reference: i.last_demonstrated_week.isoformat() if i.last_demonstrated_week else None
                        for i in sorted(quiet, key=lambda i: i.reference)
                    },
                    "source": "weekly checkpoints",
                },
                _earliest([i.last_demonstrated_week or i.started_on for i in quiet]),
                _link_for(quiet),
            )
        )
    return found


# 2. Optimism bias and under-resourcing --------------------------------------------------------


def optimism_bias(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    found = []
    cased = [i for i in facts.open if i.has_case]
    unmitigated = [i for i in cased if i.bias_mitigated == 0]
    if unmitigated:
        found.append(
            Finding(
                "optimism_bias.no_mitigation",
                "optimism_bias",
                "Optimism bias not worked on: no risk area mitigated in the business case",
                HIGH,
                _refs(unmitigated),
                {
                    "cases": {
                        i.reference: {"risk_areas_scored": i.bias_scored, "cost_bias": i.cost_bias}
                        for i in sorted(unmitigated, key=lambda i: i.reference)
                    },
                    "with_a_case": len(cased),
                    "source": "latest business cases' optimism-bias scores",
                },
                None,
                _link_for(unmitigated, "finance:initiative"),
            )
        )
    short = [i for i in cased if i.is_active and i.p80_cost is not None and i.p80_cost > i.funding_secured]
    if short:
        found.append(
            Finding(
                "optimism_bias.p80_above_funding",
                "optimism_bias",
                "P80 cost above the funding secured",
                MEDIUM,
                _refs(short),
                {
                    "gap": {
                        i.reference: {"p80_cost": round(i.p80_cost or 0), "funding_secured": i.funding_secured}
                        for i in sorted(short, key=lambda i: i.reference)
                    },
                    "source": "finance reference-class forecast and funding lines",
                },
                None,
                _link_for(short, "finance:initiative"),
            )
        )
    return found


def overloaded_people(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    """Team capacity over-committed: too many active initiatives on one SRO or delivery lead."""
    found = []
    for role, limit, attr in (("sro", t.per_sro, "sro"), ("delivery_lead", t.per_delivery_lead, "delivery_lead")):
        by_person: dict[str, list[InitiativeFacts]] = defaultdict(list)
        for i in facts.active:
            name = getattr(i, attr)
            if name:
                by_person[name].append(i)
        over = {name: items for name, items in by_person.items() if len(items) > limit}
        if over:
            named = [i for items in over.values() for i in items]
            label = "senior responsible owner" if role == "sro" else "delivery lead"
            found.append(
                Finding(
                    f"too_many_at_once.per_{role}",
                    "too_many_at_once",
                    f"More than {limit} active initiatives for one {label}",
                    MEDIUM,
                    _refs(named),
                    {"limit": limit, "people": {name: len(items) for name, items in sorted(over.items())}},
                    None,
                    _list_link(),
                )
            )
    return found


def teams_over_capacity(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    """Team capacity over-committed: the active initiatives ask a team for more days in a quarter
    than the latest round says it has."""
    over = [load for load in facts.team_loads if load.demand > load.days * t.team_load_share]
    if not over:
        return []
    return [
        Finding(
            "optimism_bias.teams_over_capacity",
            "optimism_bias",
            "Teams asked for more days than they have",
            HIGH if any(load.demand > 1.5 * load.days for load in over) else MEDIUM,
            tuple(sorted({ref for load in over for ref in load.initiatives})),
            {
                "round": facts.round_name,
                "teams": [
                    {"team": load.team, "quarter": load.quarter, "days": load.days, "asked": load.demand}
                    for load in over
                ],
                "share_allowed": t.team_load_share,
            },
            None,
            LinkTarget("prioritisation:capacity", (facts.round_pk,))
            if facts.round_pk is not None
            else LinkTarget("prioritisation:list"),
        )
    ]


# 3. Benefits argued only as cost savings ------------------------------------------------------


def cash_only(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    flagged = [i for i in facts.open if CASH_ONLY in i.money_flags]
    if not flagged:
        return []
    return [
        Finding(
            "cash_only.benefits_only_in_cash",
            "cash_only",
            "Benefits argued only as cash savings",
            MEDIUM,
            _refs(flagged),
            {"initiatives": len(flagged), "source": "finance flags (latest business case)"},
            None,
            _link_for(flagged, "finance:initiative") if len(flagged) == 1 else LinkTarget("finance:overview"),
        )
    ]


# 4. Boom and bust -----------------------------------------------------------------------------


def boom_and_bust(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    found = []
    for code, title, severity in (
        (FUNDING_ENDS, "Funding ends at go-live", HIGH),
        (VALUE_ONLY_AT_END, "Value only at the end", MEDIUM),
    ):
        flagged = [i for i in facts.open if code in i.money_flags]
        if flagged:
            evidence: dict[str, Any] = {"initiatives": len(flagged), "source": "finance flags"}
            since = None
            if code == FUNDING_ENDS:
                # Live services already running on no money, the guide's "sweating assets".
                live = [i for i in flagged if i.went_live_on is not None]
                evidence["live_without_run_money"] = list(_refs(live))
                since = _earliest([i.went_live_on for i in live])
            found.append(
                Finding(
                    f"boom_and_bust.{code}",
                    "boom_and_bust",
                    title,
                    severity,
                    _refs(flagged),
                    evidence,
                    since,
                    _link_for(flagged, "finance:initiative") if len(flagged) == 1 else LinkTarget("finance:overview"),
                )
            )
    limit = facts.today - dt.timedelta(weeks=t.live_weeks_without_checkpoint)
    unwatched = [
        i
        for i in facts.active
        if i.went_live_on is not None
        and i.went_live_on <= limit
        and (i.last_checkpoint_week is None or i.last_checkpoint_week <= limit)
    ]
    if unwatched:
        found.append(
            Finding(
                "boom_and_bust.live_without_checkpoints",
                "boom_and_bust",
                f"Live service with no checkpoint for {t.live_weeks_without_checkpoint} weeks",
                MEDIUM,
                _refs(unwatched),
                {
                    "weeks": t.live_weeks_without_checkpoint,
                    "last_checkpoint": {
                        i.reference: i.last_checkpoint_week.isoformat() if i.last_checkpoint_week else None
                        for i in sorted(unwatched, key=lambda i: i.reference)
                    },
                },
                _earliest([i.last_checkpoint_week or i.went_live_on for i in unwatched]),
                _link_for(unwatched),
            )
        )
    secured = sum(i.funding_secured for i in facts.open)
    if secured > 0:
        largest = max(facts.open, key=lambda i: (i.funding_secured, i.reference))
        share = largest.funding_secured / secured
        if share >= t.largest_share and len(facts.open) > 1:
            found.append(
                Finding(
                    "boom_and_bust.one_holds_most",
                    "boom_and_bust",
                    "One initiative holds a large share of the money",
                    MEDIUM,
                    (largest.reference,),
                    {
                        "share": round(share, 3),
                        "threshold": t.largest_share,
                        "its_funding_secured": largest.funding_secured,
                        "open_funding_secured": secured,
                    },
                    None,
                    LinkTarget("finance:initiative", (largest.pk,)),
                )
            )
    return found


# 5. Too many things at once ------------------------------------------------------------------


def too_many_at_once(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    found = []
    active = facts.active
    if len(active) > facts.wip_limit:
        over = len(active) - facts.wip_limit
        found.append(
            Finding(
                "too_many_at_once.over_wip_limit",
                "too_many_at_once",
                "More initiatives under way than the work-in-progress limit",
                HIGH if over * 4 >= facts.wip_limit else MEDIUM,
                _refs(active),
                {"active": len(active), "wip_limit": facts.wip_limit, "source": "organisation settings"},
                None,
                _list_link(status=ACTIVE),
            )
        )
    year_ago = months_ago(facts.today, 12)
    started = {ref for ref, kind, on, _ in facts.decisions if kind == "start" and on > year_ago}
    stopped = {ref for ref, kind, on, _ in facts.decisions if kind in ("stop", "pause", "close") and on > year_ago}
    if len(started) > len(stopped):
        found.append(
            Finding(
                "too_many_at_once.started_more_than_stopped",
                "too_many_at_once",
                "More started than stopped, paused or closed in the last year",
                LOW,
                tuple(sorted(started)),
                {"started": len(started), "stopped_paused_or_closed": len(stopped), "since": year_ago.isoformat()},
                year_ago,
                LinkTarget("portfolio:decisions"),
            )
        )
    stops = [on for _, kind, on, _ in facts.decisions if kind in ("stop", "pause")]
    if facts.last_stop is not None:
        stops.append(facts.last_stop)
    last_stop = max(stops) if stops else None
    if active and (last_stop is None or last_stop <= months_ago(facts.today, t.months_without_stop)):
        found.append(
            Finding(
                "too_many_at_once.nothing_stopped",
                "too_many_at_once",
                f"Nothing stopped or paused in {t.months_without_stop} months",
                MEDIUM,
                (),
                {
                    "last_stop_or_pause": last_stop.isoformat() if last_stop else None,
                    "months": t.months_without_stop,
                },
                last_stop,
                LinkTarget("portfolio:decisions"),
            )
        )
    return found


# The rest of the guide ----------------------------------------------------------------------


def _simple(
    key: str, pitfall: str, title: str, severity: str, items: Sequence[InitiativeFacts], evidence: dict[str, Any]
) -> list[Finding]:
    if not items:
        return []
    return [
        Finding(
            key, pitfall, title, severity, _refs(items), {"initiatives": len(items), **evidence}, None, _link_for(items)
        )
    ]


def false_quick_wins(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    return _simple(
        "false_quick_wins.no_goal_or_join_up",
        "false_quick_wins",
        "No strategic goal and no join-up declared",
        MEDIUM,
        [i for i in facts.open if i.goals == 0 and i.joins == 0],
        {"source": "initiatives' goals, services and join-ups"},
    )


def one_directorate(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    owned = [i for i in facts.active if i.sro_directorate.strip()]
    if not owned:
        return []
    directorates = Counter(i.sro_directorate.strip().lower() for i in owned)
    digital = {
        d for d in directorates if set(d.replace("/", " ").replace("&", " ").split()) & set(t.digital_directorates)
    }
    if set(directorates) != digital:
        return []
    return [
        Finding(
            "one_directorate.digital_only",
            "one_directorate",
            "Every SRO sits in IT or digital",
            MEDIUM,
            _refs(owned),
            {"directorates": dict(sorted(directorates.items())), "digital_words": list(t.digital_directorates)},
            None,
            _list_link(),
        )
    ]


def assumed_needs(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    return _simple(
        "assumed_needs.only_assumed",
        "assumed_needs",
        "User needs only assumed, or none recorded",
        MEDIUM,
        [i for i in facts.active if i.user_needs == i.assumed_needs],
        {"source": "user needs and their evidence"},
    )


def no_riskiest_assumption(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    return _simple(
        "no_riskiest_assumption.missing",
        "no_riskiest_assumption",
        "No riskiest assumption recorded",
        LOW,
        [i for i in facts.active if not i.riskiest_assumption],
        {"source": "initiatives"},
    )


def watermelon(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    green = [i for i in facts.active if i.current_confidence == GREEN]
    limit = facts.today - dt.timedelta(weeks=t.weeks_without_demo)
    concerns = [
        i
        for i in green
        if i.verdict_state == DETERIORATING
        or i.risks_past_review > 0
        or (i.last_reached_users_week or i.started_on or facts.today) <= limit
    ]
    if not concerns:
        return []
    return [
        Finding(
            "watermelon.green_with_concerns",
            "watermelon",
            "Green confidence while the evidence says otherwise",
            HIGH,
            _refs(concerns),
            {
                "why": {
                    i.reference: {
                        code: value
                        for code, value in (
                            ("deteriorating_measure", i.verdict_state == DETERIORATING),
                            ("risks_past_review", i.risks_past_review),
                            (
                                "nothing_reached_users_since",
                                (i.last_reached_users_week or i.started_on or facts.today) <= limit
                                and (i.last_reached_users_week.isoformat() if i.last_reached_users_week else "never"),
                            ),
                        )
                        if value
                    }
                    for i in sorted(concerns, key=lambda i: i.reference)
                },
                "weeks_without_users": t.weeks_without_demo,
            },
            None,
            _link_for(concerns),
        )
    ]


def confidence_never_changes(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    stuck = [i for i in facts.active if i.steady_checkpoints >= t.unchanged_checkpoints]
    return _simple(
        "confidence_never_changes.unchanged",
        "confidence_never_changes",
        f"The same delivery confidence for {t.unchanged_checkpoints} checkpoints running",
        LOW,
        stuck,
        {"checkpoints": t.unchanged_checkpoints, "source": "weekly checkpoints"},
    )


def benefits_without_owner(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    items = [i for i in facts.open if i.unowned_benefits > 0]
    if not items:
        return []
    return [
        Finding(
            "benefits_without_owner.unowned",
            "benefits_without_owner",
            "Benefits with nobody named to realise them",
            MEDIUM,
            _refs(items),
            {
                "benefit_lines": {i.reference: i.unowned_benefits for i in sorted(items, key=lambda i: i.reference)},
                "source": "latest business cases",
            },
            None,
            _link_for(items, "finance:initiative") if len(items) == 1 else LinkTarget("finance:overview"),
        )
    ]


def decisions_without_evidence(facts: PortfolioFacts, t: Thresholds) -> list[Finding]:
    """Decisions of the last year whose evidence considered has fewer real words than the decision
    form now asks for (older records, imports and the admin may hold less)."""
    year_ago = months_ago(facts.today, 12)
    thin = [(ref, on) for ref, kind, on, words in facts.decisions if on > year_ago and words < t.min_evidence_words]
    if not thin:
        return []
    return [
        Finding(
            "decisions_without_evidence.thin",
            "decisions_without_evidence",
            "Decisions recorded with little or no evidence",
            MEDIUM,
            tuple(sorted({ref for ref, _ in thin})),
            {"decisions": len(thin), "min_evidence_words": t.min_evidence_words, "since": year_ago.isoformat()},
            min(on for _, on in thin),
            LinkTarget("portfolio:decisions"),
        )
    ]


DETECTORS: tuple[Callable[[PortfolioFacts, Thresholds], list[Finding]], ...] = (
    plan_not_outcomes,
    optimism_bias,
    overloaded_people,
    teams_over_capacity,
    cash_only,
    boom_and_bust,
    too_many_at_once,
    false_quick_wins,
    one_directorate,
    assumed_needs,
    no_riskiest_assumption,
    watermelon,
    confidence_never_changes,
    benefits_without_owner,
    decisions_without_evidence,
)


def detect(facts: PortfolioFacts, thresholds: Thresholds | None = None) -> list[Finding]:
    """Every finding, most severe first, then in the guide's order."""
    t = thresholds or Thresholds()
    found = [finding for detector in DETECTORS for finding in detector(facts, t)]
    return sorted(found, key=lambda f: SEVERITIES.index(f.severity))


def for_initiative(findings: Sequence[Finding], reference: str) -> list[Finding]:
    return [f for f in findings if reference in f.initiatives]


__all__ = ["DETECTORS", "Finding", "InitiativeFacts", "LinkTarget", "PortfolioFacts", "Thresholds", "detect"]
