"""Confirm, then remove: every "Remove" in Headway asks first.

A "Remove" link opens a page that names exactly what will go, says what goes with it and what
stays, and offers "Yes, remove it" (a POST to the same address) or "No, go back". Nothing is
removed by following a link.

The view keeps the rules, in this order, so the confirmation page is guarded exactly as the
removal is:

    @member_required(Action.VIEW)
    def funding_delete(request, pk):
        line = get_funding_line(request, pk)      # scoped: another organisation's is 404, any method
        require_change(request, line.initiative)  # 403 for the page as well as for the removal
        return confirm_removal(request, ask=lambda: Removal(...), remove=lambda: ...)

`ask` is called only to draw the page, and `remove` only on POST, so the counts a page shows
("its 4 cost lines…") cost nothing when the person confirms. Any other method is refused (405).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

TEMPLATE = "components/confirm_remove.html"


@dataclass(frozen=True)
class Removal:
    """What the confirmation page says."""

    question: str  # the heading, naming exactly what will go: "Remove the 2026/27 capital funding of £111,000?"
    caption: str  # the initiative or the organisation it belongs to
    back: str  # where "Back" and "No, go back" lead
    consequences: Sequence[str] = ()  # sentences: what goes with it, and what stays
    details: Sequence[tuple[str, str]] = ()  # (label, value) rows that identify it
    kept_in_history: bool = True  # whether Headway's history of changes records the removal
    refused: str = ""  # why it cannot be removed; the page then offers only a way back
    verb: str = "remove"  # the button's word, "Yes, remove it" ("revoke" for a token that is kept, revoked)


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 cost line", "2 cost lines"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def in_words(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def confirm_removal(
    request: HttpRequest, *, ask: Callable[[], Removal], remove: Callable[[], HttpResponse]
) -> HttpResponse:
    """GET (or HEAD) shows the confirmation page; POST removes; anything else is 405.

    Call it only after the object has been fetched within the organisation and the person's right
    to remove it has been checked."""
    if request.method == "POST":
        return remove()
    if request.method in ("GET", "HEAD"):
        return render(request, TEMPLATE, {"removal": ask()})
    return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
