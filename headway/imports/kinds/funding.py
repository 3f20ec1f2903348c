"""Funding lines: money for an initiative in an NHS financial year. A line has no reference of
its own, so a row finds its line by initiative reference, financial year, kind (capital or
revenue), source and purpose; two stored lines alike in all five are refused as ambiguous. Lines
are added or changed through `finance.actions.save_funding_line`."""

from __future__ import annotations

from typing import Any, ClassVar

from headway.accounts.models import User
from headway.accounts.roles import Action
from headway.finance import actions
from headway.finance.models import FundingLine, MoneyKind
from headway.imports import columns as read
from headway.imports.columns import Column, shown
from headway.imports.kinds._shared import initiatives_by_reference, reference, unknown_initiative
from headway.imports.plan import CHANGE, CREATE, UNCHANGED, Change, Item, Kind, RowProblems, changes
from headway.lib.money import pounds


class Funding(Kind):
    slug: ClassVar[str] = "funding"
    title: ClassVar[str] = "Funding lines"
    actions: ClassVar[tuple[str, ...]] = (Action.MANAGE_MONEY,)
    matching: ClassVar[str] = (
        "A row matches the funding line of the same initiative (by reference) with the same financial year, "
        "kind, source and purpose."
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("initiative", "The initiative’s reference.", "DIG-101", reference, True),
        Column(
            "financial_year",
            "The NHS financial year, April to March, like 2026/27.",
            "2026/27",
            read.financial_year,
            True,
        ),
        Column(
            "kind",
            "capital or revenue.",
            "capital",
            read.choice(MoneyKind.choices),
            True,
            choices=tuple(MoneyKind.choices),
        ),
        Column(
            "source",
            "national, ics, trust or other.",
            "national",
            read.choice(FundingLine.Source.choices),
            True,
            choices=tuple(FundingLine.Source.choices),
        ),
        Column(
            "purpose",
            "build (building and launching it) or run (running and improving it after go-live). Empty: build.",
            "build",
            read.choice(FundingLine.Purpose.choices),
            choices=tuple(FundingLine.Purpose.choices),
        ),
        Column(
            "state",
            "requested, approved, committed or spent. Empty: requested for a new line.",
            "approved",
            read.choice(FundingLine.State.choices),
            choices=tuple(FundingLine.State.choices),
        ),
        Column("amount", "Whole pounds, like 250000, £250,000 or 250k.", "250000", read.amount, True),
        Column("note", "A note about the line.", "", read.text(300)),
    )

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        self.initiatives = initiatives_by_reference(self.organisation, (v["initiative"] for v in rows))
        self.existing: dict[tuple[Any, ...], list[FundingLine]] = {}
        for line in FundingLine.objects.filter(initiative__in=list(self.initiatives.values())):
            key = (line.initiative_id, line.financial_year, line.kind, line.source, line.purpose)
            self.existing.setdefault(key, []).append(line)

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        purpose = values.get("purpose") or FundingLine.Purpose.BUILD
        return (values["initiative"], values["financial_year"], values["kind"], values["source"], purpose)

    def plan_row(self, row: int, values: dict[str, Any], present: tuple[str, ...]) -> Item:
        initiative = self.initiatives.get(values["initiative"])
        if initiative is None:
            raise RowProblems([unknown_initiative(values["initiative"])])
        purpose = values.get("purpose") or FundingLine.Purpose.BUILD.value
        fields: dict[str, Any] = {
            "financial_year": values["financial_year"],
            "kind": values["kind"],
            "source": values["source"],
            "purpose": purpose,
            "amount": values["amount"],
        }
        if values.get("state"):
            fields["state"] = values["state"]
        if "note" in values:
            fields["note"] = values["note"]
        label = (
            f"{initiative.reference}, {values['financial_year']} {values['kind']} from {values['source']} ({purpose})"
        )
        found = self.existing.get(
            (initiative.pk, values["financial_year"], values["kind"], values["source"], purpose), []
        )
        if len(found) > 1:
            raise RowProblems(
                [(None, f"{len(found)} funding lines of this initiative match this row, so Headway cannot tell which.")]
            )

        def show(value: Any) -> str:
            return pounds(value) if isinstance(value, int) and not isinstance(value, bool) else shown(value)

        if not found:
            listed = [Change(n, "", show(v)) for n, v in fields.items() if v not in ("", None)]
            return Item(row, label, CREATE, listed, (initiative, None, fields))
        [line] = found
        differences = changes({n: getattr(line, n) for n in fields}, fields, {}, show)
        return Item(row, label, CHANGE if differences else UNCHANGED, differences, (initiative, line, fields))

    def write_item(self, item: Item, *, by: User | None, reason: str) -> None:
        initiative, line, fields = item.payload
        actions.save_funding_line(initiative=initiative, by=by, fields=fields, line=line)
