"""A board pack's content: the cover sheet and each section as plain JSON (numbers, dates as
ISO text, and text), built from the figures layer (`assurance.glance`, `assurance.money`, the
metrics' stored verdicts and series), never from a page's presenters. Publishing freezes what
`content` returns, with the SHA-256 of `canonical` (ADR 28).

The SPC charts are frozen too, as the same SVG the metric pages draw, so a published pack shows
the charts the board saw even after more data arrives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from headway.accounts.models import Organisation
from headway.assurance import answer_words, pitfall_inputs, pitfall_presenters, pitfall_store, questions, ratings
from headway.assurance import baf as baf_figures
from headway.assurance import glance as glance_figures
from headway.assurance import money as assurance_money
from headway.assurance.models import BoardPack
from headway.assurance.pitfalls import HIGH
from headway.finance.figures import Overview
from headway.metrics.charts import xmr_svg
from headway.metrics.models import IMPACT_KINDS, Metric
from headway.metrics.queries import series_or_none
from headway.portfolio.models import Checkpoint, Decision, Initiative, Risk, Status
from headway.prioritisation.models import Round, RoundChange

# 1: the first packs; 2: with the guide's pitfalls and the board's questions; 3: with the board
# assurance framework. A pack is read by the schema it was published with, so an older pack shows
# no such sections.
SCHEMA = 3
KEY_MEASURES = 12  # the charts a board can read in one sitting; the rest are in Headway
DECISION_KINDS = (Decision.Kind.STOP, Decision.Kind.PAUSE)
ASKS_WEEKS = 2  # this and last week's checkpoints
FIRST_PACK_LOOKS_BACK_DAYS = 365  # with no previous pack, decisions and round changes of the past year

# The summary figures compared with the previous pack, in the order shown: (key, label).
SUMMARY = [
    ("initiatives", "Initiatives in the portfolio"),
    ("active", "Active initiatives"),
    ("wip_limit", "Work-in-progress limit"),
    ("overdue_checkpoints", "Active initiatives with an overdue checkpoint"),
    ("deteriorating", "Active initiatives whose measures are deteriorating"),
    ("not_measured", "Active initiatives not measured"),
    ("open_risks", "Open risks"),
    ("extreme_risks", "Extreme risks"),
    ("risks_past_review", "Risks past their review date"),
    ("decisions", "Stops and pauses since the last pack"),
    ("pitfalls", "Pitfalls found"),
    ("pitfalls_high", "Pitfalls of high severity"),
    ("questions_concern", "Board questions answered with concern"),
]


def canonical(content: dict[str, Any]) -> str:
    """The one text the hash is taken of: keys sorted, no spaces, UTF-8 kept."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def previous_published(pack: BoardPack) -> BoardPack | None:
    """The latest pack published before this one in its organisation."""
    earlier = BoardPack.objects.for_organisation(pack.organisation).published().exclude(pk=pack.pk)
    if pack.published_at is not None:
        earlier = earlier.filter(published_at__lt=pack.published_at)
    return earlier.order_by("-published_at", "-pk").first()


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def cover(pack: BoardPack) -> dict[str, Any]:
    return {
        "title": pack.title,
        "meeting": pack.meeting,
        "meeting_date": pack.meeting_date.isoformat(),
        "purpose": pack.purpose,
        "assurance_level": pack.assurance_level,
        "assurance_reason": pack.assurance_reason,
        "baf_risks": [line.strip() for line in pack.baf_risks.splitlines() if line.strip()],
        "recommendation": pack.recommendation,
        "executive_lead": pack.executive_lead,
        "author": pack.author,
    }


def _key_measures(organisation_id: int, today: dt.date) -> list[dict[str, Any]]:
    metrics = list(
        Metric.objects.filter(
            organisation_id=organisation_id,
            kind__in=IMPACT_KINDS,
            initiatives__status=Status.ACTIVE,
        )
        .distinct()
        .prefetch_related("observations", "annotations", "initiatives")
        .order_by("name")[:KEY_MEASURES]
    )
    rows = []
    for metric in metrics:
        series = series_or_none(metric, metric.observations.all(), metric.annotations.all())
        rows.append(
            {
                "metric": metric.name,
                "kind": metric.kind,
                "unit": metric.unit,
                "initiatives": sorted(i.reference for i in metric.initiatives.all() if i.status == Status.ACTIVE),
                "points": metric.point_count,
                "latest_period": _iso(metric.latest_period),
                "latest_value": next((v for v in reversed(series.values) if v is not None), None) if series else None,
                "variation": metric.variation_icon,
                "assurance": metric.assurance_icon,
                "target": metric.target_value,
                "stale": metric.is_stale(today),
                "chart_svg": str(xmr_svg(series, title=f"{metric.name}: XmR chart")) if series else "",
            }
        )
    return rows


def _pitfalls(organisation: Organisation, today: dt.date) -> list[dict[str, Any]]:
    """The guide's pitfalls found, in the words of the pitfalls page, most severe first: the stored
    findings when they were worked out today with nothing changed since (ADR 26), else afresh."""
    kept = pitfall_store.stored(organisation)
    if kept is not None and kept.judged_on == today and kept.changed_since is None:
        found = kept.findings
    else:
        found = pitfall_inputs.findings(organisation, today)
    references = {ref for finding in found for ref in finding.initiatives}
    titles = dict(
        Initiative.objects.for_organisation(organisation)
        .filter(reference__in=references)
        .values_list("reference", "title")
    )
    return [
        {
            "key": finding.key,
            "title": finding.title,
            "severity": finding.severity,
            "severity_label": pitfall_presenters.SEVERITY_LABELS.get(finding.severity, finding.severity),
            "initiatives": [[ref, titles.get(ref, "")] for ref in finding.initiatives],
            "evidence": pitfall_presenters.evidence_words(finding, with_source=False),
            "source": " ".join(pitfall_presenters.source_words(finding)),
            "since": _iso(finding.since),
        }
        for finding in found
    ]


def _questions(organisation: Organisation, today: dt.date, overview: Overview) -> list[dict[str, Any]]:
    """The board's questions and their answers, in the words of the questions page: the wording
    asked (and its version), the rating, the rule, the numbers and every initiative behind it."""
    return [
        {
            "key": answer.question.key,
            "question": answer.question.wording,
            "version": answer.question.version,
            "rating": answer.rating or "",
            "rating_label": answer_words.rating_label(answer.rating),
            "rule": answer_words.rule_statement(answer),
            "evidence": [
                [answer_words.EVIDENCE_LABELS.get(item.key, item.key), answer_words.count_text(item.key, item.count)]
                for item in answer.evidence
            ],
            "behind": [[i.reference, i.title] for i in answer.behind],
        }
        for answer in questions.answers(organisation, today, overview=overview)
    ]


def content(pack: BoardPack, today: dt.date) -> dict[str, Any]:
    """Everything the pack shows, as of `today`. Its summary is compared with the previous
    published pack's, and its decisions and prioritisation changes run from that pack's meeting."""
    organisation = pack.organisation
    previous = previous_published(pack)
    # From the previous pack's meeting; the first pack looks back a year.
    since = (
        dt.date.fromisoformat(previous.content["cover"]["meeting_date"])
        if previous and previous.content
        else today - dt.timedelta(days=FIRST_PACK_LOOKS_BACK_DAYS)
    )
    figures = glance_figures.glance(organisation, today)
    portfolio, working = figures.portfolio, figures.working
    verdicts = dict(working.verdicts)

    decisions = (
        Decision.objects.filter(initiative__organisation=organisation, kind__in=DECISION_KINDS, decided_on__lte=today)
        .filter(reversed_by__isnull=True)
        .select_related("initiative")
        .order_by("decided_on", "pk")
    )
    decisions = decisions.filter(decided_on__gt=since)
    decision_rows = [
        {
            "reference": d.initiative.reference,
            "title": d.initiative.title,
            "kind": d.kind,
            "decided_on": d.decided_on.isoformat(),
            "decided_by": d.decided_by,
            "reason": d.rationale,
            "evidence": d.evidence,
        }
        for d in decisions
    ]

    rounds = Round.objects.filter(organisation=organisation, status=Round.State.CLOSED, held_on__lte=today)
    rounds = rounds.filter(held_on__gt=since)
    changes = (
        RoundChange.objects.filter(round__in=rounds)
        .exclude(change=RoundChange.Kind.CONTINUED)
        .select_related("round", "initiative")
        .order_by("round__held_on", "round__pk", "change", "initiative__reference")
    )
    change_rows = [
        {
            "round": c.round.name,
            "held_on": c.round.held_on.isoformat(),
            "reference": c.initiative.reference,
            "title": c.initiative.title,
            "change": c.change,
            "from_rank": c.from_rank,
            "to_rank": c.to_rank,
            "reason": c.reason,
        }
        for c in changes
    ]

    # One load of the organisation's money for the overview, the forecast and the questions.
    money = assurance_money.organisation_data(organisation)
    overview = assurance_money.organisation_money(organisation, today, data=money)
    forecast = assurance_money.portfolio_forecast(organisation, today, data=money)
    after_go_live = [
        {
            "reference": m.initiative.reference,
            "title": m.initiative.title,
            "go_live": _iso(m.funding_check.go_live),
            "live": m.funding_check.live,
            "funding_after_go_live": m.funding_check.after,
            "requested_after_go_live": m.funding_check.requested_after,
            "flagged": m.funding_check.flagged,
        }
        for m in overview.moneys
        if m.initiative.status in (Status.ACTIVE, Status.PAUSED, Status.PROPOSED)
    ]

    risks = Risk.objects.for_organisation(organisation).open().select_related("initiative")
    heat = [[0] * 5 for _ in range(5)]  # [likelihood - 1][consequence - 1]
    past_review = []
    for risk in risks.order_by("next_review", "pk"):
        heat[risk.likelihood - 1][risk.consequence - 1] += 1
        if risk.next_review < today:
            past_review.append(
                {
                    "title": risk.title,
                    "initiative": risk.initiative.reference if risk.initiative else None,
                    "likelihood": risk.likelihood,
                    "consequence": risk.consequence,
                    "score": risk.score,
                    "rating": risk.rating,
                    "next_review": risk.next_review.isoformat(),
                }
            )

    weeks_from = today - dt.timedelta(days=today.weekday() + 7 * (ASKS_WEEKS - 1))
    asks = [
        {
            "reference": c.initiative.reference,
            "title": c.initiative.title,
            "week": c.week_start.isoformat(),
            "ask": c.asks_of_the_board,
        }
        for c in Checkpoint.objects.filter(
            initiative__organisation=organisation,
            initiative__status__in=[Status.ACTIVE, Status.PAUSED, Status.PROPOSED],
            week_start__gte=weeks_from,
            week_start__lte=today,
        )
        .exclude(asks_of_the_board="")
        .select_related("initiative")
        .order_by("initiative__reference", "-week_start")
    ]

    pitfall_rows = _pitfalls(organisation, today)
    question_rows = _questions(organisation, today, overview)

    summary = {
        "initiatives": Initiative.objects.for_organisation(organisation).count(),
        "active": portfolio.active,
        "wip_limit": portfolio.wip_limit,
        "overdue_checkpoints": len(portfolio.overdue),
        "deteriorating": len(working.deteriorating),
        "not_measured": verdicts.get("not_measured", 0),
        "open_risks": portfolio.open_risks,
        "extreme_risks": portfolio.extreme_risks,
        "risks_past_review": portfolio.risks_review_overdue,
        "decisions": len(decision_rows),
        "pitfalls": len(pitfall_rows),
        "pitfalls_high": sum(1 for f in pitfall_rows if f["severity"] == HIGH),
        "questions_concern": sum(1 for q in question_rows if q["rating"] == ratings.CONCERN),
    }
    before = previous.content.get("summary", {}) if previous and previous.content else None
    return {
        "schema": SCHEMA,
        "organisation": organisation.name,
        "as_of": today.isoformat(),
        "since": since.isoformat(),
        "cover": cover(pack),
        "previous": (
            {"title": previous.title, "meeting_date": previous.meeting_date.isoformat(), "hash": previous.content_hash}
            if previous
            else None
        ),
        "summary": summary,
        "changes": [
            {"key": key, "was": before.get(key), "now": summary[key], "change": summary[key] - before[key]}
            for key, _ in SUMMARY
            if before is not None and isinstance(before.get(key), int) and before[key] != summary[key]
        ]
        if before is not None
        else None,
        "working": {
            "verdicts": [[state, n] for state, n in working.verdicts],
            "deteriorating": [[i.reference, i.title] for i in working.deteriorating],
            "stale": working.stale,
            "measures": _key_measures(organisation.pk, today),
        },
        "decisions": decision_rows,
        "prioritisation": change_rows,
        "money": {
            "funding_total": overview.funding_total,
            "funding_secured": overview.funding_secured,
            "planned_cost": overview.planned_cost,
            "adjusted_cost": round(overview.adjusted_cost),
            "spent": overview.spent,
            "realised": overview.realised,
            "forecast": (
                {
                    "planned": round(forecast.planned_total),
                    "p50": round(forecast.p50_total),
                    "p80": round(forecast.p80_total),
                    "chance_over_plan": round(forecast.exceed_planned, 3),
                    "trials": forecast.result.trials,
                }
                if forecast.result is not None
                else None
            ),
            "after_go_live": after_go_live,
        },
        "pitfalls": pitfall_rows,
        "questions": question_rows,
        "risks": {"heat": heat, "past_review": past_review},
        "asks": asks,
        **baf_section(organisation),
    }


# The board assurance framework (ADR 29), kept apart so other sections can be added beside it.


def baf_section(organisation: Organisation) -> dict[str, Any]:
    """The open principal risks with their scores, appetite, gaps and the refs of the risks
    linked to them. A pack published before the framework existed has no "baf" key."""
    return {"baf": baf_figures.pack_section(organisation)}
