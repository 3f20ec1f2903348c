"""Server-side rendering times of the pages with SPC charts, in the generated organisation.

Runs after the page benchmarks (it is listed after `bench.pages`), because it first adds the
metrics: `generate_metrics` gives one active initiative five weekly metrics of 60 points each
(one with a process change that starts a new SPC period) and every other initiative a metric of
60 points, so the observations table holds about 120,000 rows. Then, timed as `bench.pages`
times pages:

- the initiative page of the initiative with five charts;
- the page of one of its metrics (one chart, its data table and history links);
- the list of every metric in the organisation (about 2,000).

A page that draws fewer XmR charts than it should fails its row, so a page that stopped showing
its charts cannot pass quietly on a fast time.
"""

from __future__ import annotations

import dataclasses

from django.test import Client

from bench.pages import Page, time_page
from bench.registry import Context, Row, benchmark
from headway.accounts.models import User

CHART_PAGES: tuple[tuple[Page, int | None], ...] = (
    # The page, and how many charts it must draw (None: not counted).
    (Page("initiative page, 5 charts", "portfolio:detail", showcase=True), 5),
    (Page("metric page, 60 points", "metrics:detail", showcase=True), 1),
    (Page("metrics list", "metrics:list"), None),
)


def _charts(client: Client, url: str) -> int:
    # Every XmR chart is one <svg class="app-xmr"> (headway.metrics.charts).
    return client.get(url).content.count(b'class="app-xmr"')


@benchmark("metrics pages")
def metrics_pages(ctx: Context) -> list[Row]:
    from bench.generate import generate_metrics

    made = generate_metrics(organisation_id=ctx.summary["organisation_id"], seed=ctx.seed)
    ctx.log(
        f"generated {made.counts['metrics']:,} metrics and {made.counts['observations']:,} observations "
        f"in {made.seconds:.1f} s"
    )
    client = Client()
    client.force_login(User.objects.get(pk=ctx.summary["login_user_id"]))
    # `Page.showcase` takes its pk from the summary: point it at the page's own object.
    objects = {
        "portfolio:detail": made.chart_initiative_id,
        "metrics:detail": made.chart_metric_ids[0],
    }
    rows = []
    for page, expected in CHART_PAGES:
        ctx.log(f"timing {page.name} ({ctx.repeat} requests)")
        page_ctx = ctx
        if page.url_name in objects:
            summary = {**ctx.summary, "showcase_initiative_id": objects[page.url_name]}
            page_ctx = dataclasses.replace(ctx, summary=summary)
        row = time_page(client, page, page_ctx)
        if row.ok and expected is not None:
            charts = _charts(client, row.extra["url"])
            row.extra["charts"] = charts
            row.detail = f"{charts} of {expected} charts drawn"
            row.ok = charts >= expected
        row.extra["metrics_generated_s"] = round(made.seconds, 2)
        rows.append(row)
    return rows
