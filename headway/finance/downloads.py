"""The columns of the money page's downloads (ADR 34): each initiative's money, as the page's
table shows it, and every funding line behind it, as `headway.downloads` writes them. Amounts are
whole pounds, written as numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from headway.downloads import Column
from headway.finance import presenters
from headway.finance.figures import InitiativeMoney, Overview
from headway.finance.models import FundingLine
from headway.portfolio.models import Initiative

#: The lists the money page offers as files, by the value of its `list` parameter.
INITIATIVES = "initiatives"
FUNDING = "funding"
LISTS = (INITIATIVES, FUNDING)


def money_rows(overview: Overview) -> list[InitiativeMoney]:
    """The page's order: the open initiatives, then the finished and stopped ones."""
    return [*overview.current, *overview.finished]


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def initiative_columns(link: Callable[[str], str]) -> list[Column[InitiativeMoney]]:
    return [
        Column("Reference", lambda m: m.initiative.reference),
        Column("Initiative", lambda m: m.initiative.title),
        Column("Status", lambda m: m.initiative.get_status_display()),
        Column("Funding (£)", lambda m: m.funding_total),
        Column("Funding approved, committed or spent (£)", lambda m: m.funding_secured),
        Column("Business case", lambda m: presenters.stage_short(m.latest) if m.latest else "No business case"),
        Column("Cost (£)", lambda m: m.latest.total_cost if m.latest else None),
        Column(
            "Cost after optimism bias (£)",
            lambda m: _whole(m.latest.bias.adjusted_cost) if m.latest else None,
        ),
        Column("Net present value (£)", lambda m: _whole(m.latest.appraisal.npv) if m.latest else None),
        Column(
            "Benefit–cost ratio",
            lambda m: round(m.latest.appraisal.bcr, 2) if m.latest and m.latest.appraisal.bcr is not None else None,
        ),
        Column("Spent (£)", lambda m: m.spent),
        Column("Benefits realised (£)", lambda m: m.realised),
        Column("Flags", lambda m: "; ".join(presenters.flag_label(f) for f in m.flags)),
        Column("Link", lambda m: link(reverse("finance:initiative", args=[m.initiative.pk]))),
    ]


@dataclass(frozen=True)
class Funded:
    """A funding line beside the initiative it funds (the figures hold the line without it)."""

    initiative: Initiative
    line: FundingLine


def funding_rows(overview: Overview) -> list[Funded]:
    return [Funded(m.initiative, line) for m in money_rows(overview) for line in m.funding]


def funding_columns(link: Callable[[str], str]) -> list[Column[Funded]]:
    return [
        Column("Reference", lambda f: f.initiative.reference),
        Column("Initiative", lambda f: f.initiative.title),
        Column("Financial year", lambda f: f.line.financial_year),
        Column("Capital or revenue", lambda f: f.line.get_kind_display()),
        Column("Source", lambda f: f.line.get_source_display()),
        Column("State", lambda f: f.line.get_state_display()),
        Column("For", lambda f: f.line.get_purpose_display()),
        Column("Amount (£)", lambda f: f.line.amount),
        Column("Note", lambda f: f.line.note),
        Column("Link", lambda f: link(reverse("finance:initiative", args=[f.initiative.pk]))),
    ]
