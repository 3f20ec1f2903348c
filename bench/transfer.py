"""The organisation export and import (ADR 35) at full scale: the generated organisation (about
2,000 initiatives, two years of weekly checkpoints) written to a file with `write_export`, target
under 30 s; then that file read, checked and imported as a new organisation, timed and reported
(no target: a move between Headways is done once). The import is rolled back, so the benchmarks
after this one see the database as it was."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from django.db import transaction

from bench.registry import Context, Row, benchmark, summarise
from headway.accounts.models import Organisation

EXPORT_TARGET_MS = 30_000.0
OUT = Path(__file__).resolve().parent / "out"


class _RolledBack(Exception):
    pass


@benchmark("transfer")
def run(ctx: Context) -> list[Row]:
    from headway.transfer.export import write_export
    from headway.transfer.importer import check_document, import_organisation, read_document

    organisation = Organisation.objects.get(pk=ctx.summary["organisation_id"])
    OUT.mkdir(exist_ok=True)
    path = OUT / f"export-{ctx.database}.json"
    exports: list[float] = []
    rows = 0
    for _ in range(min(ctx.repeat, 3)):
        gc.collect()
        start = time.perf_counter()
        with path.open("w", encoding="utf-8") as stream:
            summary = write_export(organisation, stream)
        exports.append((time.perf_counter() - start) * 1000)
        rows = sum(summary.rows.values())
    size_mb = path.stat().st_size / 1_000_000
    median, p95 = summarise(exports)
    result = [
        Row(
            ctx.database,
            "transfer: export the organisation",
            median,
            p95,
            None,
            EXPORT_TARGET_MS,
            True,
            f"{rows:,} rows, {size_mb:.0f} MB",
            len(exports),
        )
    ]
    gc.collect()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with path.open("rb") as stream:
        document = read_document(stream)
    timings["read"] = time.perf_counter() - start
    checked = check_document(document)
    del document
    timings["check"] = time.perf_counter() - start - timings["read"]
    try:
        with transaction.atomic():
            imported = import_organisation(checked, ods_code="BENCHCOPY", name="Imported copy")
            timings["write"] = time.perf_counter() - start - timings["read"] - timings["check"]
            raise _RolledBack
    except _RolledBack:
        pass
    total_ms = (time.perf_counter() - start) * 1000
    counted = sum(imported.rows.values())
    ok = counted == rows
    detail = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()) + f"; {counted:,} rows"
    result.append(
        Row(ctx.database, "transfer: import it as a new organisation", total_ms, total_ms, None, None, ok, detail, 1)
    )
    path.unlink()
    return result
