"""The money figures each page shows, loaded (`queries`) and worked out (`figures`) in one call:
the initiative page's short "Money" section, the money overview and the portfolio forecast. The
board layer reads the same functions (`assurance.money`), so a page, the board pack and the API
show the same numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt

from headway.accounts.models import Organisation
from headway.finance import figures, queries
from headway.finance.figures import ForecastFigures, InitiativeMoney, Overview
from headway.portfolio.models import Initiative


def initiative_money(initiative: Initiative, today: dt.date) -> InitiativeMoney | None:
    """One initiative's money figures, read in a fixed number of queries."""
    data = queries.load(Initiative.objects.for_organisation(initiative.organisation).filter(pk=initiative.pk))
    return figures.initiative_money(data, data.initiatives[0], today) if data.initiatives else None


def organisation_data(organisation: Organisation) -> queries.MoneyData:
    """Every money record of the organisation, for a caller that works out several figures from
    them (the board pack reads the overview and the forecast from one load)."""
    return queries.load(Initiative.objects.for_organisation(organisation))


def organisation_money(
    organisation: Organisation, today: dt.date, *, data: queries.MoneyData | None = None
) -> Overview:
    """The organisation's money: every initiative's figures, totals by year, the checks that failed
    and the track record, read in a fixed number of queries however many initiatives there are
    (none when `data`, from `organisation_data`, is given)."""
    data = data if data is not None else organisation_data(organisation)
    return figures.overview(data, organisation.first_release_weeks, today)


def portfolio_forecast(
    organisation: Organisation,
    today: dt.date,
    *,
    trials: int = figures.MONTE_CARLO_TRIALS,
    seed: int = figures.MONTE_CARLO_SEED,
    data: queries.MoneyData | None = None,
) -> ForecastFigures:
    """The Monte Carlo forecast of the organisation's active and proposed work from today (from
    `data`, the whole organisation's money, when the caller has loaded it already)."""
    if data is None:
        data = queries.load(
            Initiative.objects.for_organisation(organisation).filter(status__in=figures.FORECAST_STATUSES)
        )
    else:
        # The records are found through the initiatives, so leaving the others out is enough.
        data = dataclasses.replace(
            data, initiatives=[i for i in data.initiatives if i.status in figures.FORECAST_STATUSES]
        )
    return figures.portfolio_forecast(data, today, trials=trials, seed=seed)
