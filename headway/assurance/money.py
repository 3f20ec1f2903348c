"""Money figures composed for the pages that show them beside other things (the initiative page's
short "Money" section; later the board pack and the API)."""

from __future__ import annotations

import datetime as dt

from headway.finance import queries
from headway.finance.queries import InitiativeMoney
from headway.portfolio.models import Initiative


def initiative_money(initiative: Initiative, today: dt.date) -> InitiativeMoney | None:
    """One initiative's money figures, read in a fixed number of queries."""
    data = queries.load(Initiative.objects.for_organisation(initiative.organisation).filter(pk=initiative.pk))
    return queries.initiative_money(data, data.initiatives[0], today) if data.initiatives else None
