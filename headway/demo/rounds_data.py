"""The acute demo trust's prioritisation rounds as plain data.

Two past rounds, now closed, and one open round ready for the board to run. Dates are weeks
before the week the demo is loaded, like everything else in the demo. A round is named for the
quarter it plans, the one after the quarter it is held in, so a round held in November is
"2026/27 Q4". Money and team days are written relative to that quarter: `costs` are for the
financial year the planned quarter falls in and the year after; team days are for the planned
quarter and the three after it.

The past rounds agree with the decisions in `headway.demo.data`: a round held in a week in which
the demo records a decision on an initiative points its change at that decision and gives its
rationale as the reason. Decisions taken between rounds (a supplier failing its tests, a pilot
that nobody used) stay out-of-cycle decisions, as they would in real life.

All figures are invented but of a realistic size for a large acute trust's digital portfolio.
"""

from __future__ import annotations

from dataclasses import dataclass

# The scorers: a non-executive director, an SRO and the portfolio office (keys in data.PEOPLE).
BOARD_SCORER = "board"
SRO_SCORER = "coo"
PMO_SCORER = "pmo"
SCORERS = (BOARD_SCORER, SRO_SCORER, PMO_SCORER)

# The default criteria, in their order (headway.prioritisation.scoring.DEFAULT_CRITERIA). Effort
# is the one where a lower rating is better.
CRITERIA = (
    "strategic_fit",
    "patient_impact",
    "staff_impact",
    "safety_risk_reduction",
    "urgency",
    "evidence",
    "effort",
)

# The past rounds were held on the portfolio office's own figures for what was still to spend in
# the two years each planned, typed into the round with this reason. The open round reads each
# candidate's money from its business case or funding lines (`headway.demo.finance_data`), as a
# round does once money is entered once; only `RoundSpec.costs_entered` are typed, each with its
# own reason.
COSTS_REASON = "The portfolio office's figure at the time for what was still to spend"

EPR = "EPR team"
INTEGRATION = "Integration team"
NURSING = "Digital nursing"
DATA = "Data and analytics"
TEAMS = (EPR, INTEGRATION, NURSING, DATA)

Ratings = tuple[int, int, int, int, int, int, int]
Days = tuple[int, int, int, int]


@dataclass(frozen=True, kw_only=True)
class CandidateSpec:
    reference: str
    # (capital, revenue) in whole pounds: the planned quarter's financial year, then the next.
    this_year: tuple[int, int]
    next_year: tuple[int, int]
    demand: tuple[tuple[str, Days], ...]
    # The SRO's ratings, in the order of CRITERIA. The board member and the portfolio office
    # rate within a point of these unless `ratings_by` says otherwise.
    ratings: Ratings
    ratings_by: tuple[tuple[str, Ratings], ...] = ()
    must_do: str = ""


@dataclass(frozen=True, kw_only=True)
class RoundSpec:
    weeks_ago: int
    wip_limit: int | None
    # (capital, revenue) for the two financial years, and days for each team in the four
    # quarters. None: the past rounds had room for everything they chose (the limit that bit
    # was the number of initiatives), so their money and days are set a tenth above the demand.
    budgets: tuple[tuple[int, int], tuple[int, int]] | None
    capacity: tuple[tuple[str, Days], ...] | None
    # Ratings that differ from CANDIDATES in this round: what the scorers thought then.
    ratings_then: tuple[tuple[str, Ratings], ...] = ()
    # Closed rounds: the initiatives the board chose, checked against the optimiser when loading.
    chosen: tuple[str, ...] = ()
    # Reasons for changes that have no decision of their own in the demo story.
    reasons: tuple[tuple[str, str], ...] = ()
    closed: bool = True
    decided_by: str = "Digital Investment Board"
    # The open round: (reference, reason) for the candidates whose money is typed for the round,
    # from `CANDIDATES`, because finance holds none for them; the rest take it from finance.
    costs_entered: tuple[tuple[str, str], ...] = ()


CANDIDATES: tuple[CandidateSpec, ...] = (
    CandidateSpec(
        reference="DIG-001",
        this_year=(0, 90_000),
        next_year=(0, 380_000),
        demand=((EPR, (80, 80, 80, 80)),),
        ratings=(5, 4, 5, 4, 3, 5, 3),
    ),
    CandidateSpec(
        reference="DIG-002",
        this_year=(0, 60_000),
        next_year=(0, 120_000),
        demand=((DATA, (10, 10, 0, 0)),),
        ratings=(4, 3, 5, 2, 3, 5, 2),
    ),
    CandidateSpec(
        reference="DIG-003",
        this_year=(60_000, 40_000),
        next_year=(180_000, 120_000),
        demand=((INTEGRATION, (60, 60, 40, 20)),),
        ratings=(5, 4, 3, 3, 4, 3, 3),
    ),
    CandidateSpec(
        reference="DIG-004",
        this_year=(40_000, 110_000),
        next_year=(120_000, 450_000),
        demand=((NURSING, (30, 30, 20, 20)), (DATA, (20, 20, 20, 20))),
        ratings=(5, 5, 3, 4, 4, 4, 3),
    ),
    CandidateSpec(
        reference="DIG-005",
        this_year=(20_000, 15_000),
        next_year=(0, 30_000),
        demand=((INTEGRATION, (10, 10, 0, 0)),),
        ratings=(3, 3, 3, 1, 3, 2, 2),
    ),
    CandidateSpec(
        reference="DIG-006",
        this_year=(220_000, 30_000),
        next_year=(650_000, 140_000),
        demand=((NURSING, (50, 50, 40, 30)), (EPR, (20, 20, 10, 0))),
        ratings=(5, 5, 4, 5, 4, 4, 3),
    ),
    CandidateSpec(
        reference="DIG-007",
        this_year=(0, 40_000),
        next_year=(0, 90_000),
        demand=((DATA, (20, 20, 10, 0)),),
        ratings=(4, 4, 3, 4, 3, 2, 3),
    ),
    CandidateSpec(
        reference="DIG-008",
        this_year=(30_000, 50_000),
        next_year=(90_000, 160_000),
        demand=((EPR, (30, 30, 20, 10)), (DATA, (30, 30, 20, 20))),
        ratings=(4, 3, 4, 3, 4, 3, 3),
    ),
    CandidateSpec(
        reference="DIG-009",
        this_year=(0, 70_000),
        next_year=(0, 300_000),
        demand=((INTEGRATION, (30, 30, 30, 20)),),
        ratings=(4, 4, 3, 2, 3, 3, 4),
    ),
    CandidateSpec(
        reference="DIG-010",
        this_year=(60_000, 20_000),
        next_year=(0, 40_000),
        demand=((NURSING, (20, 20, 10, 0)),),
        ratings=(3, 3, 4, 3, 3, 2, 3),
    ),
    CandidateSpec(
        reference="DIG-011",
        this_year=(250_000, 50_000),
        next_year=(300_000, 100_000),
        demand=((INTEGRATION, (40, 40, 40, 20)),),
        ratings=(4, 4, 3, 4, 5, 3, 4),
    ),
    CandidateSpec(
        reference="DIG-012",
        this_year=(0, 25_000),
        next_year=(0, 90_000),
        demand=((DATA, (10, 10, 10, 10)),),
        ratings=(4, 4, 3, 2, 4, 5, 2),
    ),
    CandidateSpec(
        reference="DIG-013",
        this_year=(0, 40_000),
        next_year=(0, 180_000),
        demand=((EPR, (60, 60, 60, 40)),),
        ratings=(4, 3, 5, 3, 3, 4, 3),
    ),
    CandidateSpec(
        reference="DIG-014",
        this_year=(50_000, 20_000),
        next_year=(140_000, 60_000),
        demand=((EPR, (20, 20, 20, 0)), (NURSING, (20, 20, 10, 0))),
        ratings=(4, 3, 3, 5, 3, 3, 3),
    ),
    CandidateSpec(
        reference="DIG-015",
        this_year=(180_000, 40_000),
        next_year=(420_000, 160_000),
        demand=((INTEGRATION, (40, 30, 20, 10)),),
        ratings=(5, 3, 3, 5, 5, 4, 3),
        must_do=(
            "Regulatory: the Data Security and Protection Toolkit standard requires multi-factor "
            "authentication on remote access and tested offline backups, and cyber attack is an extreme "
            "risk on the board assurance framework."
        ),
    ),
    CandidateSpec(
        reference="DIG-016",
        this_year=(0, 10_000),
        next_year=(0, 0),
        demand=((EPR, (20, 10, 0, 0)),),
        ratings=(4, 4, 3, 5, 4, 4, 2),
    ),
    CandidateSpec(
        reference="DIG-017",
        this_year=(0, 5_000),
        next_year=(0, 0),
        demand=((INTEGRATION, (10, 0, 0, 0)),),
        ratings=(3, 2, 3, 4, 4, 5, 1),
    ),
    CandidateSpec(
        reference="DIG-018",
        this_year=(120_000, 60_000),
        next_year=(200_000, 80_000),
        demand=((EPR, (60, 40, 0, 0)), (INTEGRATION, (50, 40, 0, 0))),
        ratings=(4, 2, 4, 4, 5, 4, 4),
        must_do=(
            "The legacy patient administration system is out of support and cannot be patched; its "
            "hosting contract ends and cannot be extended again."
        ),
    ),
    CandidateSpec(
        reference="DIG-019",
        this_year=(0, 30_000),
        next_year=(0, 120_000),
        demand=((INTEGRATION, (10, 10, 10, 10)),),
        ratings=(3, 3, 3, 1, 3, 4, 2),
    ),
    CandidateSpec(
        reference="DIG-020",
        this_year=(10_000, 20_000),
        next_year=(40_000, 90_000),
        demand=((NURSING, (20, 20, 10, 10)), (INTEGRATION, (10, 10, 0, 0))),
        ratings=(4, 4, 3, 3, 4, 3, 2),
    ),
    CandidateSpec(
        reference="DIG-021",
        this_year=(90_000, 45_000),
        next_year=(260_000, 180_000),
        demand=((EPR, (20, 30, 30, 20)), (DATA, (20, 20, 20, 20))),
        ratings=(5, 4, 4, 2, 4, 3, 4),
    ),
    CandidateSpec(
        reference="DIG-022",
        this_year=(20_000, 25_000),
        next_year=(150_000, 140_000),
        demand=((NURSING, (10, 20, 20, 20)), (DATA, (10, 10, 10, 10))),
        ratings=(4, 4, 2, 3, 3, 2, 2),
    ),
    CandidateSpec(
        reference="DIG-023",
        this_year=(150_000, 20_000),
        next_year=(380_000, 110_000),
        demand=((INTEGRATION, (40, 40, 20, 0)), (EPR, (10, 20, 20, 10))),
        ratings=(4, 2, 5, 3, 3, 2, 4),
    ),
    # The scorers disagree about speech recognition: the board member sees consultants' time and
    # letters to GPs; the portfolio office sees no evidence yet and a large change for secretaries.
    CandidateSpec(
        reference="DIG-024",
        this_year=(80_000, 30_000),
        next_year=(120_000, 160_000),
        demand=((EPR, (20, 20, 20, 10)),),
        ratings=(3, 3, 4, 2, 3, 2, 3),
        ratings_by=((BOARD_SCORER, (5, 5, 5, 3, 5, 3, 2)), (PMO_SCORER, (2, 1, 2, 1, 2, 1, 5))),
    ),
    CandidateSpec(
        reference="DIG-025",
        this_year=(40_000, 20_000),
        next_year=(110_000, 140_000),
        demand=((DATA, (20, 20, 10, 0)),),
        ratings=(3, 2, 4, 2, 3, 3, 3),
    ),
)

# (candidate, the candidate it needs).
DEPENDENCIES: tuple[tuple[str, str], ...] = (
    # Heart failure monitoring would run on the virtual wards' monitoring platform and clinical hub.
    ("DIG-022", "DIG-004"),
    # Pre-operative questionnaires and digital letters both reach patients through the portal.
    ("DIG-020", "DIG-009"),
    ("DIG-019", "DIG-009"),
)

# Pairs of which at most one can be chosen. Clinical noting redesign and speech recognition are
# two answers to the same complaint, doctors' time spent writing; both need the EPR team's
# configuration leads, and the CCIO asked that doctors are not asked to change both at once.
EXCLUSIVES: tuple[tuple[str, str], ...] = (("DIG-013", "DIG-024"),)

ROUNDS: tuple[RoundSpec, ...] = (
    RoundSpec(
        # The first scored round, held with the decisions of that week.
        weeks_ago=30,
        # The board knew the portfolio was far over the trust's limit of ten and chose to finish
        # work in flight rather than stop it mid-way; it set the limit for this round to match.
        wip_limit=18,
        budgets=None,
        capacity=None,
        ratings_then=(
            # The site team was still in winter escalation and could give no time to research.
            ("DIG-008", (2, 2, 3, 2, 1, 2, 4)),
            # Pre-operative assessment had no evidence yet that patients would complete it online.
            ("DIG-020", (3, 2, 2, 2, 2, 1, 4)),
        ),
        chosen=(
            "DIG-001",
            "DIG-002",
            "DIG-003",
            "DIG-004",
            "DIG-005",
            "DIG-006",
            "DIG-007",
            "DIG-009",
            "DIG-010",
            "DIG-011",
            "DIG-012",
            "DIG-013",
            "DIG-014",
            "DIG-015",
            "DIG-016",
            "DIG-017",
            "DIG-018",
            "DIG-019",
        ),
        reasons=(
            ("DIG-001", "Clerking time is falling on the wards using the new flow; keep the standing team."),
            ("DIG-003", "The ICS expects every trust to publish to the shared record and we are the biggest gap."),
            ("DIG-005", "Live at two receptions; give it the quarter to show whether patients use it."),
            ("DIG-006", "Our top patient safety theme; pilot wards are escalating faster."),
            ("DIG-007", "The silent-mode evaluation is half done; finish it before judging the tool."),
            ("DIG-010", "The pilot has only just started; judge it on adoption at the next round."),
            ("DIG-011", "The old order communications system goes out of support; interface testing is under way."),
            ("DIG-015", "Must do: a regulatory requirement and an extreme risk on the assurance framework."),
        ),
    ),
    RoundSpec(
        weeks_ago=16,
        wip_limit=18,
        budgets=None,
        capacity=None,
        ratings_then=(
            # Three months of a live pilot and staff had gone back to paper.
            ("DIG-010", (2, 2, 2, 2, 1, 1, 4)),
        ),
        chosen=(
            "DIG-001",
            "DIG-002",
            "DIG-003",
            "DIG-004",
            "DIG-006",
            "DIG-008",
            "DIG-009",
            "DIG-012",
            "DIG-013",
            "DIG-014",
            "DIG-015",
            "DIG-016",
            "DIG-017",
            "DIG-018",
            "DIG-019",
            "DIG-020",
            "DIG-021",
            "DIG-022",
        ),
        reasons=(
            ("DIG-001", "Still funded as a standing team; the new safety work simply ranks above it now."),
            ("DIG-002", "All but the last few wards roster in the system; finish the roll-out and hand it over."),
            ("DIG-016", "Two more near misses with unseen results since the last round made it more urgent."),
            ("DIG-017", "Most fax machines are already gone, so less now rests on the remaining work."),
            ("DIG-020", "Started between rounds to cut on-the-day cancellations; first scored here."),
            ("DIG-021", "Started between rounds as the biggest lever on elective waits; first scored here."),
            ("DIG-022", "A discovery started between rounds; first scored here, and small."),
        ),
    ),
    RoundSpec(
        weeks_ago=0,
        # Back to the trust's limit: the board asked for a round that brings the portfolio to ten.
        wip_limit=10,
        # The whole year's money, as the business cases and funding lines count it.
        budgets=((2_600_000, 1_600_000), (800_000, 2_500_000)),
        capacity=(
            (EPR, (260, 260, 260, 260)),
            (INTEGRATION, (195, 195, 195, 195)),
            (NURSING, (130, 130, 130, 130)),
            (DATA, (130, 130, 130, 130)),
        ),
        closed=False,
        # Paused work released its funding, and none of it has a business case, so the portfolio
        # office typed what a restart would cost.
        costs_entered=(
            ("DIG-013", "Paused, so its funding was released: the portfolio office's estimate to restart it"),
            ("DIG-014", "Paused, so its funding was released: the supplier's quote to restart on the new version"),
            ("DIG-020", "Paused, so its funding was released: the portfolio office's estimate to restart it"),
        ),
    ),
)

# Reasons for continuing changes that none of the above covers, by kind of change. One selected
# again at the same rank needs none: `compute_changes` says so itself.
DEFAULT_REASONS = {
    "new": "Already under way when it was first scored here; still within budget and team days.",
    "moved_up": "Still selected, and ranked higher now that its evidence is stronger.",
    "moved_down": "Still selected, but ranked lower as newer work scored above it.",
}
