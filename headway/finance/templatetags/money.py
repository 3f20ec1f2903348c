"""Money in words for templates: `{{ amount|pounds }}` gives £1,234,567, `|short_pounds` £1.2m,
`|percent` turns a fraction into a percentage. Filters only: a
template tag never reads the database (the views pass the figures in)."""

from __future__ import annotations

from typing import Any

from django import template

from headway.finance import queries
from headway.lib import money, percentages

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
    return "" if value is None or value == "" else queries.months_text(float(value))


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
