"""The columns of the portfolio list's download (ADR 34): the list as the page shows it, with
whether each initiative is working beside it, as `headway.downloads` writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse

from headway.assurance import glance
from headway.downloads import Column
from headway.metrics.verdicts import STATE_LABELS
from headway.portfolio import presenters as portfolio_presenters
from headway.portfolio import queries as portfolio_queries
from headway.portfolio.models import Initiative


def _name(person: object) -> str:
    return str(getattr(person, "full_name", "") or "") if person is not None else ""


def portfolio_columns(today: dt.date, link: Callable[[str], str]) -> list[Column[Initiative]]:
    """`link` turns a path into the full address, so the file's links open from a spreadsheet."""
    return [
        Column("Reference", lambda i: i.reference),
        Column("Title", lambda i: i.title),
        Column("Status", lambda i: i.get_status_display()),
        Column("Phase", lambda i: i.get_phase_display()),
        Column("Is it working?", lambda i: STATE_LABELS.get(glance.verdict_state(i), "")),
        Column("Senior responsible owner", lambda i: _name(i.sro)),
        Column("SRO's directorate", lambda i: i.sro_directorate),
        Column("Delivery lead", lambda i: _name(i.delivery_lead)),
        Column(
            "Delivery confidence",
            lambda i: portfolio_presenters.LABELS.get(i.current_confidence or "", "No checkpoint yet"),
        ),
        Column(
            "Checkpoint",
            lambda i: portfolio_presenters.CHECKPOINT_STATE_LABELS.get(portfolio_queries.state_of(i, today) or "", ""),
        ),
        Column("Latest checkpoint week", lambda i: i.last_checkpoint_week),
        Column("Start date", lambda i: i.start_date),
        Column("Planned first release", lambda i: i.planned_first_release),
        Column("Planned go-live", lambda i: i.planned_go_live),
        Column("Went live on", lambda i: i.went_live_on),
        Column("Problem it solves", lambda i: i.problem),
        Column("Link", lambda i: link(reverse("portfolio:detail", args=[i.pk]))),
    ]
