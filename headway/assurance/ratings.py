"""The rules that answer the board's questions (ADR 27): one per question key, each taking the
counts the board layer has gathered and giving a rating. Pure: no Django, tested without a
database.

The wording of each question is reference data (`assurance.models.Question`); the rule, and the
sentence that states it on the page, live here together so the page always says what the code
does.

Most rules share one shape (`share_rating`): of the initiatives the question is about, how many
show the problem. None → good; fewer than half → needs attention; half or more → concern; no
initiatives to judge → not enough evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

GOOD = "good"
NEEDS_ATTENTION = "needs_attention"
CONCERN = "concern"
NOT_ENOUGH_EVIDENCE = "not_enough_evidence"

#: Best first.
RATINGS: tuple[str, ...] = (GOOD, NEEDS_ATTENTION, CONCERN, NOT_ENOUGH_EVIDENCE)
RATING_LABELS: dict[str, str] = {
    GOOD: "Good",
    NEEDS_ATTENTION: "Needs attention",
    CONCERN: "Concern",
    NOT_ENOUGH_EVIDENCE: "Not enough evidence",
}

#: The share of initiatives showing a problem at which it becomes a concern, as a fraction (one half).
CONCERN_NUMERATOR, CONCERN_DENOMINATOR = 1, 2


def share_rating(flagged: int, total: int) -> str:
    """Of `total` initiatives, `flagged` show the problem: none → good; fewer than half → needs
    attention; half or more → concern; no initiatives → not enough evidence."""
    if total <= 0:
        return NOT_ENOUGH_EVIDENCE
    if flagged <= 0:
        return GOOD
    if flagged * CONCERN_DENOMINATOR < total * CONCERN_NUMERATOR:
        return NEEDS_ATTENTION
    return CONCERN


@dataclass(frozen=True)
class UserNeeds:
    active: int
    without_evidenced_need: int  # no user need recorded, or only assumed ones


def user_needs(c: UserNeeds) -> str:
    return share_rating(c.without_evidenced_need, c.active)


@dataclass(frozen=True)
class Impact:
    active: int
    unclear: int  # no outcome, adoption or experience measure, or nobody named as served


def impact(c: Impact) -> str:
    return share_rating(c.unclear, c.active)


@dataclass(frozen=True)
class Incremental:
    open: int  # proposed, active and paused initiatives
    flagged: int  # funding ending at go-live, value only at the end, no early release, or overdue checkpoints


def incremental(c: Incremental) -> str:
    return share_rating(c.flagged, c.open)


@dataclass(frozen=True)
class HonestRisk:
    active: int
    green_while_deteriorating: int  # the top confidence rating while a measure shows a real deterioration
    without_risk: int  # active initiatives with no open risk recorded
    risks_past_review: int  # open risks past their review date


def honest_risk(c: HonestRisk) -> str:
    if c.active <= 0:
        return NOT_ENOUGH_EVIDENCE
    if c.green_while_deteriorating > 0:
        return CONCERN
    by_share = share_rating(c.without_risk, c.active)
    if by_share == GOOD and c.risks_past_review > 0:
        return NEEDS_ATTENTION
    return by_share


@dataclass(frozen=True)
class SystemPartners:
    active: int
    joined_up: int  # active initiatives that declare a join-up with other work
    in_care_system: bool  # the organisation is recorded as a member of an integrated care system


def system_partners(c: SystemPartners) -> str:
    if c.active <= 0:
        return NOT_ENOUGH_EVIDENCE
    if c.joined_up <= 0:
        return CONCERN
    if c.joined_up * CONCERN_DENOMINATOR < c.active * CONCERN_NUMERATOR or not c.in_care_system:
        return NEEDS_ATTENTION
    return GOOD


@dataclass(frozen=True)
class Stopping:
    active: int
    wip_limit: int
    stopped_or_paused: int  # stop and pause decisions in the last twelve months, not reversed
    deteriorating: int  # active initiatives whose measures show a real deterioration


def stopping(c: Stopping) -> str:
    if c.active <= 0 and c.stopped_or_paused <= 0:
        return NOT_ENOUGH_EVIDENCE
    over = c.active > c.wip_limit
    if over and c.stopped_or_paused <= 0:
        return CONCERN
    if over or (c.deteriorating > 0 and c.stopped_or_paused <= 0):
        return NEEDS_ATTENTION
    return GOOD


@dataclass(frozen=True)
class ShownToUsers:
    active: int
    nothing_shown: int  # active initiatives that showed nothing and reached no real users lately


def shown_to_users(c: ShownToUsers) -> str:
    return share_rating(c.nothing_shown, c.active)


@dataclass(frozen=True)
class Rule:
    """A question's rule: the function and the sentence that states it on the page."""

    rate: Callable[..., str]
    statement: str


_SHARE = (
    "none of them → good; fewer than half → needs attention; half or more → concern; "
    "none to judge → not enough evidence"
)

RULES: dict[str, Rule] = {
    "user_needs": Rule(
        user_needs,
        "Counts the active initiatives with no user need recorded, or only needs marked as assumed "
        f"(none researched or validated): {_SHARE}.",
    ),
    "impact": Rule(
        impact,
        "Counts the active initiatives with no outcome, adoption or experience measure linked, or with "
        f"neither the patients nor the staff it serves described: {_SHARE}.",
    ),
    "incremental": Rule(
        incremental,
        "Counts the proposed, active and paused initiatives whose secured funding ends at go-live, whose "
        "value arrives only at the end or with no early release to real users, or whose weekly checkpoint "
        f"is overdue: {_SHARE}. Procurement is not yet recorded, so it does not count.",
    ),
    "honest_risk": Rule(
        honest_risk,
        "Concern if any active initiative is rated green while one of its measures shows a real "
        "deterioration. Otherwise counts the active initiatives with no open risk recorded: "
        f"{_SHARE}; good becomes needs attention if any open risk is past its review date.",
    ),
    "system_partners": Rule(
        system_partners,
        "Counts the active initiatives that declare a join-up with other work: none → concern; fewer "
        "than half, or the organisation not recorded in an integrated care system → needs attention; "
        "otherwise good; no active initiatives → not enough evidence.",
    ),
    "stopping": Rule(
        stopping,
        "Over the work-in-progress limit with no stop or pause decision in the last twelve months (one "
        "later reversed as a mistake does not count) → "
        "concern; over the limit, or an active initiative deteriorating with nothing stopped or paused "
        "in twelve months → needs attention; otherwise good; nothing active and nothing stopped → not "
        "enough evidence.",
    ),
    "shown_to_users": Rule(
        shown_to_users,
        "Counts the active initiatives whose checkpoints in the last four weeks record nothing "
        f"demonstrated and nothing that reached real users: {_SHARE}.",
    ),
}
