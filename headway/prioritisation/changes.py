"""What a round changes for one initiative, from where it stands now and where it stood before.

Pure Python; no Django. `actions.compute_changes` applies it to a round's result and the demo to
its past rounds, so the rule lives here once. The kinds are the values of `RoundChange.Kind` and
the statuses those of `portfolio.models.Status`, written out so this module needs no Django.
"""

from __future__ import annotations

STARTED = "started"
STOPPED = "stopped"
PAUSED = "paused"
CONTINUED = "continued"
MOVED_UP = "moved_up"
MOVED_DOWN = "moved_down"
NEW = "new"

PROPOSED_STATUS = "proposed"
ACTIVE_STATUS = "active"
PAUSED_STATUS = "paused"


def change_kind(*, status: str, selected: bool, rank: int, before: tuple[bool, int] | None) -> str | None:
    """The change for an initiative with `status`, now `selected` (or not) at `rank`, which the
    previous round had `before` as (selected, rank), or did not have at all. None: no change to
    record (for example, a proposal that stays unselected). A stop can later be made a pause."""
    if selected and status in (PROPOSED_STATUS, PAUSED_STATUS):
        return STARTED
    if selected and status == ACTIVE_STATUS:
        if before is None or not before[0]:
            return NEW
        if rank < before[1]:
            return MOVED_UP
        if rank > before[1]:
            return MOVED_DOWN
        return CONTINUED
    if not selected and status == ACTIVE_STATUS:
        return STOPPED
    return None
