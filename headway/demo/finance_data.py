"""The demo's money: funding, business cases, optimism-bias scores, actual spend and the track record.

What a board member should find in the first five minutes:

- Funding by NHS financial year for every active and proposed initiative, capital and revenue,
  from national, ICS and trust sources, and for most of them revenue to run and improve the
  service after go-live. Finished initiatives keep the build funding they spent, with the
  extra years they overran funded too, so no spend sits against a year with nothing secured.
  Two live services do not have run money: the virtual wards (DIG-004), whose national money
  ended with the year they went live, and the cyber resilience work (DIG-015), bought with
  one-off national capital although its licences recur. Both show "funding ends at go-live".
- Business cases at every stage (strategic outline, outline, full), with costs and benefits by
  year. Benefits of every kind, each with an owner and, where the demo measures it, a metric.
  Digital patient letters (DIG-019) is argued only in cash. Electronic observations (DIG-006)
  has an outline and a full case, so the growth in cost between them shows.
- Optimism-bias scores: well mitigated for electronic observations and cyber resilience, partly
  for others, and not at all for speech recognition (DIG-024), a proposal with no market
  engagement yet.
- The trust's own track record, the reference class: eight finished initiatives with their
  planned and actual cost and duration. Three are in the main story (DIG-002, DIG-016,
  DIG-017); five older ones are here (`FINISHED`), with references from the IM&T programme office
  that came before the portfolio office. Most ran a little over, two came in under, and the
  emergency department system ran to 2.8 times its cost and 1.7 times its duration.
- Actual spend and realised benefits by year, so actual against forecast shows.
- Delivery shape: remote monitoring for heart failure (DIG-022) started months ago, has nothing
  in users' hands and plans its first benefit at go-live, more than a year after it started;
  EPR optimisation, virtual wards and patient-initiated follow-up released to real users within
  weeks of starting (their checkpoints come from `headway.demo.data`).

Dates are counted from the loader's `today` like the rest of the demo: financial years follow
the initiatives' start and go-live dates, so funding that stops at go-live stops there whatever
day the demo is loaded. The finished initiatives are created by the loader like the others
(through the portfolio actions, closed by recorded decisions); their go-live dates, and their
money, are written here. Every funding line, business case, cost and benefit line, optimism-bias
score and actual goes through `headway.finance.actions`, the same writes a person's form makes,
so the demo keeps every rule they keep. Nothing is random.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db import transaction

from headway.accounts.models import Organisation, User
from headway.demo.data import (
    ACUTE,
    INVESTMENT_BOARD,
    MENTAL_HEALTH,
    DecisionSpec,
    InitiativeSpec,
    NeedSpec,
)
from headway.demo.metrics_data import MONTHLY, Change, MetricSpec, SeriesSpec
from headway.finance import actions as finance_actions
from headway.finance.models import (
    Actual,
    BenefitLine,
    BiasFactor,
    BusinessCase,
    FundingLine,
    MoneyKind,
    ProjectType,
)
from headway.finance.reference import ensure_optimism_bias_reference
from headway.lib.financial_years import financial_year_start, first_day, last_day, year_label, year_start
from headway.metrics.models import Metric
from headway.portfolio.models import Initiative, Status

# The IM&T Programme Board took the trust's investment decisions before the Digital Investment
# Board was set up.
PROGRAMME_BOARD = "IM&T Programme Board"
DAYS_IN_A_MONTH = 365.25 / 12
# An appraisal runs for six financial years: year 0 (the year work starts) and five more.
APPRAISAL_YEARS = 6
# Funding is planned up to four years ahead of the current financial year.
FUNDING_YEARS_AHEAD = 4
DECISION_WEEKDAY = 2

CAPITAL, REVENUE = MoneyKind.CAPITAL.value, MoneyKind.REVENUE.value
NATIONAL, ICS, TRUST = (FundingLine.Source.NATIONAL.value, FundingLine.Source.ICS.value, FundingLine.Source.TRUST.value)
SOC, OBC, FBC = BusinessCase.Stage.SOC.value, BusinessCase.Stage.OBC.value, BusinessCase.Stage.FBC.value
CASH, NON_CASH, QUALITY, PATIENT, STAFF_TIME, SOCIETY = (
    BenefitLine.Kind.CASH_RELEASING.value,
    BenefitLine.Kind.NON_CASH.value,
    BenefitLine.Kind.QUALITY_SAFETY.value,
    BenefitLine.Kind.PATIENT_EXPERIENCE.value,
    BenefitLine.Kind.STAFF_TIME.value,
    BenefitLine.Kind.WIDER_SOCIETY.value,
)

# The risk areas of the equipment/development project type (HM Treasury, 2003), by short name.
CONTRACT = "Complexity of contract structure"
LATE_SUPPLIER = "Late contractor involvement in design"
SUPPLIER = "Poor contractor capabilities"
ENVIRONMENT = "Environmental impact"
CASE = "Inadequacy of the business case"


# ------------------------------------------------------------------------------------- specs


@dataclass(frozen=True, kw_only=True)
class Cost:
    """A cost: for building, the total from start to go-live, spread over the years by days; for
    running, a year's cost in every year after go-live."""

    kind: str
    category: str
    amount: int
    note: str = ""


def capital(category: str, amount: int, note: str = "") -> Cost:
    return Cost(kind=CAPITAL, category=category, amount=amount, note=note)


def revenue(category: str, amount: int, note: str = "") -> Cost:
    return Cost(kind=REVENUE, category=category, amount=amount, note=note)


@dataclass(frozen=True, kw_only=True)
class Benefit:
    kind: str
    description: str
    amount: int  # a full year's value in pounds; 0 where it cannot be valued
    owner: str  # a person key in headway.demo.data.PEOPLE
    metric: str | None = None  # the name of one of the organisation's demo metrics
    realised: float = 0.0  # the share of the planned value realised so far (recorded as actuals)


@dataclass(frozen=True, kw_only=True)
class CaseSpec:
    stage: str
    summary: str
    approved: bool = True
    # When it was approved: at the decision that started the work, unless given (weeks ago).
    approved_weeks_ago: int | None = None
    # An earlier stage's figures: its costs and benefits were these multiples of today's.
    cost_scale: float = 1.0
    benefit_scale: float = 1.0


@dataclass(frozen=True, kw_only=True)
class Mitigated:
    factor: str
    score: float
    evidence: str


@dataclass(frozen=True, kw_only=True)
class MoneySpec:
    organisation: str
    reference: str
    build: tuple[Cost, ...]
    run: tuple[Cost, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    cases: tuple[CaseSpec, ...] = ()  # earliest stage first; the last is the current case
    mitigations: tuple[Mitigated, ...] = ()
    # Months from the start to the first benefit; None: at go-live (value only at the end).
    first_benefit_months: int | None = None
    capital_source: str = TRUST
    revenue_source: str = TRUST
    run_source: str = TRUST
    funding_note: str = ""
    # False: no money is set aside for any year after go-live.
    run_funded: bool = True
    # Actual spend as a multiple of the plan (so far, or in the end for a finished initiative).
    spend_ratio: float = 1.0
    # A proposal has no start date yet: when it would start, and how long it would take.
    start_in_weeks: int | None = None
    planned_months: int | None = None


# ---------------------------------------------------------------- the finished initiatives


FINISHED: tuple[InitiativeSpec, ...] = (
    InitiativeSpec(
        organisation=ACUTE,
        reference="IMT-21-03",
        title="Replace the emergency department system",
        phase="live",
        problem=(
            "The emergency department ran on a system 15 years old that could not send the national Emergency "
            "Care Data Set. Nurses kept a paper card beside it, and the trust's returns were incomplete every "
            "month."
        ),
        patients_served="About 140,000 emergency department attendances a year.",
        staff_served="Emergency department doctors, nurses, streaming and reception staff.",
        sro="coo",
        sro_directorate="Operations",
        clinical_lead="ccio",
        delivery_lead="tomasz",
        goals=("access", "safety"),
        services=("flow", "epr"),
        riskiest_assumption=(
            "That a product built for another country could send the Emergency Care Data Set without changes "
            "to its code."
        ),
        # Planned as one big-bang go-live: nothing for users before the end.
        first_release_in_weeks=-175,
        go_live_in_weeks=-175,
        needs=(
            NeedSpec(
                statement=(
                    "As an emergency department nurse, I need to record triage once, on screen, so that I do not "
                    "keep a paper card as well."
                ),
                evidence="validated",
                notes="Observed on 12 shifts; paper cards counted for a month.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=236,
                decided_by=PROGRAMME_BOARD,
                rationale=(
                    "The old system's support ends next year and it cannot send the Emergency Care Data Set. Buy "
                    "the preferred bidder's product and go live in 14 months."
                ),
                evidence="Procurement evaluation; supplier's reference sites; full business case (£1.45 million).",
            ),
            DecisionSpec(
                kind="change_course",
                weeks_ago=190,
                decided_by=PROGRAMME_BOARD,
                rationale=(
                    "The product failed national conformance testing for the Emergency Care Data Set twice. Keep "
                    "it, pay the supplier to rebuild its data set module, run the old system alongside until it "
                    "passes, and move go-live by nine months."
                ),
                evidence="Two failed conformance test reports; supplier's remediation plan and revised costs.",
            ),
            DecisionSpec(
                kind="close",
                weeks_ago=118,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Live for three months, with complete national returns and patients assessed sooner on "
                    "arrival. Close the project and hand the system to the department and the EPR support team. "
                    "The lessons log records why it cost £4.06 million against £1.45 million: the case assumed "
                    "the product would need no changes."
                ),
                evidence=(
                    "Emergency Care Data Set quality report; time to initial assessment; final project cost report."
                ),
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="IMT-21-08",
        title="Wi-Fi and network refresh on both hospital sites",
        phase="live",
        problem=(
            "Wards had patchy Wi-Fi on a network past the end of its support, so handheld devices dropped their "
            "sessions mid-task and nurses on the worst wards went back to paper."
        ),
        patients_served="All inpatients, through staff who can record care at the bedside.",
        staff_served="Everyone who uses a handheld device or a workstation on wheels on the wards.",
        sro="cdio",
        sro_directorate="Digital Services",
        clinical_lead="cnio",
        delivery_lead="rhys",
        goals=("foundations", "people"),
        services=("infrastructure",),
        riskiest_assumption="That a survey of a sample of wards shows where every access point must go.",
        first_release_in_weeks=-185,
        go_live_in_weeks=-154,
        needs=(
            NeedSpec(
                statement=(
                    "As a ward nurse, I need my handheld device to stay connected at the bedside so that I record "
                    "observations as I take them."
                ),
                evidence="researched",
                notes="Dropped-session logs by ward; interviews with 20 nurses on the worst-covered wards.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=206,
                decided_by=PROGRAMME_BOARD,
                rationale="The core network is out of support, and mobile working on the wards depends on it.",
                evidence="Network health check by the supplier; ward Wi-Fi survey; full business case.",
            ),
            DecisionSpec(
                kind="close",
                weeks_ago=136,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Every ward is on the new network and dropped sessions are down by four fifths. Close; the "
                    "infrastructure team runs it from here."
                ),
                evidence="Dropped sessions per 1,000 by ward; acceptance certificates for both sites.",
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="IMT-22-02",
        title="Digital dictation and outsourced transcription",
        phase="live",
        problem=(
            "Consultants dictated clinic letters on to tapes that were carried to secretaries, so a letter waited "
            "for the tape to be collected and a secretary to be free; a quarter took more than three weeks."
        ),
        patients_served="Outpatients and their GPs; about 450,000 clinic letters a year.",
        staff_served="Consultants, medical secretaries and the outsourced typing service.",
        sro="cmo",
        sro_directorate="Medical Directorate",
        clinical_lead="rheumatologist",
        delivery_lead="callum",
        goals=("access", "people"),
        services=("documents",),
        riskiest_assumption="That an outsourced typing service can take the overflow without errors in letters.",
        first_release_in_weeks=-170,
        go_live_in_weeks=-139,
        needs=(
            NeedSpec(
                statement=(
                    "As a medical secretary, I need every dictation in one queue so that urgent letters are typed "
                    "first."
                ),
                evidence="researched",
                notes="Workshops with 30 secretaries across eight specialties.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=178,
                decided_by=PROGRAMME_BOARD,
                rationale="Letters are slow and typing costs rise every year; digital dictation fixes both.",
                evidence="Letter turnaround audit; typing overtime and agency costs; full business case.",
            ),
            DecisionSpec(
                kind="close",
                weeks_ago=126,
                decided_by=INVESTMENT_BOARD,
                rationale="All specialties dictate digitally and two letters in three are sent within a week. Close.",
                evidence="Letter turnaround by specialty; tape machines returned; typing costs.",
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="IMT-22-06",
        title="Regional PACS replacement: our part of the imaging network",
        phase="live",
        problem=(
            "The picture archiving system was out of contract and could not share images with the other "
            "hospitals in the imaging network, so patients transferred for specialist care were scanned again."
        ),
        patients_served="About 310,000 imaging examinations a year.",
        staff_served="Radiologists, radiographers and clinicians who view images.",
        sro="coo",
        sro_directorate="Operations",
        clinical_lead="radiologist",
        delivery_lead="bethan",
        goals=("joined_up", "access"),
        services=("pacs",),
        riskiest_assumption="That four trusts can agree one configuration and go live one after another.",
        first_release_in_weeks=-110,
        go_live_in_weeks=-95,
        needs=(
            NeedSpec(
                statement=(
                    "As a radiologist, I need a patient's earlier scans from another hospital so that I can compare "
                    "them without asking for a copy."
                ),
                evidence="validated",
                notes="Image transfer requests counted for three months; 1 in 9 scans needed an outside comparison.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=160,
                decided_by=INVESTMENT_BOARD,
                rationale="Join the imaging network's shared PACS as our contract ends, instead of renewing alone.",
                evidence="Imaging network's full business case and our share of its costs; contract end date.",
            ),
            DecisionSpec(
                kind="continue",
                weeks_ago=120,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "The network has moved us from first to third in the go-live order. Continue: the delay is the "
                    "network's, the contract holds the price, and the extra months of the old system come from "
                    "contingency."
                ),
                evidence="Network programme board minutes; revised plan; cost of extending the old PACS.",
            ),
            DecisionSpec(
                kind="close",
                weeks_ago=58,
                decided_by=INVESTMENT_BOARD,
                rationale="Live for two months and urgent CT reports are faster. Close and hand over to radiology.",
                evidence="Reporting times for urgent CT; image sharing across the network; final cost report.",
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="IMT-23-03",
        title="Electronic document management: scan the notes on demand",
        phase="live",
        problem=(
            "Paper case notes came from an off-site store for every clinic, and about one clinic in fifteen started "
            "without them."
        ),
        patients_served="Outpatients; about 600,000 attendances a year.",
        staff_served="Clinicians in clinic, health records staff and clinic receptionists.",
        sro="cfo",
        sro_directorate="Finance",
        clinical_lead="rheumatologist",
        delivery_lead="aisha",
        goals=("access", "foundations"),
        services=("documents", "pas"),
        riskiest_assumption="That clinicians will read scanned notes on screen rather than ask for the paper.",
        first_release_in_weeks=-112,
        go_live_in_weeks=-80,
        needs=(
            NeedSpec(
                statement=(
                    "As a consultant in clinic, I need the patient's earlier letters and results in front of me so "
                    "that I do not see them blind."
                ),
                evidence="researched",
                notes="Audit of 40 clinics; interviews with 15 consultants.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=124,
                decided_by=INVESTMENT_BOARD,
                rationale="Scan notes when they are next needed, and end the off-site storage contract.",
                evidence="Storage contract costs; clinics without notes; a pilot in dermatology.",
            ),
            DecisionSpec(
                kind="close",
                weeks_ago=74,
                decided_by=INVESTMENT_BOARD,
                rationale="Every specialty uses scanned notes and the storage contract is ending. Close, under budget.",
                evidence="Clinics without notes; scanning volumes; final cost report.",
            ),
        ),
    ),
)

# When initiatives really went live (weeks before the week the demo is loaded).
WENT_LIVE: dict[tuple[str, str], int] = {
    (ACUTE, "IMT-21-03"): 132,
    (ACUTE, "IMT-21-08"): 141,
    (ACUTE, "IMT-22-02"): 135,
    (ACUTE, "IMT-22-06"): 66,
    (ACUTE, "IMT-23-03"): 83,
    (ACUTE, "DIG-002"): 18,
    (ACUTE, "DIG-016"): 13,
    (ACUTE, "DIG-017"): 7,
    # Active initiatives that are live.
    (ACUTE, "DIG-001"): 28,
    (ACUTE, "DIG-004"): 30,
    (ACUTE, "DIG-012"): 18,
}

# The finished initiatives' measures, created by the loader with the other demo metrics. Each got
# worse while the old way of working struggled on, then better after go-live: months are counted
# back from the month the demo is loaded in, about 4.35 weeks to a month.
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        organisation=ACUTE,
        initiatives=("IMT-21-03",),
        name="Time from arrival to initial assessment in the emergency department (minutes)",
        definition="Median minutes from arrival to the first clinical assessment, all attendances at the department.",
        kind="outcome",
        beneficiary="patients",
        unit="minutes",
        direction="decrease",
        frequency=MONTHLY,
        owner="coo",
        data_source="Emergency department system (Triagelink ED); the old system's timestamps before go-live",
        target=15,
        target_in_weeks=-100,
        series=SeriesSpec(
            first=60,
            level=19,
            noise=0.8,
            baseline_points=5,
            changes=(Change(at=55, to=26), Change(at=30, to=14, over=3)),
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("IMT-21-08",),
        name="Clinical system sessions dropped by the Wi-Fi (per 1,000 sessions)",
        definition="Sessions on ward handheld devices and workstations on wheels lost to a network drop, per 1,000.",
        kind="outcome",
        beneficiary="staff",
        unit="per 1,000 sessions",
        direction="decrease",
        frequency=MONTHLY,
        owner="rhys",
        data_source="Wireless controller logs (Meshwell), summarised monthly by the infrastructure team",
        target=5,
        target_in_weeks=-130,
        series=SeriesSpec(
            first=54,
            level=9,
            noise=0.6,
            baseline_points=5,
            changes=(Change(at=49, to=14), Change(at=32, to=3, over=4)),
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("IMT-22-02",),
        name="Clinic letters sent within 7 days of the appointment (%)",
        definition="Outpatient clinic letters sent to the GP and patient within 7 days of the appointment.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="increase",
        frequency=MONTHLY,
        owner="cmo",
        data_source="Digital dictation workflow (Scribeline) and the document management system",
        target=80,
        target_in_weeks=-120,
        series=SeriesSpec(
            first=48,
            level=41,
            noise=1.5,
            baseline_points=6,
            high=100,
            changes=(Change(at=42, to=33), Change(at=31, to=68, over=4)),
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("IMT-22-06",),
        name="Time to report urgent CT scans (hours)",
        definition="Median hours from an urgent inpatient or emergency CT scan to its verified report.",
        kind="outcome",
        beneficiary="patients",
        unit="hours",
        direction="decrease",
        frequency=MONTHLY,
        owner="radiologist",
        data_source="Radiology information system turnaround report (Corvane Imaging RIS)",
        target=6,
        target_in_weeks=-60,
        series=SeriesSpec(
            first=44,
            level=9.5,
            noise=0.5,
            baseline_points=6,
            changes=(Change(at=38, to=13), Change(at=15, to=5.5, over=3)),
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("IMT-23-03",),
        name="Outpatient clinics started without the patient's notes (%)",
        definition="Clinic appointments where the consultant recorded that the notes were not available.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="decrease",
        frequency=MONTHLY,
        owner="coo",
        data_source="Clinic outcome forms in the PAS; health records tracking before go-live",
        target=2,
        target_in_weeks=-74,
        series=SeriesSpec(
            first=36,
            level=6.5,
            noise=0.4,
            baseline_points=6,
            changes=(Change(at=30, to=9), Change(at=19, to=1.5, over=3)),
        ),
    ),
)


# ---------------------------------------------------------------------------------- money


def _mitigated(*scores: tuple[str, float, str]) -> tuple[Mitigated, ...]:
    return tuple(Mitigated(factor=f, score=s, evidence=e) for f, s, e in scores)


MONEY: tuple[MoneySpec, ...] = (
    # --- Active at the acute trust -----------------------------------------------------------
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-001",
        build=(
            revenue("staff", 210_000, "Optimisation team: clinical analysts and EPR configuration leads"),
            revenue("supplier", 60_000, "Supplier configuration days"),
        ),
        run=(revenue("run", 320_000, "Standing optimisation team"), revenue("supplier", 60_000, "Configuration days")),
        benefits=(
            Benefit(
                kind=STAFF_TIME,
                owner="ccio",
                amount=410_000,
                realised=0.8,
                description="Doctors' time saved clerking and writing discharge summaries (about 9,000 hours a year)",
                metric="Time to clerk an emergency admission (minutes)",
            ),
            Benefit(
                kind=PATIENT,
                owner="cmo",
                amount=0,
                description="GPs have the discharge summary the day after the patient goes home",
                metric="Discharge summaries sent within 24 hours (%)",
            ),
            Benefit(
                kind=QUALITY,
                owner="pharmacist",
                amount=0,
                description="Fewer medicines missed or doubled when patients are admitted",
            ),
        ),
        cases=(
            CaseSpec(
                stage=FBC,
                summary=(
                    "A standing EPR optimisation team instead of another upgrade: small changes every week to the "
                    "screens doctors use most, measured by the time they take."
                ),
            ),
        ),
        first_benefit_months=2,
        funding_note="Trust revenue: digital services budget",
        spend_ratio=1.02,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-003",
        build=(
            capital("supplier", 160_000, "Integration engine interfaces to the shared care record"),
            capital("staff", 80_000, "Integration developers (capitalised)"),
            revenue("staff", 120_000, "Information governance and clinical safety"),
            revenue("training", 40_000, "Training for GP practices and community teams"),
        ),
        run=(revenue("supplier", 55_000, "Our share of the ICS platform"), revenue("run", 65_000, "Interface support")),
        benefits=(
            Benefit(
                kind=STAFF_TIME,
                owner="strategy",
                amount=95_000,
                description="Medical records staff no longer answer partners' calls for our information (2.5 WTE)",
                metric="Partner calls to medical records asking for our information (per week)",
            ),
            Benefit(
                kind=NON_CASH,
                owner="microbiologist",
                amount=60_000,
                description="Fewer blood tests and scans repeated when patients move between services",
            ),
            Benefit(
                kind=SOCIETY,
                owner="strategy",
                amount=0,
                description="Clinicians across the system see our results, letters and medicines",
            ),
        ),
        cases=(
            CaseSpec(
                stage=OBC,
                summary="Publish our results, letters and medicines to the ICS shared care record, and read theirs.",
            ),
        ),
        mitigations=_mitigated(
            (CONTRACT, 0.6, "One call-off from the ICS framework; no new contract of our own."),
            (LATE_SUPPLIER, 0.5, "The platform supplier joined design sessions from the second month."),
            (SUPPLIER, 0.6, "The platform is live at three other trusts in the ICS."),
            (ENVIRONMENT, 0.8, "No change to buildings or devices."),
            (CASE, 0.4, "Partners' consent model not yet agreed; benefits for partners are estimates."),
        ),
        first_benefit_months=11,
        capital_source=ICS,
        revenue_source=ICS,
        funding_note="ICS digital capital and transformation funding",
        spend_ratio=1.15,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-004",
        build=(
            capital("hardware", 90_000, "Monitoring kits: pulse oximeters, blood pressure cuffs, tablets"),
            revenue("staff", 520_000, "Virtual ward clinical team"),
            revenue("supplier", 120_000, "Regional monitoring platform licences"),
        ),
        run=(
            revenue("staff", 1_050_000, "Virtual ward clinical team, 40 beds"),
            revenue("supplier", 180_000, "Monitoring platform and kit replacement"),
        ),
        benefits=(
            Benefit(
                kind=NON_CASH,
                owner="coo",
                amount=2_850_000,
                realised=0.6,
                description="Hospital bed days released (about 9,500 a year, valued at £300 each)",
                metric="Length of stay for COPD admissions (days)",
            ),
            Benefit(
                kind=PATIENT,
                owner="geriatrician",
                amount=0,
                description="Frail and respiratory patients treated at home instead of on a ward",
                metric="Patients on the virtual wards (daily average)",
            ),
            Benefit(
                kind=QUALITY,
                owner="geriatrician",
                amount=0,
                description="Fewer falls and hospital-acquired infections among frail patients",
            ),
        ),
        cases=(
            CaseSpec(
                stage=FBC,
                summary=(
                    "Virtual wards for frailty and respiratory patients on the regional monitoring platform, "
                    "funded nationally to go-live."
                ),
            ),
        ),
        first_benefit_months=2,
        capital_source=NATIONAL,
        revenue_source=NATIONAL,
        funding_note="National virtual ward funding (NHS England), which ends with the year of go-live",
        run_funded=False,
        spend_ratio=0.97,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-006",
        build=(
            capital("hardware", 420_000, "Handheld devices and charging points for 38 wards"),
            capital("supplier", 280_000, "E-observations system and EPR integration"),
            capital("staff", 80_000, "Project team (capitalised)"),
            revenue("training", 140_000, "Training and floor-walking on every ward"),
            revenue("staff", 80_000, "Clinical safety officer and nurse informatician"),
        ),
        run=(revenue("supplier", 95_000, "Licences and support"), revenue("run", 45_000, "Device replacement")),
        benefits=(
            Benefit(
                kind=QUALITY,
                owner="cnio",
                amount=0,
                description="Deteriorating patients reviewed by a doctor within 30 minutes",
                metric="Time from NEWS2 of 7 or more to doctor review (minutes)",
            ),
            Benefit(
                kind=STAFF_TIME,
                owner="cnio",
                amount=310_000,
                description="Nurses' time saved recording observations and calling for help",
                metric="Observation sets recorded on handheld devices (%)",
            ),
            Benefit(
                kind=NON_CASH,
                owner="cmo",
                amount=240_000,
                description="Fewer cardiac arrests and critical care bed days",
            ),
        ),
        cases=(
            CaseSpec(
                stage=OBC,
                cost_scale=0.8,
                benefit_scale=1.2,
                summary="Electronic observations with automatic NEWS2 escalation on every adult inpatient ward.",
            ),
            CaseSpec(
                stage=FBC,
                approved_weeks_ago=24,
                summary=(
                    "The full case after the pilot wards: more devices than the outline case assumed, and more "
                    "training, with the benefits cut back to what the pilot measured."
                ),
            ),
        ),
        mitigations=_mitigated(
            (CONTRACT, 0.8, "A single supplier on a national framework, fixed price for the roll-out."),
            (LATE_SUPPLIER, 0.7, "The supplier worked with us on the pilot wards before the full case."),
            (SUPPLIER, 0.7, "Live at 11 NHS trusts; we visited two and spoke to their nursing leads."),
            (ENVIRONMENT, 0.9, "Wi-Fi surveyed on every ward; charging points fitted in the pilot."),
            (CASE, 0.8, "Costs and benefits come from six months on the pilot wards."),
        ),
        first_benefit_months=5,
        capital_source=NATIONAL,
        funding_note="Frontline digitisation capital (NHS England); trust revenue for training",
        spend_ratio=1.08,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-008",
        build=(
            capital("supplier", 120_000, "Bed management module"),
            capital("hardware", 60_000, "Ward screens"),
            revenue("staff", 160_000, "Site team and analysts"),
            revenue("training", 50_000, "Training for ward managers and the site team"),
        ),
        run=(revenue("supplier", 110_000, "Licences"), revenue("run", 50_000, "Analyst support")),
        benefits=(
            Benefit(
                kind=NON_CASH,
                owner="coo",
                amount=640_000,
                description="Bed days released by discharging earlier in the day",
                metric="Patients discharged before noon (%)",
            ),
            Benefit(
                kind=PATIENT,
                owner="coo",
                amount=0,
                description="Shorter waits for a bed after the decision to admit",
                metric="Time from decision to admit to a bed (hours)",
            ),
            Benefit(
                kind=STAFF_TIME,
                owner="coo",
                amount=45_000,
                description="Site managers' time on bed meetings and phone calls",
            ),
        ),
        cases=(CaseSpec(stage=OBC, summary="A live picture of beds and discharges for the site team and wards."),),
        first_benefit_months=6,
        funding_note="Trust capital programme and operations revenue",
        spend_ratio=0.9,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-009",
        build=(
            capital("supplier", 120_000, "Integration with the PAS and the NHS App"),
            revenue("supplier", 380_000, "Portal licences to go-live"),
            revenue("staff", 260_000, "Product team"),
            revenue("training", 30_000, "Booking team training"),
        ),
        run=(revenue("supplier", 210_000, "Portal licences"), revenue("run", 90_000, "Product manager and support")),
        benefits=(
            Benefit(
                kind=CASH,
                owner="cfo",
                amount=160_000,
                description="Printing and postage for appointment letters no longer sent",
            ),
            Benefit(
                kind=STAFF_TIME,
                owner="aisha",
                amount=220_000,
                description="Calls to the outpatient booking team avoided",
                metric="Outpatient calls abandoned before answer (%)",
            ),
            Benefit(
                kind=PATIENT,
                owner="aisha",
                amount=0,
                description="Patients change or cancel appointments without phoning",
                metric="Patient-reported ease of managing appointments (1–5)",
            ),
        ),
        cases=(
            CaseSpec(
                stage=FBC,
                summary="A patient portal for appointments and questionnaires, reached through the NHS App.",
            ),
        ),
        mitigations=_mitigated(
            (CONTRACT, 0.4, "Three contracts: portal, PAS interface and NHS App integration."),
            (LATE_SUPPLIER, 0.3, "The PAS supplier was brought in after the design was fixed."),
            (SUPPLIER, 0.2, "The appointment feed is the PAS supplier's first of its kind."),
            (ENVIRONMENT, 0.8, "No change to buildings; patients use their own phones."),
            (CASE, 0.5, "Benefits taken from another trust's portal, not yet from ours."),
        ),
        first_benefit_months=5,
        capital_source=NATIONAL,
        funding_note="NHS App integration capital (NHS England); trust revenue",
        spend_ratio=1.22,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-012",
        build=(revenue("staff", 70_000, "Outpatient transformation team"), revenue("training", 20_000)),
        run=(revenue("run", 90_000, "Patient-initiated follow-up coordinators"),),
        funding_note="Elective recovery revenue (ICS) to go-live; trust revenue after",
        revenue_source=ICS,
        spend_ratio=1.0,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-015",
        build=(
            capital("hardware", 820_000, "Segregated network for medical devices; immutable backup"),
            capital("supplier", 480_000, "Multi-factor authentication and backup implementation"),
            capital("staff", 150_000, "Infrastructure engineers (capitalised)"),
            revenue("staff", 120_000, "Restore testing and service desk cover"),
            revenue("training", 60_000, "Staff communications and help to enrol"),
        ),
        run=(revenue("supplier", 165_000, "Multi-factor authentication licences and backup storage"),),
        benefits=(
            Benefit(
                kind=QUALITY,
                owner="cfo",
                amount=0,
                description="Lower risk of a cyber attack stopping clinical systems",
            ),
            Benefit(
                kind=NON_CASH,
                owner="cfo",
                amount=350_000,
                description="Expected cost of recovering from an attack, avoided (likelihood × cost)",
            ),
            Benefit(
                kind=SOCIETY,
                owner="cfo",
                amount=0,
                description="Patients' data kept safe from criminals",
            ),
        ),
        cases=(
            CaseSpec(
                stage=FBC,
                summary=(
                    "Multi-factor authentication for remote access and email, a segregated network for medical "
                    "devices, and backups that are restored and tested end to end."
                ),
            ),
        ),
        mitigations=_mitigated(
            (CONTRACT, 0.9, "Bought through the national cyber framework at a fixed price."),
            (LATE_SUPPLIER, 0.8, "The supplier designed the network segregation with us."),
            (SUPPLIER, 0.8, "The national cyber team assured the supplier."),
            (ENVIRONMENT, 0.9, "Network cabinets surveyed; no building work."),
            (
                CASE,
                0.7,
                "The case follows the national template; the recurring licence costs are in it but not funded.",
            ),
        ),
        first_benefit_months=10,
        capital_source=NATIONAL,
        funding_note="National cyber security capital (one-off); trust revenue to go-live",
        run_funded=False,
        spend_ratio=1.05,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-018",
        build=(
            capital("supplier", 200_000, "Data migration and archive"),
            capital("staff", 120_000, "PAS team (capitalised)"),
            revenue("staff", 100_000, "Validation of future appointments"),
            revenue("training", 40_000),
        ),
        run=(revenue("supplier", 18_000, "Read-only archive licence until records can be destroyed"),),
        benefits=(
            Benefit(
                kind=CASH,
                owner="cfo",
                amount=210_000,
                description="The legacy PAS hosting and support contract ends",
            ),
            Benefit(
                kind=STAFF_TIME,
                owner="rhys",
                amount=85_000,
                description="No more keying activity into two systems",
                metric="Staff time spent keying activity twice (hours/week)",
            ),
            Benefit(
                kind=QUALITY,
                owner="rhys",
                amount=0,
                description="An unsupported system that cannot be patched comes off the network",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="Move the last users and data off the legacy PAS and switch it off."),),
        first_benefit_months=9,
        funding_note="Trust capital programme",
        spend_ratio=1.1,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-019",
        build=(revenue("supplier", 95_000, "Digital letters service set-up"), revenue("staff", 60_000)),
        run=(revenue("supplier", 120_000, "Digital letters service, per letter"),),
        # Argued only in cash: the board sees the flag.
        benefits=(
            Benefit(
                kind=CASH,
                owner="cfo",
                amount=240_000,
                realised=0.5,
                description="Postage saved on letters read digitally",
                metric="Patient letters sent digitally first (%)",
            ),
            Benefit(
                kind=CASH,
                owner="cfo",
                amount=70_000,
                realised=0.5,
                description="Printing, paper and envelopes saved",
            ),
        ),
        cases=(
            CaseSpec(
                stage=OBC,
                summary="Send letters digitally first and print only those not read within 48 hours.",
            ),
        ),
        first_benefit_months=3,
        funding_note="Trust revenue, repaid from postage savings",
        spend_ratio=0.85,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-021",
        build=(
            capital("supplier", 260_000, "Theatre scheduling system"),
            capital("hardware", 90_000, "Theatre coordination screens"),
            revenue("staff", 180_000, "Theatre data analysts and schedulers"),
            revenue("training", 45_000),
        ),
        run=(revenue("supplier", 120_000, "Licences"), revenue("run", 60_000, "Analyst")),
        benefits=(
            Benefit(
                kind=NON_CASH,
                owner="anaesthetist",
                amount=1_400_000,
                description="About 600 more operations a year from better-used theatre sessions",
                metric="Theatre session utilisation (%)",
            ),
            Benefit(
                kind=PATIENT,
                owner="anaesthetist",
                amount=0,
                description="Fewer operations cancelled on the day",
                metric="Planned operations cancelled on the day (%)",
            ),
            Benefit(
                kind=STAFF_TIME,
                owner="tomasz",
                amount=40_000,
                description="Schedulers' time building lists by hand",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="Schedule theatre lists from the waiting list and real operating times."),),
        mitigations=_mitigated(
            (CONTRACT, 0.5, "One supplier, but the PAS interface is a separate change request."),
            (LATE_SUPPLIER, 0.6, "The supplier joined the discovery."),
            (SUPPLIER, 0.4, "The product is new to the NHS; one reference site."),
            (ENVIRONMENT, 0.9, "No building work."),
            (CASE, 0.6, "Operating times come from our own data; the extra operations are an estimate."),
        ),
        first_benefit_months=6,
        capital_source=ICS,
        funding_note="ICS elective recovery capital; trust revenue",
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-022",
        build=(
            capital("hardware", 120_000, "Home monitoring kits: scales, blood pressure cuffs, tablets"),
            capital("supplier", 50_000, "Platform configuration for heart failure"),
            revenue("staff", 120_000, "Heart failure nurses' time to monitor"),
            revenue("supplier", 45_000, "Platform licences"),
        ),
        run=(revenue("staff", 95_000, "Monitoring nurses"), revenue("supplier", 45_000, "Platform licences")),
        # Benefits only from go-live: "value only at the end". Not linked to the patient
        # questionnaire, which started as a baseline in discovery.
        benefits=(
            Benefit(
                kind=NON_CASH,
                owner="cardiologist",
                amount=420_000,
                description="Heart failure admissions avoided (about 120 a year)",
            ),
            Benefit(
                kind=PATIENT,
                owner="cardiologist",
                amount=0,
                description="People managing their heart failure at home with confidence",
            ),
            Benefit(
                kind=SOCIETY,
                owner="cardiologist",
                amount=0,
                description="Carers spend less time travelling to hospital",
            ),
        ),
        cases=(
            CaseSpec(
                stage=OBC,
                summary=(
                    "Remote monitoring for people with heart failure on the regional platform, rolled out to the "
                    "whole service at once after the discovery."
                ),
            ),
        ),
        first_benefit_months=None,
        capital_source=ICS,
        funding_note="ICS digital capital; trust revenue",
        spend_ratio=0.8,
    ),
    # --- Proposed at the acute trust ---------------------------------------------------------
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-023",
        build=(
            capital("supplier", 380_000, "Single sign-on software and implementation"),
            capital("hardware", 150_000, "Card readers for 1,400 shared workstations"),
            revenue("staff", 90_000),
            revenue("training", 40_000),
        ),
        run=(revenue("supplier", 110_000, "Licences and support"),),
        benefits=(
            Benefit(
                kind=STAFF_TIME,
                owner="cnio",
                amount=1_100_000,
                description="Clinicians' time lost to logins (about 20 minutes a nurse a shift)",
                metric="Time ward nurses lose to logins (minutes per shift)",
            ),
            Benefit(
                kind=QUALITY,
                owner="cfo",
                amount=0,
                description="No more shared logins left open on ward computers",
            ),
        ),
        cases=(
            CaseSpec(
                stage=SOC,
                approved=False,
                summary="Tap-and-go single sign-on to the EPR and the systems used most on the wards.",
            ),
        ),
        mitigations=_mitigated(
            (CONTRACT, 0.3, "Not yet known whether the EPR supplier or a third party would do the integration."),
            (LATE_SUPPLIER, 0.2, "No supplier involved yet."),
            (SUPPLIER, 0.3, "Products are mature, but untested with our oldest clinical systems."),
            (ENVIRONMENT, 0.6, "Readers fit existing workstations."),
            (CASE, 0.3, "Time lost to logins observed on three wards only."),
        ),
        first_benefit_months=4,
        capital_source=NATIONAL,
        funding_note="Bid to the national frontline digitisation fund",
        start_in_weeks=14,
        planned_months=12,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-024",
        build=(
            capital("supplier", 140_000, "Speech recognition integration with the EPR"),
            capital("hardware", 60_000, "Headsets and microphones"),
            revenue("supplier", 160_000, "Licences to go-live"),
            revenue("training", 30_000),
        ),
        run=(revenue("supplier", 160_000, "Licences"),),
        benefits=(
            Benefit(
                kind=CASH,
                owner="cmo",
                amount=180_000,
                description="Less outsourced typing and fewer medical secretary vacancies filled",
            ),
            Benefit(
                kind=PATIENT,
                owner="cmo",
                amount=0,
                description="Clinic letters reach GPs and patients within days",
                metric="Clinic letters sent within 7 days of the appointment (%)",
            ),
        ),
        cases=(
            CaseSpec(
                stage=SOC,
                approved=False,
                summary="Consultants dictate into the EPR and correct their own letters.",
            ),
        ),
        # Nothing mitigated yet: the case shows the full upper bound.
        mitigations=_mitigated(
            (CONTRACT, 0.0, "No procurement route chosen."),
            (LATE_SUPPLIER, 0.0, "No supplier engaged."),
            (SUPPLIER, 0.0, "No product tested with our EPR."),
            (ENVIRONMENT, 0.0, "Noise in shared offices not assessed."),
            (CASE, 0.0, "Costs are a list price; benefits assume consultants correct their own letters."),
        ),
        first_benefit_months=3,
        funding_note="Trust capital programme bid",
        start_in_weeks=26,
        planned_months=9,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-025",
        build=(
            capital("supplier", 110_000, "Medical rostering module"),
            capital("staff", 40_000),
            revenue("staff", 120_000, "Rota coordinators' time to move rotas"),
            revenue("training", 40_000),
        ),
        run=(revenue("supplier", 140_000, "Licences"),),
        benefits=(
            Benefit(kind=CASH, owner="cfo", amount=450_000, description="Lower spend on medical locums"),
            Benefit(
                kind=STAFF_TIME,
                owner="cpo",
                amount=60_000,
                description="Rota coordinators' time keeping separate spreadsheets",
            ),
            Benefit(
                kind=QUALITY,
                owner="ccio",
                amount=0,
                description="Rota gaps seen weeks earlier, so wards are safely staffed",
            ),
        ),
        cases=(CaseSpec(stage=SOC, approved=False, summary="Medical rotas and job plans in the e-rostering system."),),
        first_benefit_months=6,
        funding_note="Trust capital programme bid",
        start_in_weeks=26,
        planned_months=12,
    ),
    # --- Finished at the acute trust: the reference class -----------------------------------
    MoneySpec(
        organisation=ACUTE,
        reference="IMT-21-03",
        build=(
            capital("supplier", 700_000, "Emergency department system and implementation"),
            capital("hardware", 250_000, "Tracking screens and workstations"),
            capital("staff", 200_000),
            revenue("training", 180_000),
            revenue("staff", 120_000),
        ),
        benefits=(
            Benefit(
                kind=PATIENT,
                owner="coo",
                amount=0,
                description="Patients assessed sooner after they arrive",
                metric="Time from arrival to initial assessment in the emergency department (minutes)",
            ),
            Benefit(
                kind=STAFF_TIME,
                owner="coo",
                amount=180_000,
                realised=0.7,
                description="Nurses' and doctors' time no longer spent on paper cards",
            ),
            Benefit(
                kind=QUALITY,
                owner="ccio",
                amount=0,
                description="Complete national returns for the Emergency Care Data Set",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="Replace the emergency department system in one go-live."),),
        mitigations=_mitigated(
            (CONTRACT, 0.3, "One supplier, but interfaces to the PAS and pathology under separate contracts."),
            (LATE_SUPPLIER, 0.1, "The supplier saw our data set requirements only after contract award."),
            (SUPPLIER, 0.2, "No reference site in England."),
            (ENVIRONMENT, 0.6, "Screens fitted during a department refurbishment."),
            (CASE, 0.1, "The case assumed the product needed no changes for England."),
        ),
        first_benefit_months=15,
        spend_ratio=2.8,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="IMT-21-08",
        build=(
            capital("hardware", 1_300_000, "Core switches and 1,100 wireless access points"),
            capital("supplier", 400_000, "Installation and survey"),
            capital("staff", 150_000),
            revenue("staff", 120_000, "Out-of-hours cut-overs"),
        ),
        benefits=(
            Benefit(
                kind=STAFF_TIME,
                owner="rhys",
                amount=240_000,
                realised=0.9,
                description="Clinicians' time lost to dropped sessions and logging in again",
                metric="Clinical system sessions dropped by the Wi-Fi (per 1,000 sessions)",
            ),
            Benefit(
                kind=QUALITY,
                owner="cnio",
                amount=0,
                description="Observations recorded at the bedside on every ward",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="Replace the core network and the Wi-Fi on both hospital sites."),),
        first_benefit_months=13,
        spend_ratio=1.18,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="IMT-22-02",
        build=(
            capital("supplier", 150_000, "Digital dictation system"),
            capital("hardware", 60_000, "Dictation devices"),
            revenue("supplier", 90_000, "Outsourced transcription set-up"),
            revenue("training", 50_000),
            revenue("staff", 30_000),
        ),
        benefits=(
            Benefit(
                kind=CASH,
                owner="cfo",
                amount=95_000,
                realised=1.0,
                description="Typing overtime and agency secretaries no longer needed",
            ),
            Benefit(
                kind=PATIENT,
                owner="cmo",
                amount=0,
                description="Clinic letters reach GPs and patients sooner",
                metric="Clinic letters sent within 7 days of the appointment (%)",
            ),
        ),
        cases=(
            CaseSpec(stage=FBC, summary="Digital dictation for every specialty, with outsourced typing for peaks."),
        ),
        first_benefit_months=10,
        spend_ratio=1.06,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="IMT-22-06",
        build=(
            capital("supplier", 1_100_000, "Our share of the network's PACS"),
            capital("hardware", 350_000, "Reporting workstations"),
            capital("staff", 150_000),
            revenue("staff", 170_000, "Image migration validation"),
            revenue("training", 120_000),
        ),
        benefits=(
            Benefit(
                kind=QUALITY,
                owner="radiologist",
                amount=0,
                description="Urgent CT scans reported sooner",
                metric="Time to report urgent CT scans (hours)",
            ),
            Benefit(
                kind=CASH,
                owner="cfo",
                amount=160_000,
                realised=0.85,
                description="Storage and support cheaper than the old PACS",
            ),
            Benefit(
                kind=NON_CASH,
                owner="radiologist",
                amount=70_000,
                description="Radiologists report from home out of hours instead of travelling in",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="Our part of the imaging network's shared PACS."),),
        first_benefit_months=16,
        spend_ratio=1.32,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="IMT-23-03",
        build=(
            capital("supplier", 300_000, "Document management system"),
            capital("hardware", 180_000, "Scanners"),
            revenue("staff", 100_000, "Scanning team to go-live"),
            revenue("training", 60_000),
        ),
        benefits=(
            Benefit(
                kind=CASH,
                owner="cfo",
                amount=210_000,
                realised=0.9,
                description="Off-site storage contract and library staff saved",
            ),
            Benefit(
                kind=PATIENT,
                owner="coo",
                amount=0,
                description="Clinics start with the patient's notes",
                metric="Outpatient clinics started without the patient's notes (%)",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="Scan paper notes when they are next needed; end off-site storage."),),
        mitigations=_mitigated(
            (CONTRACT, 0.8, "One supplier, fixed price."),
            (LATE_SUPPLIER, 0.8, "The supplier ran the dermatology pilot with us."),
            (SUPPLIER, 0.7, "Live at 20 NHS trusts."),
            (ENVIRONMENT, 0.7, "Scanning room ready before contract award."),
            (CASE, 0.8, "Costs and volumes from the pilot."),
        ),
        first_benefit_months=11,
        spend_ratio=0.92,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-002",
        build=(
            capital("supplier", 120_000, "E-rostering implementation"),
            revenue("supplier", 230_000, "Licences to go-live"),
            revenue("staff", 120_000, "Rostering team"),
            revenue("training", 50_000),
        ),
        benefits=(
            Benefit(
                kind=CASH,
                owner="cfo",
                amount=1_200_000,
                realised=0.9,
                description="Less spent on agency nurses",
                metric="Agency nursing spend (£ thousands a month)",
            ),
            Benefit(
                kind=STAFF_TIME,
                owner="cno",
                amount=150_000,
                description="Ward managers' time building rosters",
                metric="Notice of published rosters (days)",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="E-rostering for every nursing and midwifery ward."),),
        first_benefit_months=2,
        spend_ratio=1.12,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-016",
        build=(revenue("supplier", 45_000, "EPR configuration"), revenue("staff", 40_000)),
        benefits=(
            Benefit(
                kind=QUALITY,
                owner="cmo",
                amount=0,
                description="Abnormal results seen and acted on",
                metric="Abnormal results not acknowledged within 7 days (%)",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="Results acknowledgement in the EPR, with escalation of unseen results."),),
        first_benefit_months=4,
        spend_ratio=0.88,
    ),
    MoneySpec(
        organisation=ACUTE,
        reference="DIG-017",
        build=(capital("hardware", 12_000), revenue("staff", 30_000), revenue("supplier", 18_000)),
        benefits=(
            Benefit(kind=CASH, owner="rhys", amount=22_000, description="Fax lines and machine maintenance ended"),
            Benefit(
                kind=QUALITY,
                owner="rhys",
                amount=0,
                description="Referrals and prescriptions no longer lost in a fax machine",
                metric="Referrals and prescriptions received electronically (%)",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="Move every fax flow to electronic messaging and remove the machines."),),
        first_benefit_months=2,
        spend_ratio=1.05,
    ),
    # --- Fenmoor -------------------------------------------------------------------------------
    MoneySpec(
        organisation=MENTAL_HEALTH,
        reference="FPT-001",
        build=(
            capital("supplier", 40_000, "Care plan module"),
            revenue("staff", 140_000, "Co-design and peer support workers"),
            revenue("supplier", 60_000, "Licences to go-live"),
        ),
        run=(revenue("supplier", 45_000, "Licences"),),
        benefits=(
            Benefit(
                kind=PATIENT,
                owner="mh_cio",
                amount=0,
                description="Service users write and see their own care plans",
                metric="Care plan reviews written with the service user online (%)",
            ),
            Benefit(
                kind=STAFF_TIME,
                owner="mh_delivery",
                amount=55_000,
                description="Care coordinators' time writing plans up after visits",
            ),
            Benefit(
                kind=SOCIETY,
                owner="mh_cio",
                amount=0,
                description="Fewer crises that end in an emergency department",
            ),
        ),
        cases=(CaseSpec(stage=OBC, summary="Care plans written with service users, online, in the community teams."),),
        first_benefit_months=4,
        capital_source=ICS,
        revenue_source=ICS,
        funding_note="ICS mental health transformation funding",
    ),
    MoneySpec(
        organisation=MENTAL_HEALTH,
        reference="FPT-002",
        build=(
            capital("supplier", 45_000, "Telephony call-back feature"),
            revenue("staff", 40_000),
            revenue("supplier", 20_000),
        ),
        run=(revenue("supplier", 38_000, "Telephony licences"),),
        benefits=(
            Benefit(
                kind=QUALITY,
                owner="mh_cio",
                amount=0,
                description="Fewer people in crisis giving up before the line answers",
                metric="Crisis line calls abandoned before answer (%)",
            ),
            Benefit(
                kind=SOCIETY,
                owner="mh_cio",
                amount=0,
                description="Fewer people in crisis taken to the emergency department by the police",
            ),
        ),
        cases=(CaseSpec(stage=FBC, summary="A call-back offer on the crisis line at busy times."),),
        first_benefit_months=4,
        capital_source=NATIONAL,
        funding_note="National mental health crisis line capital; trust revenue",
        spend_ratio=0.95,
    ),
    MoneySpec(
        organisation=MENTAL_HEALTH,
        reference="FPT-004",
        build=(capital("supplier", 60_000, "Interface to the shared care record"), revenue("staff", 30_000)),
        run=(revenue("supplier", 15_000, "Our share of the ICS platform"),),
        capital_source=ICS,
        funding_note="Bid to ICS digital capital",
        start_in_weeks=20,
        planned_months=8,
    ),
)


# -------------------------------------------------------------------------------- dates


def months_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_IN_A_MONTH


def add_months(day: dt.date, months: float) -> dt.date:
    return day + dt.timedelta(days=round(months * DAYS_IN_A_MONTH))


def spread(total: int, start: dt.date, end: dt.date, *, step: int = 1_000) -> dict[int, int]:
    """`total` shared between the financial years from `start` to `end` by the days in each,
    rounded down to `step`; what rounding leaves goes to the year with the most days."""
    if total <= 0:
        return {}
    end = max(end, start)
    days = {
        year: (min(end, last_day(year)) - max(start, first_day(year))).days + 1
        for year in range(financial_year_start(start), financial_year_start(end) + 1)
    }
    whole = sum(days.values())
    shares = {year: int(total * d / whole) // step * step for year, d in days.items()}
    longest = max(days, key=lambda year: (days[year], -year))
    shares[longest] += total - sum(shares.values())
    return {year: amount for year, amount in shares.items() if amount > 0}


def _round(value: float, step: int) -> int:
    return int(round(value / step) * step)


# ------------------------------------------------------------------------------ building


class Builder(Protocol):
    """What this module needs from the loader's builder."""

    today: dt.date
    organisations: dict[str, Organisation]
    people: dict[str, User]
    recorders: dict[str, User]
    initiatives: dict[tuple[str, str], Initiative]

    def day(self, weeks_ago: int, weekday: int) -> dt.date: ...

    def moment(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime: ...

    def at(self, when: dt.datetime) -> AbstractContextManager[None]: ...


@dataclass(frozen=True)
class _Line:
    year: int
    kind: str
    amount: int


@dataclass
class _Plan:
    """The dates one initiative's money is planned around."""

    start: dt.date
    go_live: dt.date
    went_live: dt.date | None
    planned_months: int
    first_benefit_months: int
    first_year: int
    last_year: int


def create_money(builder: Builder) -> None:
    """Record go-live dates, then the funding, business cases and actuals in `MONEY`."""
    with transaction.atomic():
        _Money(builder).build()


class _Money:
    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.today = builder.today
        self.current = financial_year_start(builder.today)
        # How far through the current financial year we are, for year-to-date figures.
        self.elapsed = ((self.today - first_day(self.current)).days + 1) / (
            (last_day(self.current) - first_day(self.current)).days + 1
        )
        ensure_optimism_bias_reference()
        self.project_type = ProjectType.objects.get(is_default=True)
        self.factors = {f.name: f for f in BiasFactor.objects.filter(project_type=self.project_type)}
        self.metrics = {
            (key, metric.name): metric
            for key, organisation in builder.organisations.items()
            for metric in Metric.objects.for_organisation(organisation)
        }
        # Each record is written by the finance actions, as the portfolio office would; what the
        # story dates differently (when a case was written, when an actual was recorded) is set after.
        self.actuals: list[tuple[Actual, dt.datetime]] = []
        self.cases: list[BusinessCase] = []

    def clerk(self, organisation: str) -> User:
        """Who keeps the money records: the portfolio office."""
        return self.builder.people["pmo" if organisation == ACUTE else "mh_pmo"]

    def initiative(self, organisation: str, reference: str) -> Initiative:
        # Fetched afresh: decisions have changed the status and start date since it was created.
        return Initiative.objects.get(organisation=self.builder.organisations[organisation], reference=reference)

    def build(self) -> None:
        for spec in MONEY:
            self.add(spec)
        # auto_now_add set these to now; the story gives them their own dates.
        for actual, recorded_at in self.actuals:
            actual.recorded_at = recorded_at
        Actual.objects.bulk_update([actual for actual, _ in self.actuals], ["recorded_at"], batch_size=500)
        BusinessCase.objects.bulk_update(self.cases, ["created_at"], batch_size=500)

    # One initiative ---------------------------------------------------------------------

    def plan(self, spec: MoneySpec, initiative: Initiative) -> _Plan:
        if initiative.status == Status.PROPOSED:
            if spec.start_in_weeks is None or spec.planned_months is None:
                raise ValueError(f"{spec.reference}: a proposal needs start_in_weeks and planned_months.")
            start = self.today + dt.timedelta(weeks=spec.start_in_weeks)
            go_live = add_months(start, spec.planned_months)
            planned_months = spec.planned_months
        else:
            if initiative.start_date is None or initiative.planned_go_live is None:
                raise ValueError(f"{spec.reference}: the money needs a start date and a planned go-live.")
            start, go_live = initiative.start_date, initiative.planned_go_live
            planned_months = round(months_between(start, go_live))
        first_year = financial_year_start(start)
        return _Plan(
            start=start,
            go_live=go_live,
            went_live=initiative.went_live_on,
            planned_months=planned_months,
            first_benefit_months=(planned_months if spec.first_benefit_months is None else spec.first_benefit_months),
            first_year=first_year,
            last_year=first_year + APPRAISAL_YEARS - 1,
        )

    def add(self, spec: MoneySpec) -> None:
        initiative = self.initiative(spec.organisation, spec.reference)
        plan = self.plan(spec, initiative)
        finished = initiative.status == Status.COMPLETED
        if finished and (spec.run or plan.went_live is None):
            raise ValueError(f"{spec.reference}: a finished initiative needs a go-live date and no running costs.")
        # A finished initiative was funded too: its build money as planned, now spent, so its
        # spend shows against what it had rather than against nothing.
        self.add_funding(spec, initiative, plan, finished=finished)
        latest: list[BenefitLine] = []
        for case_spec in spec.cases:
            latest = self.add_case(spec, case_spec, initiative, plan, latest=case_spec is spec.cases[-1])
        self.add_spend(spec, initiative, plan, finished)
        if finished:
            self.fund_the_overrun(spec, initiative)
        self.add_realised(spec, initiative, plan, latest, finished)

    def cost_lines(self, spec: MoneySpec, plan: _Plan, scale: float = 1.0) -> list[tuple[int, Cost, int]]:
        """(year, cost, amount): building spread from start to go-live, running every year after."""
        lines = []
        for cost in spec.build:
            for year, amount in spread(_round(cost.amount * scale, 1_000), plan.start, plan.go_live).items():
                lines.append((year, cost, amount))
        for cost in spec.run:
            for year in range(financial_year_start(plan.go_live) + 1, plan.last_year + 1):
                lines.append((year, cost, _round(cost.amount * scale, 1_000)))
        return lines

    def add_funding(self, spec: MoneySpec, initiative: Initiative, plan: _Plan, *, finished: bool = False) -> None:
        build: dict[tuple[int, str], int] = defaultdict(int)
        for cost in spec.build:
            for year, amount in spread(cost.amount, plan.start, plan.go_live).items():
                build[year, cost.kind] += amount
        # (The builder's copy of the initiative holds the creation date of the story.)
        created = self.builder.initiatives[spec.organisation, spec.reference].created_at
        # A proposal asks for its money when it is written down; work under way had it agreed as it started.
        asked = created if plan.start >= self.today else max(created, self.builder.moment(plan.start, 10))
        with self.builder.at(asked):
            self.write_funding(spec, initiative, plan, build, finished=finished)

    def write_funding(
        self,
        spec: MoneySpec,
        initiative: Initiative,
        plan: _Plan,
        build: dict[tuple[int, str], int],
        *,
        finished: bool,
    ) -> None:
        proposed = initiative.status == Status.PROPOSED
        approved = any(c.approved for c in spec.cases)
        by = self.clerk(spec.organisation)
        for (year, kind), amount in sorted(build.items()):
            source = spec.capital_source if kind == CAPITAL else spec.revenue_source
            finance_actions.save_funding_line(
                initiative=initiative,
                by=by,
                fields={
                    "financial_year": year_label(year),
                    "kind": kind,
                    "source": source,
                    "state": self.state(year, build=True, proposed=proposed, approved=approved),
                    "purpose": FundingLine.Purpose.BUILD,
                    "amount": amount,
                    "note": spec.funding_note,
                },
            )
        if finished or not spec.run_funded:
            return
        yearly = sum(cost.amount for cost in spec.run)
        for year in range(financial_year_start(plan.go_live) + 1, self.current + FUNDING_YEARS_AHEAD + 1):
            finance_actions.save_funding_line(
                initiative=initiative,
                by=by,
                fields={
                    "financial_year": year_label(year),
                    "kind": REVENUE,
                    "source": spec.run_source,
                    "state": self.state(year, build=False, proposed=proposed, approved=approved),
                    "purpose": FundingLine.Purpose.RUN,
                    "amount": yearly,
                    "note": "Run and improve the live service",
                },
            )

    def fund_the_overrun(self, spec: MoneySpec, initiative: Initiative) -> None:
        """A finished initiative that ran past its planned years was given the money for them when
        it did: a spent funding line for each year it spent in with none planned."""
        funded = set(FundingLine.objects.filter(initiative=initiative).values_list("financial_year", "kind"))
        spent: dict[tuple[str, str], int] = defaultdict(int)
        for year, kind, amount in Actual.objects.filter(initiative=initiative, kind=Actual.Kind.SPEND).values_list(
            "financial_year", "money_kind", "amount"
        ):
            spent[year, kind] += amount
        by = self.clerk(spec.organisation)
        for (year, kind), amount in sorted(spent.items()):
            if (year, kind) in funded or not amount:
                continue
            with self.builder.at(self.recorded_at(year_start(year))):
                self.save_overrun_line(spec, initiative, by, year, kind, amount)

    def save_overrun_line(
        self, spec: MoneySpec, initiative: Initiative, by: User, year: str, kind: str, amount: int
    ) -> None:
        finance_actions.save_funding_line(
            initiative=initiative,
            by=by,
            fields={
                "financial_year": year,
                "kind": kind,
                "source": spec.capital_source if kind == CAPITAL else spec.revenue_source,
                "state": FundingLine.State.SPENT,
                "purpose": FundingLine.Purpose.BUILD,
                "amount": amount,
                "note": "Agreed when the work ran past its planned end",
            },
        )

    def state(self, year: int, *, build: bool, proposed: bool, approved: bool) -> str:
        if proposed:
            return FundingLine.State.REQUESTED
        if year < self.current:
            return FundingLine.State.SPENT
        if year == self.current:
            return FundingLine.State.COMMITTED
        if build:
            return FundingLine.State.APPROVED if approved else FundingLine.State.REQUESTED
        # Money to run the service is agreed a year at a time.
        return FundingLine.State.APPROVED if year == self.current + 1 else FundingLine.State.REQUESTED

    def add_case(
        self, spec: MoneySpec, case_spec: CaseSpec, initiative: Initiative, plan: _Plan, *, latest: bool
    ) -> list[BenefitLine]:
        approved_on: dt.date | None = None
        if case_spec.approved:
            approved_on = (
                plan.start
                if case_spec.approved_weeks_ago is None
                else self.builder.day(case_spec.approved_weeks_ago, DECISION_WEEKDAY)
            )
        written = (approved_on - dt.timedelta(weeks=3)) if approved_on else (self.today - dt.timedelta(weeks=2))
        with self.builder.at(self.builder.moment(written, 10)):
            return self.write_case(spec, case_spec, initiative, plan, approved_on, written, latest=latest)

    def write_case(
        self,
        spec: MoneySpec,
        case_spec: CaseSpec,
        initiative: Initiative,
        plan: _Plan,
        approved_on: dt.date | None,
        written: dt.date,
        *,
        latest: bool,
    ) -> list[BenefitLine]:
        by = self.clerk(spec.organisation)
        case = finance_actions.save_business_case(
            initiative=initiative,
            by=by,
            fields={
                "stage": case_spec.stage,
                "project_type": self.project_type,
                "first_year": year_label(plan.first_year),
                "planned_months": plan.planned_months,
                "planned_first_benefit_months": plan.first_benefit_months,
                "approved_on": approved_on,
                "summary": case_spec.summary,
            },
        )
        case.created_at = self.builder.moment(written, 10)
        self.cases.append(case)

        # One cost of the spec is one line a year, added as a person adds it (a year a line).
        by_cost: dict[int, tuple[Cost, dict[str, int]]] = {}
        for year, cost, amount in self.cost_lines(spec, plan, case_spec.cost_scale):
            by_cost.setdefault(id(cost), (cost, {}))[1][year_label(year)] = amount
        for cost, amounts in by_cost.values():
            finance_actions.add_cost_lines(
                case=case, by=by, kind=cost.kind, category=cost.category, amounts=amounts, note=cost.note
            )

        lines: list[BenefitLine] = []
        first_benefit = add_months(plan.start, plan.first_benefit_months)
        for benefit in spec.benefits:
            metric = None
            if benefit.metric is not None:
                metric = self.metrics.get((spec.organisation, benefit.metric))
                if metric is None:
                    raise ValueError(f"{spec.reference}: no demo metric called {benefit.metric!r}.")
            yearly = _round(benefit.amount * case_spec.benefit_scale, 1_000)
            by_year: dict[str, int] = {}
            for year in range(financial_year_start(first_benefit), plan.last_year + 1):
                # The first year counts from the first benefit to the year's end.
                share = 1.0
                if year == financial_year_start(first_benefit):
                    share = min(1.0, ((last_day(year) - first_benefit).days + 1) / 365)
                by_year[year_label(year)] = _round(yearly * share, 1_000)
            lines += finance_actions.add_benefit_lines(
                case=case,
                by=by,
                kind=benefit.kind,
                description=benefit.description,
                owner=self.builder.people[benefit.owner],
                amounts=by_year,
                metric=metric,
            )

        if latest and spec.mitigations:
            finance_actions.set_mitigations(
                case=case,
                by=by,
                scores={self.factors[m.factor].pk: (Decimal(f"{m.score:.2f}"), m.evidence) for m in spec.mitigations},
            )
        return lines

    def add_spend(self, spec: MoneySpec, initiative: Initiative, plan: _Plan, finished: bool) -> None:
        if initiative.status == Status.PROPOSED:
            return  # nothing is spent before the decision to start
        by = self.clerk(spec.organisation)
        if finished:
            assert plan.went_live is not None
            planned = self.cost_lines(spec, plan)
            total = sum(amount for _, _, amount in planned)
            capital_share = sum(amount for _, cost, amount in planned if cost.kind == CAPITAL) / total
            spent = _round(total * spec.spend_ratio, 10)
            spent_capital = _round(spent * capital_share, 10)
            lines = [
                _Line(year, kind, amount)
                for kind, amount in ((CAPITAL, spent_capital), (REVENUE, spent - spent_capital))
                for year, amount in spread(amount, plan.start, plan.went_live, step=10).items()
            ]
        else:
            # The plan to date (the costs the current case and the funding share), over or under.
            planned_by_year: dict[tuple[int, str], int] = defaultdict(int)
            for year, cost, amount in self.cost_lines(spec, plan):
                planned_by_year[year, cost.kind] += amount
            lines = []
            for (year, kind), amount in sorted(planned_by_year.items()):
                if year > self.current:
                    continue
                share = self.elapsed if year == self.current else 1.0
                lines.append(_Line(year, kind, _round(amount * spec.spend_ratio * share, 10)))
        for line in lines:
            if line.amount <= 0:
                continue
            self.add_actual(
                initiative,
                by,
                {
                    "financial_year": year_label(line.year),
                    "kind": Actual.Kind.SPEND,
                    "money_kind": line.kind,
                    "amount": line.amount,
                    "note": "Year to date" if line.year == self.current else "From the ledger at year end",
                },
                line.year,
            )

    def add_realised(
        self, spec: MoneySpec, initiative: Initiative, plan: _Plan, lines: Iterable[BenefitLine], finished: bool
    ) -> None:
        """Realised benefits for the years the benefit was really felt: after the year of go-live
        for a finished initiative, and from the first full year after the start for one in flight."""
        realised = {(b.kind, b.description): b.realised for b in spec.benefits}
        by = self.clerk(spec.organisation)
        for line in lines:
            share = realised[line.kind, line.description]
            year = year_start(line.financial_year)
            if not share or not line.amount or year > self.current:
                continue
            if finished:
                assert plan.went_live is not None
                if year <= financial_year_start(plan.went_live):
                    continue
            elif first_day(year) < plan.start:
                continue
            amount = _round(line.amount * share * (self.elapsed if year == self.current else 1.0), 10)
            if amount <= 0:
                continue
            self.add_actual(
                initiative,
                by,
                {
                    "financial_year": line.financial_year,
                    "kind": Actual.Kind.BENEFIT,
                    "amount": amount,
                    "benefit": line,
                    "note": line.description,
                },
                year,
            )

    def add_actual(self, initiative: Initiative, by: User, fields: dict[str, object], year: int) -> None:
        with self.builder.at(self.recorded_at(year)):
            actual = finance_actions.save_actual(initiative=initiative, by=by, fields=fields)
        self.actuals.append((actual, self.recorded_at(year)))

    def recorded_at(self, year: int) -> dt.datetime:
        """Past years are recorded when the accounts close, about three weeks after the year ends."""
        day = self.today if year >= self.current else last_day(year) + dt.timedelta(weeks=3)
        return self.builder.moment(min(day, self.today), 9)
