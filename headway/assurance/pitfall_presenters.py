"""The pitfalls' findings for a page: where each one can be put right, as an address, and the
numbers behind each in plain words (the pure module gives figures, never sentences)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from headway.assurance.pitfalls import HIGH, LOW, MEDIUM, SEVERITIES, Finding, LinkTarget
from headway.lib.money import pounds
from headway.lib.percentages import percent

SEVERITY_LABELS: dict[str, str] = {HIGH: "High", MEDIUM: "Medium", LOW: "Low"}

#: Where the figures came from, as the detectors name it, in words for a board.
SOURCE_LABELS: dict[str, str] = {
    "metrics verdicts (stored)": "the measures' verdicts",
    "weekly checkpoints": "the weekly checkpoints",
    "latest business cases' optimism-bias scores": "the optimism-bias scores in the latest business cases",
    "finance reference-class forecast and funding lines": "the reference-class cost forecast and the funding lines",
    "finance flags (latest business case)": "the money checks on the latest business cases",
    "finance flags": "the money checks on the latest business cases and funding",
    "organisation settings": "the organisation's settings",
    "initiatives' goals, services and join-ups": "the initiatives' goals, services and join-ups",
    "user needs and their evidence": "the user needs and how they are known",
    "initiatives": "the initiatives' records",
    "latest business cases": "the latest business cases",
}

WHY_LABELS: dict[str, str] = {
    "deteriorating_measure": "a measure is getting worse",
    "risks_past_review": "risks past their review date",
    "nothing_reached_users_since": "nothing has reached real users since",
}


def url_of(link: LinkTarget) -> str:
    """The address of a finding's link target, with its query string when it has one."""
    url = reverse(link.name, args=list(link.args))
    return f"{url}?{urlencode(link.query)}" if link.query else url


def urls_of(findings: list[Finding]) -> list[tuple[Finding, str]]:
    return [(finding, url_of(finding.link)) for finding in findings]


def _date(value: object) -> str:
    if value is None:
        return "never"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    try:
        return f"{dt.date.fromisoformat(str(value)):%-d %B %Y}"
    except ValueError:
        return str(value)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def _per_reference(values: Mapping[str, Any], say: Callable[[Any], str], only: str = "") -> list[str]:
    return [f"{reference}: {say(value)}" for reference, value in values.items() if not only or reference == only]


def _case(value: Mapping[str, Any]) -> str:
    scored = int(value.get("risk_areas_scored") or 0)
    bias = value.get("cost_bias")
    text = f"{_plural(scored, 'risk area')} scored, none mitigated" if scored else "no risk area scored"
    return text + (f"; cost uplift {percent(float(bias))}" if bias is not None else "")


def _gap(value: Mapping[str, Any]) -> str:
    return f"P80 cost {pounds(value.get('p80_cost'))} against {pounds(value.get('funding_secured'))} secured"


def _team(value: Mapping[str, Any]) -> str:
    return (
        f"{value.get('team')} in {value.get('quarter')}: asked for {value.get('asked'):g} days of {value.get('days')}"
    )


def _why(value: Mapping[str, Any]) -> str:
    parts = []
    for code, detail in value.items():
        label = WHY_LABELS.get(code, code.replace("_", " "))
        if code == "risks_past_review":
            parts.append(f"{_plural(int(detail), 'risk')} past its review date")
        elif code == "nothing_reached_users_since":
            parts.append(f"{label} {_date(None if detail == 'never' else detail)}")
        else:
            parts.append(label)
    return "; ".join(parts)


def _lines(key: str, value: Any, evidence: Mapping[str, Any], only: str = "") -> list[str]:
    """One evidence entry in words; an entry the page does not know is shown plainly rather than
    dropped, so a new detector's figures are never hidden. With `only` (a reference), the entries
    given per initiative keep that initiative's line alone (for its own page)."""
    match key:
        case "initiatives":
            active = evidence.get("active")
            of = f" of the {active} active" if active is not None else ""
            return [f"{value}{of} initiative{'s' if value != 1 or active else ''} named"]
        case "active" | "with_a_case" | "weeks_without_users" | "share_allowed" | "threshold" | "digital_words":
            return []  # said with another entry
        case "source":
            return [f"From {SOURCE_LABELS.get(str(value), str(value))}."]
        case "weeks_without_demo" | "weeks" | "checkpoints" | "months" | "limit" | "min_evidence_words":
            return []  # the title says it
        case "last_demonstrated":
            return _per_reference(
                value, lambda d: f"last demonstrated {_date(d)}" if d else "nothing demonstrated yet", only
            )
        case "last_checkpoint":
            return _per_reference(value, lambda d: f"last checkpoint {_date(d)}" if d else "no checkpoint yet", only)
        case "cases":
            return _per_reference(value, _case, only)
        case "gap":
            return _per_reference(value, _gap, only)
        case "people":
            return [f"{name}: {_plural(n, 'active initiative')}" for name, n in value.items()]
        case "round":
            return [f"Prioritisation round: {value}"] if value else []
        case "teams":
            return [_team(team) for team in value]
        case "live_without_run_money":
            return [f"Already live with no money to run and improve: {', '.join(value)}"] if value else []
        case "share":
            return [
                f"{percent(float(value))} of the funding secured for open work "
                f"(threshold {percent(float(evidence.get('threshold', 0)))})"
            ]
        case "its_funding_secured":
            return [f"Its funding secured: {pounds(value)}"]
        case "open_funding_secured":
            return [f"All open work's funding secured: {pounds(value)}"]
        case "wip_limit":
            return [f"{evidence.get('active')} active against a limit of {value}"]
        case "started":
            return [f"{_plural(int(value), 'initiative')} started"]
        case "stopped_paused_or_closed":
            return [f"{value} stopped, paused or closed"]
        case "since":
            return [f"Counted since {_date(value)}"]
        case "last_stop_or_pause":
            return [f"Last stop or pause: {_date(value)}"]
        case "directorates":
            return [f"{name}: {_plural(int(n), 'SRO')}" for name, n in value.items()]
        case "why":
            return _per_reference(value, _why, only)
        case "benefit_lines":
            return _per_reference(value, lambda n: f"{_plural(int(n), 'benefit line')} without an owner", only)
        case "decisions":
            return [
                f"{_plural(int(value), 'decision')} with fewer than "
                f"{evidence.get('min_evidence_words')} words of evidence"
            ]
    return [f"{key.replace('_', ' ').capitalize()}: {value}"]


def source_words(finding: Finding) -> list[str]:
    """Where a finding's numbers come from, in words (no lines when it does not say)."""
    return _lines("source", finding.evidence["source"], finding.evidence) if "source" in finding.evidence else []


def evidence_words(finding: Finding, only: str = "", *, with_source: bool = True) -> list[str]:
    """The numbers behind a finding, one short line each, the source last unless left out
    (`only`: see `_lines`)."""
    # "Counted since" is left out when it is the finding's own "since", shown beside it.
    said = {"source"} | (
        {"since"} if finding.since and finding.evidence.get("since") == finding.since.isoformat() else set()
    )
    lines = [
        line
        for key, value in finding.evidence.items()
        if key not in said
        for line in _lines(key, value, finding.evidence, only)
    ]
    return lines + source_words(finding) if with_source else lines


@dataclass(frozen=True)
class Named:
    reference: str
    title: str
    url: str


@dataclass(frozen=True)
class ShownFinding:
    finding: Finding
    severity_label: str
    initiatives: tuple[Named, ...]
    evidence: tuple[str, ...]
    since: str
    fix_url: str
    anchor: str = ""


def shown(findings: Sequence[Finding], named: Mapping[str, tuple[int, str]], only: str = "") -> list[ShownFinding]:
    """Each finding for a page: `named` maps a reference to its initiative's key and title (one
    query, however many findings); `only`, on an initiative's page, its reference, and then the
    finding names only that one (a finding may name a thousand, which that page does not list)."""
    rows = []
    for finding in findings:
        initiatives = tuple(
            Named(ref, named[ref][1], reverse("portfolio:detail", args=[named[ref][0]]))
            if ref in named
            else Named(ref, "", "")
            for ref in finding.initiatives
            if not only or ref == only
        )
        rows.append(
            ShownFinding(
                finding,
                SEVERITY_LABELS.get(finding.severity, finding.severity),
                initiatives,
                tuple(evidence_words(finding, only)),
                _date(finding.since) if finding.since else "",
                url_of(finding.link),
                anchor(finding),
            )
        )
    return rows


def by_severity(rows: Sequence[ShownFinding]) -> list[tuple[str, str, list[ShownFinding]]]:
    """(severity, its label, its findings), most severe first, leaving out severities with none."""
    return [
        (severity, SEVERITY_LABELS[severity], [r for r in rows if r.finding.severity == severity])
        for severity in SEVERITIES
        if any(r.finding.severity == severity for r in rows)
    ]


def anchor(finding: Finding) -> str:
    """The id of a finding's section on the pitfalls page."""
    return "finding-" + finding.key.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class GlanceLine:
    title: str
    severity: str
    severity_label: str
    initiatives: int
    url: str


@dataclass(frozen=True)
class GlanceSummary:
    worked_out: bool
    judged_on: dt.date | None
    worked_out_at: dt.datetime | None
    lines: tuple[GlanceLine, ...]
    changed_since: dt.datetime | None = None


def glance_summary(stored: Any, list_url: Callable[..., str]) -> GlanceSummary:
    """At a glance's pitfalls: each stored finding, its severity and how many initiatives it names,
    linking to the portfolio list filtered to exactly those (`list_url(pitfall=key)`), or to its
    section of the pitfalls page when it names none (a finding about the portfolio as a whole).
    `stored` is a `pitfall_store.Stored` or None when never worked out."""
    if stored is None:
        return GlanceSummary(False, None, None, ())
    pitfalls_page = reverse("portfolio:pitfalls")
    lines = tuple(
        GlanceLine(
            f.title,
            f.severity,
            SEVERITY_LABELS.get(f.severity, f.severity),
            len(f.initiatives),
            list_url(pitfall=f.key) if f.initiatives else f"{pitfalls_page}#{anchor(f)}",
        )
        for f in stored.findings
    )
    return GlanceSummary(True, stored.judged_on, stored.worked_out_at, lines, stored.changed_since)
