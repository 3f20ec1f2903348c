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
from headway.metrics.models import IMPACT_KINDS, Kind, Metric, Verdict
from headway.metrics.series import Series, build_series
from headway.metrics.verdicts import VerdictFigures, verdict_figures
from headway.portfolio import queries as portfolio_queries
from headway.portfolio.models import Initiative


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
