"""The board's answers in words (ADR 27): the label for each number behind an answer
(`assurance.questions.Evidence.key`), where the board can see the whole list, and the rule's
statement. The questions page and the board pack both word an answer here, so the pack says
what the page says.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from headway.assurance import ratings
from headway.assurance.questions import Answer
from headway.finance import flags as finance_flags
from headway.metrics.models import Verdict

# The words for each number behind an answer (`assurance.questions.Evidence.key`), and where the
# board can see the whole list.
EVIDENCE_LABELS: dict[str, str] = {
    "active": "Active initiatives",
    "open": "Proposed, active and paused initiatives",
    "no_user_need": "No user need recorded",
    "only_assumed_needs": "User needs only assumed, none researched or validated",
    "no_impact_measure": "No outcome, adoption or experience measure linked",
    "nobody_served_named": "Neither the patients nor the staff it serves described",
    "deteriorating": "Measures show a real deterioration",
    finance_flags.FUNDING_ENDS: "Secured funding ends at go-live",
    finance_flags.VALUE_ONLY_AT_END: "Value arrives only at the end",
    finance_flags.NO_EARLY_RELEASE: "No early release to real users",
    "overdue_checkpoint": "Weekly checkpoint overdue",
    "green_while_deteriorating": "Rated green while a measure deteriorates",
    "no_open_risk": "No open risk recorded",
    "risks_past_review": "Open risks past their review date",
    "joined_up": "Declares a join-up with other work",
    "not_joined_up": "Declares no join-up with other work",
    "in_care_system": "Recorded as a member of an integrated care system",
    "wip_limit": "Work-in-progress limit",
    "stopped_or_paused": "Stop or pause decisions in the last twelve months",
    "shown_lately": "Demonstrated something or reached real users in the last four weeks",
    "nothing_shown_lately": "Nothing demonstrated and nothing reached real users in the last four weeks",
}

EVIDENCE_LINKS: dict[str, str] = {
    finance_flags.FUNDING_ENDS: "finance:overview",
    finance_flags.VALUE_ONLY_AT_END: "finance:overview",
    finance_flags.NO_EARLY_RELEASE: "finance:overview",
    "risks_past_review": "portfolio:risks",
    "stopped_or_paused": "portfolio:decisions",
}
EVIDENCE_QUERIES: dict[str, str] = {
    "active": "?status=active",
    "overdue_checkpoint": "?overdue=on",
    "deteriorating": f"?status=active&working={Verdict.State.DETERIORATING}",
    "no_impact_measure": f"?status=active&working={Verdict.State.NOT_MEASURED}",
}

# Numbers that are a yes (1) or a no (0).
YES_OR_NO = {"in_care_system"}

BEHIND_SHOWN = 10  # initiatives named under an answer; the rest are counted


def count_text(key: str, count: int) -> int | str:
    """A count as shown: a yes or a no for the numbers that are one."""
    return ("Yes" if count else "No") if key in YES_OR_NO else count


def link_for(key: str) -> str:
    """Where the board can see the whole list behind a number, or "" where there is no such list."""
    if key in EVIDENCE_LINKS:
        return reverse(EVIDENCE_LINKS[key])
    if key in EVIDENCE_QUERIES:
        return reverse("portfolio:list") + EVIDENCE_QUERIES[key]
    return ""


def rule_statement(answer: Answer) -> str:
    rule = ratings.RULES.get(answer.question.key)
    return rule.statement if rule is not None else ""


def rating_label(rating: str | None) -> str:
    return ratings.RATING_LABELS.get(rating or "", "Not answered from the data yet")


def worded(answer: Answer) -> dict[str, Any]:
    """One answer for the questions page: its rating, the rule, each number with its words and
    link, and the first initiatives behind it (the rest counted)."""
    return {
        "question": answer.question,
        "rating": answer.rating or "",
        "rating_label": rating_label(answer.rating),
        "rule": rule_statement(answer),
        "evidence": [
            {
                "label": EVIDENCE_LABELS.get(item.key, item.key),
                "count": count_text(item.key, item.count),
                "link": link_for(item.key),
            }
            for item in answer.evidence
        ],
        "behind": answer.behind[:BEHIND_SHOWN],
        "more": max(0, len(answer.behind) - BEHIND_SHOWN),
    }
