"""Derived data kept by a layer above the data it is worked out from (ADR 26).

ADR 14: the action that changes source data refreshes what is derived from it, in the same
transaction, by an explicit call. The pitfall findings are worked out in `assurance` from every
app's data, and the apps sit below `assurance` (tests/test_layers.py): the portfolio's actions
cannot call it. So they call `organisation_changed` here, explicitly, at the end of each write,
and the layer above registers what is refreshed (`assurance.apps`).

A write made of several actions (a decision with its rounds, an upload of many rows, a round
closed with its decisions, the demo loader) runs them inside `batch()`: each organisation named
is refreshed once, when the batch ends, still inside the caller's transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Refresher = Callable[[int], None]

_refreshers: list[Refresher] = []
_local = threading.local()


def register(refresher: Refresher) -> None:
    """Refresh with `refresher(organisation_id)` whenever an organisation's data changes."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)


def _refresh(organisation_id: int) -> None:
    for refresher in _refreshers:
        refresher(organisation_id)


def organisation_changed(organisation_id: int | None) -> None:
    """Called by an action, inside its transaction, once it has changed the organisation's data:
    now, or at the end of the batch it runs in."""
    if organisation_id is None:
        return
    pending: set[int] | None = getattr(_local, "pending", None)
    if pending is not None:
        pending.add(organisation_id)
    else:
        _refresh(organisation_id)


def refreshed(organisation_id: int) -> None:
    """Said by a caller that has just refreshed the organisation itself (the demo loader, for its
    own date), so the batch it runs in need not do it again."""
    pending: set[int] | None = getattr(_local, "pending", None)
    if pending is not None:
        pending.discard(organisation_id)


@contextmanager
def batch() -> Iterator[None]:
    """Put off the refreshes asked for inside it to its end (use it inside the transaction). A
    batch inside a batch belongs to the outer one; on an error nothing is refreshed."""
    if getattr(_local, "pending", None) is not None:
        yield
        return
    _local.pending = set()
    try:
        yield
        pending = sorted(_local.pending)
    finally:
        _local.pending = None
    for organisation_id in pending:
        _refresh(organisation_id)
