"""The pitfalls' findings for a page: where each one can be put right, as an address."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from headway.assurance.pitfalls import HIGH, LOW, MEDIUM, Finding, LinkTarget

SEVERITY_LABELS: dict[str, str] = {HIGH: "High", MEDIUM: "Medium", LOW: "Low"}


def url_of(link: LinkTarget) -> str:
    """The address of a finding's link target, with its query string when it has one."""
    url = reverse(link.name, args=list(link.args))
    return f"{url}?{urlencode(link.query)}" if link.query else url


def urls_of(findings: list[Finding]) -> list[tuple[Finding, str]]:
    return [(finding, url_of(finding.link)) for finding in findings]
