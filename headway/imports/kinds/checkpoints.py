"""Weekly checkpoints. A row finds its checkpoint by initiative reference and week (one per
initiative per week); it is recorded or edited through `portfolio.actions.record_checkpoint`."""

from __future__ import annotations

from typing import Any, ClassVar

from headway.accounts.models import User
from headway.accounts.roles import Action
from headway.imports import columns as read
from headway.imports.columns import Column, Lookups, shown
from headway.imports.kinds._shared import initiatives_by_reference, reference, unknown_initiative
from headway.imports.plan import CHANGE, CREATE, UNCHANGED, Change, Item, Kind, RowProblems, changes
from headway.lib import bounds
from headway.lib.tables import Cell
from headway.portfolio import actions
from headway.portfolio.models import Checkpoint, Confidence, confidence_choices

FIELDS = (
    "demonstrated",
    "demonstrated_to",
    "reached_real_users",
    "real_users_detail",
    "confidence",
    "confidence_reason",
    "risks_and_blockers",
    "asks_of_the_board",
)


def _confidence(cell: Cell, lookups: Lookups) -> str:
    return str(read.choice(confidence_choices(lookups.organisation))(cell, lookups))


class Checkpoints(Kind):
    slug: ClassVar[str] = "checkpoints"
    title: ClassVar[str] = "Weekly checkpoints"
    actions: ClassVar[tuple[str, ...]] = (Action.EDIT_ANY_INITIATIVE,)
    matching: ClassVar[str] = (
        "A row matches the checkpoint of the same initiative (by reference) and week; an initiative has one "
        "checkpoint a week."
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("initiative", "The initiative’s reference.", "DIG-101", reference, True),
        Column("week", "The Monday the reporting week starts, like 2026-03-02.", "2026-03-02", read.week, True),
        Column("demonstrated", "What was demonstrated.", "The escalation screen, to ward 7", read.text()),
        Column("demonstrated_to", "To whom.", "Ward 7 nurses", read.text(300)),
        Column("reached_real_users", "Whether anything reached real users this week: yes or no.", "no", read.yes_no),
        Column("real_users_detail", "What reached real users.", "", read.text()),
        Column(
            "confidence",
            "Delivery confidence: green, amber or red (amber_green and amber_red on the five-point scale).",
            "amber",
            _confidence,
            True,
            choices=tuple(Confidence.choices),
        ),
        Column(
            "confidence_reason",
            "The reason for the confidence rating.",
            "Supplier late with the API",
            read.text(),
            True,
        ),
        Column("risks_and_blockers", "Top risks or blockers.", "", read.text()),
        Column("asks_of_the_board", "What the board is asked for.", "", read.text()),
    )

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        self.initiatives = initiatives_by_reference(self.organisation, (v["initiative"] for v in rows))
        weeks = {v["week"] for v in rows}
        self.existing = {
            (c.initiative_id, c.week_start): c
            for c in Checkpoint.objects.filter(initiative__in=list(self.initiatives.values()), week_start__in=weeks)
        }

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values["initiative"], values["week"])

    def plan_row(self, row: int, values: dict[str, Any], present: tuple[str, ...]) -> Item:
        initiative = self.initiatives.get(values["initiative"])
        if initiative is None:
            raise RowProblems([unknown_initiative(values["initiative"])])
        try:
            bounds.check_reason(values["confidence_reason"], what="the reason for the rating")
        except bounds.BoundsError as error:
            raise RowProblems([("confidence_reason", read.lower_first(str(error)))]) from None
        fields = {name: values[name] for name in FIELDS if name in values}
        label = f"{initiative.reference}, week of {values['week'].isoformat()}"
        checkpoint = self.existing.get((initiative.pk, values["week"]))
        payload = (initiative, values["week"], fields)
        if checkpoint is None:
            listed = [Change(name, "", shown(value)) for name, value in fields.items() if value not in ("", None)]
            return Item(row, label, CREATE, listed, payload)
        found = changes({n: getattr(checkpoint, n) for n in fields}, fields, {}, shown)
        return Item(row, label, CHANGE if found else UNCHANGED, found, payload)

    def write_item(self, item: Item, *, by: User | None, reason: str) -> None:
        initiative, week, fields = item.payload
        actions.record_checkpoint(initiative=initiative, by=by, week=week, fields=fields, reason=reason)
