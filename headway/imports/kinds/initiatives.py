"""Initiatives, with their strategic goals, user needs and people (by email).

A row finds its initiative by reference (unique within the organisation). A new one is proposed
through `portfolio.actions.create_initiative`; an existing one is changed through
`update_initiative` (its status changes only by a recorded decision, so it is not a column).
User needs are added or have their evidence changed, never removed by an import.
"""

from __future__ import annotations

from typing import Any, ClassVar

from headway.accounts.models import User
from headway.accounts.roles import Action
from headway.imports import columns as read
from headway.imports.columns import CellError, Column, Lookups, shown
from headway.imports.plan import CHANGE, CREATE, UNCHANGED, Change, Item, Kind, RowProblems, changes
from headway.lib import bounds
from headway.lib.tables import Cell, text_of
from headway.portfolio import actions
from headway.portfolio.models import Initiative, Phase, StrategicGoal, UserNeed

_EVIDENCE = {value: value for value, _ in UserNeed.Evidence.choices}


def _reference(cell: Cell, lookups: Lookups) -> str:
    value = text_of(cell).upper()
    if len(value) > 20:
        raise CellError("a reference has at most 20 characters, for example RZZ-012.")
    return value


def _needs(cell: Cell, lookups: Lookups) -> list[tuple[str, str]]:
    """One need to a line (or separated by semicolons), each optionally starting with how it is
    evidenced and a colon: "researched: As a nurse I need …"."""
    found: list[tuple[str, str]] = []
    for part in read.several(cell, lookups):
        evidence, colon, statement = part.partition(":")
        if colon and evidence.strip().lower() in _EVIDENCE:
            found.append((statement.strip(), evidence.strip().lower()))
        else:
            found.append((part, UserNeed.Evidence.ASSUMED.value))
    for statement, _ in found:
        if not statement:
            raise CellError("a user need after its evidence is empty.")
        bounds.check_text(statement)
    return found


FIELDS = (
    "title",
    "problem",
    "phase",
    "sro",
    "sro_directorate",
    "delivery_lead",
    "clinical_lead",
    "start_date",
    "planned_first_release",
    "planned_go_live",
    "patients_served",
    "staff_served",
    "riskiest_assumption",
)


class Initiatives(Kind):
    # The user need's own fields are shown under the one column that holds them.
    extra_fields: ClassVar[dict[str, str]] = {"statement": "user_needs", "evidence": "user_needs"}

    slug: ClassVar[str] = "initiatives"
    title: ClassVar[str] = "Initiatives"
    actions: ClassVar[tuple[str, ...]] = (Action.CREATE_INITIATIVE, Action.EDIT_ANY_INITIATIVE)
    matching: ClassVar[str] = (
        "A row matches the initiative with the same reference. A reference not yet used creates a new "
        "initiative, proposed."
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "reference", "The initiative’s short reference, unique in your organisation.", "DIG-101", _reference, True
        ),
        Column("title", "Its name.", "Electronic observations on wards", read.text(bounds.SHORT_TEXT - 100), True),
        Column(
            "problem",
            "The problem it solves, in a sentence or two.",
            "Paper charts delay escalation.",
            read.text(),
            True,
        ),
        Column(
            "phase",
            "discovery, alpha, beta, live or retiring. Empty: discovery for a new one.",
            "discovery",
            read.choice(Phase.choices),
            choices=tuple(Phase.choices),
        ),
        Column(
            "sro",
            "The senior responsible owner’s email; they must be a member of your organisation.",
            "sro@example.nhs.uk",
            read.person,
        ),
        Column("sro_directorate", "The SRO’s directorate.", "Nursing", read.text(150)),
        Column("delivery_lead", "The delivery lead’s email (a member).", "delivery@example.nhs.uk", read.person),
        Column("clinical_lead", "The clinical lead’s email (a member).", "", read.person),
        Column("start_date", "When work started, 2026-04-01 or 01/04/2026.", "2026-04-01", read.date),
        Column("planned_first_release", "When it should first reach real users.", "2026-09-01", read.date),
        Column("planned_go_live", "When it should go live.", "2027-03-01", read.date),
        Column("patients_served", "The patients it serves.", "Adult inpatients", read.text()),
        Column("staff_served", "The staff it serves.", "Ward nurses", read.text()),
        Column("riskiest_assumption", "The assumption that would hurt most if wrong.", "", read.text()),
        Column(
            "goals",
            "The strategic goals it serves, by title, separated by semicolons. The goals must exist already.",
            "",
            read.several,
        ),
        Column(
            "user_needs",
            "User needs, one to a line or separated by semicolons; start one with assumed:, researched: or "
            "validated: to say how it is evidenced (assumed if not). Needs are added, never removed.",
            "researched: As a ward nurse I need to see who is deteriorating so that I can act sooner",
            _needs,
        ),
    )

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        # A reference is matched without regard to case, as people type them.
        references = {values["reference"] for values in rows if "reference" in values}
        ids = [
            pk
            for reference, pk in Initiative.objects.for_organisation(self.organisation).values_list("reference", "pk")
            if reference.upper() in references
        ]
        self.existing = {
            i.reference.upper(): i
            for i in Initiative.objects.filter(pk__in=ids)
            .select_related("sro", "delivery_lead", "clinical_lead")
            .prefetch_related("goals", "user_needs")
        }
        self.goals = {g.title.strip().lower(): g for g in StrategicGoal.objects.for_organisation(self.organisation)}

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values["reference"],)

    def plan_row(self, row: int, values: dict[str, Any], present: tuple[str, ...]) -> Item:
        problems: list[tuple[str | None, str]] = []
        goals: list[StrategicGoal] | None = None
        if "goals" in values:
            goals = []
            for title in values["goals"]:
                goal = self.goals.get(title.lower())
                if goal is None:
                    problems.append(("goals", f"there is no strategic goal called ‘{title}’. Add it first."))
                else:
                    goals.append(goal)
        if problems:
            raise RowProblems(problems)
        fields = {name: values[name] for name in FIELDS if name in values}
        if fields.get("phase") == "":
            fields.pop("phase")
        initiative = self.existing.get(values["reference"])
        names = {name: name for name in FIELDS}
        needs: list[tuple[str, str]] = values.get("user_needs", [])
        if initiative is None:
            fields["reference"] = values["reference"]
            listed = [Change(c, "", shown(fields[c])) for c in fields if fields[c] not in (None, "")]
            if goals:
                listed.append(Change("goals", "", shown([g.title for g in goals])))
            listed += [Change("user_needs", "", f"{statement} ({evidence})") for statement, evidence in needs]
            return Item(row, values["reference"], CREATE, listed, (None, fields, goals, needs, []))
        before = {name: getattr(initiative, name) for name in fields}
        found = changes(before, fields, names, shown)
        changed_fields = {name: fields[name] for name in fields if _differs(before[name], fields[name])}
        if goals is not None:
            old_goals = sorted(g.title for g in initiative.goals.all())
            if {g.pk for g in initiative.goals.all()} != {g.pk for g in goals}:
                found.append(Change("goals", shown(old_goals), shown([g.title for g in goals])))
            else:
                goals = None
        current = {need.statement.strip().lower(): need for need in initiative.user_needs.all()}
        new_needs: list[tuple[str, str]] = []
        changed_needs: list[tuple[UserNeed, str]] = []
        for statement, evidence in needs:
            need = current.get(statement.lower())
            if need is None:
                new_needs.append((statement, evidence))
                found.append(Change("user_needs", "(none)", f"{statement} ({evidence})"))
            elif need.evidence != evidence:
                changed_needs.append((need, evidence))
                found.append(Change("user_needs", f"{statement} ({need.evidence})", f"{statement} ({evidence})"))
        outcome = CHANGE if found else UNCHANGED
        return Item(
            row, values["reference"], outcome, found, (initiative, changed_fields, goals, new_needs, changed_needs)
        )

    def write_item(self, item: Item, *, by: User | None, reason: str) -> None:
        initiative, fields, goals, new_needs, changed_needs = item.payload
        if initiative is None:
            initiative = actions.create_initiative(
                organisation=self.organisation, by=by, fields=fields, goals=goals or (), reason=reason
            )
        elif fields or goals is not None:
            actions.update_initiative(initiative=initiative, by=by, fields=fields, goals=goals, reason=reason)
        for statement, evidence in new_needs:
            actions.save_user_need(initiative=initiative, by=by, fields={"statement": statement, "evidence": evidence})
        for need, evidence in changed_needs:
            actions.save_user_need(initiative=initiative, by=by, fields={"evidence": evidence}, need=need)


def _differs(old: Any, new: Any) -> bool:
    return (old if old is not None else "") != (new if new is not None else "")
