"""The board assurance framework's figures (ADR 29): each principal risk with its scores against
its target and appetite, its gaps counted and the risks linked to it, read alike by the BAF page
and the board pack; and the assurances' lines with the Headway evidence each one points to.

An assurance is one line: what gives the board assurance, then, after a `|`, where the evidence
is in Headway — an initiative's reference (DIG-014), `metric: <name>`, `question: <key>`,
`pitfall: <key>`, or a page of Headway given by its address (/metrics/12/).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import Truncator

from headway.accounts.models import Organisation
from headway.assurance.models import PrincipalRisk, Question
from headway.lib.bounds import SHORT_TEXT, BoundsError
from headway.metrics.models import Metric
from headway.portfolio.models import Initiative, Risk

INITIATIVE = "initiative"
METRIC = "metric"
QUESTION = "question"
PITFALL = "pitfall"
PAGE = "page"
_PREFIXED = re.compile(r"^(metric|question|pitfall)\s*:\s*(.+)$", re.IGNORECASE)
_PITFALL_KEY = re.compile(r"^[a-z_]+(\.[a-z_]+)?$")
_QUESTION_KEY = re.compile(r"^[-a-z0-9_]+$")
# A page of Headway: a path on this site, never another site ("//host") or a scheme.
_PAGE = re.compile(r"^/(?!/)[-A-Za-z0-9_/.?=&#%]*$")


@dataclass(frozen=True)
class AssuranceLine:
    text: str
    kind: str = ""  # one of the kinds above, or "" for a line with no evidence named
    target: str = ""  # the reference, metric name, key or address as written


def parse_assurances(text: str) -> list[AssuranceLine]:
    """The assurance lines, blank lines left out. Raises `BoundsError` naming the first line
    that cannot be read."""
    lines: list[AssuranceLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        said, _, evidence = (part.strip() for part in line.partition("|"))
        if not said:
            raise BoundsError(f"Line {number}: say what gives assurance before the |.")
        if len(said) > SHORT_TEXT or len(evidence) > SHORT_TEXT:
            raise BoundsError(f"Line {number}: keep each assurance to {SHORT_TEXT} characters or fewer.")
        if not evidence:
            lines.append(AssuranceLine(said))
            continue
        prefixed = _PREFIXED.match(evidence)
        if prefixed:
            kind, target = prefixed[1].lower(), prefixed[2].strip()
            if kind == PITFALL and not _PITFALL_KEY.match(target):
                raise BoundsError(f"Line {number}: a pitfall is named by its key, for example pitfall: watermelon.")
            if kind == QUESTION and not _QUESTION_KEY.match(target):
                raise BoundsError(f"Line {number}: a question is named by its key, for example question: honest_risk.")
            lines.append(AssuranceLine(said, kind, target))
        elif evidence.startswith("/"):
            if not _PAGE.match(evidence):
                raise BoundsError(f"Line {number}: give a page of Headway by its address, for example /metrics/12/.")
            lines.append(AssuranceLine(said, PAGE, evidence))
        elif " " not in evidence:
            lines.append(AssuranceLine(said, INITIATIVE, evidence))
        else:
            raise BoundsError(
                f"Line {number}: after the | give an initiative's reference, metric: <name>, question: <key>, "
                "pitfall: <key> or a page's address starting with /."
            )
    return lines


def unknown_evidence(organisation: Organisation, lines: Iterable[AssuranceLine]) -> list[str]:
    """What the lines name that the organisation does not have, in words, for the form."""
    lines = list(lines)
    wanted = {kind: {line.target for line in lines if line.kind == kind} for kind in (INITIATIVE, METRIC, QUESTION)}
    known_initiatives = set(
        Initiative.objects.for_organisation(organisation)
        .filter(reference__in=wanted[INITIATIVE])
        .values_list("reference", flat=True)
    )
    known_metrics = set(
        Metric.objects.filter(organisation=organisation, name__in=wanted[METRIC]).values_list("name", flat=True)
    )
    known_questions = set(Question.objects.filter(key__in=wanted[QUESTION]).values_list("key", flat=True))
    missing = [f"no initiative {ref}" for ref in sorted(wanted[INITIATIVE] - known_initiatives)]
    missing += [f"no metric named “{name}”" for name in sorted(wanted[METRIC] - known_metrics)]
    missing += [f"no board question with the key {key}" for key in sorted(wanted[QUESTION] - known_questions)]
    return missing


@dataclass(frozen=True)
class Evidence:
    text: str
    label: str  # the evidence in words: "DIG-014 Patient portal", "Metric: Letters sent in 7 days"
    url: str  # "" where what it names is no longer there


def evidence_of(organisation: Organisation, lines: list[AssuranceLine]) -> list[Evidence]:
    """Each line with a link to its evidence, in three queries whatever the number of lines."""
    initiatives = {
        i.reference: i
        for i in Initiative.objects.for_organisation(organisation).filter(
            reference__in={line.target for line in lines if line.kind == INITIATIVE}
        )
    }
    metrics = {
        m.name: m
        for m in Metric.objects.filter(
            organisation=organisation, name__in={line.target for line in lines if line.kind == METRIC}
        )
    }
    questions = dict(
        Question.objects.filter(key__in={line.target for line in lines if line.kind == QUESTION}).values_list(
            "key", "wording"
        )
    )
    out = []
    for line in lines:
        label, url = "", ""
        if line.kind == INITIATIVE:
            initiative = initiatives.get(line.target)
            label = str(initiative) if initiative else f"{line.target} (not found)"
            url = reverse("portfolio:detail", args=[initiative.pk]) if initiative else ""
        elif line.kind == METRIC:
            metric = metrics.get(line.target)
            label = f"Metric: {line.target}" + ("" if metric else " (not found)")
            url = reverse("metrics:detail", args=[metric.pk]) if metric else ""
        elif line.kind == QUESTION:
            wording = questions.get(line.target)
            label = f"Board question: {Truncator(wording).chars(90)}" if wording else f"Board question {line.target}"
            url = reverse("portfolio:questions") + f"#question-{line.target}" if line.target in questions else ""
        elif line.kind == PITFALL:
            label = f"Pitfall: {line.target}"
            url = reverse("portfolio:pitfalls")
        elif line.kind == PAGE:
            label, url = f"Headway page {line.target}", line.target
        out.append(Evidence(line.text, label, url))
    return out


# The figures -----------------------------------------------------------------------------------


@dataclass
class PrincipalRiskRow:
    risk: PrincipalRisk
    linked: list[Risk] = field(default_factory=list)

    @property
    def linked_open(self) -> list[Risk]:
        return [r for r in self.linked if r.status == Risk.State.OPEN]


def principal_risks(organisation: Organisation, *, only_open: bool = False) -> list[PrincipalRiskRow]:
    """The organisation's principal risks with the risks linked to them, in two queries."""
    risks = PrincipalRisk.objects.for_organisation(organisation).select_related("owner", "goal")
    if only_open:
        risks = risks.open()
    linked = Prefetch(
        "linked_risks", queryset=Risk.objects.select_related("initiative").order_by("-likelihood", "-consequence", "pk")
    )
    return [PrincipalRiskRow(r, list(r.linked_risks.all())) for r in risks.prefetch_related(linked)]


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def pack_section(organisation: Organisation) -> list[dict[str, Any]]:
    """The open principal risks as the board pack freezes them: plain JSON."""
    rows = []
    for row in principal_risks(organisation, only_open=True):
        risk = row.risk
        try:
            assurances = [{"text": line.text, "evidence": line.target} for line in parse_assurances(risk.assurances)]
        except BoundsError:  # saved before a rule tightened: kept as written
            assurances = [{"text": line, "evidence": ""} for line in lines_of(risk.assurances)]
        rows.append(
            {
                "reference": risk.reference,
                "title": risk.title,
                "goal": risk.goal.title if risk.goal else None,
                "owner": (risk.owner.full_name or risk.owner.email) if risk.owner else None,
                "current": {
                    "likelihood": risk.current_likelihood,
                    "consequence": risk.current_consequence,
                    "score": risk.current_score,
                },
                "target": {
                    "likelihood": risk.target_likelihood,
                    "consequence": risk.target_consequence,
                    "score": risk.target_score,
                },
                "appetite": risk.appetite,
                "appetite_ceiling": risk.appetite_ceiling,
                "above_appetite": risk.above_appetite,
                "controls": lines_of(risk.controls),
                "assurances": assurances,
                "gaps_in_control": lines_of(risk.gaps_in_control),
                "gaps_in_assurance": lines_of(risk.gaps_in_assurance),
                "next_review": risk.next_review.isoformat(),
                "linked_risks": [
                    {
                        "initiative": r.initiative.reference if r.initiative else None,
                        "title": r.title,
                        "score": r.score,
                    }
                    for r in row.linked_open
                ],
            }
        )
    return rows
