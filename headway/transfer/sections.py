"""What an organisation's export carries, section by section, and what it leaves out and why
(ADR 35, docs/organisation-export.md).

Each section is one model. Its rows are written in the order they were created, every field but
the database id, the organisation and the derived fields named here; a link to another record is
written as that record's key in the document (an initiative's reference, a person's email, a
criterion's key, or a row's number within its section), never as a database id.
`tests/test_transfer_sections.py` fails when a model appears that is neither carried nor listed in
`LEFT_OUT` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model

FORMAT = "headway-organisation"
VERSION = 1


@dataclass(frozen=True)
class Section:
    name: str
    label: str  # app_label.ModelName
    scope: str  # the lookup from the model to its organisation
    key: str | None = None  # the natural key field; None: the row's number in the section
    derived: tuple[str, ...] = ()  # worked out again on import (ADR 6, 7, 14), so not carried
    about: str = ""

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)


# In an order where every link points to a section before it, or to its own section (then the
# link is set once the section's rows exist), except a round's current result, set likewise.
SECTIONS: tuple[Section, ...] = (
    Section("memberships", "accounts.Membership", "organisation", about="who works in the organisation and their role"),
    Section("goals", "portfolio.StrategicGoal", "organisation", about="strategic goals"),
    Section("services", "portfolio.Service", "organisation", key="name", about="services"),
    Section(
        "initiatives",
        "portfolio.Initiative",
        "organisation",
        key="reference",
        derived=(
            "last_checkpoint_week",
            "current_confidence",
            "confidence_changed_week",
            "last_demonstrated_week",
            "last_reached_users_week",
            "first_reached_users_week",
        ),
        about="the initiatives' current state",
    ),
    Section("user_needs", "portfolio.UserNeed", "initiative__organisation"),
    Section("checkpoints", "portfolio.Checkpoint", "initiative__organisation", about="every weekly checkpoint"),
    Section("decisions", "portfolio.Decision", "initiative__organisation", about="every decision, reversals too"),
    Section("principal_risks", "assurance.PrincipalRisk", "organisation", key="reference"),
    Section("risks", "portfolio.Risk", "organisation"),
    Section("comments", "portfolio.Comment", "initiative__organisation"),
    Section(
        "metrics",
        "metrics.Metric",
        "organisation",
        key="name",
        derived=("latest_period", "point_count", "variation_icon", "assurance_icon", "trial_limits"),
    ),
    Section("observations", "metrics.Observation", "metric__organisation"),
    Section("metric_annotations", "metrics.Annotation", "metric__organisation"),
    Section("criteria", "prioritisation.Criterion", "organisation", key="key"),
    Section("rounds", "prioritisation.Round", "organisation"),
    Section("candidates", "prioritisation.Candidate", "round__organisation"),
    Section("budgets", "prioritisation.Budget", "round__organisation"),
    Section("team_capacities", "prioritisation.TeamCapacity", "round__organisation"),
    Section("dependencies", "prioritisation.Dependency", "round__organisation"),
    Section("exclusives", "prioritisation.Exclusive", "round__organisation"),
    Section("ratings", "prioritisation.Rating", "round__organisation"),
    Section("results", "prioritisation.Result", "round__organisation", about="immutable results (ADR 8)"),
    Section("round_changes", "prioritisation.RoundChange", "round__organisation"),
    Section("funding_lines", "finance.FundingLine", "initiative__organisation"),
    Section("business_cases", "finance.BusinessCase", "initiative__organisation"),
    Section("cost_lines", "finance.CostLine", "business_case__initiative__organisation"),
    Section("benefit_lines", "finance.BenefitLine", "business_case__initiative__organisation"),
    Section("mitigations", "finance.Mitigation", "business_case__initiative__organisation"),
    Section("actuals", "finance.Actual", "initiative__organisation"),
    Section("pitfall_settings", "assurance.PitfallSettings", "organisation"),
    Section("board_packs", "assurance.BoardPack", "organisation", about="frozen with their hashes (ADR 28)"),
    Section("weeknotes_sent", "assurance.WeeknotesSent", "organisation"),
)

BY_LABEL = {section.label: section for section in SECTIONS}
BY_NAME = {section.name: section for section in SECTIONS}

# Reference data shared by every organisation, linked to by a key the other Headway must know.
REFERENCE_KEYS: dict[str, tuple[str, ...]] = {
    "finance.ProjectType": ("key",),
    "finance.BiasFactor": ("project_type__key", "name"),
}

LEFT_OUT: dict[str, str] = {
    "accounts.User": "people are carried in the people section by email and name, never their passwords",
    "accounts.Organisation": "its settings are the organisation section; the ODS code and name are given on import",
    "accounts.IntegratedCareSystem": "shared by several organisations; linked to by its ODS code, created when missing",
    "accounts.Submission": "a person's guard against a form posted twice, meaningless in another Headway",
    "accounts.Invitation": "invitations carry sign-in tokens, which must never leave the Headway that issued them",
    "metrics.Verdict": "derived from the metrics' summaries, so worked out again on import (ADR 7, 14)",
    "assurance.StoredFindings": "derived from the organisation's data, so worked out again on import (ADR 26)",
    "finance.ProjectType": "reference data shared by every organisation (Green Book optimism bias), linked by key",
    "finance.BiasFactor": "reference data shared by every organisation, linked by project type and name",
    "assurance.Question": "the board's questions are reference data shared by every organisation (ADR 27)",
    "api.AccessToken": "a token works only in the Headway that issued it; people make new ones (ADR 32)",
    "imports.Upload": "a file waiting between its preview and its import (ADR 33); what it brought in is carried",
}
