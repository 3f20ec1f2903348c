"""The named cast every test can use: one trust with a person in each role, and a second trust
whose portfolio office must never see the first's data.

Build them once per class:

    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, delivery_lead=cls.cast.lead)

Each persona's password is `factories.PASSWORD`. Names say the role, so a failing test reads as a
story ("Dana Lead cannot decide").
"""

from __future__ import annotations

from dataclasses import dataclass

from headway.accounts.models import Organisation, User
from headway.accounts.roles import Role
from tests.factories import make_organisation, make_person


@dataclass(frozen=True)
class Cast:
    trust: Organisation
    board: User
    executive: User
    lead: User
    office: User
    viewer: User
    other_trust: Organisation
    other_office: User

    def by_role(self) -> dict[str, User]:
        """Everyone in the first trust, by role: for tests that walk every role."""
        return {
            Role.BOARD: self.board,
            Role.EXECUTIVE: self.executive,
            Role.DELIVERY_LEAD: self.lead,
            Role.PORTFOLIO_OFFICE: self.office,
            Role.VIEWER: self.viewer,
        }


def personas(trust_name: str = "Test Acute Trust") -> Cast:
    trust = make_organisation(trust_name)
    other = make_organisation("Other Community Trust", kind="community")
    return Cast(
        trust=trust,
        board=make_person(trust, Role.BOARD, "Bea Board"),
        executive=make_person(trust, Role.EXECUTIVE, "Sam Sponsor"),
        lead=make_person(trust, Role.DELIVERY_LEAD, "Dana Lead"),
        office=make_person(trust, Role.PORTFOLIO_OFFICE, "Pat Office"),
        viewer=make_person(trust, Role.VIEWER, "Vic Viewer"),
        other_trust=other,
        other_office=make_person(other, Role.PORTFOLIO_OFFICE, "Olu Other"),
    )
