"""The demo organisations as plain data: who, what, and the story of the last year.

Everything here is fictional. The trusts, the integrated care system, the people and the
suppliers are invented; the ODS codes use the "ZZ" pattern, which no real organisation has.
Dates are written as weeks before the week the demo is loaded, so the data is always recent.
The loader (`headway.demo.loader`) turns this into records through the portfolio actions.

Values such as "active", "alpha" or "executive" are the stored values of the model choices
(`Status`, `Phase`, `Role`); the demo tests check that they stay valid.
"""

from __future__ import annotations

from dataclasses import dataclass

# One password for every demo login, so a demonstration can switch people quickly.
DEMO_PASSWORD = "headway-demo-2026"
# A read-only API token for the demo trust's viewer, published for trying the API (docs/api.md).
# The demo is never loaded in production, so a fixed secret is safe; it is still stored only as a
# digest, like every token (ADR 32).
DEMO_API_TOKEN = "hw_demo-read-only-RZZ01-not-a-secret-try-the-api"
DEMO_API_TOKEN_PERSON = "viewer"
EMAIL_DOMAIN = "demo.headway.test"

ACUTE = "acute"
MENTAL_HEALTH = "mental_health"

# Who takes decisions in the demo trust.
INVESTMENT_BOARD = "Digital Investment Board"
EXECUTIVE_TEAM = "Executive Management Team"
TRUST_BOARD = "Trust Board"
DELIVERY_GROUP = "Digital Delivery Group"


@dataclass(frozen=True, kw_only=True)
class SystemSpec:
    name: str
    code: str


@dataclass(frozen=True, kw_only=True)
class OrganisationSpec:
    key: str
    name: str
    short_name: str
    ods_code: str
    kind: str
    wip_limit: int


@dataclass(frozen=True, kw_only=True)
class Seat:
    """A person's membership of one organisation."""

    organisation: str
    role: str
    directorate: str


@dataclass(frozen=True, kw_only=True)
class PersonSpec:
    key: str
    email: str
    full_name: str
    job_title: str
    seats: tuple[Seat, ...]
    # Role logins are the ones a demonstration uses; they are listed first.
    role_login: bool = False


@dataclass(frozen=True, kw_only=True)
class GoalSpec:
    organisation: str
    key: str
    title: str
    description: str


@dataclass(frozen=True, kw_only=True)
class ServiceSpec:
    organisation: str
    key: str
    name: str
    description: str


@dataclass(frozen=True, kw_only=True)
class NeedSpec:
    statement: str
    evidence: str  # assumed, researched or validated
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class DecisionSpec:
    kind: str
    weeks_ago: int
    rationale: str
    evidence: str
    decided_by: str


@dataclass(frozen=True, kw_only=True)
class Story:
    """The material for an initiative's weekly checkpoints.

    `confidence` is a list of (from this many weeks ago, rating): the rating holds from that
    week until the next entry. Demonstrations and real-user notes are in rough order of
    progress; the loader picks from them as the weeks go by. `silent_weeks` is how many of the
    most recent weeks have no checkpoint: 0 is up to date, 1 is due this week, 2 or more is
    overdue.
    """

    confidence: tuple[tuple[int, str], ...]
    demos: tuple[str, ...]
    audiences: tuple[str, ...]
    green: tuple[str, ...] = ()
    amber: tuple[str, ...] = ()
    red: tuple[str, ...] = ()
    real_users_from: int | None = None
    real_users: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    asks: tuple[tuple[int, str], ...] = ()
    silent_weeks: int = 0


@dataclass(frozen=True, kw_only=True)
class InitiativeSpec:
    organisation: str
    reference: str
    title: str
    phase: str
    problem: str
    patients_served: str
    staff_served: str
    sro: str | None
    sro_directorate: str
    clinical_lead: str | None
    delivery_lead: str | None
    goals: tuple[str, ...]
    services: tuple[str, ...]
    riskiest_assumption: str
    needs: tuple[NeedSpec, ...]
    decisions: tuple[DecisionSpec, ...] = ()
    story: Story | None = None
    joins_up_with: tuple[str, ...] = ()
    # Relative to this week; negative means in the past.
    first_release_in_weeks: int | None = None
    go_live_in_weeks: int | None = None
    # When a proposal without decisions was first written down.
    proposed_weeks_ago: int = 6


@dataclass(frozen=True, kw_only=True)
class RiskSpec:
    organisation: str
    initiative: str | None  # None for a risk to the whole portfolio
    title: str
    description: str
    likelihood: int
    consequence: int
    owner: str
    mitigation: str
    review_in_days: int  # negative means the review is overdue
    raised_weeks_ago: int
    closed: bool = False


@dataclass(frozen=True, kw_only=True)
class CommentSpec:
    organisation: str
    initiative: str
    author: str
    weeks_ago: int
    body: str


SYSTEM = SystemSpec(name="Northgate and Riverside Integrated Care System (demo)", code="QZZ")

ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        key=ACUTE,
        name="Northgate and Riverside University Hospitals NHS Foundation Trust",
        short_name="Northgate and Riverside",
        ods_code="RZZ01",
        kind="acute",
        # Twelve initiatives are active in the story: one over this on purpose, so the
        # at-a-glance page shows the work-in-progress warning.
        wip_limit=10,
    ),
    OrganisationSpec(
        key=MENTAL_HEALTH,
        name="Fenmoor Partnership NHS Foundation Trust",
        short_name="Fenmoor",
        ods_code="RZZ02",
        kind="mental_health",
        wip_limit=6,
    ),
)


def _email(local: str) -> str:
    return f"{local}@{EMAIL_DOMAIN}"


def _acute(role: str, directorate: str) -> tuple[Seat, ...]:
    return (Seat(organisation=ACUTE, role=role, directorate=directorate),)


# People at the acute trust who chose, on their account page, to have the weeknotes emailed.
WEEKNOTES_READERS: tuple[str, ...] = ("board", "tomasz")

PEOPLE: tuple[PersonSpec, ...] = (
    # The role logins, one for each role at the acute trust.
    PersonSpec(
        key="board",
        email=_email("board"),
        full_name="Rosalind Penhaligon",
        job_title="Non-executive director; chair of the Digital and Data Committee",
        seats=_acute("board", "Trust Board"),
        role_login=True,
    ),
    PersonSpec(
        key="coo",
        email=_email("sro"),
        full_name="Marcus Adeyemi-Lund",
        job_title="Chief Operating Officer",
        seats=_acute("executive", "Operations"),
        role_login=True,
    ),
    PersonSpec(
        key="tomasz",
        email=_email("delivery"),
        full_name="Tomasz Wrenfield",
        job_title="Senior delivery lead",
        seats=_acute("delivery_lead", "Digital Services"),
        role_login=True,
    ),
    PersonSpec(
        key="aisha",
        email=_email("delivery2"),
        full_name="Aisha Kettleborough",
        job_title="Product manager",
        seats=_acute("delivery_lead", "Digital Services"),
        role_login=True,
    ),
    PersonSpec(
        key="callum",
        email=_email("delivery3"),
        full_name="Callum Ferrier-Ashdown",
        job_title="Delivery lead",
        seats=_acute("delivery_lead", "Digital Services"),
        role_login=True,
    ),
    PersonSpec(
        key="pmo",
        email=_email("pmo"),
        full_name="Gwen Tolhurst",
        job_title="Head of the Digital Portfolio Office",
        seats=_acute("portfolio_office", "Digital Services"),
        role_login=True,
    ),
    PersonSpec(
        key="viewer",
        email=_email("viewer"),
        full_name="Daniel Osei-Barraclough",
        job_title="Corporate governance manager",
        seats=_acute("viewer", "Corporate Governance"),
        role_login=True,
    ),
    # The group CDIO works for both trusts, so organisation switching can be shown.
    PersonSpec(
        key="cdio",
        email=_email("cdio"),
        full_name="Nadia Fairbrother-Quint",
        job_title="Group Chief Digital and Information Officer",
        seats=(
            Seat(organisation=ACUTE, role="executive", directorate="Digital Services"),
            Seat(organisation=MENTAL_HEALTH, role="executive", directorate="Digital and Information"),
        ),
        role_login=True,
    ),
    # Other senior responsible owners.
    PersonSpec(
        key="cno",
        email=_email("cno"),
        full_name="Bernadette Lyle",
        job_title="Chief Nursing Officer",
        seats=_acute("executive", "Nursing and Midwifery"),
    ),
    PersonSpec(
        key="cmo",
        email=_email("cmo"),
        full_name="Dr Sunil Haverstock",
        job_title="Chief Medical Officer",
        seats=_acute("executive", "Medical Directorate"),
    ),
    PersonSpec(
        key="cfo",
        email=_email("cfo"),
        full_name="Owen Pritchard-Maye",
        job_title="Chief Finance Officer and senior information risk owner",
        seats=_acute("executive", "Finance"),
    ),
    PersonSpec(
        key="cpo",
        email=_email("cpo"),
        full_name="Lorraine Castellow",
        job_title="Chief People Officer",
        seats=_acute("executive", "People"),
    ),
    PersonSpec(
        key="strategy",
        email=_email("strategy"),
        full_name="Yasmin Threlfall",
        job_title="Director of Strategy and Partnerships",
        seats=_acute("executive", "Strategy and Partnerships"),
    ),
    PersonSpec(
        key="ccio",
        email=_email("ccio"),
        full_name="Dr Imogen Rathbone",
        job_title="Chief Clinical Information Officer; consultant in acute medicine",
        seats=_acute("executive", "Medical Directorate"),
    ),
    # More delivery leads.
    PersonSpec(
        key="bethan",
        email=_email("bethan.carrow"),
        full_name="Bethan Carrow",
        job_title="Delivery lead",
        seats=_acute("delivery_lead", "Digital Services"),
    ),
    PersonSpec(
        key="rhys",
        email=_email("rhys.gallimore"),
        full_name="Rhys Gallimore",
        job_title="Technical delivery lead, infrastructure",
        seats=_acute("delivery_lead", "Digital Services"),
    ),
    # Clinical leads.
    PersonSpec(
        key="cnio",
        email=_email("siobhan.marrable"),
        full_name="Siobhan Marrable",
        job_title="Chief Nursing Information Officer",
        seats=_acute("viewer", "Nursing and Midwifery"),
    ),
    PersonSpec(
        key="radiologist",
        email=_email("kwame.ellingham"),
        full_name="Dr Kwame Ellingham",
        job_title="Consultant radiologist",
        seats=_acute("viewer", "Clinical Support Services"),
    ),
    PersonSpec(
        key="pharmacist",
        email=_email("farid.rezaei-holt"),
        full_name="Farid Rezaei-Holt",
        job_title="Consultant pharmacist, medicines safety",
        seats=_acute("viewer", "Pharmacy"),
    ),
    PersonSpec(
        key="geriatrician",
        email=_email("helena.strachan"),
        full_name="Dr Helena Strachan",
        job_title="Consultant geriatrician; clinical director for virtual wards",
        seats=_acute("viewer", "Integrated Medicine"),
    ),
    PersonSpec(
        key="cardiologist",
        email=_email("jonah.whitcombe"),
        full_name="Dr Jonah Whitcombe",
        job_title="Consultant cardiologist, heart failure service",
        seats=_acute("viewer", "Integrated Medicine"),
    ),
    PersonSpec(
        key="anaesthetist",
        email=_email("tanvi.rao-brennan"),
        full_name="Dr Tanvi Rao-Brennan",
        job_title="Consultant anaesthetist; theatres clinical lead",
        seats=_acute("viewer", "Surgery"),
    ),
    PersonSpec(
        key="rheumatologist",
        email=_email("rebecca.aldous"),
        full_name="Dr Rebecca Aldous",
        job_title="Consultant rheumatologist; outpatient transformation lead",
        seats=_acute("viewer", "Integrated Medicine"),
    ),
    PersonSpec(
        key="microbiologist",
        email=_email("miriam.penrose"),
        full_name="Dr Miriam Penrose",
        job_title="Consultant microbiologist; pathology clinical lead",
        seats=_acute("viewer", "Clinical Support Services"),
    ),
    # The mental health trust.
    PersonSpec(
        key="mh_board",
        email=_email("fenmoor.board"),
        full_name="Hugh Ardenne",
        job_title="Non-executive director",
        seats=(Seat(organisation=MENTAL_HEALTH, role="board", directorate="Trust Board"),),
    ),
    PersonSpec(
        key="mh_cio",
        email=_email("orla.kinsella"),
        full_name="Dr Orla Kinsella",
        job_title="Consultant psychiatrist; Chief Clinical Information Officer",
        seats=(Seat(organisation=MENTAL_HEALTH, role="executive", directorate="Medical"),),
    ),
    PersonSpec(
        key="mh_delivery",
        email=_email("fenmoor.delivery"),
        full_name="Esther Quayle",
        job_title="Digital delivery lead",
        seats=(Seat(organisation=MENTAL_HEALTH, role="delivery_lead", directorate="Digital and Information"),),
    ),
    PersonSpec(
        key="mh_pmo",
        email=_email("fenmoor.pmo"),
        full_name="Ravi Lindqvist",
        job_title="Portfolio manager",
        seats=(Seat(organisation=MENTAL_HEALTH, role="portfolio_office", directorate="Digital and Information"),),
    ),
)


GOALS: tuple[GoalSpec, ...] = (
    GoalSpec(
        organisation=ACUTE,
        key="safety",
        title="Safer care on every shift",
        description="Fewer avoidable harms from missed deterioration, medication errors and lost results.",
    ),
    GoalSpec(
        organisation=ACUTE,
        key="home",
        title="Care closer to home",
        description="Treat people at home when hospital adds nothing, with the same clinical oversight.",
    ),
    GoalSpec(
        organisation=ACUTE,
        key="access",
        title="Timely access to planned and urgent care",
        description="Shorter waits for outpatients, diagnostics and surgery; a hospital that flows.",
    ),
    GoalSpec(
        organisation=ACUTE,
        key="people",
        title="Better working lives for our people",
        description="Give staff time back from logins, duplicate typing and paper, and rosters they can plan around.",
    ),
    GoalSpec(
        organisation=ACUTE,
        key="joined_up",
        title="Joined-up care across Northgate and Riverside",
        description="Information follows the patient between the hospital, GPs, community and mental health services.",
    ),
    GoalSpec(
        organisation=ACUTE,
        key="foundations",
        title="Secure and sustainable foundations",
        description="Resilient to cyber attack, off unsupported systems, and funded to keep improving after go-live.",
    ),
    GoalSpec(
        organisation=MENTAL_HEALTH,
        key="recovery",
        title="Care planned with people, not for them",
        description="Service users shape and can see their own care plans.",
    ),
    GoalSpec(
        organisation=MENTAL_HEALTH,
        key="crisis",
        title="Help in a crisis within the hour",
        description="Nobody in crisis waits on hold or goes unanswered.",
    ),
    GoalSpec(
        organisation=MENTAL_HEALTH,
        key="partners",
        title="One record across the system",
        description="Our clinicians and our partners see the same up-to-date picture.",
    ),
)


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        organisation=ACUTE,
        key="epr",
        name="Electronic patient record (EPR)",
        description="The trust-wide clinical record, supplied by Merivale Clinical Systems since 2023.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="pas",
        name="Patient administration system (PAS)",
        description=(
            "Referrals, waiting lists, appointments and admissions. The legacy PAS is being retired into the EPR."
        ),
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="pacs",
        name="Picture archiving and communication system (PACS)",
        description="Radiology images and reports, shared with the regional imaging network.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="lims",
        name="Pathology laboratory information management system (LIMS)",
        description="Laboratory results and order communications for the hospital and local GP practices.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="epma",
        name="Electronic prescribing and medicines administration (ePMA)",
        description="Inpatient prescribing and drug rounds; a module of the EPR.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="scr",
        name="Shared care record",
        description="The integrated care system's shared record, read by partners through a FHIR API.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="portal",
        name="Patient portal",
        description="Appointments, letters and questionnaires for patients, supplied by Halcyra Health.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="theatres",
        name="Theatre management system",
        description="Theatre lists, sessions and utilisation.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="rostering",
        name="Electronic rostering",
        description="Rosters, leave and bank shifts for nursing, midwifery and, in future, medical staff.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="flow",
        name="Bed management and patient flow",
        description="The site team's view of beds, expected discharges and escalation.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="documents",
        name="Clinical correspondence and document management",
        description="Clinic letters, dictation, scanning and outbound letters to patients and GPs.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="remote",
        name="Remote monitoring platform",
        description="The regional platform patients use at home to send readings to clinical teams.",
    ),
    ServiceSpec(
        organisation=ACUTE,
        key="infrastructure",
        name="Network, identity and backup services",
        description="Staff logins, multi-factor authentication, the network and the backups the trust restores from.",
    ),
    ServiceSpec(
        organisation=MENTAL_HEALTH,
        key="mh_record",
        name="Mental health clinical record",
        description="The trust's clinical record for inpatient and community teams.",
    ),
    ServiceSpec(
        organisation=MENTAL_HEALTH,
        key="telephony",
        name="Crisis line telephony",
        description="The 24-hour crisis line and its call queue.",
    ),
    ServiceSpec(
        organisation=MENTAL_HEALTH,
        key="video",
        name="Video consultation",
        description="Video appointments and online groups.",
    ),
)


# Shared pools of ordinary weekly detail, used alongside each initiative's own story.
GENERIC_RISKS: tuple[str, ...] = (
    "Two of the team are on leave next week, so less will ship.",
    "Still waiting for a change advisory board slot for the next release.",
    "Test environment was down for two days after the supplier's patch; we lost most of Tuesday.",
    "Information governance review of the data flow is booked but not yet done.",
    "Clinical safety officer time is thin this month because of the winter rota.",
)
QUIET_WEEK_REASONS: tuple[str, ...] = (
    "No show and tell this week: the team was at the trust's quarterly planning day.",
    "No show and tell this week: most of the team were redeployed to help with the bank holiday rota.",
)
# For the odd week whose rating has no reason of the initiative's own.
GENERIC_REASONS: dict[str, tuple[str, ...]] = {
    "green": ("On track: the next release is planned and nothing is blocking it.",),
    "amber": (
        "A wobble this week: the release slipped a few days, but the plan still holds.",
        "Progress is real but slower than we said; watching it closely.",
    ),
    "red": ("Blocked on something the team cannot fix alone; see the ask.",),
}
GENERIC_AUDIENCES: tuple[str, ...] = (
    "Digital Delivery Group",
    "The SRO and clinical lead",
    "Patient partners panel",
)


INITIATIVES: tuple[InitiativeSpec, ...] = (
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-001",
        title="EPR optimisation: clerking and discharge",
        phase="live",
        problem=(
            "Two years after the EPR went live, doctors spend longer clerking an admission than they did on "
            "paper. The history taken in the emergency department is typed again on the ward, and a "
            "discharge summary takes a junior doctor around 25 minutes, so summaries are often finished "
            "after the patient has gone home and the GP hears days later."
        ),
        patients_served="Around 74,000 emergency and elective admissions a year, and their GPs.",
        staff_served="Junior doctors, ward clerks, discharge coordinators and pharmacists.",
        sro="cmo",
        sro_directorate="Medical Directorate",
        clinical_lead="ccio",
        delivery_lead="tomasz",
        goals=("safety", "people"),
        services=("epr", "documents"),
        riskiest_assumption=(
            "That time saved on clerking and discharge goes back into patient care rather than being "
            "absorbed by new documentation requests."
        ),
        first_release_in_weeks=-44,
        go_live_in_weeks=-30,
        needs=(
            NeedSpec(
                statement=(
                    "As a junior doctor admitting a patient, I need the history taken in ED to carry through "
                    "to the ward so that I do not write it twice."
                ),
                evidence="validated",
                notes=(
                    "Time-and-motion observation of 42 clerkings; repeated after the first release (median 31 to 19 "
                    "minutes)."
                ),
            ),
            NeedSpec(
                statement=(
                    "As a ward clerk, I need the discharge summary ready before the patient leaves so that the "
                    "GP gets it the same day."
                ),
                evidence="researched",
                notes="Interviews with 11 ward clerks and two GP practice managers.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=52,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Fund a standing optimisation team rather than another large upgrade: clinicians' time in "
                    "the EPR is the biggest complaint in the staff survey and small weekly changes can fix it."
                ),
                evidence=(
                    "Staff survey free text (612 comments on the EPR); EPR audit logs showing clerking time by ward."
                ),
            ),
            DecisionSpec(
                kind="continue",
                weeks_ago=26,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Clerking time is down by a third on the wards using the new flow and discharge summaries "
                    "sent on the day are up from 48% to 71%. Continue, and move on to medicines reconciliation."
                ),
                evidence="Weekly audit-log measures since baseline; same-day discharge summary rate; ward feedback.",
            ),
        ),
        story=Story(
            confidence=((52, "amber"), (40, "green")),
            demos=(
                "Walked through the current clerking journey with timings from the audit logs.",
                "Prototype of an admission note that pulls forward the ED history.",
                "Admission note with carried-forward history, tested with four FY1 doctors.",
                "First release of the carried-forward history on the acute medical unit.",
                "Discharge summary that pre-fills medicines and results from the admission.",
                "Same-day discharge summary dashboard for ward managers.",
                "Medicines reconciliation screen, first cut, tested with two ward pharmacists.",
                "Medicines reconciliation released on the two respiratory wards.",
            ),
            audiences=(
                "Junior doctors' forum",
                "Acute medical unit consultants",
                "Ward pharmacists and the SRO",
                "Digital Delivery Group",
            ),
            green=(
                "Clerking time keeps falling on the wards using the new note and the supplier release is confirmed.",
                "Same-day discharge summaries steady at around 70%; the team is shipping every week.",
                "Doctors are asking for the new flow on their wards, which is the best sign we have.",
            ),
            amber=(
                "Changes depend on the supplier's release windows and the first one has slipped by a month.",
                "Baseline measures are in but we have nothing in front of real users yet.",
            ),
            real_users_from=44,
            real_users=(
                "Carried-forward history live for all admissions to the acute medical unit.",
                "Pre-filled discharge summary live on six medical wards.",
                "Discharge summary dashboard used at the daily board round on eight wards.",
                "Medicines reconciliation screen live on the respiratory wards.",
            ),
            risks=(
                "Supplier release windows are twice a year; configuration changes in between need a change request.",
                "Surgical wards use different templates, so the gains may not transfer without rework.",
            ),
            asks=(
                (27, "Please continue funding at the mid-year review; the evidence pack is in the board reading room."),
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-002",
        title="E-rostering for nursing and midwifery",
        phase="live",
        problem=(
            "Ward rosters were built in spreadsheets and published two weeks ahead at best, so staff could "
            "not plan childcare and the trust filled gaps late with agency nurses at premium rates."
        ),
        patients_served="All inpatients and women using maternity services, through safer staffing.",
        staff_served="About 2,900 nurses, midwives and healthcare support workers; ward managers; the bank office.",
        sro="cpo",
        sro_directorate="People",
        clinical_lead="cnio",
        delivery_lead="callum",
        goals=("people", "safety"),
        services=("rostering",),
        riskiest_assumption="That ward managers will give up their spreadsheets once the new roster is trusted.",
        first_release_in_weeks=-44,
        go_live_in_weeks=-20,
        needs=(
            NeedSpec(
                statement="As a ward nurse, I need my roster six weeks ahead so that I can plan my life around it.",
                evidence="validated",
                notes="Staff survey question on roster notice; rechecked on pilot wards after release.",
            ),
            NeedSpec(
                statement=(
                    "As a ward manager, I need to see gaps early so that I can fill them from the bank, not agency."
                ),
                evidence="researched",
                notes="Shadowed five ward managers through a roster cycle.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=52,
                decided_by=INVESTMENT_BOARD,
                rationale="Agency spend on nursing is the trust's largest avoidable cost and late rosters drive it.",
                evidence=(
                    "Agency spend by ward for the last 18 months; roster publication dates from ward spreadsheets."
                ),
            ),
            DecisionSpec(
                kind="continue",
                weeks_ago=30,
                decided_by=INVESTMENT_BOARD,
                rationale="Pilot wards publish six weeks ahead and their agency use fell; roll out to all wards.",
                evidence=(
                    "Eight pilot wards: roster notice up from 12 to 43 days; agency shifts down 22% against the same "
                    "months last year."
                ),
            ),
            DecisionSpec(
                kind="close",
                weeks_ago=14,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "All 38 wards roster in the system and publish at least six weeks ahead. Close the project "
                    "and hand the service to a small run-and-improve team funded from the People budget."
                ),
                evidence=(
                    "Roster notice by ward for the last quarter; agency spend trend; ward managers' survey (86% "
                    "prefer the new roster)."
                ),
            ),
        ),
        story=Story(
            confidence=((52, "amber"), (44, "green")),
            demos=(
                "Roster templates for the two pilot wards, built with their managers.",
                "Bank shift requests flowing from the roster to the bank office.",
                "Self-rostering preferences for staff on the pilot wards.",
                "Roll-out pack and training for the next wave of wards.",
                "Safer staffing view joining the roster with patient acuity.",
                "Hand-over plan to the run-and-improve team.",
            ),
            audiences=("Ward managers' meeting", "Heads of nursing", "Bank office team", "Staff-side representatives"),
            green=(
                "Wards are going live on schedule and the roster notice measure keeps improving.",
                "Ward managers on earlier waves are training the later ones, which takes pressure off the team.",
            ),
            amber=("Supplier configuration is slower than planned; pilot may slip by two weeks.",),
            real_users_from=44,
            real_users=(
                "Two pilot wards rostering live.",
                "Eight wards rostering live; bank requests go straight to the bank office.",
                "Twenty-two wards live, including maternity.",
                "All 38 wards live.",
            ),
            risks=("Maternity's shift patterns need a configuration change from the supplier.",),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-003",
        title="Connect to the ICS shared care record",
        phase="beta",
        problem=(
            "When our patients are seen by their GP, community nurses or the mental health trust, those "
            "clinicians cannot see our discharge summaries, results or medicines, and we cannot see theirs. "
            "Staff phone around or start again, and patients repeat their story."
        ),
        patients_served="Anyone who moves between the hospital and other services in Northgate and Riverside.",
        staff_served="Hospital clinicians; GPs, community and mental health teams who read our data.",
        sro="strategy",
        sro_directorate="Strategy and Partnerships",
        clinical_lead="ccio",
        delivery_lead="bethan",
        goals=("joined_up", "safety"),
        services=("scr", "epr", "lims"),
        riskiest_assumption="That partners will look at our data in the shared record during a consultation.",
        first_release_in_weeks=-10,
        go_live_in_weeks=8,
        needs=(
            NeedSpec(
                statement=(
                    "As a GP, I need to see a patient's hospital medicines at discharge so that I can reconcile them "
                    "safely."
                ),
                evidence="researched",
                notes="Interviews with nine GPs and three practice pharmacists across two primary care networks.",
            ),
            NeedSpec(
                statement=(
                    "As an ED doctor, I need to see a patient's mental health crisis plan so that I respond the way "
                    "it says."
                ),
                evidence="assumed",
                notes="Raised by the ED consultants; not yet tested with the mental health trust.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=52,
                decided_by=INVESTMENT_BOARD,
                rationale="The ICS expects every trust to publish to the shared record; we are the largest gap.",
                evidence=(
                    "ICS data-sharing plan; count of partner phone calls to medical records (about 1,100 a month)."
                ),
            ),
            DecisionSpec(
                kind="change_course",
                weeks_ago=20,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Stop building point-to-point feeds to each partner. Publish once to the ICS record's FHIR "
                    "API and let partners read from there; it is less work for us and it is where the system "
                    "is going."
                ),
                evidence=(
                    "Twelve weeks spent on two point-to-point feeds, neither live; ICS integration team's readiness "
                    "for FHIR UK Core."
                ),
            ),
        ),
        story=Story(
            confidence=((52, "amber"), (26, "red"), (18, "amber"), (6, "green")),
            demos=(
                "Map of which partners ask us for what, from a month of medical records phone logs.",
                "Point-to-point discharge summary feed to one GP system in test.",
                "Results feed to the community trust in test; mapping issues with local codes.",
                "Discharge summaries published to the ICS record's FHIR API in the test environment.",
                "GP view of a hospital discharge summary in the shared record, tested with three GPs.",
                "Medicines at discharge published and visible to GP practice pharmacists.",
                "Results published for two pilot primary care networks.",
            ),
            audiences=("GP practice pharmacists", "ICS integration team", "ED consultants", "Medical records team"),
            green=(
                "Publishing through the ICS API works and partners are reading what we send.",
                "Two primary care networks are using the data in consultations; usage logs confirm it.",
            ),
            amber=(
                "Feeds work in test but the partner mapping for local codes is slow.",
                "New approach is sound but we have not yet published anything real.",
            ),
            red=(
                "Two point-to-point feeds after six months and neither is live; this approach will not scale.",
                "Every partner wants a different format. We need a decision on the route before spending more.",
            ),
            real_users_from=10,
            real_users=(
                "Discharge summaries visible to GPs in two primary care networks.",
                "Medicines at discharge visible to practice pharmacists in two networks.",
                "Results visible to GPs in two networks; 340 views in the week.",
            ),
            risks=(
                "Partners' consent model differs from ours for sensitive results.",
                "ICS integration engine has a change freeze over year end.",
            ),
            asks=(
                (21, "Decide the route: point-to-point feeds or one feed to the ICS record. Options paper attached."),
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-004",
        title="Virtual wards for frailty and respiratory",
        phase="live",
        problem=(
            "Older people with frailty and people with chronic lung disease stay in hospital for days when "
            "they could recover at home with monitoring and visits. Beds are full, and long stays cost "
            "older people their independence."
        ),
        patients_served=(
            "Adults with frailty or chronic respiratory disease who are well enough to go home with support; about 60 "
            "at a time."
        ),
        staff_served="Virtual ward nurses and consultants, community teams, and ward staff who refer.",
        sro="coo",
        sro_directorate="Operations",
        clinical_lead="geriatrician",
        delivery_lead="callum",
        goals=("home", "access"),
        services=("remote", "scr", "epr"),
        riskiest_assumption="That patients, and their families, will accept care at home instead of a hospital bed.",
        first_release_in_weeks=-44,
        go_live_in_weeks=-30,
        needs=(
            NeedSpec(
                statement=(
                    "As an older person recovering from an illness, I need to go home as soon as it is safe so that I "
                    "keep my independence."
                ),
                evidence="validated",
                notes="Patient interviews and outcome follow-up of the first 200 patients.",
            ),
            NeedSpec(
                statement=(
                    "As a virtual ward nurse, I need the readings that matter flagged so that I can see 30 patients "
                    "safely in a shift."
                ),
                evidence="researched",
                notes="Observation of two shifts and a workshop with the virtual ward team.",
            ),
            NeedSpec(
                statement="As a family carer, I need one number to call at night so that I do not ring 999 by default.",
                evidence="assumed",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=50,
                decided_by=EXECUTIVE_TEAM,
                rationale=(
                    "Start with respiratory patients, where the clinical model is clearest, and learn before widening."
                ),
                evidence=(
                    "Length-of-stay data for COPD admissions; national virtual ward guidance; two consultants willing "
                    "to lead."
                ),
            ),
            DecisionSpec(
                kind="change_course",
                weeks_ago=30,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Widen the ward to frailty, and stop building our own monitoring app: the regional remote "
                    "monitoring platform now does what we need and other trusts already use it."
                ),
                evidence=(
                    "Respiratory virtual ward: 212 patients, 4.1 bed days saved per patient, 6% readmitted; "
                    "side-by-side comparison of our app and the regional platform."
                ),
            ),
        ),
        story=Story(
            confidence=((50, "amber"), (26, "green"), (10, "amber"), (4, "green")),
            demos=(
                "Referral criteria and pathway, walked through with respiratory consultants.",
                "Our own monitoring app taking oxygen saturation readings from a home kit.",
                "Daily virtual ward round view for the consultant.",
                "Switch-over to the regional monitoring platform for new patients.",
                "Frailty referral route from the acute medical unit.",
                "Night escalation through the community hub, tested with a family carer.",
                "Capacity and length-of-stay view for the site team.",
            ),
            audiences=("Virtual ward team", "Respiratory consultants", "Frailty team", "Site management team"),
            green=(
                "Ward is full most days, readmissions are low, and families tell us they would choose it again.",
                "Frailty pathway is taking referrals from the acute medical unit as planned.",
            ),
            amber=(
                (
                    "The model works but our home-grown app is fragile and we are spending time on it rather than "
                    "patients."
                ),
                "Nurse vacancies mean we are capping the ward at 40 beds this month.",
            ),
            real_users_from=44,
            real_users=(
                "First respiratory patients monitored at home.",
                "Respiratory virtual ward running at 25 patients.",
                "New patients onboarded to the regional platform.",
                "Frailty patients admitted to the virtual ward from the acute medical unit.",
                "Virtual ward at 58 patients across both pathways.",
            ),
            risks=(
                "Monitoring kits are not always returned; stock is short.",
                "Staffing beyond March depends on the ICS funding decision.",
            ),
            asks=((9, "Support the bid to the ICS for recurrent virtual ward staffing from April."),),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-005",
        title="Outpatient self check-in kiosks",
        phase="beta",
        problem=(
            "Queues at the main outpatient receptions reach 20 minutes at peak times, and reception staff "
            "spend their day confirming addresses that could be checked another way."
        ),
        patients_served="Outpatients attending the main and Riverside sites; about 2,000 a day.",
        staff_served="Outpatient reception teams.",
        sro="coo",
        sro_directorate="Operations",
        clinical_lead=None,
        delivery_lead="aisha",
        goals=("access",),
        services=("pas",),
        riskiest_assumption="That patients will choose a kiosk over a person at the desk.",
        first_release_in_weeks=-36,
        go_live_in_weeks=-24,
        needs=(
            NeedSpec(
                statement=(
                    "As an outpatient, I need to let the clinic know I have arrived without queuing so that I do not "
                    "miss my call."
                ),
                evidence="assumed",
                notes="Taken from the supplier's case studies; we did not test it with our patients before buying.",
            ),
            NeedSpec(
                statement=(
                    "As a receptionist, I need patients' details checked before they reach me so that I can help "
                    "those who need it."
                ),
                evidence="researched",
                notes="Two reception team workshops.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=50,
                decided_by=EXECUTIVE_TEAM,
                rationale=(
                    "Reduce reception queues ahead of the outpatient recovery push; capital was available this year."
                ),
                evidence="Queue times sampled over two weeks; Kestrelgate Kiosks' proposal and reference sites.",
            ),
            DecisionSpec(
                kind="stop",
                weeks_ago=24,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "After three months live at two receptions only 6% of patients used the kiosks. One in five "
                    "could not be matched to an appointment because of PAS data quality, and those patients then "
                    "queued twice. Queues did not shorten. Stop, return the kiosks under the trial clause, and put "
                    "the effort into check-in through the patient portal once its appointment feed is reliable."
                ),
                evidence=(
                    "Kiosk usage logs for 13 weeks; match failure rate 21%; queue time samples before and during the "
                    "pilot; 140 patient comment cards."
                ),
            ),
        ),
        story=Story(
            confidence=((50, "green"), (36, "amber"), (28, "red")),
            demos=(
                "Kiosk check-in journey on a test unit in the IT office.",
                "Kiosk installed at the Riverside outpatient reception.",
                "Matching report: appointments the kiosk could not find.",
                "Usage figures after a month live at both receptions.",
            ),
            audiences=("Outpatient reception team", "Patient partners panel", "Outpatient services manager"),
            green=("Install is on schedule and the reception teams are keen.",),
            amber=(
                "Usage is low and one check-in in five fails to match an appointment.",
                "Patients walk past the kiosks to the desk; signage alone has not changed that.",
            ),
            red=(
                "Three months live and usage is 6%. Queues are no shorter. We recommend stopping.",
                "Failed matches send patients back to the queue, which is worse than before.",
            ),
            real_users_from=36,
            real_users=(
                "Kiosks live at the Riverside outpatient reception.",
                "Kiosks live at both main receptions; 5 to 7% of patients use them.",
            ),
            risks=(
                "PAS address and appointment data quality causes failed matches.",
                "Trial clause for returning the kiosks ends in six weeks.",
            ),
            asks=((25, "Decide whether to stop the kiosk pilot before the trial clause lapses."),),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-006",
        title="Electronic observations and NEWS2 escalation",
        phase="beta",
        problem=(
            "Nurses record vital signs on paper charts and work out the NEWS2 score by hand. Scores are "
            "sometimes added up wrongly, and a deteriorating patient can wait hours for a doctor because the "
            "escalation relies on a phone call that may not get through."
        ),
        patients_served="All adult inpatients; about 900 beds.",
        staff_served="Ward nurses and healthcare support workers; doctors on call; the critical care outreach team.",
        sro="cno",
        sro_directorate="Nursing and Midwifery",
        clinical_lead="cnio",
        delivery_lead="aisha",
        goals=("safety", "people"),
        services=("epr", "flow"),
        riskiest_assumption="That an automatic alert gets a doctor to the bedside faster than a phone call does.",
        first_release_in_weeks=-30,
        go_live_in_weeks=16,
        needs=(
            NeedSpec(
                statement=(
                    "As a ward nurse, I need the NEWS2 score worked out for me so that I can act on it rather than "
                    "add it up."
                ),
                evidence="validated",
                notes="Paper chart audit found 8% of scores wrongly added up; pilot wards now have none.",
            ),
            NeedSpec(
                statement=(
                    "As an on-call doctor, I need to know which of my patients is getting worse so that I go to the "
                    "sickest first."
                ),
                evidence="researched",
                notes="Night-shift observation and interviews with 14 doctors.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=48,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Missed deterioration is the trust's top patient safety theme; paper charts cannot alert anyone."
                ),
                evidence="Serious incident reviews for the past two years; chart audit of NEWS2 arithmetic errors.",
            ),
            DecisionSpec(
                kind="continue",
                weeks_ago=24,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Pilot wards show faster escalation and no arithmetic errors; continue and roll out ward by ward."
                ),
                evidence=(
                    "Median time from NEWS2 of 7 or more to doctor review: 68 minutes on paper, 31 minutes on the "
                    "pilot wards."
                ),
            ),
        ),
        story=Story(
            confidence=((48, "red"), (36, "amber"), (18, "green")),
            demos=(
                "Observations captured on a handheld device and written to the EPR.",
                "Automatic NEWS2 calculation with the escalation prompt.",
                "Escalation alert sent to the on-call doctor's device.",
                "Ward dashboard of patients by NEWS2 score for the nurse in charge.",
                "Outreach team's view of every patient scoring 5 or more across the hospital.",
                "Roll-out kit for the next four wards, built with the first ward's nurses.",
            ),
            audiences=(
                "Ward 12 nursing team",
                "Critical care outreach",
                "Night site practitioners",
                "Deteriorating Patient Group",
            ),
            green=(
                (
                    "Escalation times on live wards have halved and nurses on the next wards are asking when it is "
                    "their turn."
                ),
                "Roll-out is running at two wards a fortnight, which the team can sustain.",
            ),
            amber=(
                "Devices and Wi-Fi are fixed on the pilot ward, but we have not yet shown the alerts are trusted.",
                "Escalation works in the day; nights are slower because of device sharing.",
            ),
            red=(
                "Wi-Fi drops on the pilot ward mean observations are lost; nurses have gone back to paper.",
                "The handheld devices cannot hold a charge through a night shift.",
            ),
            real_users_from=30,
            real_users=(
                "Ward 12 recording all observations electronically.",
                "Four wards live with automatic escalation.",
                "Ten wards live; outreach team using the hospital-wide view.",
                "Sixteen wards live, including the surgical assessment unit.",
            ),
            risks=(
                "Wi-Fi coverage gaps on the older wards.",
                "Alert fatigue if thresholds are set too low.",
                "Device charging and storage on wards without space.",
            ),
            asks=(
                (40, "Release capital for the ward Wi-Fi upgrade now rather than next year; it is blocking the pilot."),
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-007",
        title="AI-assisted triage of chest X-rays",
        phase="alpha",
        problem=(
            "Chest X-rays from GP referrals wait up to three weeks for a report. A small number show "
            "suspected lung cancer, and those patients wait as long as everyone else."
        ),
        patients_served="About 3,500 people a month having a chest X-ray referred by their GP.",
        staff_served="Radiologists and reporting radiographers.",
        sro="cdio",
        sro_directorate="Digital Services",
        clinical_lead="radiologist",
        delivery_lead="bethan",
        goals=("safety", "access"),
        services=("pacs",),
        riskiest_assumption="That the tool performs on our patients as well as on the supplier's published data.",
        needs=(
            NeedSpec(
                statement=(
                    "As a radiologist, I need suspected cancers put at the top of my list so that they are reported "
                    "first."
                ),
                evidence="researched",
                notes="Workshop with the thoracic radiologists.",
            ),
            NeedSpec(
                statement=(
                    "As a patient with a possible cancer, I need my result quickly so that treatment starts sooner."
                ),
                evidence="assumed",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=46,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Run a silent-mode evaluation on our own images before any clinical use; the reporting backlog "
                    "justifies trying."
                ),
                evidence=(
                    "Reporting turnaround data; Corvane Imaging's published evaluation; national funding for AI "
                    "diagnostics."
                ),
            ),
            DecisionSpec(
                kind="stop",
                weeks_ago=20,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "In silent mode on 2,400 of our chest X-rays the tool found 81% of the nodules our radiologists "
                    "reported, below the 90% the clinical safety case required. The supplier could not show how it "
                    "performs on a population like ours or commit to retraining. Stop; put the reporting capacity "
                    "into insourcing and the regional reporting network instead."
                ),
                evidence=(
                    "Silent-mode evaluation report signed off by the clinical safety officer; supplier's written "
                    "response; DTAC assessment."
                ),
            ),
        ),
        story=Story(
            confidence=((46, "amber"), (28, "red")),
            demos=(
                "Image routing from PACS to the evaluation environment, with no clinical output.",
                "First 500 images scored in silent mode, compared with radiologists' reports.",
                "Interim sensitivity and specificity by patient group.",
                "Full evaluation results and the clinical safety officer's review.",
            ),
            audiences=("Thoracic radiologists", "Clinical safety officer", "Imaging network AI group"),
            amber=(
                "Data flow is working; we do not yet know if the tool performs on our patients.",
                "Early numbers are below what the supplier published; waiting for the full sample.",
            ),
            red=(
                "Sensitivity is 81% against a 90% threshold; the supplier has no plan to close the gap.",
                "The supplier will not share performance by ethnicity or age, so we cannot complete the safety case.",
            ),
            risks=(
                "Supplier cannot provide subgroup performance data.",
                "Data protection impact assessment needs re-approval for any live use.",
            ),
            asks=((21, "Agree to stop at the next Investment Board; the evaluation does not support clinical use."),),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-008",
        title="Bed management and patient flow",
        phase="alpha",
        problem=(
            "The site team finds out which patients are ready to go home by walking the wards and phoning "
            "ward managers four times a day. Beds free up late in the afternoon, so the emergency department "
            "holds patients who need admission."
        ),
        patients_served="Patients waiting in ED for a bed, and patients ready to go home.",
        staff_served="Site managers, ward managers and discharge coordinators.",
        sro="coo",
        sro_directorate="Operations",
        clinical_lead="cnio",
        delivery_lead="callum",
        goals=("access",),
        services=("flow", "epr"),
        riskiest_assumption="That ward staff will update discharge readiness in the system during a busy shift.",
        first_release_in_weeks=4,
        go_live_in_weeks=20,
        needs=(
            NeedSpec(
                statement=(
                    "As a site manager, I need to see who is ready to go home across the hospital so that I can plan "
                    "beds before noon."
                ),
                evidence="researched",
                notes="Shadowed the site team for four days, including two nights.",
            ),
            NeedSpec(
                statement=(
                    "As a ward manager, I need to flag a patient as ready in one step so that I am not phoned about it."
                ),
                evidence="assumed",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=45,
                decided_by=EXECUTIVE_TEAM,
                rationale="Flow is the trust's biggest operational problem and the site team has no shared picture.",
                evidence="ED time-to-bed data; discharge times by hour; site team's phone logs.",
            ),
            DecisionSpec(
                kind="pause",
                weeks_ago=34,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Pause through winter: the site team cannot give time to user research during escalation, "
                    "and the portfolio is over its work-in-progress limit. Restart in the spring with a narrower scope."
                ),
                evidence="Site team availability for research sessions (two of eight attended); portfolio WIP report.",
            ),
            DecisionSpec(
                kind="start",
                weeks_ago=16,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Restart with one job only: a hospital-wide list of patients ready to go home, fed from the EPR."
                ),
                evidence="Narrowed scope agreed with the site team; two ward managers committed to test weekly.",
            ),
        ),
        story=Story(
            confidence=((45, "amber"), (14, "amber"), (8, "green")),
            demos=(
                "Map of how the site team finds beds today, from four days of shadowing.",
                "Paper prototype of a hospital-wide bed board.",
                "Ready-to-go-home list drawn from EPR discharge fields.",
                "One-step 'ready' flag for ward managers, tested on two wards.",
                "Site team's morning view of expected discharges by ward.",
            ),
            audiences=("Site management team", "Ward managers", "Discharge coordinators"),
            green=(
                "The narrower scope is working: two wards flag readiness daily and the site team uses the list at 9am.",
            ),
            amber=(
                "Research is slow because the site team is stretched.",
                "The ready flag depends on ward staff remembering to set it; uptake is patchy.",
            ),
            real_users_from=6,
            real_users=(
                "Ready-to-go-home list used at the 9am site meeting.",
                "Two wards flag readiness in the EPR every day.",
            ),
            risks=(
                "Site team capacity for research during escalation.",
                "EPR discharge fields are filled in inconsistently.",
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-009",
        title="Patient portal: appointments and questionnaires",
        phase="beta",
        problem=(
            "Patients cannot see or change their appointments without phoning, and the outpatient call "
            "centre misses one call in three. About 8% of outpatient appointments are missed, often because "
            "the letter arrived late or went to an old address."
        ),
        patients_served=(
            "Outpatients, starting with dermatology and ophthalmology; eventually all 600,000 outpatient attendances "
            "a year."
        ),
        staff_served="Outpatient booking teams and the call centre.",
        sro="coo",
        sro_directorate="Operations",
        clinical_lead="ccio",
        delivery_lead="aisha",
        goals=("access", "joined_up"),
        services=("portal", "pas"),
        riskiest_assumption=(
            "That the supplier can keep the portal's appointments in step with the PAS in near real time."
        ),
        first_release_in_weeks=-26,
        go_live_in_weeks=10,
        needs=(
            NeedSpec(
                statement=(
                    "As an outpatient, I need to see and change my appointment online so that I do not spend an hour "
                    "on hold."
                ),
                evidence="validated",
                notes="Pilot patients: 41% of rebookings in dermatology now made online.",
            ),
            NeedSpec(
                statement=(
                    "As a patient whose first language is not English, I need appointment details I can understand so "
                    "that I turn up to the right place."
                ),
                evidence="assumed",
                notes="Interpreting service flagged this; not yet researched with patients.",
            ),
            NeedSpec(
                statement=(
                    "As a booking clerk, I need changes made in the portal to appear in the PAS so that I do not "
                    "double-book."
                ),
                evidence="researched",
                notes="Four booking team workshops; two double-bookings found in the pilot.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=44,
                decided_by=INVESTMENT_BOARD,
                rationale="Patients expect to manage appointments online and the call centre cannot cope with demand.",
                evidence=(
                    "Call centre abandonment rate (34%); missed appointment rate by specialty; NHS App integration "
                    "roadmap."
                ),
            ),
            DecisionSpec(
                kind="continue",
                weeks_ago=20,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Continue, on condition that the supplier fixes the appointment feed within eight weeks. Patients "
                    "like the service, but the feed drops changes and that is a safety problem."
                ),
                evidence="Pilot usage; patient feedback; feed reconciliation report showing 3% of changes lost.",
            ),
        ),
        story=Story(
            confidence=((44, "amber"), (34, "green"), (16, "amber"), (5, "red")),
            demos=(
                "Portal configured for dermatology, with test patients.",
                "Appointment view and rebooking for dermatology patients.",
                "Pre-appointment questionnaire for ophthalmology.",
                "Reconciliation report comparing portal and PAS appointments each night.",
                "Supplier's fix for the feed in their test environment, with the same failures.",
            ),
            audiences=(
                "Dermatology booking team",
                "Patient partners panel",
                "Outpatient services manager",
                "Halcyra Health account team",
            ),
            green=(
                "Dermatology patients are rebooking online and the call centre has noticed fewer calls.",
                "Questionnaires completed before clinic are saving nurses time in ophthalmology.",
            ),
            amber=(
                "The appointment feed drops about 3% of changes; we check them by hand each morning.",
                "Supplier's fix is late and untested; we are holding roll-out to more specialties.",
            ),
            red=(
                "Supplier missed the eight-week deadline and the latest fix failed in test. Roll-out is on hold.",
                "Manual reconciliation takes two clerks a morning a day; we cannot scale like this.",
                "No credible date from the supplier for a working feed; we need to look at our options.",
            ),
            real_users_from=26,
            real_users=(
                "Dermatology patients invited to the portal; 1,900 signed up.",
                "Ophthalmology pre-appointment questionnaire live.",
                "3,800 patients signed up across two specialties.",
            ),
            risks=(
                "Appointment feed from the PAS loses changes.",
                "Contract has no service credits for interface failures.",
                "Patients without smartphones are left out.",
            ),
            asks=(
                (4, "Note the supplier has missed the board's deadline; support escalation to their chief executive."),
                (2, "Agree that we withhold the next milestone payment until the feed passes our reconciliation test."),
                (0, "Commission an options appraisal, including exit, for the committee next month."),
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-010",
        title="Bedside handover app",
        phase="beta",
        problem=(
            "Nursing handover relies on printed sheets that are out of date by the time they are read and "
            "are thrown away with patient details on them."
        ),
        patients_served="Inpatients on the four pilot wards.",
        staff_served="Ward nurses at shift change.",
        sro="cno",
        sro_directorate="Nursing and Midwifery",
        clinical_lead="cnio",
        delivery_lead="aisha",
        goals=("safety", "people"),
        services=("epr",),
        riskiest_assumption="That nurses will use a shared tablet at the bedside during handover.",
        first_release_in_weeks=-32,
        go_live_in_weeks=-20,
        needs=(
            NeedSpec(
                statement=(
                    "As a nurse starting a shift, I need an up-to-date summary of each patient so that nothing is "
                    "missed at handover."
                ),
                evidence="researched",
                notes="Handover observations on three wards.",
            ),
            NeedSpec(
                statement=(
                    "As a nurse, I need to use the handover tool with gloves on and at the bedside so that it fits "
                    "how handover happens."
                ),
                evidence="assumed",
                notes="Not tested until the live pilot, which is where it failed.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=44,
                decided_by=EXECUTIVE_TEAM,
                rationale="Replace printed handover sheets with a live summary; good fit with the EPR's mobile view.",
                evidence="Information governance incidents involving handover sheets; nursing staff survey.",
            ),
            DecisionSpec(
                kind="stop",
                weeks_ago=16,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "No adoption after three months of a live pilot: staff returned to paper. Tablets were shared, "
                    "could not be used with gloves on, and took too long to unlock at the bedside. Stop, keep the "
                    "handover summary in the EPR for those who want it, and bring the learning to the electronic "
                    "observations team, who use personal handhelds."
                ),
                evidence=(
                    "App usage logs (fewer than 5% of handovers after week three); observation of 20 handovers; "
                    "nurses' feedback."
                ),
            ),
        ),
        story=Story(
            confidence=((44, "green"), (28, "amber"), (21, "red")),
            demos=(
                "Handover summary drawn from the EPR on a tablet.",
                "Handover sign-off and task list on the tablet.",
                "Usage figures from the pilot wards.",
            ),
            audiences=("Ward sisters' forum", "Pilot ward nurses", "Chief Nursing Information Officer"),
            green=("Build is on track and the ward sisters like the summary.",),
            amber=("Usage is dropping after the first fortnight live.",),
            red=(
                "Fewer than one handover in twenty uses the app; nurses have gone back to paper.",
                "The tablets do not work for bedside handover; more training will not fix that.",
            ),
            real_users_from=32,
            real_users=("Handover app live on four wards.",),
            risks=("Shared tablets go missing or are left uncharged.",),
            asks=((17, "Recommend stopping the handover app; evidence in the pack."),),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-011",
        title="Replace pathology order communications",
        phase="alpha",
        problem=(
            "Pathology tests are ordered from the hospital and GP practices through an order communications "
            "system that is out of support next year. Orders arrive with missing details and samples are "
            "rejected, so patients are bled twice."
        ),
        patients_served="Everyone having a blood test ordered by the hospital or 84 local GP practices.",
        staff_served="Laboratory staff, phlebotomists, GPs and hospital clinicians.",
        sro="strategy",
        sro_directorate="Strategy and Partnerships",
        clinical_lead="microbiologist",
        delivery_lead="rhys",
        goals=("foundations", "joined_up"),
        services=("lims", "epr"),
        riskiest_assumption="That the new supplier can exchange orders and results with GP systems using FHIR UK Core.",
        needs=(
            NeedSpec(
                statement=(
                    "As a GP, I need to order tests and get results in my own system so that I do not re-key anything."
                ),
                evidence="researched",
                notes="Survey of 84 practices (61 replied) and three practice visits.",
            ),
            NeedSpec(
                statement=(
                    "As a laboratory scientist, I need orders with complete clinical details so that I do not reject "
                    "samples."
                ),
                evidence="validated",
                notes="Rejection audit: 2.8% of samples rejected, two-thirds for missing details.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=42,
                decided_by=INVESTMENT_BOARD,
                rationale="The current system goes out of support; use the replacement to fix sample rejections.",
                evidence="Supplier end-of-support notice; sample rejection audit.",
            ),
            DecisionSpec(
                kind="stop",
                weeks_ago=28,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "The chosen supplier, Tessavue Diagnostics, could not meet the FHIR UK Core interface for GP "
                    "orders and results in three rounds of testing and will not commit to a date. Stop this contract "
                    "and re-procure with the ICS pathology network, with the interface as a pass-or-fail test."
                ),
                evidence=(
                    "Interface test reports from three rounds; supplier's roadmap letter; pathology network's "
                    "procurement timetable."
                ),
            ),
        ),
        story=Story(
            confidence=((42, "amber"), (34, "red")),
            demos=(
                "Test orders from the EPR reaching the supplier's test system.",
                "First test of GP orders using FHIR UK Core messages.",
                "Results of the second interface test round.",
            ),
            audiences=("Laboratory managers", "GP IT leads", "ICS pathology network"),
            amber=("Hospital orders work in test; GP orders are not yet tested.",),
            red=(
                "GP order messages fail validation against FHIR UK Core for the third time.",
                "The supplier's interface is proprietary underneath; we would be locked in.",
            ),
            risks=("Current system leaves support in 14 months.", "Re-procurement takes at least nine months."),
            asks=((29, "Approve stopping and re-procuring through the pathology network."),),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-012",
        title="Digital outpatients: patient-initiated follow-up",
        phase="live",
        problem=(
            "Many follow-up appointments are booked out of habit and add nothing for the patient. People with "
            "stable long-term conditions travel in to be told they are fine, while new patients wait longer."
        ),
        patients_served=(
            "Patients with stable long-term conditions in rheumatology, dermatology, gastroenterology and ENT."
        ),
        staff_served="Consultants and specialist nurses; outpatient booking teams.",
        sro="coo",
        sro_directorate="Operations",
        clinical_lead="rheumatologist",
        delivery_lead="tomasz",
        goals=("access", "home"),
        services=("pas", "portal"),
        riskiest_assumption="That patients will get in touch when they need to, rather than wait for a letter.",
        first_release_in_weeks=-34,
        go_live_in_weeks=-20,
        needs=(
            NeedSpec(
                statement=(
                    "As a patient with stable arthritis, I need to book a follow-up when I flare so that I am seen "
                    "when it matters."
                ),
                evidence="validated",
                notes="Rheumatology pilot: 1,100 patients on PIFU, 96% satisfied in follow-up survey.",
            ),
            NeedSpec(
                statement=(
                    "As a consultant, I need to see who is on PIFU and who has not been in touch so that nobody is "
                    "lost."
                ),
                evidence="researched",
                notes="Clinician workshops in four specialties.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=40,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Follow-up demand is the biggest lever on outpatient waits that does not need more clinicians."
                ),
                evidence="Follow-up to new ratio by specialty; national PIFU guidance; rheumatology willing to pilot.",
            ),
            DecisionSpec(
                kind="continue",
                weeks_ago=14,
                decided_by=INVESTMENT_BOARD,
                rationale="PIFU is working in rheumatology and dermatology; widen to gastroenterology and ENT.",
                evidence=(
                    "Follow-ups avoided (2,300 in six months); safety netting report shows no patient lost to "
                    "follow-up."
                ),
            ),
        ),
        story=Story(
            confidence=((40, "green"), (30, "amber"), (24, "green")),
            demos=(
                "PIFU pathway in the PAS, with the clinician's choice at the end of clinic.",
                "Patient information and the number to call, tested with the patient partners panel.",
                "Safety-netting list of patients approaching the end of their PIFU period.",
                "PIFU requests through the patient portal.",
                "Specialty dashboard of PIFU use and follow-ups avoided.",
            ),
            audiences=(
                "Rheumatology team",
                "Patient partners panel",
                "Outpatient transformation board",
                "Gastroenterology consultants",
            ),
            green=(
                "PIFU use keeps growing and the safety-netting list shows nobody lost.",
                "Gastroenterology is live and taking it up faster than rheumatology did.",
            ),
            amber=(
                "Some consultants are not offering PIFU; we need clinical champions in each specialty.",
                "Safety-netting list had a gap for patients moved between clinics; fixed, but it needs checking.",
            ),
            real_users_from=34,
            real_users=(
                "Rheumatology patients moved to PIFU at the end of clinic.",
                "Dermatology live with PIFU.",
                "PIFU requests through the portal for rheumatology.",
                "Gastroenterology live with PIFU.",
            ),
            risks=("Clinicians' confidence in PIFU varies by specialty.", "Portal dependency for online requests."),
            silent_weeks=1,
        ),
        joins_up_with=("DIG-009",),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-013",
        title="Clinical noting redesign in the EPR",
        phase="alpha",
        problem=(
            "Progress notes in the EPR are free text, long and hard to scan. Handover between teams depends "
            "on reading pages of notes, and important plans are missed."
        ),
        patients_served="All inpatients.",
        staff_served="Doctors, nurses and allied health professionals writing and reading notes.",
        sro="cmo",
        sro_directorate="Medical Directorate",
        clinical_lead="ccio",
        delivery_lead="tomasz",
        goals=("safety", "people"),
        services=("epr",),
        riskiest_assumption="That structured notes are quicker to write, not just quicker to read.",
        first_release_in_weeks=-20,
        go_live_in_weeks=None,
        needs=(
            NeedSpec(
                statement=(
                    "As a doctor reviewing a patient, I need the current plan at the top so that I do not read three "
                    "days of notes to find it."
                ),
                evidence="researched",
                notes="Observed 30 ward rounds; interviews with 12 doctors and 8 nurses.",
            ),
            NeedSpec(
                statement="As a physiotherapist, I need to see the medical plan so that my goals fit with it.",
                evidence="assumed",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=40,
                decided_by=INVESTMENT_BOARD,
                rationale="Notes are the second biggest EPR complaint after clerking and share the same team.",
                evidence="Staff survey; incident reviews citing missed plans.",
            ),
            DecisionSpec(
                kind="pause",
                weeks_ago=8,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Pause: the EPR team is needed for the legacy PAS cutover and the portfolio is over its "
                    "work-in-progress limit. Templates tested in two specialties stay live. Restart when the PAS "
                    "cutover is complete."
                ),
                evidence="Team capacity plan; PAS cutover plan; portfolio WIP report, well over the limit of 10.",
            ),
        ),
        story=Story(
            confidence=((40, "amber"), (28, "green")),
            demos=(
                "Current notes from 30 ward rounds, with where the plan was found.",
                "Structured note prototype with the plan at the top.",
                "Structured note in respiratory, tested for two weeks.",
                "Structured note in gastroenterology; time-to-find-the-plan measured.",
            ),
            audiences=("Junior doctors' forum", "Respiratory consultants", "Allied health professionals' leads"),
            green=("Time to find the plan fell from minutes to seconds on the trial wards.",),
            amber=("Doctors like reading the new notes but say writing them is slower.",),
            real_users_from=20,
            real_users=(
                "Structured notes used on the respiratory wards.",
                "Structured notes used in gastroenterology.",
            ),
            risks=("EPR team also needed for the PAS cutover.",),
        ),
        joins_up_with=("DIG-001",),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-014",
        title="Electronic prescribing in outpatient clinics",
        phase="beta",
        problem=(
            "Inpatient prescribing is electronic, but outpatient clinics still prescribe on paper. Pharmacy "
            "re-types prescriptions, and a patient's outpatient medicines are invisible to the ward if they "
            "are admitted."
        ),
        patients_served="Outpatients given prescriptions in clinic; about 9,000 a month.",
        staff_served="Outpatient prescribers, outpatient pharmacy.",
        sro="cno",
        sro_directorate="Nursing and Midwifery",
        clinical_lead="pharmacist",
        delivery_lead="aisha",
        goals=("safety",),
        services=("epma", "epr"),
        riskiest_assumption="That the supplier's outpatient module is safe to use on the current version.",
        first_release_in_weeks=-26,
        go_live_in_weeks=None,
        needs=(
            NeedSpec(
                statement=(
                    "As an outpatient pharmacist, I need clinic prescriptions to arrive electronically so that I do "
                    "not transcribe them."
                ),
                evidence="validated",
                notes="Transcription errors fell from 1.9% to zero in the two pilot clinics.",
            ),
            NeedSpec(
                statement=(
                    "As a ward pharmacist, I need to see medicines started in clinic so that admission reconciliation "
                    "is right."
                ),
                evidence="researched",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=38,
                decided_by=INVESTMENT_BOARD,
                rationale="Transcription errors in outpatient prescriptions are a known medicines safety risk.",
                evidence="Pharmacy transcription error audit; medicines safety committee report.",
            ),
            DecisionSpec(
                kind="pause",
                weeks_ago=12,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Pause roll-out beyond the two pilot clinics. The supplier's version upgrade, which fixes a "
                    "dose-rounding fault in outpatient prescribing, has slipped by four months, and the clinical "
                    "safety officer will not sign the hazard log (DCB0160) on the current version. Restart when "
                    "the upgrade is live in test."
                ),
                evidence=(
                    "Clinical safety officer's report; supplier release notes and revised date; pilot clinic error "
                    "audit."
                ),
            ),
        ),
        story=Story(
            confidence=((38, "green"), (20, "amber"), (14, "red")),
            demos=(
                "Outpatient prescribing in the test EPR with pharmacy verification.",
                "Prescriptions sent to outpatient pharmacy electronically in two clinics.",
                "Dose-rounding fault reproduced and logged with the supplier.",
            ),
            audiences=("Medicines Safety Committee", "Outpatient pharmacy", "Rheumatology prescribers"),
            green=("Pilot clinics are live and pharmacy transcription errors have stopped.",),
            amber=("A dose-rounding fault found in the pilot needs the supplier's upgrade.",),
            red=("Upgrade has slipped again; the safety case cannot be signed and roll-out cannot continue.",),
            real_users_from=26,
            real_users=("Rheumatology clinic prescribing electronically.", "Two clinics prescribing electronically."),
            risks=("Supplier upgrade date keeps slipping.", "Paper prescriptions remain in all other clinics."),
            asks=((13, "Agree a pause until the supplier upgrade is in test."),),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-015",
        title="Cyber resilience: multi-factor authentication and tested backups",
        phase="beta",
        problem=(
            "Staff sign in to remote access and email with a password alone, and the trust has never restored "
            "its clinical systems from backup end to end. A ransomware attack on a neighbouring trust took "
            "them off paper for three weeks."
        ),
        patients_served="Every patient, through the availability of clinical systems.",
        staff_served="All 9,500 staff; the IT service desk and infrastructure team.",
        sro="cfo",
        sro_directorate="Finance",
        clinical_lead=None,
        delivery_lead="rhys",
        goals=("foundations",),
        services=("infrastructure", "epr"),
        riskiest_assumption="That every clinical system can be restored from the immutable backup within 72 hours.",
        first_release_in_weeks=-20,
        go_live_in_weeks=6,
        needs=(
            NeedSpec(
                statement=(
                    "As a member of staff working remotely, I need a sign-in that is secure but quick so that I am "
                    "not locked out on call."
                ),
                evidence="researched",
                notes="Pilot with 300 staff, including on-call consultants.",
            ),
            NeedSpec(
                statement=(
                    "As the senior information risk owner, I need proof that we can restore our systems so that I can "
                    "assure the board."
                ),
                evidence="validated",
                notes="First full restore test of the EPR completed in 41 hours.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=36,
                decided_by=TRUST_BOARD,
                rationale=(
                    "Cyber attack is on the board assurance framework as an extreme risk; MFA and tested backups are "
                    "the two biggest controls missing."
                ),
                evidence=(
                    "Data Security and Protection Toolkit gaps; external penetration test; regional incident report."
                ),
            ),
        ),
        story=Story(
            confidence=((36, "amber"), (12, "green")),
            demos=(
                "Multi-factor sign-in for remote access, tested with the IT team.",
                "MFA pilot with 300 staff including on-call consultants.",
                "Immutable backup copies of the EPR database.",
                "Full restore of the EPR into an isolated environment.",
                "MFA enrolment dashboard by directorate.",
            ),
            audiences=("Information Governance Group", "Audit Committee chair", "IT service desk"),
            green=("MFA enrolment at 88% and the EPR restore test passed.",),
            amber=(
                "Enrolment is slower among bank and agency staff.",
                "Restore has been tested for the EPR only; other systems are untested.",
            ),
            real_users_from=20,
            real_users=(
                "MFA live for 1,200 staff using remote access.",
                "MFA live for 6,400 staff.",
                "MFA live for 8,300 staff; bank staff next.",
            ),
            risks=(
                "Medical devices on unsupported operating systems cannot take MFA.",
                "Service desk capacity during enrolment.",
            ),
            silent_weeks=2,
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-016",
        title="Results acknowledgement in the EPR",
        phase="live",
        problem=(
            "Test results ordered by one doctor are often seen by nobody once that doctor has moved on. "
            "Abnormal results have been missed, and the trust has had two serious incidents in a year."
        ),
        patients_served="Anyone who has a test ordered in hospital.",
        staff_served="Doctors who order tests; consultants who are accountable for results.",
        sro="cmo",
        sro_directorate="Medical Directorate",
        clinical_lead="ccio",
        delivery_lead="tomasz",
        goals=("safety",),
        services=("epr", "lims", "pacs"),
        riskiest_assumption="That clinicians will acknowledge results rather than click through them.",
        first_release_in_weeks=-24,
        go_live_in_weeks=-12,
        needs=(
            NeedSpec(
                statement=(
                    "As a consultant, I need to see any of my team's results that nobody has looked at so that "
                    "nothing is missed."
                ),
                evidence="validated",
                notes="Unacknowledged results fell from 11% to 2% in the pilot specialties.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=36,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Two serious incidents from unseen results; the EPR can do this with configuration, not new "
                    "software."
                ),
                evidence="Serious incident reports; EPR capability review.",
            ),
            DecisionSpec(
                kind="close",
                weeks_ago=10,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "Live in every specialty and unacknowledged results are below 3%. Close and hand to the EPR "
                    "optimisation team."
                ),
                evidence="Unacknowledged results by specialty for twelve weeks; Patient Safety Group report.",
            ),
        ),
        story=Story(
            confidence=((36, "green"),),
            demos=(
                "Results inbox with acknowledgement in the test EPR.",
                "Consultant view of the team's unacknowledged results.",
                "Escalation of results left unacknowledged for 72 hours.",
                "Specialty report for the Patient Safety Group.",
            ),
            audiences=("Patient Safety Group", "Medical specialty leads", "Junior doctors' forum"),
            green=("Each specialty that goes live sees unacknowledged results fall within a month.",),
            amber=("Surgeons want results routed to the team, not the person; needs a configuration change.",),
            real_users_from=24,
            real_users=("Live in acute medicine.", "Live in all medical specialties.", "Live in every specialty."),
            risks=("Alert volume for consultants with large teams.",),
        ),
        joins_up_with=("DIG-001",),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-017",
        title="Switch off the fax machines",
        phase="retiring",
        problem=(
            "Sixty-one fax machines were still in use for referrals and prescriptions, in breach of national "
            "policy, with documents left on machines in corridors."
        ),
        patients_served="Anyone whose referral or prescription used to go by fax.",
        staff_served="Ward clerks, pharmacy, and teams sending referrals.",
        sro="cdio",
        sro_directorate="Digital Services",
        clinical_lead=None,
        delivery_lead="rhys",
        goals=("foundations", "joined_up"),
        services=("documents",),
        riskiest_assumption="That every fax flow has a secure electronic alternative that the receiving end can use.",
        first_release_in_weeks=-28,
        go_live_in_weeks=-8,
        needs=(
            NeedSpec(
                statement=(
                    "As a ward clerk, I need a secure way to send a referral to a partner so that it arrives and is "
                    "not left on a machine."
                ),
                evidence="researched",
                notes="Fax log analysis and interviews with the ten heaviest-using teams.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=34,
                decided_by=DELIVERY_GROUP,
                rationale="National policy and an information governance risk; small, well-understood work.",
                evidence="Fax machine inventory; two information governance incidents from faxed documents.",
            ),
            DecisionSpec(
                kind="close",
                weeks_ago=6,
                decided_by=INVESTMENT_BOARD,
                rationale="All 61 machines removed; every flow moved to secure email or the referral service. Close.",
                evidence="Asset register; telephony report showing no fax traffic for four weeks.",
            ),
        ),
        story=Story(
            confidence=((34, "green"), (20, "amber"), (14, "green")),
            demos=(
                "Inventory of every fax machine and what it sends, to whom.",
                "Secure email routes for the ten heaviest users.",
                "Switch-off plan by site.",
            ),
            audiences=("Information Governance Group", "Ward clerks' network"),
            green=("Machines are coming out on schedule and nothing has gone missing.",),
            amber=("Two partners can only receive fax; we are working with them on an alternative.",),
            real_users_from=28,
            real_users=("20 fax machines removed.", "45 fax machines removed.", "All fax machines removed."),
            risks=("Two partners cannot receive secure email.",),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-018",
        title="Retire the legacy patient administration system",
        phase="retiring",
        problem=(
            "The legacy PAS runs alongside the EPR and is out of support. Staff key some activity twice, and "
            "the server it runs on cannot be patched."
        ),
        patients_served="Every patient, through accurate appointments and waiting lists.",
        staff_served="Booking teams, medical records, the information team.",
        sro="cdio",
        sro_directorate="Digital Services",
        clinical_lead=None,
        delivery_lead="rhys",
        goals=("foundations", "access"),
        services=("pas", "epr"),
        riskiest_assumption="That every future appointment and waiting-list entry can be migrated and reconciled.",
        first_release_in_weeks=-8,
        go_live_in_weeks=6,
        needs=(
            NeedSpec(
                statement=(
                    "As a booking clerk, I need every future appointment to be in the EPR after cutover so that no "
                    "patient is lost."
                ),
                evidence="validated",
                notes="Two rehearsal migrations reconciled to 99.97%; the rest checked by hand.",
            ),
            NeedSpec(
                statement=(
                    "As a medical records officer, I need read-only access to old PAS records so that I can answer "
                    "subject access requests."
                ),
                evidence="researched",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=30,
                decided_by=INVESTMENT_BOARD,
                rationale="Unsupported and unpatchable; retiring it removes double keying and a cyber risk.",
                evidence="Supplier end-of-support notice; cyber risk assessment; double keying estimate (1.4 FTE).",
            ),
        ),
        story=Story(
            confidence=((30, "amber"), (20, "red"), (15, "amber")),
            demos=(
                "Data migration mapping for appointments and waiting lists.",
                "First rehearsal migration with reconciliation report.",
                "Second rehearsal migration; unmatched records down to 0.03%.",
                "Read-only archive of PAS records for medical records.",
                "Cutover plan and the weekend run sheet.",
            ),
            audiences=("Booking team leads", "Information team", "Elective recovery board"),
            amber=(
                "Rehearsals are improving but cutover needs the EPR team, who are also on clinical noting.",
                "Cutover date is realistic if the third rehearsal is clean.",
            ),
            red=(
                "First rehearsal left 4% of future appointments unmatched; we cannot cut over like this.",
                "Waiting-list dates do not reconcile; referral-to-treatment reporting would break.",
            ),
            real_users_from=8,
            real_users=("Medical records using the read-only archive.",),
            risks=(
                "Unreconciled future appointments after migration.",
                "Cutover weekend clashes with the national reporting deadline.",
            ),
            asks=((18, "Agree to move the EPR optimisation team onto cutover for eight weeks."),),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-019",
        title="Digital patient letters",
        phase="beta",
        problem=(
            "The trust posts 1.4 million letters a year. Many arrive after the appointment they describe, "
            "some go to old addresses, and patients cannot keep them anywhere safe."
        ),
        patients_served="Outpatients; all patients who receive letters from the trust.",
        staff_served="Medical secretaries and booking teams.",
        sro="cfo",
        sro_directorate="Finance",
        clinical_lead="ccio",
        delivery_lead="callum",
        goals=("access", "foundations"),
        services=("documents", "portal", "pas"),
        riskiest_assumption=(
            "That patients will open a digital letter in time, or the fallback to post will catch them."
        ),
        first_release_in_weeks=-18,
        go_live_in_weeks=12,
        needs=(
            NeedSpec(
                statement=(
                    "As a patient, I need my appointment letter the same day it is sent so that I can arrange time off."
                ),
                evidence="validated",
                notes="Pilot: 78% of digital letters read within 24 hours; unread letters posted after 72 hours.",
            ),
            NeedSpec(
                statement=(
                    "As a medical secretary, I need to send a letter once and trust it arrives so that I do not field "
                    "calls about lost letters."
                ),
                evidence="researched",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=30,
                decided_by=INVESTMENT_BOARD,
                rationale="Letters arrive late and cost £0.9m a year to post; digital first with a postal fallback.",
                evidence="Postage costs; late letter complaints; Lumenstack hybrid mail contract already in place.",
            ),
        ),
        story=Story(
            confidence=((30, "green"), (12, "amber"), (7, "green")),
            demos=(
                "Letter sent to the patient portal with a text message notification.",
                "Fallback to post when a letter is unread after 72 hours.",
                "Letters in plain English for three specialties.",
                "Read-rate dashboard by specialty.",
            ),
            audiences=("Medical secretaries", "Patient partners panel", "Outpatient services manager"),
            green=("Read rates are high and postage is falling in the pilot specialties.",),
            amber=("Letters depend on the portal's appointment feed, which is unreliable.",),
            real_users_from=18,
            real_users=(
                "Dermatology letters sent digitally first.",
                "Digital letters live in four specialties.",
            ),
            risks=("Portal appointment feed problems spill over to letters.",),
            silent_weeks=3,
        ),
        joins_up_with=("DIG-009",),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-020",
        title="Digital pre-operative assessment",
        phase="alpha",
        problem=(
            "Every patient listed for surgery has a face-to-face pre-operative assessment, even when a "
            "questionnaire would show they are fit. Clinics are full and surgery is cancelled when "
            "assessments are late."
        ),
        patients_served="About 18,000 patients a year listed for planned surgery.",
        staff_served="Pre-operative assessment nurses and anaesthetists.",
        sro="cno",
        sro_directorate="Nursing and Midwifery",
        clinical_lead="anaesthetist",
        delivery_lead="callum",
        goals=("access", "home"),
        services=("portal", "theatres", "epr"),
        riskiest_assumption="That an online questionnaire can safely sort fit patients from those who need to be seen.",
        first_release_in_weeks=-12,
        go_live_in_weeks=None,
        needs=(
            NeedSpec(
                statement=(
                    "As a fit patient waiting for surgery, I need to complete my assessment at home so that I do not "
                    "take a day off for it."
                ),
                evidence="researched",
                notes="Survey of 220 patients on the orthopaedic waiting list.",
            ),
            NeedSpec(
                statement=(
                    "As a pre-op nurse, I need the questionnaire to flag who must be seen so that I spend clinic time "
                    "on them."
                ),
                evidence="assumed",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=28,
                decided_by=INVESTMENT_BOARD,
                rationale="Late pre-op assessment is a top cause of on-the-day cancellations.",
                evidence="Cancellation reasons for the last year; pre-op clinic capacity.",
            ),
            DecisionSpec(
                kind="pause",
                weeks_ago=5,
                decided_by=EXECUTIVE_TEAM,
                rationale=(
                    "Pause for eight weeks: the pre-op nurses are needed for waiting-list validation ahead of the "
                    "national deadline. The questionnaire stays live for orthopaedics; no new specialties."
                ),
                evidence="Waiting-list validation plan; pre-op nurse rota.",
            ),
        ),
        story=Story(
            confidence=((28, "amber"), (16, "green")),
            demos=(
                "Questionnaire prototype tested with patients on the orthopaedic list.",
                "Nurse triage view sorting patients by the questionnaire.",
                "Questionnaire live for orthopaedics through the portal.",
            ),
            audiences=("Pre-operative assessment nurses", "Anaesthetists", "Orthopaedic patients"),
            green=("Orthopaedic patients complete the questionnaire and nurses trust its triage.",),
            amber=("Anaesthetists want more evidence before trusting the triage rules.",),
            real_users_from=12,
            real_users=("Orthopaedic patients completing pre-op online.",),
            risks=("Portal dependency.", "Pre-op nurse capacity."),
        ),
        joins_up_with=("DIG-009", "DIG-021"),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-021",
        title="Theatre scheduling",
        phase="alpha",
        problem=(
            "Theatre lists are planned on whiteboards and spreadsheets a week ahead. Sessions start late and "
            "finish early, and about one in seven planned operations is cancelled on the day."
        ),
        patients_served="Patients waiting for planned surgery; about 26,000 operations a year.",
        staff_served="Theatre schedulers, surgeons, anaesthetists and theatre managers.",
        sro="coo",
        sro_directorate="Operations",
        clinical_lead="anaesthetist",
        delivery_lead="tomasz",
        goals=("access",),
        services=("theatres", "pas"),
        riskiest_assumption="That surgeons will accept lists built from historical case durations.",
        first_release_in_weeks=-6,
        go_live_in_weeks=22,
        needs=(
            NeedSpec(
                statement=(
                    "As a theatre scheduler, I need to see how long each surgeon's cases usually take so that I fill "
                    "lists without overrunning."
                ),
                evidence="researched",
                notes="Shadowed schedulers for two weeks; analysed 12 months of case durations.",
            ),
            NeedSpec(
                statement=(
                    "As a surgeon, I need my list fixed three weeks ahead so that my patients are prepared in time."
                ),
                evidence="assumed",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=26,
                decided_by=INVESTMENT_BOARD,
                rationale="Theatre utilisation is the biggest lever on elective waiting times.",
                evidence="Theatre utilisation by specialty; on-the-day cancellation reasons; GIRFT benchmarks.",
            ),
        ),
        story=Story(
            confidence=((26, "amber"), (8, "green")),
            demos=(
                "Analysis of 12 months of case durations by surgeon and procedure.",
                "List-building prototype using typical durations.",
                "Prototype used by two schedulers for real orthopaedic lists.",
                "Three-week-ahead list view for surgeons.",
            ),
            audiences=("Theatre schedulers", "Orthopaedic surgeons", "Theatre Users Group"),
            green=("Two schedulers are building real lists with the prototype and utilisation is up on those lists.",),
            amber=(
                "Case duration data in the PAS is incomplete for a third of procedures.",
                "Surgeons are wary of lists built from averages.",
            ),
            real_users_from=6,
            real_users=("Two schedulers using the prototype for orthopaedic lists.",),
            risks=("Incomplete theatre data in the PAS.", "Surgeon engagement."),
            silent_weeks=1,
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-022",
        title="Remote monitoring for heart failure",
        phase="discovery",
        problem=(
            "People with heart failure are often admitted when fluid builds up over days. Weight and symptoms "
            "at home would show it early, but the heart failure nurses only hear when the patient calls or "
            "is admitted."
        ),
        patients_served="About 1,600 people under the heart failure service.",
        staff_served="Heart failure specialist nurses and cardiologists.",
        sro="cmo",
        sro_directorate="Medical Directorate",
        clinical_lead="cardiologist",
        delivery_lead="bethan",
        goals=("home", "safety"),
        services=("remote",),
        riskiest_assumption="That heart failure nurses have the time to act on alerts from home readings.",
        first_release_in_weeks=14,
        go_live_in_weeks=40,
        needs=(
            NeedSpec(
                statement=(
                    "As a person with heart failure, I need someone to notice when I am getting worse so that I am "
                    "treated before I need hospital."
                ),
                evidence="researched",
                notes="Interviews with 14 patients and 6 carers.",
            ),
            NeedSpec(
                statement=(
                    "As a heart failure nurse, I need alerts only when action is needed so that I can manage my "
                    "caseload."
                ),
                evidence="assumed",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=22,
                decided_by=INVESTMENT_BOARD,
                rationale=(
                    "A discovery to find out whether the regional platform fits the heart failure service before any "
                    "build."
                ),
                evidence="Heart failure admissions data; regional platform already used by the virtual wards.",
            ),
        ),
        story=Story(
            confidence=((22, "amber"),),
            demos=(
                "Patient journey map from interviews with patients and carers.",
                "Heart failure nurses' day mapped, with where alerts would land.",
                "Regional platform configured with heart failure readings, shown with test data.",
            ),
            audiences=("Heart failure nurses", "Cardiologists", "Virtual ward team"),
            amber=(
                "Discovery is going well but nurse capacity to act on alerts is unproven.",
                "We need the virtual ward team's help with the platform and they are stretched.",
            ),
            risks=("Heart failure nurse vacancies.", "Platform licence numbers are capped."),
            silent_weeks=4,
        ),
        joins_up_with=("DIG-004",),
    ),
    # Proposals not yet decided.
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-023",
        title="Single sign-on and tap-and-go login",
        phase="discovery",
        problem=(
            "Clinicians sign in to up to nine systems, each with its own password, and shared workstations "
            "make them sign in again and again. Ward nurses report losing around 20 minutes a shift to logins."
        ),
        patients_served="All patients, through clinicians' time.",
        staff_served="Every clinician who uses a shared workstation.",
        sro="cdio",
        sro_directorate="Digital Services",
        clinical_lead="cnio",
        delivery_lead=None,
        goals=("people", "foundations"),
        services=("infrastructure", "epr"),
        riskiest_assumption="That a single sign-on product works with our older clinical systems.",
        proposed_weeks_ago=5,
        needs=(
            NeedSpec(
                statement=(
                    "As a ward nurse, I need to sign in to the EPR in seconds so that I record care as I give it."
                ),
                evidence="assumed",
                notes="From staff survey comments; no login timings yet.",
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-024",
        title="Speech recognition for clinical correspondence",
        phase="discovery",
        problem=(
            "Clinic letters take up to three weeks to reach GPs and patients because they are dictated and "
            "typed. The typing backlog grows whenever a secretary is away."
        ),
        patients_served="Outpatients and their GPs.",
        staff_served="Consultants and medical secretaries.",
        sro="cmo",
        sro_directorate="Medical Directorate",
        clinical_lead="radiologist",
        delivery_lead=None,
        goals=("access", "people"),
        services=("documents",),
        riskiest_assumption="That clinicians will correct their own letters rather than pass them to a secretary.",
        proposed_weeks_ago=3,
        needs=(
            NeedSpec(
                statement=(
                    "As a consultant, I need my clinic letter finished when the patient leaves so that the GP acts on "
                    "it the same week."
                ),
                evidence="assumed",
            ),
            NeedSpec(
                statement="As a medical secretary, I need to spend my time on patients' queries rather than typing.",
                evidence="researched",
                notes="Secretaries' workload study last year.",
            ),
        ),
    ),
    InitiativeSpec(
        organisation=ACUTE,
        reference="DIG-025",
        title="Medical e-rostering and job planning",
        phase="discovery",
        problem=(
            "Doctors' rotas are held in separate spreadsheets in each department, so gaps are found late, "
            "locum spend is high, and leave is hard to book."
        ),
        patients_served="All patients, through safe medical staffing.",
        staff_served="About 1,100 doctors; rota coordinators; medical staffing.",
        sro="cpo",
        sro_directorate="People",
        clinical_lead="ccio",
        delivery_lead=None,
        goals=("people",),
        services=("rostering",),
        riskiest_assumption="That the nursing e-rostering system can handle junior doctors' rota rules.",
        proposed_weeks_ago=8,
        needs=(
            NeedSpec(
                statement=(
                    "As a junior doctor, I need to book leave without chasing three people so that I can plan my life."
                ),
                evidence="researched",
                notes="Junior doctors' forum survey (212 replies).",
            ),
        ),
        joins_up_with=("DIG-002",),
    ),
    # The mental health trust.
    InitiativeSpec(
        organisation=MENTAL_HEALTH,
        reference="FPT-001",
        title="Co-produced digital care plans",
        phase="beta",
        problem=(
            "Care plans are written by clinicians and filed in the record, and most service users never see "
            "them. People do not recognise their own plan when they are in crisis."
        ),
        patients_served="Adults under community mental health teams; about 7,000 people.",
        staff_served="Care coordinators and community mental health teams.",
        sro="mh_cio",
        sro_directorate="Medical",
        clinical_lead="mh_cio",
        delivery_lead="mh_delivery",
        goals=("recovery",),
        services=("mh_record",),
        riskiest_assumption="That service users want to write their plan online with their care coordinator.",
        first_release_in_weeks=-14,
        go_live_in_weeks=12,
        needs=(
            NeedSpec(
                statement="As a service user, I need to see and add to my care plan so that it says what helps me.",
                evidence="validated",
                notes="Co-design sessions with 18 service users; pilot use in two teams.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=30,
                decided_by="Digital Steering Group",
                rationale=(
                    "Service users asked for it through the peer support network; it fits the community transformation."
                ),
                evidence="Service user survey; community transformation plan.",
            ),
        ),
        story=Story(
            confidence=((30, "amber"), (14, "green")),
            demos=(
                "Care plan written with a service user in a co-design session.",
                "Service user view of their plan on a phone.",
                "Crisis section shared with the crisis team.",
            ),
            audiences=("Peer support workers", "Community mental health team", "Service user council"),
            green=("Two teams using it and service users are adding to their plans.",),
            amber=("Care coordinators are unsure how much time it takes.",),
            real_users_from=14,
            real_users=("Service users in two teams seeing their plans.",),
            risks=("Care coordinator caseloads.",),
        ),
    ),
    InitiativeSpec(
        organisation=MENTAL_HEALTH,
        reference="FPT-002",
        title="Crisis line call-back",
        phase="alpha",
        problem="At peak times one caller in four hangs up before the crisis line answers.",
        patients_served="People calling the crisis line; about 4,000 calls a month.",
        staff_served="Crisis line practitioners.",
        sro="cdio",
        sro_directorate="Digital and Information",
        clinical_lead="mh_cio",
        delivery_lead="mh_delivery",
        goals=("crisis",),
        services=("telephony",),
        riskiest_assumption="That people in crisis will accept a call back rather than wait on the line.",
        first_release_in_weeks=-4,
        go_live_in_weeks=10,
        needs=(
            NeedSpec(
                statement=(
                    "As a person in crisis, I need to know someone will call me back soon so that I do not give up."
                ),
                evidence="researched",
                notes="Interviews with 9 people with lived experience of calling the line.",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=18,
                decided_by="Digital Steering Group",
                rationale="Abandoned calls are the crisis line's biggest safety concern.",
                evidence="Telephony data on abandoned calls by hour.",
            ),
        ),
        story=Story(
            confidence=((18, "amber"),),
            demos=("Call-back offer tested with lived-experience advisers.", "Call-back queue for practitioners."),
            audiences=("Crisis line practitioners", "Lived-experience advisers"),
            amber=("Telephony supplier change needed for call-back is slow.",),
            real_users_from=4,
            real_users=("Call-back offered at night on the crisis line.",),
            risks=("Telephony supplier lead times.",),
            silent_weeks=1,
        ),
    ),
    InitiativeSpec(
        organisation=MENTAL_HEALTH,
        reference="FPT-003",
        title="Online therapy groups",
        phase="beta",
        problem="Group therapy waiting lists are long because groups need a room and people must travel.",
        patients_served="People waiting for group therapy.",
        staff_served="Psychological therapists.",
        sro="mh_cio",
        sro_directorate="Medical",
        clinical_lead="mh_cio",
        delivery_lead="mh_delivery",
        goals=("recovery",),
        services=("video",),
        riskiest_assumption="That people will join a therapy group by video.",
        needs=(
            NeedSpec(
                statement=(
                    "As a person waiting for therapy, I need a group I can join from home so that I start sooner."
                ),
                evidence="assumed",
            ),
        ),
        decisions=(
            DecisionSpec(
                kind="start",
                weeks_ago=40,
                decided_by="Digital Steering Group",
                rationale="Try video groups to cut the waiting list without new rooms.",
                evidence="Waiting list size; room availability.",
            ),
            DecisionSpec(
                kind="stop",
                weeks_ago=12,
                decided_by="Digital Steering Group",
                rationale=(
                    "Only 9% of people offered an online group took it up, and half of those dropped out. People "
                    "told us they wanted to be in the room with others. Stop, and use the money for an evening "
                    "in-person group instead."
                ),
                evidence="Uptake and attendance figures for 16 weeks; feedback from 31 people offered a place.",
            ),
        ),
        story=Story(
            confidence=((40, "green"), (26, "amber"), (18, "red")),
            demos=("Video group set up with a therapist and volunteers.", "Uptake figures after a month."),
            audiences=("Psychological therapies team", "Service user council"),
            green=("Groups are set up and therapists are ready.",),
            amber=("Uptake is low.",),
            red=("Uptake is 9% and falling; people want to meet in person.",),
            real_users_from=30,
            real_users=("Two online groups running.",),
        ),
    ),
    InitiativeSpec(
        organisation=MENTAL_HEALTH,
        reference="FPT-004",
        title="Publish to the ICS shared care record",
        phase="discovery",
        problem="Hospital and GP clinicians cannot see crisis plans, so people in crisis repeat their story.",
        patients_served="People under the trust's care who also use hospital or GP services.",
        staff_served="Clinicians across the system.",
        sro="cdio",
        sro_directorate="Digital and Information",
        clinical_lead="mh_cio",
        delivery_lead=None,
        goals=("partners",),
        services=("mh_record",),
        riskiest_assumption="That service users consent to their crisis plan being shared.",
        proposed_weeks_ago=4,
        needs=(
            NeedSpec(
                statement=(
                    "As a person in crisis at A&E, I need staff to know my plan so that I do not have to explain it "
                    "again."
                ),
                evidence="researched",
                notes="Service user council workshop.",
            ),
        ),
    ),
)


RISKS: tuple[RiskSpec, ...] = (
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-009",
        title="Portal appointment feed loses changes",
        description=(
            "About 3% of appointment changes made in the portal do not reach the PAS, risking missed or double-booked "
            "appointments."
        ),
        likelihood=4,
        consequence=4,
        owner="aisha",
        mitigation="Nightly reconciliation and manual correction; supplier escalation; milestone payment withheld.",
        review_in_days=7,
        raised_weeks_ago=18,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-009",
        title="Digital exclusion from the portal",
        description="Patients without smartphones, or who need interpreters, may get a worse service.",
        likelihood=3,
        consequence=3,
        owner="ccio",
        mitigation=(
            "Post and phone stay available; equality impact assessment; translated letters in the top five languages."
        ),
        review_in_days=30,
        raised_weeks_ago=40,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-006",
        title="Handheld devices do not last a night shift",
        description=(
            "Observation devices run flat before morning, so observations are written on paper and entered late."
        ),
        likelihood=3,
        consequence=4,
        owner="cnio",
        mitigation="Spare charged devices in each ward; charging rota; battery replacement on the oldest devices.",
        review_in_days=-9,
        raised_weeks_ago=38,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-006",
        title="Alert fatigue from escalation notifications",
        description="If too many alerts fire, doctors may start to ignore them.",
        likelihood=3,
        consequence=4,
        owner="cnio",
        mitigation="Alerts only at NEWS2 of 5 or more; weekly review of alert volumes with outreach.",
        review_in_days=21,
        raised_weeks_ago=30,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-004",
        title="Virtual ward staffing not funded beyond March",
        description="Nurse and consultant posts are funded from non-recurrent money that ends on 31 March.",
        likelihood=4,
        consequence=4,
        owner="coo",
        mitigation="Bid to the ICS for recurrent funding; evidence of bed days saved submitted.",
        review_in_days=-12,
        raised_weeks_ago=16,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-004",
        title="Monitoring kits not returned",
        description="Kits are lost when patients are discharged from the virtual ward without a collection.",
        likelihood=3,
        consequence=2,
        owner="callum",
        mitigation="Collection booked at onboarding; kit tracking in the platform.",
        review_in_days=40,
        raised_weeks_ago=36,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-003",
        title="Partners' consent model differs from ours",
        description=(
            "Some partners expect explicit consent to view sensitive results; our model is implied consent for direct "
            "care."
        ),
        likelihood=3,
        consequence=4,
        owner="strategy",
        mitigation="ICS information governance group agreeing a common model; sensitive results withheld until then.",
        review_in_days=10,
        raised_weeks_ago=24,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-018",
        title="Unreconciled future appointments after migration",
        description="Appointments that do not migrate cleanly could leave patients without a date.",
        likelihood=3,
        consequence=5,
        owner="rhys",
        mitigation="Three rehearsals; manual check of every unmatched record; booking team on standby after cutover.",
        review_in_days=5,
        raised_weeks_ago=26,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-018",
        title="Archive licence lapses before records can be destroyed",
        description="The read-only archive must last the full records retention period.",
        likelihood=2,
        consequence=4,
        owner="cfo",
        mitigation="Archive cost in the revenue plan; export of archive data to an open format as a fallback.",
        review_in_days=60,
        raised_weeks_ago=10,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-015",
        title="Medical devices cannot take multi-factor authentication",
        description="Some devices run unsupported operating systems and cannot use modern authentication.",
        likelihood=4,
        consequence=5,
        owner="cfo",
        mitigation="Segregate devices on their own network; replacement plan in the capital programme.",
        review_in_days=-20,
        raised_weeks_ago=30,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-015",
        title="Restore tested for the EPR only",
        description="Other clinical systems have never been restored from backup.",
        likelihood=3,
        consequence=5,
        owner="rhys",
        mitigation="Quarterly restore tests, one system at a time, starting with PACS and pathology.",
        review_in_days=14,
        raised_weeks_ago=20,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-019",
        title="Letters go to an unused mobile number",
        description="Out-of-date contact details mean digital letters go unread and patients miss appointments.",
        likelihood=2,
        consequence=4,
        owner="callum",
        mitigation="Post after 72 hours unread; contact details checked at every attendance.",
        review_in_days=21,
        raised_weeks_ago=16,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-021",
        title="Theatre data in the PAS is incomplete",
        description="A third of procedures have no reliable duration recorded.",
        likelihood=4,
        consequence=3,
        owner="tomasz",
        mitigation="Theatre staff record start and finish times; missing durations estimated from similar cases.",
        review_in_days=14,
        raised_weeks_ago=20,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-022",
        title="Heart failure nurses cannot act on alerts",
        description="Two vacancies in the heart failure nursing team; alerts from home readings may go unread.",
        likelihood=3,
        consequence=4,
        owner="cardiologist",
        mitigation="Start with 50 patients; alert thresholds agreed with cardiologists; recruitment under way.",
        review_in_days=-5,
        raised_weeks_ago=14,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-012",
        title="Patients lost to follow-up on PIFU",
        description="A patient who should have been seen could drop out of contact at the end of their PIFU period.",
        likelihood=2,
        consequence=4,
        owner="rheumatologist",
        mitigation="Safety-netting list reviewed monthly in each specialty.",
        review_in_days=30,
        raised_weeks_ago=34,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-008",
        title="Ready-to-go-home flag not kept up to date",
        description="If wards do not set the flag, the site team plans from a wrong list.",
        likelihood=4,
        consequence=3,
        owner="coo",
        mitigation="Flag set at the board round; daily compliance report to matrons.",
        review_in_days=7,
        raised_weeks_ago=12,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-001",
        title="Supplier release windows limit change",
        description="The EPR supplier releases twice a year; some changes wait months.",
        likelihood=3,
        consequence=3,
        owner="ccio",
        mitigation="Prioritise changes we can make in configuration; contract variation for more frequent releases.",
        review_in_days=45,
        raised_weeks_ago=48,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-014",
        title="Outpatient prescribing stays on paper while paused",
        description="Transcription errors continue in clinics not yet on electronic prescribing.",
        likelihood=3,
        consequence=4,
        owner="pharmacist",
        mitigation="Pharmacy double-check of transcribed prescriptions; restart as soon as the upgrade is in test.",
        review_in_days=10,
        raised_weeks_ago=12,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-013",
        title="Structured note work goes stale while paused",
        description="The team's knowledge and the clinicians' goodwill may fade during the pause.",
        likelihood=2,
        consequence=2,
        owner="ccio",
        mitigation="Templates kept live in two specialties; monthly check-in with the clinical champions.",
        review_in_days=25,
        raised_weeks_ago=8,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-007",
        title="Unvalidated AI output used in reporting",
        description="Radiologists might act on AI output before the tool was validated locally.",
        likelihood=2,
        consequence=5,
        owner="radiologist",
        mitigation="Silent mode only; no output visible to reporters. Closed when the evaluation stopped.",
        review_in_days=90,
        raised_weeks_ago=44,
        closed=True,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative="DIG-005",
        title="Kiosk contract costs after the trial",
        description="Keeping the kiosks after the trial period would commit revenue for three years.",
        likelihood=3,
        consequence=2,
        owner="coo",
        mitigation="Kiosks returned under the trial clause. Closed.",
        review_in_days=90,
        raised_weeks_ago=30,
        closed=True,
    ),
    # Risks to the portfolio as a whole.
    RiskSpec(
        organisation=ACUTE,
        initiative=None,
        title="More initiatives active than teams can support",
        description="Twelve initiatives are active against a limit of ten; teams are spread thin and work slows.",
        likelihood=4,
        consequence=4,
        owner="pmo",
        mitigation="Hold new starts until two close; use the next prioritisation round to stop or pause two more.",
        review_in_days=14,
        raised_weeks_ago=10,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative=None,
        title="Dependence on one EPR supplier",
        description="Most clinical workflows run on one supplier's EPR, whose contract ends in four years.",
        likelihood=3,
        consequence=5,
        owner="cdio",
        mitigation="Bulk export of EPR data tested yearly; open standards written into every new contract.",
        review_in_days=30,
        raised_weeks_ago=50,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative=None,
        title="No funding to keep improving after go-live",
        description="Most business cases fund delivery to go-live only, so live services stop improving.",
        likelihood=4,
        consequence=3,
        owner="cfo",
        mitigation="Run-and-improve funding line proposed for next year's budget.",
        review_in_days=-3,
        raised_weeks_ago=40,
    ),
    RiskSpec(
        organisation=ACUTE,
        initiative=None,
        title="Too little clinical informatics time",
        description="Clinical leads have one session a week for digital work; design and safety sign-off wait on them.",
        likelihood=4,
        consequence=3,
        owner="ccio",
        mitigation="Job-planned sessions for clinical leads; a second clinical safety officer.",
        review_in_days=21,
        raised_weeks_ago=36,
    ),
    RiskSpec(
        organisation=MENTAL_HEALTH,
        initiative="FPT-002",
        title="Telephony supplier lead times",
        description="The call-back feature needs a telephony change with a twelve-week lead time.",
        likelihood=3,
        consequence=3,
        owner="mh_delivery",
        mitigation="Order placed; interim manual call-back list at night.",
        review_in_days=14,
        raised_weeks_ago=10,
    ),
    RiskSpec(
        organisation=MENTAL_HEALTH,
        initiative=None,
        title="One delivery lead for the whole portfolio",
        description="All digital initiatives depend on one delivery lead.",
        likelihood=3,
        consequence=4,
        owner="mh_pmo",
        mitigation="Share delivery capacity with the acute trust through the group digital team.",
        review_in_days=30,
        raised_weeks_ago=20,
    ),
)


COMMENTS: tuple[CommentSpec, ...] = (
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-009",
        author="board",
        weeks_ago=2,
        body=(
            "Confidence has slipped three weeks running on the appointment feed. Before the committee, please "
            "show us the options if the supplier cannot fix it, including what it would take to get our data out."
        ),
    ),
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-009",
        author="cdio",
        weeks_ago=1,
        body="Options appraisal, exit included, will come to the Digital and Data Committee next month.",
    ),
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-006",
        author="board",
        weeks_ago=10,
        body=(
            "Good to see escalation times every week rather than a go-live date. Could we see nights separately? "
            "That is where I would expect the gap."
        ),
    ),
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-010",
        author="board",
        weeks_ago=15,
        body=(
            "Thank you for bringing the stop recommendation early and with the evidence. This is exactly the "
            "behaviour the board wants to see. Please share what was learnt with the observations team."
        ),
    ),
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-007",
        author="cmo",
        weeks_ago=19,
        body=(
            "Please write up the silent-mode evaluation and share it with the imaging network; others are buying the "
            "same tool."
        ),
    ),
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-004",
        author="board",
        weeks_ago=8,
        body=(
            "What happens to patients on the virtual ward in April if the ICS funding bid fails? I would like to see "
            "the plan."
        ),
    ),
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-015",
        author="board",
        weeks_ago=0,
        body=(
            "No checkpoint for two weeks on one of our highest-scoring risks. Could the SRO confirm where we are "
            "before the Audit Committee?"
        ),
    ),
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-002",
        author="board",
        weeks_ago=13,
        body="Right to close. Please keep the run-and-improve team in place; the benefits depend on it.",
    ),
    CommentSpec(
        organisation=ACUTE,
        initiative="DIG-022",
        author="pmo",
        weeks_ago=1,
        body="No checkpoint for a month. Bethan, can we catch up this week? Happy to help with the write-up.",
    ),
    CommentSpec(
        organisation=MENTAL_HEALTH,
        initiative="FPT-003",
        author="mh_board",
        weeks_ago=11,
        body="A clear stop, well explained. Glad the money is going to an in-person group.",
    ),
)


# Board packs --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BoardPackSpec:
    organisation: str
    title: str
    meeting: str
    weeks_ago: int  # the meeting's week; a negative number is a meeting still to come
    purpose: str
    assurance_level: str
    assurance_reason: str
    baf_risks: str
    recommendation: str
    executive_lead: str  # a person's key
    author: str  # a person's key
    published: bool


# Papers go to the board a week before it meets: each pack's figures are as of that day. Two
# published a month apart, so the second shows what changed since the first, and a draft for the
# next meeting.
BOARD_PACKS: tuple[BoardPackSpec, ...] = (
    BoardPackSpec(
        organisation=ACUTE,
        title="Digital portfolio: assurance report",
        meeting="Digital and Data Committee",
        weeks_ago=8,
        purpose="assurance",
        assurance_level="limited",
        assurance_reason=(
            "Too many initiatives are active for the teams we have, and several report progress without a "
            "measure of outcomes."
        ),
        baf_risks="BAF 4: digital delivery capacity\nBAF 7: benefits of the electronic patient record",
        recommendation="The committee is asked to note the report and the limited assurance it offers.",
        executive_lead="cdio",
        author="pmo",
        published=True,
    ),
    BoardPackSpec(
        organisation=ACUTE,
        title="Digital portfolio: assurance report",
        meeting="Digital and Data Committee",
        weeks_ago=4,
        purpose="decision",
        assurance_level="limited",
        assurance_reason=(
            "The portfolio is still over its work-in-progress limit; stopping the handover app is recommended "
            "to bring it back."
        ),
        baf_risks="BAF 4: digital delivery capacity\nBAF 7: benefits of the electronic patient record",
        recommendation=(
            "The committee is asked to support stopping the handover app and to note the measures that show concern."
        ),
        executive_lead="cdio",
        author="pmo",
        published=True,
    ),
    BoardPackSpec(
        organisation=ACUTE,
        title="Digital portfolio: assurance report",
        meeting="Digital and Data Committee",
        weeks_ago=-1,
        purpose="assurance",
        assurance_level="reasonable",
        assurance_reason="Draft: the level is to be agreed with the executive lead before publishing.",
        baf_risks="BAF 4: digital delivery capacity",
        recommendation="The committee is asked to note the report.",
        executive_lead="cdio",
        author="pmo",
        published=False,
    ),
)
