"""The checks a board should see on an initiative's money, as typed results: a code and the
numbers behind it, never a sentence (`presenters` words them for a page, the board pack and the
API alike).

- funding that stops at go-live (`funding_check`);
- a business case argued only in cash, or with no benefits at all (`case_flags`);
- a late first release, or value only at the end (`shape_flags`, from the delivery shape);
- work under way with no business case;
- finished initiatives left out of the track record, because actual ÷ planned is 0 (`usable_ratios`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from headway.finance import forecast
from headway.finance.models import BenefitLine, FundingLine
from headway.lib.financial_years import financial_year_start, last_day, year_label, year_start
from headway.portfolio.models import Initiative, Status

if TYPE_CHECKING:  # figures composes these checks, so it cannot be imported here at run time
    from headway.finance.figures import CaseFigures, ClassMember

SECURED_STATES = (FundingLine.State.APPROVED, FundingLine.State.COMMITTED, FundingLine.State.SPENT)

#: The codes, in the order a page lists them.
FUNDING_ENDS = "funding_ends"
CASH_ONLY = "cash_only"
NO_BENEFITS = "no_benefits"
NO_EARLY_RELEASE = "no_early_release"
VALUE_ONLY_AT_END = "value_only_at_end"
NO_CASE = "no_case"
CODES = (FUNDING_ENDS, CASH_ONLY, NO_BENEFITS, NO_EARLY_RELEASE, VALUE_ONLY_AT_END, NO_CASE)
SHAPE_CODES = (NO_EARLY_RELEASE, VALUE_ONLY_AT_END)

#: The measures of the track record, each a ratio of actual to planned.
MEASURES = ("cost", "duration", "benefit")


@dataclass
class FundingCheck:
    """Is there money to run and improve the service after it goes live?"""

    go_live: dt.date | None
    live: bool  # the date is the real go-live, not the plan
    go_live_year: str
    after: int  # approved, committed or spent funding in financial years that end after go-live
    after_years: list[str]
    flagged: bool
    requested_after: int = 0  # requested (not yet approved) funding in years that end after go-live
    requested_years: list[str] = field(default_factory=list)
    for_running: bool = False  # some of the secured funding after go-live is marked to run the live service


@dataclass
class Flag:
    """One check that failed. What it carries depends on its code: the funding check for
    `funding_ends`, the business case's stage for `cash_only` and `no_benefits`, the forecast
    module's own sentence for the delivery-shape codes."""

    code: str
    colour: str = "orange"
    funding: FundingCheck | None = None
    stage: str = ""  # "outline business case"
    sentence: str = ""


def funding_check(initiative: Initiative, lines: Sequence[FundingLine]) -> FundingCheck:
    """Flagged when nothing secured (approved, committed or spent) pays for the service after
    go-live (the real date once it has gone live, the planned one before). What counts: a line
    marked for running and improving the live service in a financial year that ends after go-live,
    or any line for a financial year after the go-live year. Money to build it in the go-live year
    does not count, because it is spent getting to go-live. Money only requested for those years is
    reported separately: it is not yet secured."""
    go_live = initiative.went_live_on or initiative.planned_go_live
    live = initiative.went_live_on is not None
    if go_live is None:
        return FundingCheck(None, False, "", 0, [], False)
    year = financial_year_start(go_live)
    running_on = [
        line
        for line in lines
        if last_day(line.financial_year) > go_live
        and (line.purpose == FundingLine.Purpose.RUN or year_start(line.financial_year) > year)
    ]
    later = [line for line in running_on if line.state in SECURED_STATES]
    requested = [line for line in running_on if line.state == FundingLine.State.REQUESTED]
    return FundingCheck(
        go_live=go_live,
        live=live,
        go_live_year=year_label(year),
        after=sum(line.amount for line in later),
        after_years=sorted({line.financial_year for line in later}),
        flagged=not later,
        requested_after=sum(line.amount for line in requested),
        requested_years=sorted({line.financial_year for line in requested}),
        for_running=any(line.purpose == FundingLine.Purpose.RUN for line in later),
    )


def is_cash_only(benefits: Sequence[BenefitLine]) -> bool:
    """Every benefit is cash-releasing: the case is argued only in cash. (A case with no benefits
    at all is not argued in cash; the `no_benefits` check says so instead.)"""
    return bool(benefits) and all(b.kind == BenefitLine.Kind.CASH_RELEASING for b in benefits)


def case_flags(latest: CaseFigures | None) -> list[Flag]:
    """The latest business case argued only in cash, or recording no benefits at all."""
    if latest is None:
        return []
    stage = latest.case.get_stage_display().lower()
    if latest.cash_only:
        return [Flag(CASH_ONLY, stage=stage)]
    if latest.no_benefits:
        return [Flag(NO_BENEFITS, stage=stage)]
    return []


def shape_flags(shape: forecast.DeliveryShape | None) -> list[Flag]:
    """The delivery-shape flags, each with the forecast module's own sentence (one sentence per
    flag set, in the order of the booleans)."""
    if shape is None:
        return []
    codes = [code for code in SHAPE_CODES if getattr(shape, code)]
    return [Flag(code, sentence=sentence) for code, sentence in zip(codes, shape.flags, strict=False)]


def initiative_flags(
    initiative: Initiative,
    check: FundingCheck,
    latest: CaseFigures | None,
    shape: forecast.DeliveryShape | None,
    *,
    has_case: bool,
) -> list[Flag]:
    """Every check that failed for an open initiative, in the order a page lists them."""
    flags = []
    if check.flagged:
        flags.append(Flag(FUNDING_ENDS, colour="red", funding=check))
    flags += case_flags(latest)
    flags += shape_flags(shape)
    if not has_case and initiative.status == Status.ACTIVE:
        flags.append(Flag(NO_CASE, colour="yellow"))
    return flags


@dataclass
class LeftOut:
    """Finished initiatives left out of one measure of the track record."""

    measure: str  # "cost", "duration" or "benefit"
    members: list[ClassMember]


def usable_ratios(members: Sequence[ClassMember], measure: str) -> tuple[list[float], LeftOut]:
    """The members' ratios (actual ÷ planned) for "cost", "duration" or "benefit" that can be used,
    and the members left out because their ratio is not above 0 or not finite (a ratio of 0 is not
    an outcome: it would say the work cost, or took, nothing). Members with no ratio for the measure
    (no planned months to a first benefit, say) are neither."""
    ratios: list[float] = []
    left_out: list[ClassMember] = []
    for member in members:
        ratio = {"cost": member.cost_ratio, "duration": member.duration_ratio, "benefit": member.benefit_ratio}[measure]
        if ratio is None:
            continue
        if math.isfinite(ratio) and ratio > 0:
            ratios.append(ratio)
        else:
            left_out.append(member)
    return ratios, LeftOut(measure, left_out)
