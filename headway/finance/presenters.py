"""The money figures in words and charts, for the pages that show them.

Everything here turns `figures` and `flags` into sentences, labels and SVG: what a check means,
how the optimism bias was applied, which finished initiatives were left out of the track record
and why, and the portfolio forecast's summary and charts. No database access and no sums a
board pack or the API would need: those are in `figures`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.safestring import SafeString, mark_safe

from headway.finance import charts, flags
from headway.finance.figures import (
    NO_CASE_TO_FORECAST,
    NOTHING_TO_COME,
    BenefitEvidence,
    BiasFigures,
    CaseFigures,
    ClassForecasts,
    ForecastFigures,
    FundingCheck,
    InitiativeMoney,
    Overview,
)
from headway.finance.flags import Flag, LeftOut
from headway.finance.models import (
    Actual,
    BenefitLine,
    BusinessCase,
    CostLine,
    FundingLine,
    Mitigation,
    MoneyKind,
)
from headway.history import display
from headway.lib.financial_years import year_label
from headway.lib.money import pounds, short_pounds
from headway.lib.percentages import percent
from headway.metrics.presenters import FIRST_BENEFIT_WORDS

STAGE_SHORT = {
    BusinessCase.Stage.SOC: "Strategic outline",
    BusinessCase.Stage.OBC: "Outline",
    BusinessCase.Stage.FBC: "Full",
}


def months_text(months: float | None) -> str:
    if months is None:
        return ""
    rounded = round(months, 1)
    text = f"{rounded:g}"
    return f"{text} month" if rounded == 1 else f"{text} months"


def stage_short(figures: CaseFigures) -> str:
    return STAGE_SHORT.get(BusinessCase.Stage(figures.case.stage), "")


# One business case ---------------------------------------------------------------------------


def bias_problem(bias: BiasFigures) -> str:
    """Why no uplift could be worked out, when the reference data cannot be used; "" when all is well."""
    if not bias.problems:
        return ""
    reasons = "; ".join(f"for {measure}: {reason.rstrip('.')}" for measure, reason in bias.problems)
    return (
        f"The optimism-bias reference data for “{bias.project_type.name}” cannot be used ({reasons}), "
        "so no uplift is shown where it is affected. An administrator needs to correct the project type "
        "and its risk areas."
    )


def cost_kind_label(kind: str) -> str:
    """ "capital costs" or "revenue (operating) costs": what the cost bias applies to."""
    return "revenue (operating) costs" if kind == MoneyKind.REVENUE else "capital costs"


def applied_to(bias: BiasFigures) -> str:
    """What the cost uplift was applied to, in words."""
    if bias.cost_bias is None:
        return ""
    kind_label = cost_kind_label(bias.cost_kind)
    other = "revenue" if bias.cost_kind == MoneyKind.CAPITAL else "capital"
    guidance = (
        "HM Treasury's bounds for this type of project are for operating expenditure"
        if bias.cost_kind == MoneyKind.REVENUE
        else "HM Treasury's bounds are for capital cost"
    )
    if not bias.biased_cost:
        return (
            f"The {percent(bias.cost_bias)} cost uplift applies to {kind_label} only ({guidance}), "
            f"and this case has none, so nothing is raised."
        )
    return (
        f"The {percent(bias.cost_bias)} cost uplift is applied to the {pounds(bias.biased_cost)} of "
        f"{kind_label} only, adding {pounds(bias.uplift)}; the other "
        f"{pounds(bias.total_cost - bias.biased_cost)} ({other}) is not raised, because {guidance}."
    )


# Checks a board should see -------------------------------------------------------------------


FLAG_LABELS = {
    flags.FUNDING_ENDS: "Funding ends at go-live",
    flags.CASH_ONLY: "Benefits argued only in cash",
    flags.NO_BENEFITS: "No benefits recorded",
    flags.NO_EARLY_RELEASE: "No early release",
    flags.VALUE_ONLY_AT_END: "Value only at the end",
    flags.NO_CASE: "No business case",
}

FLAG_SUMMARIES = {
    flags.FUNDING_ENDS: "No approved, committed or spent funding runs on past go-live, so nothing secured pays to "
    "run and improve the live service.",
    flags.CASH_ONLY: "Every benefit in the latest business case is cash-releasing; staff time, safety and patients' "
    "experience are left out.",
    flags.NO_BENEFITS: "The latest business case records no benefits at all.",
    flags.NO_EARLY_RELEASE: "Nothing reached real users within {weeks} weeks of the start.",
    flags.VALUE_ONLY_AT_END: "Go-live is planned more than a year after the start, with nothing released to real "
    "users before it.",
    flags.NO_CASE: "Under way with no business case recorded.",
}


def flag_label(flag: Flag) -> str:
    return FLAG_LABELS[flag.code]


def flag_explanation(flag: Flag) -> str:
    """What the check found, for the initiative it is on."""
    if flag.code == flags.FUNDING_ENDS and flag.funding is not None:
        return funding_check_text(flag.funding)
    if flag.code == flags.CASH_ONLY:
        return (
            f"Every benefit in the {flag.stage} is cash-releasing. Digital work also pays back in staff time, "
            "safety and patients' experience; a case argued only in cash misses these and stands or falls on "
            "savings that are often hard to take out."
        )
    if flag.code == flags.NO_BENEFITS:
        return (
            f"The {flag.stage} records no benefits at all, so nothing says what the money will buy or how anyone "
            "would know it worked. Add the benefits, of every kind, each with an owner."
        )
    if flag.code == flags.NO_CASE:
        return "It is under way with no business case recorded."
    return flag.sentence


def funding_check_text(check: FundingCheck) -> str:
    """Whether the funding carries on after go-live, in words."""
    if check.go_live is None:
        return "There is no planned go-live date yet, so we cannot tell whether the funding carries on after it."
    went = "went live" if check.live else "is planned to go live"
    if not check.flagged:
        text = (
            f"It {went} on {check.go_live:%-d %B %Y} ({check.go_live_year}). There is {pounds(check.after)} of "
            f"approved, committed or spent funding for after go-live ({', '.join(check.after_years)})"
        )
        if check.for_running:
            text += ", to run and improve the live service."
        else:
            text += (
                ", though none of it is marked for running and improving the live service: check that it "
                "pays for more than the build."
            )
    else:
        text = (
            f"It {went} on {check.go_live:%-d %B %Y} ({check.go_live_year}), and no approved, committed or spent "
            "funding is recorded for after it: nothing secured pays to run and improve the live service (money to "
            "build it in the go-live year does not count), and digital services that are not kept improving "
            "decline. Secure run-and-improve funding for the years after go-live."
        )
    if check.requested_years:
        text += (
            f" Separately, there is {pounds(check.requested_after)} requested but not yet approved for those years "
            f"({', '.join(check.requested_years)}); it does not count until it is approved."
        )
    return text


def first_benefit_source(evidence: BenefitEvidence | None) -> str:
    """How the first benefit is known: "a realised benefit recorded for 2026/27"."""
    if evidence is None:
        return ""
    if evidence.kind == BenefitEvidence.REALISED:
        return f"a realised benefit recorded for {evidence.year}"
    return FIRST_BENEFIT_WORDS


# The organisation's track record -------------------------------------------------------------


#: Why a finished initiative's ratio can be left out of a measure, by measure.
LEFT_OUT_REASONS = {
    "cost": "no spend is recorded up to the year it went live",
    "duration": "it went live on (or before) the day it started, so it took no time to compare",
    "benefit": "its first measured benefit is dated on the day it started, so it took no time to compare",
}
MEASURE_NAMES = {"cost": "cost", "duration": "time to go-live", "benefit": "time to the first benefit"}


def left_out_text(left_out: LeftOut) -> str:
    """A sentence saying which finished initiatives were left out of a measure, and why."""
    if not left_out.members:
        return ""
    count = len(left_out.members)
    names = ", ".join(m.initiative.reference for m in left_out.members)
    which = "1 finished initiative was" if count == 1 else f"{count} finished initiatives were"
    return (
        f"For {MEASURE_NAMES[left_out.measure]}, {which} left out ({names}): actual ÷ planned is 0, because "
        f"{LEFT_OUT_REASONS[left_out.measure]}. Check {'its' if count == 1 else 'their'} dates and spend."
    )


def left_out_texts(left_out: Sequence[LeftOut]) -> list[str]:
    return [text for text in (left_out_text(out) for out in left_out) if text]


def cost_basis(forecasts: ClassForecasts) -> str:
    """What the reference-class cost figures cover, in words."""
    if forecasts.go_live_year is not None:
        return (
            "Cost here is the cost to go-live: the business case's costs up to and including "
            f"{year_label(forecasts.go_live_year)}, the year it goes live, without the running costs (the “Running "
            "and improving the live service” category). The finished initiatives are compared on the same basis: "
            "their planned costs to the year they went live, without running costs, against what they spent up "
            "to and including that year."
        )
    return (
        "Cost here is every cost in the business case except the running costs (the “Running and improving "
        "the live service” category): with no go-live date there is no year to stop at. The finished "
        "initiatives are compared on their planned costs to the year they went live, without running costs, "
        "against what they spent up to and including that year."
    )


def cost_note(forecasts: ClassForecasts) -> str:
    """How the Green Book uplift was applied, when it was used, and why it could not be, if so."""
    bias = forecasts.bias
    problem = bias_problem(bias) if bias is not None else ""
    if not forecasts.cost.fallback:
        return problem
    note = ""
    if bias is not None and bias.cost_bias is not None and forecasts.basis > 0:
        note = (
            f"The Green Book uplift of {percent(bias.cost_bias)} applies to {cost_kind_label(bias.cost_kind)} only: "
            f"{pounds(forecasts.biased)} of the {pounds(forecasts.basis)}, which is "
            f"{percent(forecasts.cost_fallback)} on the whole figure."
        )
    if problem:
        note = (note + " " if note else "") + problem
    return note


def overrun_text(ratio: float | None) -> str:
    """1.09 -> "9% more than", 0.88 -> "12% less than", 1.0 -> "the same as"."""
    if ratio is None:
        return ""
    change = round((ratio - 1) * 100)
    if change == 0:
        return "the same as"
    return f"{abs(change)}% {'more' if change > 0 else 'less'} than"


def track_record(overview: Overview) -> str:
    if not overview.members:
        return ""
    return (
        f"The middle one of them cost {overrun_text(overview.median_cost_ratio)} planned and took "
        f"{overrun_text(overview.median_duration_ratio)} the planned time."
    )


# The portfolio -------------------------------------------------------------------------------


@dataclass
class FlagGroupText:
    code: str
    label: str
    summary: str
    moneys: list[InitiativeMoney]


@dataclass
class OverviewWords:
    """The money overview's words: the checks that failed, the track record and who was left out."""

    flags: list[FlagGroupText]
    track_record: str
    left_out: list[str]
    bias_problems: list[str]


def overview_words(overview: Overview) -> OverviewWords:
    return OverviewWords(
        flags=[
            FlagGroupText(
                group.code,
                FLAG_LABELS[group.code],
                FLAG_SUMMARIES[group.code].format(weeks=overview.first_release_weeks),
                group.moneys,
            )
            for group in overview.flags
        ],
        track_record=track_record(overview),
        left_out=left_out_texts(overview.left_out),
        bias_problems=sorted({bias_problem(bias) for bias in overview.bias_problems}),
    )


FORECAST_LEFT_OUT = {
    NO_CASE_TO_FORECAST: "it has no business case",
    NOTHING_TO_COME: "its business case has no costs or benefits still to come",
}


def forecast_left_out(why: str) -> str:
    """Why an initiative is not in the portfolio forecast, to follow its name."""
    return FORECAST_LEFT_OUT[why]


@dataclass
class ForecastPage:
    """The portfolio forecast's summary and charts (the tables are `ForecastFigures`)."""

    summary: str
    benefit_summary: str = ""
    cost_chart: SafeString | None = None
    benefit_chart: SafeString | None = None
    histogram: SafeString | None = None


def forecast_page(figures: ForecastFigures) -> ForecastPage:
    result = figures.result
    if result is None:
        return ForecastPage(
            "There is nothing to forecast yet: no active or proposed initiative has a business case with costs "
            "or benefits from this financial year on."
        )
    labels = figures.year_labels
    keep = figures.shown_years
    summary = (
        f"We have planned {short_pounds(figures.planned_total)} for the rest of this work, from {labels[0]} on. "
        f"There is an even chance it costs more than {short_pounds(figures.p50_total)}, a one-in-five chance it "
        f"costs more than {short_pounds(figures.p80_total)}, and a one-in-ten chance it costs more than "
        f"{short_pounds(figures.p90_total)}."
    )
    short_labels = [label.replace(" and later", "+") for label in labels]
    planned_benefits = float(result.planned_total_benefits)
    benefit_summary = ""
    if planned_benefits > 0:
        benefit_summary = (
            f"Of the {short_pounds(planned_benefits)} of benefits planned over the same years, there is an even "
            f"chance of less than {short_pounds(result.total_benefits[50])} and a one-in-ten chance of less than "
            f"{short_pounds(result.total_benefits[10])}, because late or troubled work delivers less."
        )
    return ForecastPage(
        summary=summary,
        benefit_summary=benefit_summary,
        cost_chart=mark_safe(  # the chart module escapes every piece of text
            charts.fan_chart(
                short_labels,
                result.planned_cost_by_year[:keep],
                {q: v[:keep] for q, v in result.cost_by_year.items()},
                "Cost by financial year: the plan and the range of likely outcomes",
            )
        ),
        benefit_chart=mark_safe(
            charts.fan_chart(
                short_labels,
                result.planned_benefits_by_year[:keep],
                {q: v[:keep] for q, v in result.benefits_by_year.items()},
                "Benefits by financial year: the plan and the range of likely outcomes",
            )
        ),
        histogram=mark_safe(
            charts.histogram(
                result.total_cost_samples,
                {"Planned": figures.planned_total, "P50": figures.p50_total, "P80": figures.p80_total},
                f"Total cost in {result.trials:,} simulated futures",
            )
        ),
    )


# History ---------------------------------------------------------------------------------------

MONEY_MODELS = (FundingLine, BusinessCase, CostLine, BenefitLine, Mitigation, Actual)


def describe_history(model: type[Model], record: Any) -> str:
    """What a money history record is about: "Funding, 2026/27 capital"."""

    def choice(name: str) -> str:
        return display(model, name, getattr(record, name), {})

    if model is FundingLine:
        return f"Funding, {record.financial_year} {choice('kind').lower()}"
    if model is BusinessCase:
        return f"Business case: {choice('stage')}"
    if model is CostLine:
        return f"Cost, {record.financial_year}: {choice('category').lower()}"
    if model is BenefitLine:
        return f"Benefit, {record.financial_year}: {record.description[:60]}"
    if model is Mitigation:
        return "Optimism bias: how far a risk area is managed"
    if model is Actual:
        return f"{choice('kind')}, {record.financial_year}"
    return model.__name__


def show_history_value(model: type[Model], name: str, value: Any, people: Mapping[int, str]) -> str:
    """A stored money value as the money pages show it: amounts in pounds."""
    if model in MONEY_MODELS and name == "amount" and value is not None:
        return pounds(value)
    return display(model, name, value, people)
