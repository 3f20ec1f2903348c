"""The pages that show initiatives beside whether they are working: the portfolio list's "Is it
working?" column and filter, and the initiative page's impact section.

The portfolio app knows nothing of metrics (tests/test_layers.py); this is where the two meet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from headway.accounts.models import Organisation
from headway.assurance import pitfall_store
from headway.metrics.models import IMPACT_KINDS, Kind, Metric, Verdict
from headway.metrics.series import Series, build_series
from headway.metrics.verdicts import FLAG_LABELS, VerdictFigures, verdict_figures
from headway.portfolio import queries as portfolio_queries
from headway.portfolio.models import Initiative

# What the board should know about an initiative's measures (at-a-glance's warnings and the
# portfolio list's filter): the verdict's flags, and a measure whose data is out of date.
STALE = "stale"
WARNING_LABELS: dict[str, str] = {**FLAG_LABELS, STALE: "A measure has no recent data"}

# An initiative with no verdict row has never had a metric linked; it counts as having none of the
# measures that would show whether it works.
NO_VERDICT_FLAGS = ["no_outcome_or_adoption"]


def with_warning(qs: QuerySet[Initiative], warning: str, today: dt.date) -> QuerySet[Initiative]:
    """The initiatives in `qs` that at-a-glance counts under `warning` (a key of WARNING_LABELS)."""
    if warning == STALE:
        stale_impact = Metric.objects.stale(today).filter(kind__in=IMPACT_KINDS)
        return qs.filter(pk__in=Initiative.objects.filter(metrics__in=stale_impact).values("pk"))
    # The flags are a JSON list of codes; the quoted code matches one whole element on every database.
    matches = Q(verdict__flags__icontains=f'"{warning}"')
    if warning in NO_VERDICT_FLAGS:
        matches |= Q(verdict__isnull=True)
    return qs.filter(matches)


def portfolio(organisation: Organisation, filters: Mapping[str, Any], today: dt.date) -> QuerySet[Initiative]:
    """The portfolio list (`portfolio.queries.portfolio`) with each initiative's stored verdict,
    filtered by it when asked. `filters` is a cleaned `assurance.forms.PortfolioFilterForm`."""
    qs = portfolio_queries.portfolio(organisation, filters, today).select_related("verdict")
    if answer := filters.get("working"):
        # An initiative with no verdict row has never had a metric linked: "not measured".
        matches = Q(verdict__state=answer)
        if answer == Verdict.State.NOT_MEASURED:
            matches |= Q(verdict__isnull=True)
        qs = qs.filter(matches)
    if warning := filters.get("warning"):
        qs = with_warning(qs, warning, today)
    if key := filters.get("pitfall"):
        # Exactly the initiatives a stored pitfall finding names (at-a-glance links here; ADR 26).
        found = pitfall_store.stored(organisation)
        finding = next((f for f in found.findings if f.key == key), None) if found is not None else None
        qs = qs.filter(reference__in=finding.initiatives if finding is not None else ())
    return qs


@dataclass(frozen=True)
class Impact:
    """Whether an initiative is working, as figures: its verdict and each linked metric's series
    (its data and SPC result), impact measures first. The words and charts are
    `metrics.presenters.impact_section`'s, so the board pack and the API can read the same figures."""

    verdict: VerdictFigures
    series: list[Series]


def impact(initiative: Initiative, today: dt.date) -> Impact:
    """The initiative's verdict and its metrics' series, in four queries however many metrics it
    has (its verdict, its metrics, their observations, their annotations)."""
    try:
        verdict: Verdict | None = initiative.verdict  # type: ignore[attr-defined]
    except Verdict.DoesNotExist:
        verdict = None
    metrics: list[Metric] = sorted(
        initiative.metrics.prefetch_related("observations", "annotations"),  # type: ignore[attr-defined]
        key=lambda m: (m.kind not in IMPACT_KINDS, m.kind == Kind.ACTIVITY, m.name.lower()),
    )
    return Impact(
        verdict=verdict_figures(verdict, metrics, today),
        series=[build_series(m, m.observations.all(), m.annotations.all()) for m in metrics],
    )
