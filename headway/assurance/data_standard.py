"""An export shaped like the government's programme and project data standard (December 2025):
one table for each of its entities (project, risk, issue, benefit, milestone, cost, people), with
the column names of the Government Major Projects Portfolio (GMPP) data releases where there is
one, and a coverage statement saying, column by column, what maps, what is approximate and what
Headway cannot supply (ADR 34, `docs/data-standard.md`).

No machine-readable schema of the standard is published, so the shape is ours and versioned
(`SCHEMA_VERSION`): a change to a column's name, meaning or order is a new version, written in
`docs/data-standard.md`. The tables are built from the same figures the pages show, in a fixed
number of queries however large the portfolio; the workbook is written through
`headway.lib.exports` and the JSON by `json`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import F, Q

from headway.accounts.models import Organisation
from headway.assurance import money as assurance_money
from headway.finance.figures import InitiativeMoney, class_forecasts
from headway.finance.models import Actual
from headway.lib.exports import Cell, workbook_bytes
from headway.metrics import queries as metric_queries
from headway.metrics.models import Metric
from headway.portfolio.models import Checkpoint, Confidence, Initiative, Risk
from headway.portfolio.queries import asks_since

T = TypeVar("T")

SCHEMA_VERSION = "headway-pds-1"
STANDARD = "Programme and project data standard (Cabinet Office, December 2025; in trial)"

# How well a column fits the standard.
MAPS = "Maps"
APPROXIMATE = "Approximate"
CANNOT = "Cannot supply"

#: Headway's delivery confidence on the five-point scale the GMPP data releases use (Red,
#: Amber/Red, Amber, Amber/Green, Green). Headway's rating is the delivery team's own weekly
#: judgement, not an independent assessment, so the column is approximate.
DCA: dict[str, str] = {
    Confidence.GREEN: "Green",
    Confidence.AMBER_GREEN: "Amber/Green",
    Confidence.AMBER: "Amber",
    Confidence.AMBER_RED: "Amber/Red",
    Confidence.RED: "Red",
}


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of an entity's table. `gmpp` says the name is one the GMPP data releases use;
    `value` is None for a column Headway cannot supply (kept, empty, so the table has the
    standard's shape)."""

    name: str
    source: str
    fit: str
    value: Callable[[T], Cell] | None = None
    gmpp: bool = False


@dataclass(frozen=True)
class Entity(Generic[T]):
    key: str
    sheet: str
    what: str
    columns: list[Column[T]]

    def rows(self, items: Sequence[T]) -> list[list[Cell]]:
        return [[c.value(item) if c.value is not None else None for c in self.columns] for item in items]


# What the tables are built from ---------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    initiative: Initiative
    name: str
    baseline: dt.date | None
    actual: dt.date | None
    today: dt.date

    @property
    def status(self) -> str:
        if self.actual is not None:
            return "Achieved"
        if self.baseline is not None and self.baseline < self.today:
            return "Late"
        return "Not yet achieved"


@dataclass(frozen=True)
class CostYear:
    initiative: Initiative
    year: str
    baseline_capital: int | None
    baseline_revenue: int | None
    funding: int
    actual: int


@dataclass(frozen=True)
class Person:
    initiative: Initiative
    role: str
    name: str
    directorate: str


@dataclass(frozen=True)
class Benefit:
    initiative: Initiative
    metric: Metric


@dataclass
class Loaded:
    organisation: Organisation
    today: dt.date
    initiatives: list[Initiative]
    reasons: dict[int, str]
    money: dict[int, InitiativeMoney]
    forecasts: dict[int, tuple[float, float]]  # initiative: (P50, P80) of the cost to go-live
    risks: list[Risk]
    issues: list[Checkpoint]
    benefits: list[Benefit]
    milestones: list[Milestone] = field(default_factory=list)
    costs: list[CostYear] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def load(organisation: Organisation, today: dt.date) -> Loaded:
    """Everything the export holds, in a fixed number of queries."""
    initiatives = list(
        Initiative.objects.for_organisation(organisation)
        .select_related("sro", "delivery_lead", "clinical_lead")
        .order_by("reference")
    )
    latest = Checkpoint.objects.filter(
        initiative__organisation=organisation, week_start=F("initiative__last_checkpoint_week")
    ).values_list("initiative_id", "confidence_reason")
    overview = assurance_money.organisation_money(organisation, today)
    money = {m.initiative.pk: m for m in overview.moneys}
    forecasts = {}
    for pk, m in money.items():
        if m.latest is not None:
            cost = class_forecasts(m.latest, overview.members, m.initiative).cost
            forecasts[pk] = (cost.p50, cost.p80)
    risks = list(
        Risk.objects.for_organisation(organisation)
        .select_related("initiative", "owner")
        .order_by("initiative__reference", "-pk")
    )
    issues = list(
        Checkpoint.objects.filter(initiative__organisation=organisation, week_start__gte=asks_since(today))
        .exclude(Q(asks_of_the_board="") & Q(risks_and_blockers=""))
        .select_related("initiative", "recorded_by")
        .order_by("initiative__reference", "-week_start")
    )
    benefits = [
        Benefit(initiative, metric)
        for metric in metric_queries.metrics_for_list(organisation)
        for initiative in sorted(metric.initiatives.all(), key=lambda i: i.reference)
    ]
    loaded = Loaded(
        organisation=organisation,
        today=today,
        initiatives=initiatives,
        reasons=dict(latest),
        money=money,
        forecasts=forecasts,
        risks=risks,
        issues=issues,
        benefits=sorted(benefits, key=lambda b: (b.initiative.reference, b.metric.name)),
    )
    for i in initiatives:
        loaded.milestones.extend(_milestones(i, today))
        loaded.people.extend(_people(i))
        if (found := money.get(i.pk)) is not None:
            loaded.costs.extend(_cost_years(found))
    return loaded


def _milestones(i: Initiative, today: dt.date) -> list[Milestone]:
    return [
        Milestone(i, "Start", None, i.start_date, today),
        Milestone(i, "First release to real users", i.planned_first_release, i.first_reached_users_week, today),
        Milestone(i, "Go-live", i.planned_go_live, i.went_live_on, today),
    ]


def _people(i: Initiative) -> list[Person]:
    found = []
    for role, person, directorate in (
        ("Senior responsible owner", i.sro, i.sro_directorate),
        ("Delivery lead", i.delivery_lead, ""),
        ("Clinical lead", i.clinical_lead, ""),
    ):
        if person is not None:
            found.append(Person(i, role, person.full_name, directorate))
    return found


def _cost_years(m: InitiativeMoney) -> list[CostYear]:
    baseline = {row.year: row for row in m.latest.rows} if m.latest is not None else {}
    funding: dict[str, int] = {}
    for line in m.funding:
        funding[line.financial_year] = funding.get(line.financial_year, 0) + line.amount
    spent: dict[str, int] = {}
    for a in m.actuals:
        if a.kind == Actual.Kind.SPEND:
            spent[a.financial_year] = spent.get(a.financial_year, 0) + a.amount
    years = sorted(set(baseline) | set(funding) | set(spent))
    return [
        CostYear(
            m.initiative,
            year,
            baseline[year].capital if year in baseline else None,
            baseline[year].revenue if year in baseline else None,
            funding.get(year, 0),
            spent.get(year, 0),
        )
        for year in years
    ]


# The entities and their columns ---------------------------------------------------------------


def _name(person: Any) -> str:
    return str(person.full_name) if person is not None else ""


def _money(m: InitiativeMoney | None, pick: Callable[[InitiativeMoney], Cell]) -> Cell:
    return pick(m) if m is not None and m.latest is not None else None


def _end_date(i: Initiative) -> dt.date | None:
    return i.went_live_on or i.planned_go_live


def _project_id() -> Column[Any]:
    """The column every table but the projects' starts with: the initiative it belongs to."""
    return Column(
        "GMPP ID Number", "The initiative's reference", APPROXIMATE, lambda row: row.initiative.reference, gmpp=True
    )


def project_entity(loaded: Loaded) -> Entity[Initiative]:
    organisation = loaded.organisation

    def money(i: Initiative) -> InitiativeMoney | None:
        return loaded.money.get(i.pk)

    def forecast(i: Initiative, at: int) -> Cell:
        found = loaded.forecasts.get(i.pk)
        return round(found[at]) if found is not None else None

    return Entity(
        "project",
        "Project",
        "One row for each initiative.",
        [
            Column("GMPP ID Number", "The initiative's reference", APPROXIMATE, lambda i: i.reference, gmpp=True),
            Column("Project Name", "Title", MAPS, lambda i: i.title, gmpp=True),
            Column(
                "Department",
                "The organisation's name and ODS code (a trust, not a government department)",
                APPROXIMATE,
                lambda i: f"{organisation.name} ({organisation.ods_code})",
                gmpp=True,
            ),
            Column("Description / Aims", "The problem it solves", APPROXIMATE, lambda i: i.problem, gmpp=True),
            Column(
                "IPA Delivery Confidence Assessment",
                "The delivery confidence of the latest weekly checkpoint, a self-assessment by the "
                "team rather than an independent assessment",
                APPROXIMATE,
                lambda i: DCA.get(i.current_confidence),
                gmpp=True,
            ),
            Column(
                "Departmental commentary on actions planned or taken on the IPA RAG rating",
                "The reason given for the latest checkpoint's confidence",
                APPROXIMATE,
                lambda i: loaded.reasons.get(i.pk),
                gmpp=True,
            ),
            Column(
                "Project Phase", "Phase (discovery, alpha, beta, live, retiring)", MAPS, lambda i: i.get_phase_display()
            ),
            Column(
                "Project Status",
                "Status (proposed, active, paused, stopped, completed)",
                MAPS,
                lambda i: i.get_status_display(),
            ),
            Column("Start Date", "Start date", MAPS, lambda i: i.start_date),
            Column("End Date", "Went live on or, before then, planned go-live", APPROXIMATE, _end_date),
            Column(
                "Schedule Narrative",
                "Headway keeps no narrative on the schedule; the weekly checkpoints hold what happened",
                CANNOT,
            ),
            Column(
                "Whole Life Cost (£)",
                "Total cost of the latest business case, every year and capital and revenue",
                APPROXIMATE,
                lambda i: _money(money(i), lambda m: m.latest.total_cost if m.latest else None),
            ),
            Column(
                "Whole Life Cost after optimism bias (£)",
                "The same, raised by the Green Book optimism bias",
                MAPS,
                lambda i: _money(
                    money(i),
                    lambda m: (
                        round(m.latest.bias.adjusted_cost)
                        if m.latest and m.latest.bias.adjusted_cost is not None
                        else None
                    ),
                ),
            ),
            Column(
                "Cost to go-live P50 (£)",
                "Reference-class forecast (the organisation's finished initiatives) or Green Book fallback",
                MAPS,
                lambda i: forecast(i, 0),
            ),
            Column("Cost to go-live P80 (£)", "As above, the 80th percentile", MAPS, lambda i: forecast(i, 1)),
            Column(
                "Financial Narrative",
                "Headway keeps no narrative on the costs; its money checks are on the money page",
                CANNOT,
            ),
            Column("SRO Name", "Senior responsible owner", MAPS, lambda i: _name(i.sro)),
            Column(
                "Business case stage",
                "The latest business case's stage (SOC, OBC, FBC)",
                MAPS,
                lambda i: _money(money(i), lambda m: m.latest.case.get_stage_display() if m.latest else None),
            ),
        ],
    )


def risk_entity() -> Entity[Risk]:
    return Entity(
        "risk",
        "Risk",
        "Every risk in the register, open and closed: to an initiative or to the whole portfolio.",
        [
            Column("Risk ID", "Headway's number for the risk", MAPS, lambda r: f"R{r.pk}"),
            Column(
                "GMPP ID Number",
                "The initiative's reference; empty for a risk to the whole portfolio",
                APPROXIMATE,
                lambda r: r.initiative.reference if r.initiative else None,
                gmpp=True,
            ),
            Column("Risk Title", "Title", MAPS, lambda r: r.title),
            Column("Risk Description", "Description", MAPS, lambda r: r.description),
            Column("Likelihood (1-5)", "Likelihood on the NHS 5×5 matrix", MAPS, lambda r: r.likelihood),
            Column("Impact (1-5)", "Consequence on the NHS 5×5 matrix", MAPS, lambda r: r.consequence),
            Column("Risk Score (1-25)", "Likelihood × consequence", MAPS, lambda r: r.score),
            Column("Risk Rating", "The NHS band of the score", MAPS, lambda r: r.rating.capitalize()),
            Column("Risk Owner", "Owner", MAPS, lambda r: _name(r.owner)),
            Column("Mitigation", "Mitigation", MAPS, lambda r: r.mitigation),
            Column("Risk Status", "Open or closed", MAPS, lambda r: r.get_status_display()),
            Column("Next Review Date", "Next review", MAPS, lambda r: r.next_review),
            Column("Date Raised", "When it was entered in Headway", APPROXIMATE, lambda r: r.created_at.date()),
            Column("Proximity", "Headway does not record when a risk would strike", CANNOT),
            Column("Cost Impact (£)", "Headway does not put a cost on risks", CANNOT),
        ],
    )


def issue_entity() -> Entity[Checkpoint]:
    return Entity(
        "issue",
        "Issue",
        "Headway keeps no issue log. The nearest thing: this week's and last week's checkpoints "
        "that name risks or blockers, or ask the board for something.",
        [
            Column("Issue ID", "The checkpoint's number", APPROXIMATE, lambda c: f"C{c.pk}"),
            _project_id(),
            Column(
                "Issue Description",
                "The checkpoint's top risks or blockers",
                APPROXIMATE,
                lambda c: c.risks_and_blockers,
            ),
            Column(
                "Action Requested", "The checkpoint's asks of the board", APPROXIMATE, lambda c: c.asks_of_the_board
            ),
            Column("Date Raised", "The checkpoint's week (its Monday)", APPROXIMATE, lambda c: c.week_start),
            Column("Raised By", "Who recorded the checkpoint", APPROXIMATE, lambda c: _name(c.recorded_by)),
            Column("Issue Owner", "Headway does not give an issue an owner", CANNOT),
            Column("Priority", "Headway does not rank issues", CANNOT),
            Column("Resolution Date", "Headway does not record when an issue is resolved", CANNOT),
        ],
    )


def benefit_entity() -> Entity[Benefit]:
    return Entity(
        "benefit",
        "Benefit",
        "One row for each metric linked to an initiative: its baseline, target and latest value.",
        [
            _project_id(),
            Column("Benefit Name", "The metric's name", MAPS, lambda b: b.metric.name),
            Column("Benefit Description", "The metric's definition", MAPS, lambda b: b.metric.definition),
            Column(
                "Benefit Type",
                "Kind of measure (outcome, adoption, experience, financial, activity)",
                APPROXIMATE,
                lambda b: b.metric.get_kind_display(),
            ),
            Column("Benefit Owner", "The metric's owner", MAPS, lambda b: _name(b.metric.owner)),
            Column("Unit", "Unit", MAPS, lambda b: b.metric.unit),
            Column("Baseline Value", "Baseline", MAPS, lambda b: b.metric.baseline_value),
            Column("Baseline Period", "Baseline period", MAPS, lambda b: b.metric.baseline_period),
            Column("Target Value", "Target", MAPS, lambda b: b.metric.target_value),
            Column("Target Date", "Target date", MAPS, lambda b: b.metric.target_date),
            Column("Latest Value", "The latest observation", MAPS, lambda b: getattr(b.metric, "latest_value", None)),
            Column("Latest Period", "The latest observation's period", MAPS, lambda b: b.metric.latest_period),
            Column(
                "Monetised Value (£)",
                "A metric has no money value; business cases hold benefits in pounds by year",
                CANNOT,
            ),
        ],
    )


def milestone_entity() -> Entity[Milestone]:
    return Entity(
        "milestone",
        "Milestone",
        "Three milestones for each initiative: start, first release to real users and go-live.",
        [
            _project_id(),
            Column("Milestone Name", "Start, first release to real users, go-live", APPROXIMATE, lambda m: m.name),
            Column(
                "Baseline Date",
                "Planned first release or planned go-live (no plan is kept for the start)",
                APPROXIMATE,
                lambda m: m.baseline,
            ),
            Column(
                "Actual Date",
                "Start date; the week something first reached real users; went live on",
                MAPS,
                lambda m: m.actual,
            ),
            Column(
                "Milestone Status",
                "Achieved, late or not yet achieved, worked out from the dates",
                MAPS,
                lambda m: m.status,
            ),
            Column("Forecast Date", "Headway keeps the plan and the actual date, not a forecast between", CANNOT),
        ],
    )


def cost_entity() -> Entity[CostYear]:
    return Entity(
        "cost",
        "Cost",
        "One row for each initiative and NHS financial year (April to March) with a cost, funding or spend.",
        [
            _project_id(),
            Column("Financial Year", "NHS financial year, written 2026/27", MAPS, lambda c: c.year),
            Column(
                "Financial Year Baseline Capital (£)",
                "The latest business case's capital costs for the year",
                APPROXIMATE,
                lambda c: c.baseline_capital,
            ),
            Column(
                "Financial Year Baseline Revenue (£)",
                "The latest business case's revenue costs for the year",
                APPROXIMATE,
                lambda c: c.baseline_revenue,
            ),
            Column("Funding (£)", "Funding lines for the year, in any state", MAPS, lambda c: c.funding),
            Column("Actual Spend (£)", "Spend recorded for the year", MAPS, lambda c: c.actual),
            Column(
                "Variance (£)",
                "Actual spend less the baseline for the year",
                APPROXIMATE,
                lambda c: (
                    c.actual - ((c.baseline_capital or 0) + (c.baseline_revenue or 0))
                    if c.baseline_capital is not None
                    else None
                ),
            ),
            Column(
                "Financial Year Forecast (£)",
                "Headway forecasts whole-life ranges (P50, P80 on the Project table), not a figure for each year",
                CANNOT,
            ),
        ],
    )


def people_entity() -> Entity[Person]:
    return Entity(
        "people",
        "People",
        "The named roles on each initiative. Email addresses are left out: they are personal data the "
        "return does not need.",
        [
            _project_id(),
            Column("Role", "Senior responsible owner, delivery lead, clinical lead", MAPS, lambda p: p.role),
            Column("Name", "The person's full name", MAPS, lambda p: p.name),
            Column(
                "Directorate",
                "The SRO's directorate (kept for the SRO only)",
                APPROXIMATE,
                lambda p: p.directorate or None,
            ),
            Column("Grade", "Headway does not record grades", CANNOT),
            Column("Time Commitment", "Headway does not record how much of their time a person gives", CANNOT),
        ],
    )


# The export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    entity: Entity[Any]
    rows: list[list[Cell]]


def tables(loaded: Loaded) -> list[Table]:
    return [
        Table(project_entity(loaded), project_entity(loaded).rows(loaded.initiatives)),
        Table(risk_entity(), risk_entity().rows(loaded.risks)),
        Table(issue_entity(), issue_entity().rows(loaded.issues)),
        Table(benefit_entity(), benefit_entity().rows(loaded.benefits)),
        Table(milestone_entity(), milestone_entity().rows(loaded.milestones)),
        Table(cost_entity(), cost_entity().rows(loaded.costs)),
        Table(people_entity(), people_entity().rows(loaded.people)),
    ]


def coverage(found: Sequence[Table]) -> list[list[Cell]]:
    """The coverage statement: every column of every table, where it comes from and how well it fits."""
    rows: list[list[Cell]] = [["Entity", "Column", "Name from the GMPP data releases", "Headway source", "Fit"]]
    for t in found:
        for c in t.entity.columns:
            rows.append([t.entity.sheet, c.name, "Yes" if c.gmpp else "No", c.source, c.fit])
    return rows


def about(organisation: Organisation, today: dt.date, found: Sequence[Table]) -> list[list[Cell]]:
    counts: list[list[Cell]] = [[f"{t.entity.sheet} rows", len(t.rows)] for t in found]
    return [
        ["Schema version", SCHEMA_VERSION],
        ["Aligned with", STANDARD],
        ["Column names", "Those of the Government Major Projects Portfolio data releases where there is one"],
        ["Organisation", f"{organisation.name} ({organisation.ods_code})"],
        ["Made on", today],
        ["Made by", "Headway"],
        [
            "Coverage",
            "The Coverage sheet says, for every column, what maps, what is approximate and what Headway cannot supply",
        ],
        *counts,
    ]


def build(organisation: Organisation, today: dt.date) -> list[Table]:
    return tables(load(organisation, today))


def xlsx(organisation: Organisation, today: dt.date) -> bytes:
    found = build(organisation, today)
    sheets: list[tuple[str, Sequence[Sequence[Cell]]]] = [
        ("About", about(organisation, today, found)),
        ("Coverage", coverage(found)),
    ]
    sheets.extend((t.entity.sheet, [[c.name for c in t.entity.columns], *t.rows]) for t in found)
    return workbook_bytes(sheets)


def _json_cell(cell: Cell) -> Any:
    return cell.isoformat() if isinstance(cell, dt.date) else cell


def as_json(organisation: Organisation, today: dt.date) -> str:
    found = build(organisation, today)
    document = {
        "schema_version": SCHEMA_VERSION,
        "aligned_with": STANDARD,
        "organisation": {"name": organisation.name, "ods_code": organisation.ods_code},
        "made_on": today.isoformat(),
        "coverage": [dict(zip(coverage(found)[0], row, strict=True)) for row in coverage(found)[1:]],
        "entities": {
            t.entity.key: [
                {c.name: _json_cell(v) for c, v in zip(t.entity.columns, row, strict=True)} for row in t.rows
            ]
            for t in found
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
