"""Money figures for the board layer: the initiative page's short "Money" section, the money
overview and the portfolio forecast, as the finance app loads and works them out
(`finance.summaries`). The board pack and the API read them from here, beside the other apps'
figures, and word them their own way."""

from __future__ import annotations

from headway.finance.summaries import initiative_money, organisation_data, organisation_money, portfolio_forecast

__all__ = ["initiative_money", "organisation_data", "organisation_money", "portfolio_forecast"]
