"""The demo acute trust's board assurance framework (ADR 29): five principal risks, with the
risks in its register that add to each.

What a board member should find: one principal risk above the board's appetite (digital
delivery capacity, scored 16 where a cautious appetite accepts 12), one past its review date,
gaps in control and in assurance on most, and assurances that point at the evidence in Headway:
an initiative, a measure, a board question, a pitfall.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction

from headway.accounts.models import Organisation, User
from headway.assurance import baf_actions
from headway.demo.data import ACUTE
from headway.portfolio import actions
from headway.portfolio.models import Risk, StrategicGoal


class Builder(Protocol):
    """What this module needs from the loader's builder."""

    today: dt.date
    organisations: dict[str, Organisation]
    people: dict[str, User]
    recorders: dict[str, User]
    goals: dict[tuple[str, str], StrategicGoal]

    def day(self, weeks_ago: int, weekday: int) -> dt.date: ...

    def moment(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime: ...

    def at(self, when: dt.datetime) -> AbstractContextManager[None]: ...


@dataclass(frozen=True, kw_only=True)
class PrincipalRiskSpec:
    organisation: str
    reference: str
    title: str
    description: str
    goal: str | None  # the key of the strategic goal it threatens
    owner: str
    current: tuple[int, int]  # likelihood, consequence
    target: tuple[int, int]
    appetite: str
    controls: tuple[str, ...]
    assurances: tuple[str, ...]  # "what gives assurance | evidence in Headway"
    gaps_in_control: tuple[str, ...] = ()
    gaps_in_assurance: tuple[str, ...] = ()
    review_in_days: int = 60  # negative means the review is overdue
    added_weeks_ago: int = 30
    linked: tuple[str, ...] = ()  # the titles of the register's risks that add to it


LINKED_WEEKS_AGO = 2

PRINCIPAL_RISKS: tuple[PrincipalRiskSpec, ...] = (
    PrincipalRiskSpec(
        organisation=ACUTE,
        reference="BAF-01",
        title="Digital delivery capacity cannot keep pace with the portfolio",
        description=(
            "More initiatives are under way than the digital, informatics and clinical teams can support, so work "
            "slows, quality suffers and benefits arrive late."
        ),
        goal="foundations",
        owner="cdio",
        current=(4, 4),
        target=(3, 3),
        appetite="cautious",
        controls=(
            "Work-in-progress limit set by the Digital Investment Board",
            "Quarterly prioritisation round with capacity by team",
            "Weekly checkpoints for every active initiative",
        ),
        assurances=(
            "Portfolio at a glance, reviewed monthly by the executive | /",
            "Prioritisation rounds closed with their reasons | /prioritisation/",
            "Pitfall: too many things at once | pitfall: too_many_at_once",
        ),
        gaps_in_control=(
            "The work-in-progress limit is exceeded and nothing has been stopped to make room",
            "No agreed share of clinical informatics time for each initiative",
        ),
        gaps_in_assurance=("Team capacity is not reported to the board",),
        review_in_days=21,
        added_weeks_ago=40,
        linked=("More initiatives active than teams can support", "Too little clinical informatics time"),
    ),
    PrincipalRiskSpec(
        organisation=ACUTE,
        reference="BAF-02",
        title="A cyber attack or system failure stops clinical services",
        description=(
            "Loss of the EPR or the network for more than a day would stop admissions, results and prescribing."
        ),
        goal="foundations",
        owner="cfo",
        current=(3, 4),
        target=(2, 4),
        appetite="cautious",
        controls=(
            "Multi-factor authentication for remote and privileged access",
            "Data Security and Protection Toolkit standards met",
            "Business continuity plans in every clinical area",
        ),
        assurances=(
            "Cyber resilience programme | DIG-015",
            "Teams able to say what is going wrong | question: honest_risk",
        ),
        gaps_in_control=("Medical devices that cannot take multi-factor authentication are not yet segregated",),
        gaps_in_assurance=("Restoring from backup has been tested for the EPR only",),
        review_in_days=45,
        linked=("Medical devices cannot take multi-factor authentication", "Restore tested for the EPR only"),
    ),
    PrincipalRiskSpec(
        organisation=ACUTE,
        reference="BAF-03",
        title="Digital investment does not deliver the benefits promised",
        description=(
            "Business cases promise savings and better care that are not measured, or not realised, after go-live."
        ),
        goal="access",
        owner="cfo",
        current=(3, 3),
        target=(2, 3),
        appetite="open",
        controls=(
            "Business cases with an owner and a measure for every benefit",
            "Optimism-bias adjustment on every case",
        ),
        assurances=(
            "Weekly portal users on an SPC chart"
            " | metric: Patients using the portal to manage appointments (weekly users)",
            "Is it making a difference for staff and patients? | question: impact",
            "Pitfall: funding that ends at go-live | pitfall: boom_and_bust",
        ),
        gaps_in_control=("Two live services have no money to run and improve them",),
        gaps_in_assurance=("Benefits realised are not reported to the board each quarter",),
        linked=("No funding to keep improving after go-live", "Kiosk contract costs after the trial"),
    ),
    PrincipalRiskSpec(
        organisation=ACUTE,
        reference="BAF-04",
        title="Patients are harmed because a digital tool fails in clinical use",
        description="A fault, a missed alert or an unsafe workaround in a clinical system leads to harm.",
        goal="safety",
        owner="cmo",
        current=(2, 5),
        target=(2, 4),
        appetite="cautious",
        controls=(
            "Clinical safety case and hazard log for each clinical system (DCB0160)",
            "Clinical safety officer sign-off before go-live",
        ),
        assurances=(
            "Time to doctor review after a high early warning score"
            " | metric: Time from NEWS2 of 7 or more to doctor review (minutes)",
            "Electronic observations | DIG-006",
        ),
        gaps_in_assurance=("No independent review of the hazard logs this year",),
        linked=(
            "Unvalidated AI output used in reporting",
            "Alert fatigue from escalation notifications",
            "Portal appointment feed loses changes",
        ),
    ),
    PrincipalRiskSpec(
        organisation=ACUTE,
        reference="BAF-05",
        title="Our systems and our partners' do not join up",
        description="Care across the system depends on records that partners cannot see or that disagree.",
        goal="joined_up",
        owner="strategy",
        current=(3, 4),
        target=(2, 3),
        appetite="cautious",
        controls=("Shared care record programme with the integrated care system",),
        assurances=("Working with system partners | question: system_partners",),
        gaps_in_control=("No agreed consent model across the partners",),
        review_in_days=-6,
        linked=("Partners' consent model differs from ours",),
    ),
)


def create_principal_risks(builder: Builder) -> None:
    """Add the principal risks, then link the register's risks to them, as the portfolio office would."""
    with transaction.atomic():
        for spec in PRINCIPAL_RISKS:
            organisation = builder.organisations[spec.organisation]
            by = builder.recorders[spec.organisation]
            with builder.at(builder.moment(builder.day(spec.added_weeks_ago, 2), 11)):
                principal = baf_actions.save_principal_risk(
                    organisation=organisation,
                    by=by,
                    fields={
                        "reference": spec.reference,
                        "title": spec.title,
                        "description": spec.description,
                        "goal": builder.goals[spec.organisation, spec.goal] if spec.goal else None,
                        "owner": builder.people[spec.owner],
                        "current_likelihood": spec.current[0],
                        "current_consequence": spec.current[1],
                        "target_likelihood": spec.target[0],
                        "target_consequence": spec.target[1],
                        "appetite": spec.appetite,
                        "controls": "\n".join(spec.controls),
                        "assurances": "\n".join(spec.assurances),
                        "gaps_in_control": "\n".join(spec.gaps_in_control),
                        "gaps_in_assurance": "\n".join(spec.gaps_in_assurance),
                        "next_review": builder.today + dt.timedelta(days=spec.review_in_days),
                    },
                )
            # The register's risks were linked once the framework was agreed, two weeks ago.
            with builder.at(builder.moment(builder.day(LINKED_WEEKS_AGO, 3), 15)):
                for risk in Risk.objects.for_organisation(organisation).filter(title__in=spec.linked):
                    actions.save_risk(
                        organisation=organisation,
                        by=by,
                        fields={"principal_risk": principal},
                        risk=risk,
                        reason=f"Linked to principal risk {spec.reference}",
                    )
