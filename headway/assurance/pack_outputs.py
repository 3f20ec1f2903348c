"""A board pack in words, and as a PDF and a workbook (ADR 28).

Everything here reads the pack's JSON content (frozen for a published pack, built afresh for a
draft), never the database, so the page, the PDF and the workbook of a published pack show the
same numbers however the data changes afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from headway.assurance import packs
from headway.assurance.models import Appetite, AssuranceLevel, BoardPack, Purpose
from headway.lib.exports import Cell, workbook_bytes
from headway.lib.money import pounds
from headway.metrics.models import Kind
from headway.metrics.verdicts import STATE_LABELS
from headway.portfolio.models import Decision, Risk, rating_of
from headway.prioritisation.models import RoundChange

SUMMARY_LABELS = dict(packs.SUMMARY)
DECISION_LABELS = {str(k): str(v) for k, v in Decision.Kind.choices}
CHANGE_LABELS = {str(k): str(v) for k, v in RoundChange.Kind.choices}
KIND_LABELS = {str(k): str(v) for k, v in Kind.choices}
PDF_STYLESHEET = Path(settings.BASE_DIR) / "static" / "pack-pdf.css"
# On paper a list names this many initiatives (or lines of evidence) and counts the rest, which the
# workbook lists in full: a board reads twenty names, not three hundred.
NAMED_IN_PAPER = 20
# A pitfall or an answer names fewer: each is one row of a table, and it should fit a third of a page.
NAMED_PER_FINDING = 10

# The sections, in order, as the workbook's sheets.
SHEETS = [
    "Cover",
    "Summary",
    "Is it working",
    "Decisions",
    "Prioritisation",
    "Money",
    "Pitfalls",
    "Questions",
    "Risks",
    "Asked to decide",
    "Board assurance framework",
]
APPETITE_LABELS = {str(k): str(v) for k, v in Appetite.choices}


def date_text(iso: str | None) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _date(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def pack_content(pack: BoardPack, today: dt.date | None = None) -> tuple[dict[str, Any], str]:
    """The frozen content and hash of a published pack; a draft's as it would be published now."""
    if pack.is_published and pack.content is not None:
        return pack.content, pack.content_hash
    content = packs.content(pack, today or timezone.localdate())
    return content, packs.content_hash(content)


def _rating(likelihood: int, consequence: int) -> str:
    return Risk(likelihood=likelihood, consequence=consequence).rating


def words(content: dict[str, Any], digest: str, *, draft: bool) -> dict[str, Any]:
    """The pack's content worded for the page and the PDF."""
    cover = content["cover"]
    summary = content["summary"]
    money = content["money"]
    heat = content["risks"]["heat"]
    unfunded = [row for row in money["after_go_live"] if row["flagged"]]
    past_review = sorted(content["risks"]["past_review"], key=lambda r: (-r["score"], r["next_review"]))
    return {
        "hash": digest,
        "draft": draft,
        "organisation": content["organisation"],
        "as_of": date_text(content["as_of"]),
        "since": date_text(content.get("since")),
        "cover": {
            **cover,
            "meeting_date_text": date_text(cover["meeting_date"]),
            "purpose_label": dict(Purpose.choices).get(cover["purpose"], cover["purpose"]),
            "level_label": dict(AssuranceLevel.choices).get(cover["assurance_level"], cover["assurance_level"]),
        },
        "previous": (
            {**content["previous"], "meeting_date_text": date_text(content["previous"]["meeting_date"])}
            if content["previous"]
            else None
        ),
        "summary": [(SUMMARY_LABELS[key], summary[key]) for key, _ in packs.SUMMARY if key in summary],
        "changes": (
            [
                (SUMMARY_LABELS.get(c["key"], c["key"]), c["was"], c["now"], f"{c['change']:+d}")
                for c in content["changes"]
            ]
            if content["changes"] is not None
            else None
        ),
        "verdicts": [(STATE_LABELS.get(state, state), n) for state, n in content["working"]["verdicts"]],
        "deteriorating": content["working"]["deteriorating"],
        "stale": content["working"]["stale"],
        "measures": [
            {
                **m,
                "kind_label": KIND_LABELS.get(m["kind"], m["kind"]),
                "latest_period_text": date_text(m["latest_period"]),
                # Drawn by the metrics' chart module when the pack was built, escaped there.
                "chart": mark_safe(m["chart_svg"]),
            }
            for m in content["working"]["measures"]
        ],
        "decisions": [
            {**d, "kind_label": DECISION_LABELS.get(d["kind"], d["kind"]), "date_text": date_text(d["decided_on"])}
            for d in content["decisions"]
        ],
        "prioritisation": [
            {**c, "change_label": CHANGE_LABELS.get(c["change"], c["change"]), "date_text": date_text(c["held_on"])}
            for c in content["prioritisation"]
        ],
        "money": [
            ("Funding recorded", pounds(money["funding_total"])),
            ("Funding secured", pounds(money["funding_secured"])),
            ("Planned cost of open initiatives (latest business cases)", pounds(money["planned_cost"])),
            ("The same after optimism bias", pounds(money["adjusted_cost"])),
            ("Spent so far", pounds(money["spent"])),
            ("Benefits realised so far", pounds(money["realised"])),
        ],
        "forecast": money["forecast"]
        and {
            "planned": pounds(money["forecast"]["planned"]),
            "p50": pounds(money["forecast"]["p50"]),
            "p80": pounds(money["forecast"]["p80"]),
            "chance": f"{money['forecast']['chance_over_plan']:.0%}",
            "trials": money["forecast"]["trials"],
        },
        # The paper names the exceptions; the workbook lists every open initiative.
        "after_go_live": [
            {**row, "go_live_text": date_text(row["go_live"]), "after_text": pounds(row["funding_after_go_live"])}
            for row in unfunded[:NAMED_IN_PAPER]
        ],
        "after_go_live_more": max(0, len(unfunded) - NAMED_IN_PAPER),
        "after_go_live_funded": len(money["after_go_live"]) - len(unfunded),
        # Likelihood 5 at the top, as the NHS matrix is drawn.
        "heat": [
            (likelihood, [(c, heat[likelihood - 1][c - 1], _rating(likelihood, c)) for c in range(1, 6)])
            for likelihood in range(5, 0, -1)
        ],
        # The most serious first, and the longest overdue among equals.
        "past_review": [{**r, "review_text": date_text(r["next_review"])} for r in past_review[:NAMED_IN_PAPER]],
        "past_review_more": max(0, len(past_review) - NAMED_IN_PAPER),
        "asks": [{**a, "week_text": date_text(a["week"])} for a in content["asks"]],
        # Not in a pack published before they were (schema 1): None, and the page says so.
        "pitfalls": (
            [
                {
                    **f,
                    "since_text": date_text(f["since"]),
                    "initiatives": f["initiatives"][:NAMED_PER_FINDING],
                    "more_initiatives": max(0, len(f["initiatives"]) - NAMED_PER_FINDING),
                    "evidence": f["evidence"][:NAMED_PER_FINDING],
                    "more_evidence": max(0, len(f["evidence"]) - NAMED_PER_FINDING),
                }
                for f in content["pitfalls"]
            ]
            if "pitfalls" in content
            else None
        ),
        "questions": (
            [
                {**q, "behind": q["behind"][:NAMED_PER_FINDING], "more": max(0, len(q["behind"]) - NAMED_PER_FINDING)}
                for q in content["questions"]
            ]
            if "questions" in content
            else None
        ),
        **baf_words(content),
    }


def sheets(content: dict[str, Any], digest: str) -> list[tuple[str, list[list[Cell]]]]:
    """One sheet per section, typed cells (numbers, dates, text); each starts with the hash."""
    head: list[list[Cell]] = [["SHA-256 of the pack", digest], []]
    cover = content["cover"]
    summary = content["summary"]
    changes = {c["key"]: c for c in content["changes"] or []}
    money = content["money"]
    forecast = money["forecast"] or {}
    out: list[tuple[str, list[list[Cell]]]] = [
        (
            "Cover",
            [
                *head,
                ["Organisation", content["organisation"]],
                ["Title", cover["title"]],
                ["Meeting", cover["meeting"]],
                ["Date of the meeting", _date(cover["meeting_date"])],
                ["Purpose", dict(Purpose.choices).get(cover["purpose"], cover["purpose"])],
                ["Level of assurance offered", dict(AssuranceLevel.choices).get(cover["assurance_level"], "")],
                ["Why this level", cover["assurance_reason"]],
                ["Board assurance framework risks", "\n".join(cover["baf_risks"])],
                ["Recommendation", cover["recommendation"]],
                ["Executive lead", cover["executive_lead"]],
                ["Author", cover["author"]],
                ["Figures as of", _date(content["as_of"])],
            ],
        ),
        (
            "Summary",
            head
            + [["Figure", "Now", "At the previous pack", "Change"]]
            + [
                [
                    label,
                    summary.get(key),
                    changes[key]["was"]
                    if key in changes
                    else (summary.get(key) if content["changes"] is not None else None),
                    changes[key]["change"] if key in changes else (0 if content["changes"] is not None else None),
                ]
                for key, label in packs.SUMMARY
            ],
        ),
        (
            "Is it working",
            head
            + [["Verdict", "Active initiatives"]]
            + [[STATE_LABELS.get(s, s), n] for s, n in content["working"]["verdicts"]]
            + [[], ["Measure", "Kind", "Initiatives", "Latest period", "Latest value", "Unit", "Points", "Target"]]
            + [
                [
                    m["metric"],
                    KIND_LABELS.get(m["kind"], m["kind"]),
                    ", ".join(m["initiatives"]),
                    _date(m["latest_period"]),
                    m["latest_value"],
                    m["unit"],
                    m["points"],
                    m["target"],
                ]
                for m in content["working"]["measures"]
            ],
        ),
        (
            "Decisions",
            head
            + [["Reference", "Initiative", "Decision", "Decided on", "Decided by", "Why", "Evidence"]]
            + [
                [
                    d["reference"],
                    d["title"],
                    DECISION_LABELS.get(d["kind"], d["kind"]),
                    _date(d["decided_on"]),
                    d["decided_by"],
                    d["reason"],
                    d["evidence"],
                ]
                for d in content["decisions"]
            ],
        ),
        (
            "Prioritisation",
            head
            + [["Round", "Held on", "Reference", "Initiative", "Change", "Rank before", "Rank now", "Reason"]]
            + [
                [
                    c["round"],
                    _date(c["held_on"]),
                    c["reference"],
                    c["title"],
                    CHANGE_LABELS.get(c["change"], c["change"]),
                    c["from_rank"],
                    c["to_rank"],
                    c["reason"],
                ]
                for c in content["prioritisation"]
            ],
        ),
        (
            "Money",
            head
            + [
                ["Figure", "£"],
                ["Funding recorded", money["funding_total"]],
                ["Funding secured", money["funding_secured"]],
                ["Planned cost of open initiatives", money["planned_cost"]],
                ["Planned cost after optimism bias", money["adjusted_cost"]],
                ["Spent so far", money["spent"]],
                ["Benefits realised so far", money["realised"]],
                ["Forecast cost, planned", forecast.get("planned")],
                ["Forecast cost, P50", forecast.get("p50")],
                ["Forecast cost, P80", forecast.get("p80")],
                ["Chance the cost is more than planned", forecast.get("chance_over_plan")],
                [],
                [
                    "Reference",
                    "Initiative",
                    "Go-live",
                    "Live",
                    "Funding after go-live (£)",
                    "Requested after (£)",
                    "Flagged",
                ],
            ]
            + [
                [
                    r["reference"],
                    r["title"],
                    _date(r["go_live"]),
                    "Yes" if r["live"] else "No",
                    r["funding_after_go_live"],
                    r["requested_after_go_live"],
                    "Yes" if r["flagged"] else "No",
                ]
                for r in money["after_go_live"]
            ],
        ),
        (
            "Pitfalls",
            head
            + [["Pitfall", "Severity", "Since", "Initiatives", "The numbers behind it", "Key"]]
            + [
                [
                    f["title"],
                    f["severity_label"],
                    _date(f["since"]),
                    "\n".join(f"{ref} {title}".strip() for ref, title in f["initiatives"]),
                    "\n".join([*f["evidence"], f.get("source", "")]).strip(),
                    f["key"],
                ]
                for f in content.get("pitfalls", [])
            ],
        ),
        (
            "Questions",
            head
            + [["Question", "Rating", "The rule", "The numbers behind it", "Initiatives behind the rating"]]
            + [
                [
                    q["question"],
                    q["rating_label"],
                    q["rule"],
                    "\n".join(f"{label}: {count}" for label, count in q["evidence"]),
                    "\n".join(f"{ref} {title}" for ref, title in q["behind"]),
                ]
                for q in content.get("questions", [])
            ],
        ),
        (
            "Risks",
            head
            + [["Open risks by likelihood (rows) and consequence (columns)", 1, 2, 3, 4, 5]]
            + [[f"Likelihood {lk}", *content["risks"]["heat"][lk - 1]] for lk in range(5, 0, -1)]
            + [[], ["Risks past review", "Initiative", "Likelihood", "Consequence", "Score", "Review was due"]]
            + [
                [r["title"], r["initiative"], r["likelihood"], r["consequence"], r["score"], _date(r["next_review"])]
                for r in content["risks"]["past_review"]
            ],
        ),
        (
            "Asked to decide",
            head
            + [["Reference", "Initiative", "Week of", "What the board is asked"]]
            + [[a["reference"], a["title"], _date(a["week"]), a["ask"]] for a in content["asks"]],
        ),
        baf_sheet(content, head),
    ]
    return out


# The board assurance framework (ADR 29), kept apart so other sections can be added beside it.


def _linked_ref(linked: dict[str, Any]) -> str:
    return f"{linked['initiative'] or 'Portfolio'}: {linked['title']} ({linked['score']})"


def baf_words(content: dict[str, Any]) -> dict[str, Any]:
    """The principal risks worded for the page and the PDF; None for a pack from before them."""
    rows = content.get("baf")
    if rows is None:
        return {"baf": None}
    return {
        "baf": [
            {
                **r,
                "current_rating": rating_of(r["current"]["score"]),
                "target_rating": rating_of(r["target"]["score"]),
                "appetite_label": APPETITE_LABELS.get(r["appetite"], r["appetite"]),
                "review_text": date_text(r["next_review"]),
                # As the other lists in the paper: the first few named, the rest counted (all in the workbook).
                "linked_text": [_linked_ref(linked) for linked in r["linked_risks"][:NAMED_PER_FINDING]],
                "linked_more": max(0, len(r["linked_risks"]) - NAMED_PER_FINDING),
            }
            for r in rows
        ]
    }


def baf_sheet(content: dict[str, Any], head: list[list[Cell]]) -> tuple[str, list[list[Cell]]]:
    rows: list[list[Cell]] = [
        [
            "Reference",
            "Principal risk",
            "Strategic goal",
            "Executive owner",
            "Current likelihood",
            "Current consequence",
            "Current score",
            "Target score",
            "Appetite",
            "Appetite accepts up to",
            "Above appetite",
            "Controls",
            "Assurances",
            "Gaps in control",
            "Gaps in assurance",
            "Next review",
            "Linked risks",
        ]
    ]
    for r in content.get("baf") or []:
        rows.append(
            [
                r["reference"],
                r["title"],
                r["goal"],
                r["owner"],
                r["current"]["likelihood"],
                r["current"]["consequence"],
                r["current"]["score"],
                r["target"]["score"],
                APPETITE_LABELS.get(r["appetite"], r["appetite"]),
                r["appetite_ceiling"],
                "Yes" if r["above_appetite"] else "No",
                "\n".join(r["controls"]),
                "\n".join(f"{a['text']} ({a['evidence']})" if a["evidence"] else a["text"] for a in r["assurances"]),
                "\n".join(r["gaps_in_control"]),
                "\n".join(r["gaps_in_assurance"]),
                _date(r["next_review"]),
                "\n".join(_linked_ref(linked) for linked in r["linked_risks"]),
            ]
        )
    if content.get("baf") is None:
        rows.append(["This pack was published before the board assurance framework was kept in Headway."])
    return ("Board assurance framework", head + rows)


def xlsx(pack: BoardPack) -> bytes:
    return xlsx_of(*pack_content(pack))


def xlsx_of(content: dict[str, Any], digest: str) -> bytes:
    """The workbook of content already read: the API sends the digest beside the file, and a draft's
    content (its charts' element ids) differs each time it is worked out."""
    return workbook_bytes(sheets(content, digest))


# A chart point's tooltip (`<title>` inside its marker), which says on a screen what the point is;
# paper has nothing to hover over, and drawing a few hundred of them is a tenth of the PDF's time.
_POINT_TOOLTIP = re.compile(r"<(circle|path)([^>]*)><title>[^<]*</title></\1>")


def html_for_pdf(pack: BoardPack) -> str:
    content, digest = pack_content(pack)
    return html_of(content, digest, draft=not pack.is_published)


def html_of(content: dict[str, Any], digest: str, *, draft: bool) -> str:
    """The HTML a PDF is printed from, of content already read (see `xlsx_of`)."""
    html = render_to_string("assurance/pack_pdf.html", {"p": words(content, digest, draft=draft)})
    return _POINT_TOOLTIP.sub(r"<\1\2/>", html)


def pdf(pack: BoardPack) -> bytes:
    return pdf_of(html_for_pdf(pack))


def pdf_of(html: str) -> bytes:
    """The PDF printed from `html_for_pdf` or `html_of`."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(PDF_STYLESHEET))]))
