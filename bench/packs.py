"""Board packs as a PDF (WeasyPrint), the slowest thing a portfolio office asks for: the demo
trust's packs (target under 3 s) and a draft for a generated 300-initiative organisation (target
under 15 s). A draft builds its content from the data and then draws it; a published pack only
draws its frozen content, so both are timed. Runs after the other database benchmarks, in the
same database, adding the demo organisations and a second generated organisation to it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from typing import Any

from bench.registry import Context, Row, benchmark, summarise

DEMO_TARGET_MS = 3_000.0
LARGE_TARGET_MS = 15_000.0
LARGE_SCALE = 300
REPEATS = 3

COVER: dict[str, Any] = {
    "title": "Digital portfolio: assurance report",
    "meeting": "Trust Board",
    "purpose": "assurance",
    "assurance_level": "reasonable",
    "assurance_reason": "Generated for the benchmark.",
    "baf_risks": "BAF 1: digital delivery capacity",
    "recommendation": "The board is asked to note the report.",
    "executive_lead": "Chief Digital Officer",
    "author": "Portfolio office",
}


def _time_pdf(pack: Any, repeat: int) -> tuple[list[float], int, int]:
    """Milliseconds for each PDF, its size and its number of pages (from the PDF's page tree)."""
    from headway.assurance import pack_outputs

    samples: list[float] = []
    data = b""
    for _ in range(repeat):
        start = time.perf_counter()
        data = pack_outputs.pdf(pack)
        samples.append((time.perf_counter() - start) * 1000)
    return samples, len(data), _pages(data)


def _pages(data: bytes) -> int:
    """The PDF's number of pages, as poppler's pdfinfo reads it (WeasyPrint packs its page objects
    into compressed object streams, so they cannot be counted in the bytes); -1 without pdfinfo."""
    if shutil.which("pdfinfo") is None:
        return -1
    done = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, timeout=60, check=False)
    found = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    return int(found[1]) if found else -1


def _row(ctx: Context, name: str, samples: list[float], target: float, size: int, pages: int, what: str) -> Row:
    median, p95 = summarise(samples)
    counted = f"{pages} pages" if pages >= 0 else "pages not counted (no pdfinfo)"
    detail = f"{what}; {counted}, {size / 1024:,.0f} KB"
    return Row(ctx.database, name, median, p95, None, target, size > 0, detail, len(samples))


@benchmark("packs")
def run(ctx: Context) -> list[Row]:
    from django.utils import timezone

    from bench.generate import EMAIL_DOMAIN, generate, generate_metrics
    from headway.accounts.models import Organisation, User
    from headway.assurance import pack_actions
    from headway.assurance.models import BoardPack
    from headway.demo.loader import load_demo

    repeat = min(ctx.repeat, REPEATS)
    today = timezone.localdate()
    rows: list[Row] = []

    ctx.log("loading the demo organisations for the board pack benchmark")
    demo = load_demo(stdout=io.StringIO()).organisation
    published = BoardPack.objects.for_organisation(demo).published().order_by("-meeting_date").first()
    draft = BoardPack.objects.for_organisation(demo).filter(status=BoardPack.State.DRAFT).first()
    if published is None or draft is None:
        return [Row(ctx.database, "board pack PDF, demo trust", ok=False, detail="the demo has no packs")]
    samples, size, pages = _time_pdf(published, repeat)
    rows.append(
        _row(ctx, "board pack PDF, demo, published", samples, DEMO_TARGET_MS, size, pages, "draws the frozen content")
    )
    samples, size, pages = _time_pdf(draft, repeat)
    rows.append(_row(ctx, "board pack PDF, demo, draft", samples, DEMO_TARGET_MS, size, pages, "builds and draws"))

    ctx.log(f"generating a {LARGE_SCALE}-initiative organisation for the board pack benchmark")
    summary = generate(
        scale=LARGE_SCALE,
        weeks=ctx.weeks,
        seed=ctx.seed + LARGE_SCALE,
        people_domain=f"packs.{EMAIL_DOMAIN}",
        name="Bench Community Health NHS Trust",
    )
    generate_metrics(organisation_id=summary.organisation_id, seed=ctx.seed + LARGE_SCALE)
    organisation = Organisation.objects.get(pk=summary.organisation_id)
    office = User.objects.get(pk=summary.login_user_id)
    pack = pack_actions.create_pack(organisation=organisation, by=office, fields={**COVER, "meeting_date": today})
    samples, size, pages = _time_pdf(pack, repeat)
    rows.append(
        _row(
            ctx,
            f"board pack PDF, {LARGE_SCALE} initiatives, draft",
            samples,
            LARGE_TARGET_MS,
            size,
            pages,
            "builds and draws",
        )
    )
    start = time.perf_counter()
    pack_actions.publish_pack(pack=pack, by=office, today=today)
    publish_ms = (time.perf_counter() - start) * 1000
    pack = BoardPack.objects.get(pk=pack.pk)
    samples, size, pages = _time_pdf(pack, repeat)
    rows.append(
        _row(
            ctx,
            f"board pack PDF, {LARGE_SCALE} initiatives, published",
            samples,
            LARGE_TARGET_MS,
            size,
            pages,
            f"draws the frozen content; publishing took {publish_ms:,.0f} ms",
        )
    )
    return rows
