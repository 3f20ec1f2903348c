"""The columns of the metrics app's downloads (ADR 34): the list of metrics, and one metric's
observations, as `headway.downloads` writes them. Values are numbers and periods are dates, so a
spreadsheet can chart them; the words beside them are the page's own (`metrics.presenters`)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from headway.downloads import Column
from headway.lib.periods import period_label
from headway.metrics.models import Metric, Observation
from headway.metrics.presenters import ListRow


def metric_columns(link: Callable[[str], str]) -> list[Column[ListRow]]:
    """Over `presenters.list_rows`, so the variation and assurance words are the list's."""
    return [
        Column("Metric", lambda r: r.metric.name),
        Column("Kind", lambda r: r.kind),
        Column("Who benefits", lambda r: r.metric.get_beneficiary_display()),
        Column("Unit", lambda r: r.metric.unit),
        Column("Better when", lambda r: r.metric.get_improvement_direction_display()),
        Column("Frequency", lambda r: r.metric.get_frequency_display()),
        Column("Baseline", lambda r: r.metric.baseline_value),
        Column("Baseline period", lambda r: r.metric.baseline_period),
        Column("Target", lambda r: r.metric.target_value),
        Column("Target date", lambda r: r.metric.target_date),
        Column("Latest value", lambda r: getattr(r.metric, "latest_value", None)),
        Column("Latest period", lambda r: r.latest_period),
        Column("Variation", lambda r: r.variation),
        Column("Assurance", lambda r: r.assurance),
        Column("Data is late", lambda r: "Yes" if r.stale else "No"),
        Column("Initiatives", lambda r: "; ".join(f"{i.reference} {i.title}" for i in r.initiatives)),
        Column("Owner", lambda r: r.metric.owner.full_name if r.metric.owner else ""),
        Column("Data source", lambda r: r.metric.data_source),
        Column("Definition", lambda r: r.metric.definition),
        Column("Link", lambda r: link(reverse("metrics:detail", args=[r.metric.pk]))),
    ]


def observation_columns(metric: Metric) -> list[Column[Observation]]:
    return [
        Column("Metric", lambda o: metric.name),
        Column("Period starting", lambda o: o.period),
        Column("Period", lambda o: period_label(o.period, metric.frequency)),
        Column(f"Value ({metric.unit})" if metric.unit else "Value", lambda o: o.value),
        Column("Note", lambda o: o.note),
        Column("Recorded by", lambda o: o.recorded_by.full_name if o.recorded_by else "Not known"),
        Column("Recorded on", lambda o: timezone.localtime(o.recorded_at).date()),
    ]
