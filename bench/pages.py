"""Server-side rendering times of the portfolio pages, through django.test.Client.

Signed in as a portfolio-office member (force_login, so no password hashing or login throttling
is timed). Each page: one warm-up request, one request under CaptureQueriesContext (query count and
the slowest SQL), then `repeat` timed requests. Any response other than 200 fails the row.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.registry import Context, Row, benchmark, summarise
from headway.accounts.models import User

SLOWEST_KEPT = 3


@dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    query: dict[str, str] = field(default_factory=dict)
    showcase: bool = False  # takes the showcase initiative's pk


PAGES: tuple[Page, ...] = (
    Page("portfolio list", "portfolio:list"),
    # The most expensive ordering: by latest confidence, a per-row subquery.
    Page(
        "portfolio list, filtered",
        "portfolio:list",
        {"status": "active", "sort": "confidence", "order": "desc"},
    ),
    Page("at a glance", "portfolio:glance"),
    Page("initiative page", "portfolio:detail", showcase=True),
)


def _url(page: Page, ctx: Context) -> str:
    args = [ctx.summary["showcase_initiative_id"]] if page.showcase else []
    url = reverse(page.url_name, args=args)
    if page.query:
        url += "?" + "&".join(f"{key}={value}" for key, value in page.query.items())
    return url


def _get(client: Client, url: str) -> tuple[int, int]:
    response = client.get(url)
    return response.status_code, len(response.content)


def _slowest(captured: list[dict[str, Any]]) -> list[dict[str, Any]]:
    timed = sorted(captured, key=lambda q: float(q.get("time") or 0), reverse=True)
    return [{"ms": round(float(q.get("time") or 0) * 1000, 2), "sql": q["sql"]} for q in timed[:SLOWEST_KEPT]]


def time_page(client: Client, page: Page, ctx: Context) -> Row:
    row = Row(database=ctx.database, name=page.name)
    try:
        url = _url(page, ctx)
    except NoReverseMatch:
        row.ok, row.detail = False, f"no URL named {page.url_name!r}"
        return row
    row.extra["url"] = url
    try:
        status, size = _get(client, url)  # warm-up: template loading, caches, connection
        if status != 200:
            row.ok, row.detail = False, f"GET {url} returned {status}"
            return row
        with CaptureQueriesContext(connection) as captured:
            _get(client, url)
        row.queries = len(captured.captured_queries)
        row.extra["bytes"] = size
        row.extra["slowest_sql"] = _slowest(captured.captured_queries)
        row.extra["sql_ms_total"] = round(sum(float(q.get("time") or 0) for q in captured.captured_queries) * 1000, 2)
        samples: list[float] = []
        gc.collect()
        for _ in range(ctx.repeat):
            began = time.perf_counter()
            status, _size = _get(client, url)
            samples.append((time.perf_counter() - began) * 1000)
            if status != 200:
                row.ok, row.detail = False, f"GET {url} returned {status} during the timed run"
                return row
    except Exception as error:  # a view that raises is a failed page, not a crashed bench
        row.ok, row.detail = False, f"GET {url} raised {type(error).__name__}: {error}"
        return row
    row.median_ms, row.p95_ms = (round(v, 2) for v in summarise(samples))
    row.samples = len(samples)
    return row


@benchmark("pages")
def pages(ctx: Context) -> list[Row]:
    client = Client()
    client.force_login(User.objects.get(pk=ctx.summary["login_user_id"]))
    rows = []
    for page in PAGES:
        ctx.log(f"timing {page.name} ({ctx.repeat} requests)")
        rows.append(time_page(client, page, ctx))
    return rows
