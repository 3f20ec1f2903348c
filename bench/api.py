"""The API's portfolio list: a page of 100 initiatives at the generated scale, through
django.test.Client with a read-only personal access token (ADR 31, 32).

Timed as the pages are (bench/pages.py): one warm-up request, one under CaptureQueriesContext,
then `repeat` timed requests. The rate limit is lifted for the run, as a benchmark is not a
client the self-hoster would throttle.
"""

from __future__ import annotations

import gc
import time

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.pages import _slowest
from bench.registry import Context, Row, benchmark, summarise
from headway.accounts.models import Membership, User
from headway.api import actions as api_actions

CALLS: tuple[tuple[str, str], ...] = (
    ("API: 100 initiatives", "/api/v1/initiatives?limit=100"),
    ("API: 100 initiatives, filtered", "/api/v1/initiatives?limit=100&status=active&sort=confidence&order=desc"),
    ("API: 100 initiatives, a later page", "/api/v1/initiatives?limit=100&offset=1000"),
)


def time_call(client: Client, name: str, url: str, headers: dict[str, str], ctx: Context) -> Row:
    row = Row(database=ctx.database, name=name)
    row.extra["url"] = url
    response = client.get(url, headers=headers)  # warm-up
    if response.status_code != 200:
        row.ok, row.detail = False, f"GET {url} returned {response.status_code}"
        return row
    row.extra["bytes"] = len(response.content)
    row.extra["items"] = len(response.json()["items"])
    with CaptureQueriesContext(connection) as captured:
        client.get(url, headers=headers)
    row.queries = len(captured.captured_queries)
    row.extra["slowest_sql"] = _slowest(captured.captured_queries)
    samples: list[float] = []
    gc.collect()
    for _ in range(ctx.repeat):
        began = time.perf_counter()
        status = client.get(url, headers=headers).status_code
        samples.append((time.perf_counter() - began) * 1000)
        if status != 200:
            row.ok, row.detail = False, f"GET {url} returned {status} during the timed run"
            return row
    row.median_ms, row.p95_ms = (round(v, 2) for v in summarise(samples))
    row.samples = len(samples)
    return row


@benchmark("api")
def api(ctx: Context) -> list[Row]:
    user = User.objects.get(pk=ctx.summary["login_user_id"])
    membership = Membership.objects.filter(user=user).first()
    assert membership is not None
    _token, secret = api_actions.create_token(membership=membership, by=user, name="Benchmark", can_write=False, days=1)
    headers = {"Authorization": f"Bearer {secret}"}
    client = Client()
    rows = []
    with override_settings(API_RATE_LIMIT_PER_MINUTE=0):
        for name, url in CALLS:
            ctx.log(f"timing {name} ({ctx.repeat} requests)")
            rows.append(time_call(client, name, url, headers, ctx))
    return rows
