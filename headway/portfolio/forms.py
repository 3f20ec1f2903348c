"""Forms for the portfolio pages, drawn in the NHS design system.

Choices for people, goals, services and other initiatives come from the current organisation
only, so a forged post naming another organisation's record fails validation instead of saving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from headway.accounts.models import Organisation, User
from headway.accounts.people import members_of
from headway.forms import DateInput, HintedRadioSelect, NHSFormMixin, PersonChoiceField, hold_to
from headway.lib import bounds
from headway.lib.weeks import week_start
from headway.portfolio.models import (
    Checkpoint,
    Confidence,
    Decision,
    Initiative,
    Phase,
    Risk,
    Service,
    Status,
    StrategicGoal,
    UserNeed,
    confidence_choices,
)
from headway.portfolio.queries import CURRENT


def _person_field(label: str, *, required: bool = False, help_text: str = "") -> PersonChoiceField:
    return PersonChoiceField(
        queryset=User.objects.none(),
        required=required,
        label=label,
        help_text=help_text,
        empty_label="Not chosen yet",
    )


class InitiativeForm(NHSFormMixin, forms.ModelForm):
    sro = _person_field("Senior responsible owner (SRO)", help_text="Can be from any directorate.")
    clinical_lead = _person_field("Clinical lead")
    delivery_lead = _person_field("Delivery lead", help_text="Records the weekly checkpoint.")

    class Meta:
        model = Initiative
        fields = [
            "title",
            "problem",
            "patients_served",
            "staff_served",
            "sro",
            "sro_directorate",
            "clinical_lead",
            "delivery_lead",
            "phase",
            "start_date",
            "planned_first_release",
            "planned_go_live",
            "went_live_on",
            "goals",
            "services",
            "joins_up_with",
            "riskiest_assumption",
        ]
        labels = {
            "title": "Title",
            "problem": "What problem does it solve?",
            "patients_served": "Which patients does it serve?",
            "staff_served": "Which staff does it serve?",
            "sro_directorate": "SRO's directorate",
            "phase": "Phase",
            "start_date": "Start date",
            "planned_first_release": "Planned first release to real users",
            "planned_go_live": "Planned go-live",
            "went_live_on": "Date it went live (once it has)",
            "goals": "Strategic goals it supports",
            "services": "Services it affects",
            "joins_up_with": "Other initiatives it must join up with",
            "riskiest_assumption": "Riskiest assumption",
        }
        help_texts = {
            "title": "A short name people will recognise.",
            "problem": "Describe the problem for patients or staff, not the solution.",
            "patients_served": "For example, adults waiting for a hip replacement.",
            "staff_served": "For example, ward nurses on the night shift.",
            "riskiest_assumption": "The belief that, if wrong, would sink it. Test this first.",
            "planned_first_release": "Aim to put something in front of real users early.",
            "went_live_on": "Leave empty until it is live. Used to compare what was planned with what happened.",
            "goals": "Choose all that apply.",
            "services": "Choose all that apply.",
            "joins_up_with": "Choose all that apply.",
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "patients_served": forms.Textarea(attrs={"rows": 2}),
            "staff_served": forms.Textarea(attrs={"rows": 2}),
            "riskiest_assumption": forms.Textarea(attrs={"rows": 3}),
            "phase": forms.RadioSelect,
            "start_date": DateInput(),
            "planned_first_release": DateInput(),
            "planned_go_live": DateInput(),
            "went_live_on": DateInput(),
            "goals": forms.CheckboxSelectMultiple,
            "services": forms.CheckboxSelectMultiple,
            "joins_up_with": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = members_of(organisation)
        for name in ("sro", "clinical_lead", "delivery_lead"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        self.fields["goals"].queryset = StrategicGoal.objects.for_organisation(organisation)  # type: ignore[attr-defined]
        self.fields["services"].queryset = Service.objects.for_organisation(organisation)  # type: ignore[attr-defined]
        others = Initiative.objects.for_organisation(organisation).exclude(
            status__in=[Status.STOPPED, Status.COMPLETED]
        )
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["joins_up_with"].queryset = others  # type: ignore[attr-defined]
        self.fields["phase"].choices = list(Phase.choices)  # type: ignore[attr-defined]
        self.apply_nhs_classes()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, first, go_live = (
            data.get("start_date"),
            data.get("planned_first_release"),
            data.get("planned_go_live"),
        )
        if start and go_live and go_live < start:
            self.add_error("planned_go_live", "Planned go-live cannot be before the start date.")
        if first and go_live and first > go_live:
            self.add_error("planned_first_release", "The first release to real users cannot be after go-live.")
        went_live = data.get("went_live_on")
        if went_live and start and went_live <= start:
            self.add_error(
                "went_live_on",
                "It must have gone live after its start date, not on or before it. Check both dates: "
                "the money pages compare how long it took with the plan.",
            )
        if went_live and went_live > timezone.localdate():
            self.add_error("went_live_on", "This date is in the future. Leave it empty until it has gone live.")
        return data

    def model_fields(self) -> dict[str, Any]:
        """The plain fields, for actions.create_initiative / update_initiative."""
        skip = {"goals", "services", "joins_up_with"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class UserNeedForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = UserNeed
        fields = ["statement", "evidence", "evidence_notes"]
        labels = {
            "statement": "User need",
            "evidence": "How is it evidenced?",
            "evidence_notes": "What is the evidence? (optional)",
        }
        help_texts = {
            "statement": "As a … I need … so that …",
            "evidence_notes": "For example, 12 interviews with ward clerks in March.",
        }
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.RadioSelect,
            "evidence_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = list(UserNeed.Evidence.choices)  # type: ignore[attr-defined]
        self.apply_nhs_classes()


YES_NO = [(True, "Yes"), (False, "No")]


def _to_bool(value: object) -> bool:
    return value is True or value == "True"


class CheckpointForm(NHSFormMixin, forms.Form):
    shows_saved_values = True  # the week's checkpoint, or an empty one until it is recorded
    demonstrated = forms.CharField(
        label="What did the team demonstrate this week?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Working software or research findings, not slides. Leave empty if nothing.",
    )
    demonstrated_to = forms.CharField(
        label="Who saw it?",
        required=False,
        max_length=300,
        help_text="For example, ward managers at the district general hospital.",
    )
    reached_real_users = forms.TypedChoiceField(
        label="Did anything reach real users this week?",
        choices=YES_NO,
        coerce=_to_bool,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether anything reached real users this week."},
    )
    real_users_detail = forms.CharField(
        label="What reached real users?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed if you answered yes.",
    )
    confidence = forms.ChoiceField(
        label="Delivery confidence",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a delivery confidence rating."},
    )
    confidence_reason = forms.CharField(
        label="Why this rating?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the confidence rating."},
    )
    risks_and_blockers = forms.CharField(
        label="Top risks or blockers (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    asks_of_the_board = forms.CharField(
        label="What do you need from the board? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confidence"].choices = confidence_choices(organisation)  # type: ignore[attr-defined]
        self.apply_nhs_classes()

    @staticmethod
    def initial_from(checkpoint: Checkpoint) -> dict[str, Any]:
        return {
            "demonstrated": checkpoint.demonstrated,
            "demonstrated_to": checkpoint.demonstrated_to,
            "reached_real_users": checkpoint.reached_real_users,
            "real_users_detail": checkpoint.real_users_detail,
            "confidence": checkpoint.confidence,
            "confidence_reason": checkpoint.confidence_reason,
            "risks_and_blockers": checkpoint.risks_and_blockers,
            "asks_of_the_board": checkpoint.asks_of_the_board,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reached_real_users") is True and not data.get("real_users_detail", "").strip():
            self.add_error("real_users_detail", "Say what reached real users, or answer no.")
        return data

    def checkpoint_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data["reached_real_users"]:
            data["real_users_detail"] = ""
        return data


def _readable(rule: Callable[..., str], value: str, **kwargs: str) -> str:
    """`value` checked by one of the shared rules in `headway.lib.bounds`, refused as a field error."""
    try:
        return rule(value, **kwargs)
    except bounds.BoundsError as error:
        raise forms.ValidationError(str(error)) from None


DECISION_HINTS = {
    Decision.Kind.START: "Makes the initiative active. It will owe a weekly checkpoint.",
    Decision.Kind.CONTINUE: "Carries on as planned. The status does not change.",
    Decision.Kind.PAUSE: "Stops work for now, to be reconsidered later.",
    Decision.Kind.STOP: "Ends the initiative for good. Stopping is a sign of good governance.",
    Decision.Kind.CHANGE_COURSE: "Carries on, but with a different aim or approach.",
    Decision.Kind.CLOSE: "Marks the initiative completed.",
}


class DecisionForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What was decided?",
        widget=HintedRadioSelect,
        error_messages={"required": "Choose what was decided."},
    )
    rationale = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The reason will be shown to the board and kept in the decision log.",
        error_messages={"required": "Write down why: every decision needs its reason."},
    )
    evidence = forms.CharField(
        label="What evidence was considered?",
        error_messages={"required": "Say what evidence was considered, even if there was little."},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the last four checkpoints, usage figures or user research.",
    )
    decided_by = forms.CharField(
        label="Who decided?",
        max_length=200,
        help_text="A person or a group, for example the Digital Investment Board.",
        error_messages={"required": "Say who made the decision."},
    )
    decided_on = forms.DateField(
        label="Date of the decision",
        widget=DateInput(),
        error_messages={"required": "Enter the date of the decision.", "invalid": "Enter a real date."},
    )

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = Decision.allowed_kinds(initiative.status)
        self.fields["kind"].choices = [(k, Decision.Kind(k).label) for k in allowed]  # type: ignore[attr-defined]
        self.fields["kind"].widget.hints = {  # type: ignore[attr-defined]
            str(k): DECISION_HINTS[Decision.Kind(k)] for k in allowed
        }
        self.apply_nhs_classes()

    def clean_rationale(self) -> str:
        value = self.cleaned_data["rationale"].strip()
        if not value:
            raise forms.ValidationError("Write down why: every decision needs its reason.")
        return _readable(bounds.check_reason, value, what="why it was decided")

    def clean_evidence(self) -> str:
        return _readable(bounds.check_reason, self.cleaned_data["evidence"].strip(), what="the evidence considered")

    def clean_decided_by(self) -> str:
        return _readable(bounds.check_name, self.cleaned_data["decided_by"].strip())

    def clean_decided_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the decision cannot be in the future.")
        return value


class ReversalForm(DecisionForm):
    """A reversal of a decision recorded by mistake: the same record as any decision (why, the
    evidence, who and when) without the choice of kind, which is always a reversal."""

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, initiative=decision.initiative, **kwargs)
        del self.fields["kind"]
        self.fields["rationale"].label = "Why is the decision reversed?"
        self.fields["rationale"].help_text = (
            "For example, it was recorded against the wrong initiative, or the board reconsidered. "
            "It will be shown beside the decision in the decision log."
        )
        self.fields["rationale"].error_messages["required"] = "Write down why the decision is reversed."
        self.fields["evidence"].label = "What evidence was considered?"


SCORE_CHOICES = [
    (1, "Rare (1)"),
    (2, "Unlikely (2)"),
    (3, "Possible (3)"),
    (4, "Likely (4)"),
    (5, "Almost certain (5)"),
]
CONSEQUENCE_CHOICES = [
    (1, "Negligible (1)"),
    (2, "Minor (2)"),
    (3, "Moderate (3)"),
    (4, "Major (4)"),
    (5, "Catastrophic (5)"),
]


class RiskForm(NHSFormMixin, forms.ModelForm):
    owner = _person_field("Risk owner", required=True)
    likelihood = forms.TypedChoiceField(
        coerce=int,
        choices=SCORE_CHOICES,
        widget=forms.RadioSelect,
        label="Likelihood",
        error_messages={"required": "Choose how likely the risk is."},
    )
    consequence = forms.TypedChoiceField(
        coerce=int,
        choices=CONSEQUENCE_CHOICES,
        widget=forms.RadioSelect,
        label="Consequence",
        error_messages={"required": "Choose how bad the consequence would be."},
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "likelihood",
            "consequence",
            "owner",
            "mitigation",
            "next_review",
            "status",
            "principal_risk",
        ]
        labels = {
            "principal_risk": "Principal risk on the board assurance framework (optional)",
            "title": "Risk",
            "description": "Description (optional)",
            "mitigation": "What is being done about it? (optional)",
            "next_review": "Next review date",
            "status": "Is the risk still open?",
        }
        help_texts = {"title": "A short description of what could go wrong."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "next_review": DateInput(),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organisation)  # type: ignore[attr-defined]
        self.fields["status"].choices = list(Risk.State.choices)  # type: ignore[attr-defined]
        if not self.instance.pk:
            del self.fields["status"]
        # The board assurance framework's open principal risks, reached through the link itself:
        # the portfolio does not import the board layer (ADR 29). One already linked stays offered.
        principal = self.fields["principal_risk"]
        linked = self.instance.principal_risk_id
        principal.queryset = principal.queryset.filter(  # type: ignore[attr-defined]
            Q(organisation=organisation) & (Q(status="open") | Q(pk=linked))
        )
        principal.empty_label = "Not linked"  # type: ignore[attr-defined]
        principal.help_text = "The board-level risk this one adds to, if any."
        self.apply_nhs_classes()


class CommentForm(NHSFormMixin, forms.Form):
    """Shown on the initiative page, posted to its own address: it carries its submission token
    from the start, so a double click posts it once."""

    body = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a comment before posting it."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.offer_submission()
        self.apply_nhs_classes()


class GoalForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = StrategicGoal
        fields = ["title", "description", "order"]
        labels = {"title": "Goal", "description": "Description (optional)", "order": "Position in the list"}
        help_texts = {"order": "Lower numbers are listed first."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].widget.attrs.update({"class": "nhsuk-input--width-4", "inputmode": "numeric"})
        self.apply_nhs_classes()


class ServiceForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "description"]
        labels = {"name": "Service name", "description": "Description (optional)"}
        help_texts = {"name": "For example, the electronic patient record or outpatients."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.apply_nhs_classes()

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        clash = Service.objects.for_organisation(self.organisation).filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a service with this name.")
        return name


class SettingsForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["wip_limit", "confidence_scale", "first_release_weeks"]
        labels = {
            "wip_limit": "Work-in-progress limit",
            "confidence_scale": "Delivery confidence scale",
            "first_release_weeks": "Weeks to a first release to real users",
        }
        help_texts = {
            "wip_limit": "The most initiatives you will run at once. Fewer, finished, beats many, started.",
            "confidence_scale": "Checkpoints already recorded keep their rating.",
            "first_release_weeks": "An initiative with nothing in real users' hands this many weeks after it "
            "started is flagged on the money pages. 12 weeks is a common aim.",
        }
        widgets = {"confidence_scale": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wip_limit"].widget.attrs.update({"class": "nhsuk-input--width-4", "inputmode": "numeric"})
        self.fields["confidence_scale"].choices = list(Organisation.ConfidenceScale.choices)  # type: ignore[attr-defined]
        weeks = self.fields["first_release_weeks"]
        weeks.widget.attrs.update({"class": "nhsuk-input--width-4", "inputmode": "numeric"})
        # Left empty, the setting keeps its current value (older forms and scripts do not send it).
        weeks.required = False
        hold_to(weeks, minimum=1, maximum=bounds.MAX_WEEKS)
        self.apply_nhs_classes()

    def clean_first_release_weeks(self) -> int:
        weeks = self.cleaned_data.get("first_release_weeks")
        return int(weeks) if weeks is not None else int(self.instance.first_release_weeks)


SORTS = {
    "reference": "reference",
    "title": "title",
    "phase": "phase",
    "status": "status",
    "go_live": "planned_go_live",
    "confidence": "confidence_rank",
}


class RiskFilterForm(NHSFormMixin, forms.Form):
    """The risk register's filters."""

    level = forms.ChoiceField(
        label="Level",
        required=False,
        choices=[("", "Any level"), ("extreme", "Extreme"), ("high", "High"), ("moderate", "Moderate"), ("low", "Low")],
    )
    review_overdue = forms.BooleanField(label="Only risks past their review date", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_nhs_classes()


class PortfolioFilterForm(NHSFormMixin, forms.Form):
    q = forms.CharField(label="Search", required=False, help_text="Title, reference or problem.")
    status = forms.ChoiceField(label="Status", required=False)
    phase = forms.ChoiceField(label="Phase", required=False)
    goal = forms.TypedChoiceField(label="Goal", required=False, coerce=int, empty_value=None)
    confidence = forms.ChoiceField(label="Latest confidence", required=False)
    overdue = forms.BooleanField(label="Only initiatives with an overdue checkpoint", required=False)
    asks = forms.BooleanField(
        label="Only initiatives asking the board for a decision",
        required=False,
        help_text="In this week's or last week's checkpoint.",
    )
    week = forms.DateField(
        label="Checkpoint for the week of",
        required=False,
        widget=DateInput(),
        help_text="Any day of the week; the week starts on its Monday.",
    )
    week_confidence = forms.ChoiceField(label="Rating that week", required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput)
    order = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", "Any status"),
            *Status.choices,
            (CURRENT, "Proposed, active or paused"),
        ]
        self.fields["phase"].choices = [("", "Any phase"), *Phase.choices]  # type: ignore[attr-defined]
        self.fields["goal"].choices = [  # type: ignore[attr-defined]
            ("", "Any goal"),
            *StrategicGoal.objects.for_organisation(organisation).values_list("pk", "title"),
        ]
        self.fields["confidence"].choices = [  # type: ignore[attr-defined]
            ("", "Any confidence"),
            ("none", "No checkpoint yet"),
            *confidence_choices(organisation),
        ]
        self.fields["week_confidence"].choices = [  # type: ignore[attr-defined]
            ("", "Sent, any rating"),
            ("none", "Not sent"),
            *Confidence.choices,
        ]
        self.apply_nhs_classes()

    def clean_week(self) -> dt.date | None:
        week: dt.date | None = self.cleaned_data.get("week")
        return week_start(week) if week else None

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("week_confidence") and not cleaned.get("week"):
            self.add_error("week", "Enter the week the rating was given in, or choose “Sent, any rating”")
        return cleaned
