"""The money figures each page shows, loaded (`queries`) and worked out (`figures`) in one call:
the initiative page's short "Money" section, the money overview and the portfolio forecast. The
board layer reads the same functions (`assurance.money`), so a page, the board pack and the API
show the same numbers."""

from __future__ import annotations

import datetime as dt

from headway.accounts.models import Organisation
from headway.finance import figures, queries
from headway.finance.figures import ForecastFigures, InitiativeMoney, Overview
from headway.portfolio.models import Initiative


def initiative_money(initiative: Initiative, today: dt.date) -> InitiativeMoney | None:
    """One initiative's money figures, read in a fixed number of queries."""
    data = queries.load(Initiative.objects.for_organisation(initiative.organisation).filter(pk=initiative.pk))
    return figures.initiative_money(data, data.initiatives[0], today) if data.initiatives else None


def organisation_money(organisation: Organisation, today: dt.date) -> Overview:
    """The organisation's money: every initiative's figures, totals by year, the checks that failed
    and the track record, read in a fixed number of queries however many initiatives there are."""
    data = queries.load(Initiative.objects.for_organisation(organisation))
    return figures.overview(data, organisation.first_release_weeks, today)


def portfolio_forecast(
    organisation: Organisation,
    today: dt.date,
    *,
    trials: int = figures.MONTE_CARLO_TRIALS,
    seed: int = figures.MONTE_CARLO_SEED,
) -> ForecastFigures:
    """The Monte Carlo forecast of the organisation's active and proposed work from today."""
    data = queries.load(Initiative.objects.for_organisation(organisation).filter(status__in=figures.FORECAST_STATUSES))
    return figures.portfolio_forecast(data, today, trials=trials, seed=seed)
