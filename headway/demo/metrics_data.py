"""The demo's impact metrics as plain data: what each initiative measures, and the shape of its data.

Each metric's series is drawn by the loader from a seeded random generator around a level that
changes when the story says it did (a go-live, a roll-out, a supplier fault). The SPC engine is
then left to find the stories on its own; nothing here says what it should conclude. What the
data is shaped to show, so a demonstration has something to point at:

- most live and beta initiatives improve after their first release (a sustained shift or a ramp);
- several, including everything that was stopped, show no change: stable noise;
- the patient portal (DIG-009), whose delivery confidence slid to red, gets worse: abandoned
  calls to the outpatient call centre rise again once the appointment feed starts losing changes,
  even though more patients than ever use the portal;
- the cyber resilience work (DIG-015) is measured only by activity (things deployed and tested);
- virtual ward capacity doubled when the wards moved platform, annotated as a process change
  that starts a new SPC period;
- theatre utilisation's data stopped arriving five weeks ago (stale);
- the missed appointment rate is shared by patient-initiated follow-up and digital letters;
- heart failure monitoring (discovery) and single sign-on (proposed) have only a few points so
  far; the other proposals have no metrics at all.

Periods are counted back from the period the demo is loaded in: 1 is the last complete week or
month. Every supplier and system named here is invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from headway.demo.data import ACUTE, MENTAL_HEALTH

WEEKLY, MONTHLY = "weekly", "monthly"
SEED = 2026


@dataclass(frozen=True, kw_only=True)
class Change:
    """From `at` periods ago the level moves to `to`, over `over` periods (0: a step)."""

    at: int
    to: float
    over: int = 0


@dataclass(frozen=True, kw_only=True)
class SeriesSpec:
    """Points from `first` periods ago to `last` periods ago, around `level` with Gaussian noise."""

    first: int
    level: float
    noise: float
    changes: tuple[Change, ...] = ()
    last: int = 1
    decimals: int = 1
    low: float | None = 0.0
    high: float | None = None
    # The baseline is the mean of this many of the first points (the data before any change).
    baseline_points: int = 8

    @property
    def points(self) -> int:
        return self.first - self.last + 1

    def level_at(self, periods_ago: int) -> float:
        """The underlying level (before noise) in a period."""
        level = self.level
        for change in sorted(self.changes, key=lambda c: -c.at):
            if periods_ago > change.at:
                break
            if change.over and periods_ago > change.at - change.over:
                done = (change.at - periods_ago + 1) / (change.over + 1)
                level = level + (change.to - level) * done
                break
            level = change.to
        return level


@dataclass(frozen=True, kw_only=True)
class AnnotationSpec:
    at: int  # periods ago: the first period the change applies to
    text: str
    by: str
    starts_new_period: bool = False


@dataclass(frozen=True, kw_only=True)
class MetricSpec:
    organisation: str
    initiatives: tuple[str, ...]
    name: str
    definition: str
    kind: str  # outcome, adoption, experience, financial or activity
    beneficiary: str  # patients, staff or organisation
    unit: str
    direction: str  # increase, decrease or neutral
    frequency: str
    owner: str
    data_source: str
    series: SeriesSpec
    target: float | None = None
    target_in_weeks: int | None = None  # from the week the demo is loaded; negative is past
    annotations: tuple[AnnotationSpec, ...] = ()


METRICS: tuple[MetricSpec, ...] = (
    # DIG-001 EPR optimisation: first release 44 weeks ago, go-live 30 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-001",),
        name="Time to clerk an emergency admission (minutes)",
        definition=(
            "Median minutes from opening to signing the admission clerking note for emergency admissions to "
            "the medical wards, Monday to Sunday."
        ),
        kind="outcome",
        beneficiary="staff",
        unit="minutes",
        direction="decrease",
        frequency=WEEKLY,
        owner="ccio",
        data_source="EPR audit log (Merivale Clinical Systems), weekly extract by the digital analytics team",
        target=21,
        target_in_weeks=8,
        series=SeriesSpec(
            first=60,
            level=31,
            noise=1.3,
            changes=(Change(at=44, to=25, over=3), Change(at=30, to=19.5, over=4)),
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-001",),
        name="Discharge summaries sent within 24 hours (%)",
        definition=(
            "Discharge summaries for inpatients sent electronically to the GP within 24 hours of discharge, as "
            "a percentage of all inpatient discharges in the week."
        ),
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="increase",
        frequency=WEEKLY,
        owner="cmo",
        data_source="EPR discharge letters report, matched to PAS discharges by the information team",
        target=85,
        target_in_weeks=12,
        series=SeriesSpec(
            first=56,
            level=47,
            noise=2.2,
            high=100,
            changes=(Change(at=40, to=60, over=6), Change(at=28, to=70, over=4)),
        ),
    ),
    # DIG-002 E-rostering: pilots from 44 weeks ago, all wards live and closed 14 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-002",),
        name="Notice of published rosters (days)",
        definition=(
            "Median days between a ward publishing its roster and the first shift on it, across all nursing "
            "and midwifery rosters published in the month."
        ),
        kind="outcome",
        beneficiary="staff",
        unit="days",
        direction="increase",
        frequency=MONTHLY,
        owner="cpo",
        data_source="Rosters from the e-rostering system (Tallyrun Workforce); ward spreadsheets before go-live",
        target=42,
        target_in_weeks=-14,
        series=SeriesSpec(
            first=18,
            level=12,
            noise=1.5,
            decimals=0,
            changes=(Change(at=10, to=30, over=3), Change(at=6, to=44, over=2)),
            baseline_points=6,
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-002",),
        name="Agency nursing spend (£ thousands a month)",
        definition="Spend on agency nurses, midwives and healthcare support workers booked in the month.",
        kind="financial",
        beneficiary="organisation",
        unit="£ thousands",
        direction="decrease",
        frequency=MONTHLY,
        owner="cfo",
        data_source="General ledger, agency staffing cost centres; finance business partner for People",
        target=480,
        target_in_weeks=-14,
        series=SeriesSpec(
            first=18,
            level=655,
            noise=22,
            decimals=0,
            changes=(Change(at=9, to=515, over=4),),
            baseline_points=6,
        ),
    ),
    # DIG-003 Shared care record: GPs reading our data only in the last ten weeks.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-003",),
        name="Partner calls to medical records asking for our information (per week)",
        definition=(
            "Calls from GP practices, community and mental health teams asking for a discharge summary, result "
            "or medicines list, logged by the medical records team."
        ),
        kind="outcome",
        beneficiary="staff",
        unit="calls",
        direction="decrease",
        frequency=WEEKLY,
        owner="strategy",
        data_source="Medical records team's call log (telephony system, Brightwell Voice)",
        target=120,
        target_in_weeks=26,
        series=SeriesSpec(first=48, level=256, noise=11, decimals=0),
    ),
    # DIG-004 Virtual wards: moved to the regional platform 30 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-004",),
        name="Patients on the virtual wards (daily average)",
        definition="Average number of patients on the frailty and respiratory virtual wards each day of the week.",
        kind="adoption",
        beneficiary="patients",
        unit="patients",
        direction="increase",
        frequency=WEEKLY,
        owner="geriatrician",
        data_source="Regional remote monitoring platform (Oakfield Telehealth) caseload report",
        target=34,
        target_in_weeks=4,
        series=SeriesSpec(
            first=46,
            level=13,
            noise=1.2,
            changes=(Change(at=30, to=31),),
        ),
        annotations=(
            AnnotationSpec(
                at=30,
                by="callum",
                starts_new_period=True,
                text=(
                    "Moved from our own app to the regional platform and opened the frailty virtual ward: capacity "
                    "rose from 20 to 40 beds, so the old limits no longer describe the service."
                ),
            ),
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-004",),
        name="Length of stay for COPD admissions (days)",
        definition="Mean length of stay, in days, of emergency admissions with a primary diagnosis of COPD.",
        kind="outcome",
        beneficiary="patients",
        unit="days",
        direction="decrease",
        frequency=WEEKLY,
        owner="coo",
        data_source="Inpatient episodes from the PAS, coded by clinical coding; weekly flow report",
        target=6.0,
        target_in_weeks=10,
        series=SeriesSpec(
            first=52,
            level=6.8,
            noise=0.3,
            changes=(Change(at=30, to=5.2, over=3),),
        ),
    ),
    # DIG-005 Kiosks: stopped 24 weeks ago; queues never changed.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-005",),
        name="Wait at the main outpatient reception at peak times (minutes)",
        definition=(
            "Median wait from joining the queue to reaching the desk, sampled between 09:00 and 11:00 on "
            "three days a week."
        ),
        kind="experience",
        beneficiary="patients",
        unit="minutes",
        direction="decrease",
        frequency=WEEKLY,
        owner="coo",
        data_source="Reception queue samples by the outpatient service manager",
        target=10,
        target_in_weeks=-24,
        series=SeriesSpec(first=52, level=19, noise=1.6),
    ),
    # DIG-006 E-observations: pilot wards from 30 weeks ago, wider roll-out from 18 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-006",),
        name="Time from NEWS2 of 7 or more to doctor review (minutes)",
        definition=(
            "Median minutes from an observation set scoring NEWS2 7 or more to a doctor's review recorded in "
            "the EPR, adult inpatient wards."
        ),
        kind="outcome",
        beneficiary="patients",
        unit="minutes",
        direction="decrease",
        frequency=WEEKLY,
        owner="cnio",
        data_source="E-observations system (Vitalis Obs) linked to EPR review notes; paper chart audit before",
        target=30,
        target_in_weeks=16,
        series=SeriesSpec(
            first=52,
            level=67,
            noise=3.5,
            decimals=0,
            changes=(Change(at=30, to=48, over=4), Change(at=18, to=34, over=4)),
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-006",),
        name="Observation sets recorded on handheld devices (%)",
        definition="Adult inpatient observation sets recorded on a handheld device, as a percentage of all sets.",
        kind="adoption",
        beneficiary="staff",
        unit="%",
        direction="increase",
        frequency=WEEKLY,
        owner="cnio",
        data_source="E-observations system (Vitalis Obs) with the paper chart count from ward audits",
        target=95,
        target_in_weeks=16,
        series=SeriesSpec(
            first=30,
            level=4,
            noise=1.5,
            high=100,
            changes=(Change(at=28, to=22, over=8), Change(at=18, to=64, over=14)),
            baseline_points=3,
        ),
    ),
    # DIG-007 AI chest X-ray triage: silent mode only, stopped 20 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-007",),
        name="GP chest X-rays reported within 14 days (%)",
        definition="Chest X-rays requested by GPs with a verified report within 14 days of the image.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="increase",
        frequency=WEEKLY,
        owner="radiologist",
        data_source="Radiology information system turnaround report (Corvane Imaging RIS)",
        target=90,
        target_in_weeks=-20,
        series=SeriesSpec(first=50, level=58, noise=3.0, high=100),
    ),
    # DIG-008 Bed management: restarted 16 weeks ago; real use only in the last six.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-008",),
        name="Patients discharged before noon (%)",
        definition="Adult inpatient discharges before 12:00, as a percentage of all adult inpatient discharges.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="increase",
        frequency=WEEKLY,
        owner="coo",
        data_source="PAS discharge times; weekly flow report from the information team",
        target=30,
        target_in_weeks=20,
        series=SeriesSpec(first=44, level=16, noise=1.6, high=100),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-008",),
        name="Time from decision to admit to a bed (hours)",
        definition="Median hours from the decision to admit in the emergency department to arrival on a ward.",
        kind="outcome",
        beneficiary="patients",
        unit="hours",
        direction="decrease",
        frequency=WEEKLY,
        owner="coo",
        data_source="Emergency department system (Triagelink ED) and PAS ward transfers",
        target=4,
        target_in_weeks=20,
        series=SeriesSpec(first=44, level=7.4, noise=0.5),
    ),
    # DIG-009 Patient portal: released 26 weeks ago; the appointment feed started losing changes.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-009",),
        name="Outpatient calls abandoned before answer (%)",
        definition=(
            "Calls to the outpatient appointments line where the caller hung up before an answer, as a "
            "percentage of calls offered."
        ),
        kind="experience",
        beneficiary="patients",
        unit="%",
        direction="decrease",
        frequency=WEEKLY,
        owner="aisha",
        data_source="Call centre telephony statistics (Brightwell Voice), weekly",
        target=10,
        target_in_weeks=10,
        series=SeriesSpec(
            first=44,
            level=34,
            noise=1.4,
            high=100,
            changes=(Change(at=26, to=27, over=4), Change(at=11, to=39, over=2)),
            baseline_points=10,
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-009",),
        name="Patients using the portal to manage appointments (weekly users)",
        definition=(
            "Different patients who viewed, changed or cancelled an outpatient appointment in the portal in the week."
        ),
        kind="adoption",
        beneficiary="patients",
        unit="patients",
        direction="increase",
        frequency=WEEKLY,
        owner="aisha",
        data_source="Patient portal usage report (Halcyra Health), weekly",
        target=4000,
        target_in_weeks=10,
        series=SeriesSpec(
            first=26,
            level=180,
            noise=60,
            decimals=0,
            changes=(Change(at=26, to=1850, over=12), Change(at=10, to=1700, over=4)),
            baseline_points=3,
        ),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-009",),
        name="Patient-reported ease of managing appointments (1–5)",
        definition=(
            "Mean answer to 'How easy was it to change or check your appointment?' (1 very hard to 5 very easy) "
            "in the outpatient experience survey."
        ),
        kind="experience",
        beneficiary="patients",
        unit="score (1–5)",
        direction="increase",
        frequency=MONTHLY,
        owner="aisha",
        data_source="Outpatient experience survey (Feedbackly), text and online responses",
        target=4.0,
        target_in_weeks=10,
        series=SeriesSpec(first=14, level=3.1, noise=0.09, decimals=2, low=1, high=5, baseline_points=6),
    ),
    # DIG-010 Bedside handover app: stopped 16 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-010",),
        name="Information governance incidents involving handover sheets (per month)",
        definition="Incidents reported in which printed handover sheets were lost, left out or misfiled.",
        kind="outcome",
        beneficiary="patients",
        unit="incidents",
        direction="decrease",
        frequency=MONTHLY,
        owner="cno",
        data_source="Incident reporting system (SafeReport), information governance category",
        target=1,
        target_in_weeks=-16,
        series=SeriesSpec(first=18, level=6, noise=1.4, decimals=0, baseline_points=6),
    ),
    # DIG-011 Pathology order communications: stopped in alpha 28 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-011",),
        name="Pathology samples rejected for missing or wrong details (%)",
        definition="Samples rejected at booking-in because the request lacked required details or did not match.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="decrease",
        frequency=WEEKLY,
        owner="microbiologist",
        data_source="Laboratory information management system rejection log (Pathway LIMS)",
        target=4,
        target_in_weeks=-28,
        series=SeriesSpec(first=50, level=3.2, noise=0.22, decimals=2),
    ),
    # DIG-012 Patient-initiated follow-up: released 34 weeks ago, live 20 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-012",),
        name="Follow-up to new outpatient ratio, pilot specialties",
        definition=(
            "Follow-up attendances divided by new attendances in rheumatology, dermatology and ear, nose and throat."
        ),
        kind="outcome",
        beneficiary="patients",
        unit="ratio",
        direction="decrease",
        frequency=WEEKLY,
        owner="rheumatologist",
        data_source="PAS outpatient attendances, weekly activity report",
        target=2.1,
        target_in_weeks=6,
        series=SeriesSpec(
            first=52,
            level=2.42,
            noise=0.07,
            decimals=2,
            changes=(Change(at=34, to=2.2, over=6), Change(at=20, to=1.98, over=4)),
        ),
    ),
    # Shared: patient-initiated follow-up and digital letters both aim to cut missed appointments.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-012", "DIG-019"),
        name="Outpatient appointments missed (%)",
        definition="Outpatient appointments the patient did not attend without notice, as a percentage of all booked.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="decrease",
        frequency=WEEKLY,
        owner="coo",
        data_source="PAS outpatient outcomes (did not attend), weekly activity report",
        target=7.0,
        target_in_weeks=12,
        series=SeriesSpec(
            first=52,
            level=8.1,
            noise=0.25,
            decimals=2,
            changes=(Change(at=18, to=6.9, over=4),),
        ),
    ),
    # DIG-013 Clinical noting: paused 8 weeks ago; notes are quicker to read, not to write.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-013",),
        name="Time to write a ward-round progress note (minutes)",
        definition="Median minutes from opening to signing a progress note during the morning ward round.",
        kind="outcome",
        beneficiary="staff",
        unit="minutes",
        direction="decrease",
        frequency=WEEKLY,
        owner="ccio",
        data_source="EPR audit log (Merivale Clinical Systems), weekly extract",
        target=6,
        target_in_weeks=None,
        series=SeriesSpec(first=44, level=9.4, noise=0.4),
    ),
    # DIG-014 Outpatient e-prescribing: paused 12 weeks ago after three pilot clinics.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-014",),
        name="Outpatient prescriptions transcribed with an error (per 1,000 items)",
        definition=(
            "Errors found by pharmacy when transcribing outpatient prescriptions, per 1,000 items dispensed, "
            "all clinics."
        ),
        kind="outcome",
        beneficiary="patients",
        unit="per 1,000 items",
        direction="decrease",
        frequency=MONTHLY,
        owner="pharmacist",
        data_source="Pharmacy intervention log (Dispensary Manager)",
        target=4,
        target_in_weeks=None,
        series=SeriesSpec(first=18, level=9.2, noise=0.6, baseline_points=6),
    ),
    # DIG-015 Cyber resilience: counted only by what has been deployed and tested.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-015",),
        name="Devices replaced or moved to the segregated network (number)",
        definition="Running total of unsupported devices replaced, or moved to the segregated medical device network.",
        kind="activity",
        beneficiary="organisation",
        unit="devices",
        direction="increase",
        frequency=WEEKLY,
        owner="rhys",
        data_source="IT asset register (Assetwise), kept by the infrastructure team",
        target=420,
        target_in_weeks=6,
        series=SeriesSpec(first=34, level=0, noise=4, decimals=0, changes=(Change(at=34, to=330, over=34),)),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-015",),
        name="Staff accounts enrolled for multi-factor authentication (number)",
        definition="Running total of staff accounts with a second factor registered.",
        kind="activity",
        beneficiary="organisation",
        unit="accounts",
        direction="increase",
        frequency=WEEKLY,
        owner="rhys",
        data_source="Identity provider enrolment report (Keystone Identity)",
        target=9800,
        target_in_weeks=6,
        series=SeriesSpec(
            first=30,
            level=150,
            noise=60,
            decimals=0,
            changes=(Change(at=30, to=8600, over=30),),
        ),
    ),
    # DIG-016 Results acknowledgement: released 24 weeks ago, live 12, closed 10.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-016",),
        name="Abnormal results not acknowledged within 7 days (%)",
        definition="Abnormal pathology and radiology results with no acknowledgement in the EPR within 7 days.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="decrease",
        frequency=WEEKLY,
        owner="cmo",
        data_source="EPR results acknowledgement report (Merivale Clinical Systems)",
        target=10,
        target_in_weeks=-10,
        series=SeriesSpec(
            first=44,
            level=23,
            noise=1.3,
            high=100,
            changes=(Change(at=24, to=13, over=6), Change(at=12, to=6.5, over=3)),
        ),
    ),
    # DIG-017 Fax machines: switched off over the last 28 weeks, closed 6 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-017",),
        name="Referrals and prescriptions received electronically (%)",
        definition=(
            "Referrals and prescriptions received through e-referral, secure email or the EPR rather than by fax, "
            "as a percentage of all received."
        ),
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="increase",
        frequency=WEEKLY,
        owner="rhys",
        data_source="Referral management centre log and the telephony system's fax traffic report",
        target=75,
        target_in_weeks=-6,
        series=SeriesSpec(
            first=40,
            level=72,
            noise=1.6,
            high=100,
            changes=(Change(at=28, to=99.6, over=20),),
        ),
    ),
    # DIG-018 Legacy PAS: cutover still six weeks away.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-018",),
        name="Staff time spent keying activity twice (hours/week)",
        definition="Hours a week spent by clerical staff entering the same activity in the legacy PAS and the EPR.",
        kind="outcome",
        beneficiary="staff",
        unit="hours/week",
        direction="decrease",
        frequency=WEEKLY,
        owner="rhys",
        data_source="Weekly timesheet sample from the booking and medical records teams",
        target=0,
        target_in_weeks=8,
        series=SeriesSpec(first=30, level=53, noise=2.4, decimals=0),
    ),
    # DIG-019 Digital letters: released 18 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-019",),
        name="Patient letters sent digitally first (%)",
        definition="Outpatient letters delivered to the patient's digital inbox first, with post only as a fallback.",
        kind="adoption",
        beneficiary="patients",
        unit="%",
        direction="increase",
        frequency=WEEKLY,
        owner="callum",
        data_source="Hybrid mail platform delivery report (Lumenstack)",
        target=60,
        target_in_weeks=12,
        series=SeriesSpec(
            first=24,
            level=0.5,
            noise=0.4,
            high=100,
            changes=(Change(at=18, to=41, over=14),),
            baseline_points=6,
        ),
    ),
    # DIG-020 Pre-operative assessment: paused 5 weeks ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-020",),
        name="Operations cancelled on the day for incomplete pre-operative assessment (per week)",
        definition="Elective operations cancelled on the day because pre-operative assessment was missing or late.",
        kind="outcome",
        beneficiary="patients",
        unit="operations",
        direction="decrease",
        frequency=WEEKLY,
        owner="anaesthetist",
        data_source="Theatre management system cancellation codes",
        target=3,
        target_in_weeks=None,
        series=SeriesSpec(first=32, level=9, noise=1.3, decimals=0),
    ),
    # DIG-021 Theatre scheduling: utilisation data stopped after the theatre system's upgrade.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-021",),
        name="Theatre session utilisation (%)",
        definition="Minutes of planned sessions used for operating, as a percentage of planned session minutes.",
        kind="outcome",
        beneficiary="organisation",
        unit="%",
        direction="increase",
        frequency=WEEKLY,
        owner="tomasz",
        data_source="Theatre management system (Sessionly Theatres) utilisation extract",
        target=85,
        target_in_weeks=22,
        series=SeriesSpec(first=30, level=76, noise=1.7, last=5, high=100),
    ),
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-021",),
        name="Planned operations cancelled on the day (%)",
        definition="Planned operations cancelled on the day of surgery, for any reason, as a percentage of planned.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="decrease",
        frequency=WEEKLY,
        owner="anaesthetist",
        data_source="Theatre management system cancellation codes",
        target=8,
        target_in_weeks=22,
        series=SeriesSpec(first=30, level=14, noise=0.9, high=100),
    ),
    # DIG-022 Heart failure monitoring (discovery): the survey started five months ago.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-022",),
        name="Heart failure patients' confidence managing at home (1–5)",
        definition=(
            "Mean answer to 'How confident are you in managing your heart failure at home?' (1 not at all to 5 "
            "very) from patients under the heart failure nurses."
        ),
        kind="experience",
        beneficiary="patients",
        unit="score (1–5)",
        direction="increase",
        frequency=MONTHLY,
        owner="cardiologist",
        data_source="Heart failure nurses' patient questionnaire, entered monthly",
        series=SeriesSpec(first=5, level=2.9, noise=0.12, decimals=2, low=1, high=5, baseline_points=5),
    ),
    # DIG-023 Single sign-on (proposed): three weeks of baseline measurement in discovery.
    MetricSpec(
        organisation=ACUTE,
        initiatives=("DIG-023",),
        name="Time ward nurses lose to logins (minutes per shift)",
        definition="Minutes per shift spent signing in and out of clinical systems, from observed shifts.",
        kind="outcome",
        beneficiary="staff",
        unit="minutes",
        direction="decrease",
        frequency=WEEKLY,
        owner="cnio",
        data_source="Observation of shifts on three wards by the discovery team",
        series=SeriesSpec(first=3, level=21, noise=1.5, baseline_points=3),
    ),
    # Fenmoor.
    MetricSpec(
        organisation=MENTAL_HEALTH,
        initiatives=("FPT-001",),
        name="Care plan reviews written with the service user online (%)",
        definition=(
            "Care plan reviews in community teams where the service user wrote or edited the plan online with "
            "their care coordinator."
        ),
        kind="adoption",
        beneficiary="patients",
        unit="%",
        direction="increase",
        frequency=WEEKLY,
        owner="mh_delivery",
        data_source="Mental health record care plan audit (Riverbend MH Record)",
        target=50,
        target_in_weeks=12,
        series=SeriesSpec(
            first=30,
            level=3,
            noise=1.2,
            high=100,
            changes=(Change(at=14, to=34, over=8),),
        ),
    ),
    MetricSpec(
        organisation=MENTAL_HEALTH,
        initiatives=("FPT-002",),
        name="Crisis line calls abandoned before answer (%)",
        definition="Calls to the 24-hour crisis line where the caller hung up before an answer.",
        kind="outcome",
        beneficiary="patients",
        unit="%",
        direction="decrease",
        frequency=WEEKLY,
        owner="mh_delivery",
        data_source="Crisis line telephony statistics (Brightwell Voice)",
        target=5,
        target_in_weeks=10,
        series=SeriesSpec(first=40, level=25, noise=1.5, high=100),
    ),
    MetricSpec(
        organisation=MENTAL_HEALTH,
        initiatives=("FPT-003",),
        name="Wait for group therapy (weeks)",
        definition="Median weeks from referral to a first group therapy session, adult community services.",
        kind="outcome",
        beneficiary="patients",
        unit="weeks",
        direction="decrease",
        frequency=MONTHLY,
        owner="mh_cio",
        data_source="Mental health record waiting list report (Riverbend MH Record)",
        target=8,
        target_in_weeks=-12,
        series=SeriesSpec(first=18, level=19, noise=0.8, baseline_points=6),
    ),
)


def draw(spec: MetricSpec) -> list[float]:
    """The metric's values, oldest first. Each metric has its own seeded generator, so changing
    one metric's shape leaves every other metric's data as it was."""
    rng = random.Random(f"{SEED}:{spec.name}")
    shape = spec.series
    values: list[float] = []
    for periods_ago in range(shape.first, shape.last - 1, -1):
        value = shape.level_at(periods_ago) + rng.gauss(0, shape.noise)
        if shape.low is not None:
            value = max(shape.low, value)
        if shape.high is not None:
            value = min(shape.high, value)
        values.append(round(value, shape.decimals))
    return values


# The fewest points a new period needs before an analyst would start the limits again; a shorter
# stretch gives limits too rough to judge by (NHS England, Making Data Count: about 12 points at
# least for an XmR chart's limits, 20 for stable ones).
NEW_PERIOD_POINTS = 12


def settled_changes(spec: MetricSpec) -> tuple[int, ...]:
    """The periods (ago) at which the metric's owner would start the chart's limits again, oldest
    first: where a change in the story has finished and the level has clearly moved (by four
    times the noise or more), leaving at least `NEW_PERIOD_POINTS` points on each side of it, of
    which at least half before the change began (a ramp from nothing has no old level to leave).
    Changes the spec annotates itself are left to its own annotation."""
    shape = spec.series
    annotated = {note.at for note in spec.annotations if note.starts_new_period}
    found: list[int] = []
    level, since = shape.level, shape.first
    for change in sorted(shape.changes, key=lambda c: -c.at):
        settled = change.at - change.over
        moved = abs(change.to - level) >= 4 * shape.noise
        level = change.to
        if settled in annotated:
            since = settled
            continue
        room_after = settled - shape.last + 1 >= NEW_PERIOD_POINTS
        room_before = since - settled >= NEW_PERIOD_POINTS and since - change.at >= NEW_PERIOD_POINTS // 2
        if moved and room_after and room_before:
            found.append(settled)
            since = settled
    return tuple(found)


# Initiatives deliberately left without metrics: proposals not yet worked up.
UNMEASURED: tuple[tuple[str, str], ...] = ((ACUTE, "DIG-024"), (ACUTE, "DIG-025"), (MENTAL_HEALTH, "FPT-004"))
