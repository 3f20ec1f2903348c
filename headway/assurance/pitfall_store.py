"""The pitfall findings, stored per organisation (ADR 26).

Working the findings out reads the whole portfolio (`pitfall_inputs`), too slow for every visit to
at-a-glance or an initiative's page. So every action that changes what the detectors read asks for
the organisation's findings to be worked out again, in its own transaction (`headway.derived`,
registered in `assurance.apps`), and pages read the one stored row. `manage.py refresh_findings`
works them out again for a nightly run, because some checks count weeks and months to the day.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from headway.accounts.models import Organisation
from headway.assurance import pitfall_inputs
from headway.assurance.models import StoredFindings
from headway.assurance.pitfalls import SEVERITIES, Finding, LinkTarget


def as_stored(finding: Finding) -> dict[str, Any]:
    """A finding as plain JSON, with where it can be put right."""
    link = finding.link
    return {
        **finding.as_json(),
        "link": {"name": link.name, "args": list(link.args), "query": [list(pair) for pair in link.query]},
    }


def from_stored(data: Mapping[str, Any]) -> Finding:
    link = data.get("link") or {}
    since = data.get("since")
    return Finding(
        key=str(data["key"]),
        pitfall=str(data.get("pitfall", "")),
        title=str(data["title"]),
        severity=str(data["severity"]),
        initiatives=tuple(data.get("initiatives") or ()),
        evidence=dict(data.get("evidence") or {}),
        since=dt.date.fromisoformat(since) if since else None,
        link=LinkTarget(
            str(link.get("name", "portfolio:pitfalls")),
            tuple(int(a) for a in link.get("args") or ()),
            tuple((str(k), str(v)) for k, v in link.get("query") or ()),
        ),
    )


@dataclass(frozen=True)
class Stored:
    findings: list[Finding]
    judged_on: dt.date
    worked_out_at: dt.datetime
    changed_since: dt.datetime | None = None  # data changed since, not yet counted

    def naming(self, reference: str) -> list[Finding]:
        """The findings that name this initiative."""
        return [f for f in self.findings if reference in f.initiatives]

    def counts(self) -> Mapping[str, int]:
        return {severity: sum(1 for f in self.findings if f.severity == severity) for severity in SEVERITIES}


def refresh(organisation: Organisation, today: dt.date | None = None) -> StoredFindings:
    """Work the organisation's findings out as on `today` and store them (a write: actions and
    commands only, never a page)."""
    today = today or timezone.localdate()
    started = time.perf_counter()
    found = pitfall_inputs.findings(organisation, today)
    took_ms = round((time.perf_counter() - started) * 1000)
    row, _ = StoredFindings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "findings": [as_stored(f) for f in found],
            "judged_on": today,
            "worked_out_at": timezone.now(),
            "took_ms": took_ms,
            "changed_since": None,
        },
    )
    return row


def refresh_organisation(organisation_id: int) -> None:
    """What `headway.derived` calls after an action has changed an organisation's data: work the
    findings out again, in the action's transaction. A portfolio large enough that this takes
    longer than `FINDINGS_REFRESH_BUDGET_MS`, and that was worked out less than
    `FINDINGS_REFRESH_EVERY` seconds ago, is only marked as changed: the next write after that
    works it out, and so does `manage.py refresh_findings --changed` (run it every minute), so that
    a checkpoint saved at a 2,000-initiative trust does not wait half a second for the board's
    pitfalls, and twenty saved in a minute do not each work them out."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return
    now = timezone.now()
    last = StoredFindings.objects.filter(organisation=organisation).values("took_ms", "worked_out_at").first()
    if (
        last is not None
        and last["took_ms"] > settings.FINDINGS_REFRESH_BUDGET_MS
        and (now - last["worked_out_at"]).total_seconds() < settings.FINDINGS_REFRESH_EVERY
    ):
        StoredFindings.objects.filter(organisation=organisation, changed_since__isnull=True).update(changed_since=now)
        return
    refresh(organisation)


def stored(organisation: Organisation) -> Stored | None:
    """The stored findings (one query), or None when they have never been worked out."""
    row = (
        StoredFindings.objects.filter(organisation=organisation)
        .values_list("findings", "judged_on", "worked_out_at", "changed_since")
        .first()
    )
    if row is None:
        return None
    findings, judged_on, worked_out_at, changed_since = row
    return Stored([from_stored(f) for f in findings or ()], judged_on, worked_out_at, changed_since)
