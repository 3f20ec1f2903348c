"""Risks on the NHS 5×5 matrix, for an initiative or for the portfolio as a whole.

A risk has no reference of its own, so a row finds its risk by initiative reference (empty for a
portfolio-level risk) and title; a title used by two such risks is refused as ambiguous. Risks
are raised or updated through `portfolio.actions.save_risk`."""

from __future__ import annotations

from typing import Any, ClassVar

from headway.accounts.models import User
from headway.accounts.roles import Action
from headway.imports import columns as read
from headway.imports.columns import Column, shown
from headway.imports.kinds._shared import initiatives_by_reference, reference, unknown_initiative
from headway.imports.plan import CHANGE, CREATE, UNCHANGED, Change, Item, Kind, RowProblems, changes
from headway.portfolio import actions
from headway.portfolio.models import Risk

FIELDS = ("description", "likelihood", "consequence", "owner", "mitigation", "next_review", "status")


class Risks(Kind):
    slug: ClassVar[str] = "risks"
    title: ClassVar[str] = "Risks"
    actions: ClassVar[tuple[str, ...]] = (Action.MANAGE_PORTFOLIO_RISKS,)
    matching: ClassVar[str] = (
        "A row matches the risk with the same title on the same initiative (or, with no initiative, the "
        "portfolio-level risk with that title). Titles are compared without regard to case."
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "initiative", "The initiative’s reference; empty for a risk to the whole portfolio.", "DIG-101", reference
        ),
        Column("title", "The risk, in a few words.", "Supplier API late", read.text(200), True),
        Column("description", "More about it.", "", read.text()),
        Column("likelihood", "1 (rare) to 5 (almost certain).", "3", read.whole_number(1, 5), True),
        Column("consequence", "1 (negligible) to 5 (catastrophic).", "4", read.whole_number(1, 5), True),
        Column("owner", "The owner’s email (a member).", "sro@example.nhs.uk", read.person, True),
        Column("mitigation", "What is being done about it.", "Weekly call with the supplier", read.text()),
        Column("next_review", "When it is next reviewed, like 2026-04-30.", "2026-04-30", read.date, True),
        Column(
            "status",
            "open or closed. Empty: open for a new risk.",
            "open",
            read.choice(Risk.State.choices),
            choices=tuple(Risk.State.choices),
        ),
    )

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        self.initiatives = initiatives_by_reference(self.organisation, (v.get("initiative", "") for v in rows))
        self.existing: dict[tuple[int | None, str], list[Risk]] = {}
        for risk in Risk.objects.for_organisation(self.organisation).select_related("owner", "initiative"):
            self.existing.setdefault((risk.initiative_id, risk.title.strip().lower()), []).append(risk)

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values.get("initiative", ""), values["title"].strip().lower())

    def plan_row(self, row: int, values: dict[str, Any], present: tuple[str, ...]) -> Item:
        initiative = None
        if values.get("initiative"):
            initiative = self.initiatives.get(values["initiative"])
            if initiative is None:
                raise RowProblems([unknown_initiative(values["initiative"])])
        fields: dict[str, Any] = {name: values[name] for name in FIELDS if name in values}
        if fields.get("status") == "":
            fields.pop("status")
        title = values["title"].strip()
        label = f"{initiative.reference}: {title}" if initiative else f"Portfolio: {title}"
        found = self.existing.get((initiative.pk if initiative else None, title.lower()), [])
        if len(found) > 1:
            raise RowProblems(
                [("title", f"{len(found)} risks have this title here, so Headway cannot tell which one this is.")]
            )
        if not found:
            fields = {"title": title, "initiative": initiative, **fields}
            listed = [Change(n, "", shown(v)) for n, v in fields.items() if v not in ("", None) and n != "initiative"]
            return Item(row, label, CREATE, listed, (None, fields))
        [risk] = found
        differences = changes({n: getattr(risk, n) for n in fields}, fields, {}, shown)
        return Item(row, label, CHANGE if differences else UNCHANGED, differences, (risk, fields))

    def write_item(self, item: Item, *, by: User | None, reason: str) -> None:
        risk, fields = item.payload
        actions.save_risk(organisation=self.organisation, by=by, fields=fields, risk=risk, reason=reason)
