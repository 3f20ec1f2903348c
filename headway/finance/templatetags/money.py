"""Money in words for templates: `{{ amount|pounds }}` gives £1,234,567, `|short_pounds` £1.2m,
`|percent` turns a fraction into a percentage, and the figures' words from `finance.presenters`
(`{{ flag|flag_explanation }}`, `{{ bias|applied_to }}` and so on). Filters only: a template tag
never reads the database (the views pass the figures in)."""

from __future__ import annotations

from typing import Any

from django import template

from headway.finance import presenters
from headway.lib import money, percentages
from headway.metrics.presenters import better_words

register = template.Library()


@register.filter
def pounds(value: Any) -> str:
    return money.pounds(value)


@register.filter
def short_pounds(value: Any) -> str:
    return money.short_pounds(value)


@register.filter
def percent(value: Any, places: int = 1) -> str:
    return "" if value is None or value == "" else percentages.percent(float(value), int(places))


@register.filter
def months(value: Any) -> str:
    return "" if value is None or value == "" else presenters.months_text(float(value))


@register.filter
def weeks(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = round(float(value))
    return f"{number} week" if number == 1 else f"{number} weeks"


@register.filter
def over_under(value: Any) -> str:
    """A difference from a forecast: "£17,460 under", "£3,000 over", "on forecast"."""
    if value is None or value == "":
        return ""
    amount = round(float(value))
    if amount == 0:
        return "on forecast"
    return f"{money.pounds(abs(amount))} {'over' if amount > 0 else 'under'}"


# The figures' words, from finance.presenters -------------------------------------------------

register.filter("flag_label", presenters.flag_label)
register.filter("flag_explanation", presenters.flag_explanation)
register.filter("funding_text", presenters.funding_check_text)
register.filter("applied_to", presenters.applied_to)
register.filter("bias_problem", presenters.bias_problem)
register.filter("cost_kind_label", presenters.cost_kind_label)
register.filter("stage_short", presenters.stage_short)
register.filter("first_benefit_source", presenters.first_benefit_source)
register.filter("cost_basis", presenters.cost_basis)
register.filter("cost_note", presenters.cost_note)
register.filter("forecast_left_out", presenters.forecast_left_out)
# "Is it better?" (ADR 13) in the words every page uses, with how it is known.
register.filter("better_words", better_words)


@register.filter
def left_out_texts(forecasts: Any) -> list[str]:
    return presenters.left_out_texts(forecasts.left_out)
