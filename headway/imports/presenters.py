"""A plan in words: what an import would create and change, for the preview page and the command."""

from __future__ import annotations

from headway.imports.plan import CHANGE, CREATE, Plan


def plan_lines(plan: Plan) -> list[str]:
    """One line for each row that would create or change a record, with each change (old → new)."""
    lines: list[str] = []
    for item in plan.items:
        if item.outcome == CREATE:
            lines.append(f"Row {item.row}: create {item.label}")
        elif item.outcome == CHANGE:
            described = "; ".join(f"{c.column}: {c.old} → {c.new}" for c in item.changes)
            lines.append(f"Row {item.row}: change {item.label} ({described})")
    return lines


def counts(plan: Plan) -> str:
    return plan.summary()


def problems_heading(count: int) -> str:
    return (
        "The file has a problem. Nothing has been saved."
        if count == 1
        else (f"The file has {count} problems. Nothing has been saved.")
    )
