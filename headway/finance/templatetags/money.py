"""Money in words for templates: `{{ amount|pounds }}` gives £1,234,567, `|short_pounds` £1.2m,
`|percent` turns a fraction into a percentage, and `{% money_summary initiative %}` draws the
short "Money" section of the initiative page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from headway.finance import queries
from headway.portfolio.models import Initiative

register = template.Library()


@register.filter
def pounds(value: Any) -> str:
    return queries.pounds(value)


@register.filter
def short_pounds(value: Any) -> str:
    return queries.short_pounds(value)


@register.filter
def percent(value: Any, places: int = 1) -> str:
    return "" if value is None or value == "" else queries.percent(float(value), int(places))


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
    return f"{queries.pounds(abs(amount))} {'over' if amount > 0 else 'under'}"


@register.inclusion_tag("finance/_summary.html", takes_context=True)
def money_summary(context: Any, initiative: Initiative) -> dict[str, Any]:
    """The initiative's money in a few lines, for its main page (a fixed number of queries)."""
    data = queries.load(Initiative.objects.for_organisation(initiative.organisation).filter(pk=initiative.pk))
    money = queries.initiative_money(data, data.initiatives[0], timezone.localdate()) if data.initiatives else None
    return {"m": money, "initiative": initiative}
