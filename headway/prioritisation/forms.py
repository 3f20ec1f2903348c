"""Forms for prioritisation, drawn in the NHS design system.

A candidate's money comes from its business case or funding lines (`costs.py`); it is typed
here only to override them, with a reason. Money and team days are typed one line at a time
(for example `2026/27 | £250,000 | £40,000`), which reads well, works without JavaScript and
with a screen reader, and keeps every figure in view. Choices of other candidates come from the
same round only, so a forged post naming another round's candidate fails validation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from headway.forms import DateInput, NHSFormMixin
from headway.lib import bounds, money
from headway.lib.errors import InputError
from headway.lib.financial_years import normalise_financial_year
from headway.lib.quarters import normalise_financial_quarter
from headway.prioritisation.actions import Input, check_financial_year, check_quarter, pause_field, reason_field
from headway.prioritisation.models import Candidate, Combine, Method, Round, RoundChange

MONEY_HINT = (
    "One financial year a line: the year, capital and revenue in pounds, split by |. "
    "For example: 2026/27 | £250,000 | £40,000"
)
# Days of a team's time in one quarter: a team of a thousand people working every day of it.
MAX_TEAM_DAYS = 100_000
DEMAND_HINT = (
    "One line for each team and quarter: the team, the quarter and the days, split by |. "
    "For example: Integration team | 2026/27 Q1 | 20. Q1 is April to June."
)


def parse_pounds(text: str, line: int) -> int:
    """Whole pounds as `headway.lib.money` reads them ("£250,000", "250k", "1.2m")."""
    try:
        return money.parse_pounds(text)
    except InputError as error:
        raise ValidationError(f"Line {line}: {error}") from error


def _financial_year(text: str) -> str:
    try:
        label = normalise_financial_year(text)
    except InputError as error:
        raise ValidationError(str(error)) from error
    return check_financial_year(label)


def _quarter(text: str) -> str:
    try:
        label = normalise_financial_quarter(text)
    except InputError as error:
        raise ValidationError(str(error)) from error
    return check_quarter(label)


def parse_money(text: str) -> dict[str, dict[str, int]]:
    money_by_year: dict[str, dict[str, int]] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 3:
            errors.append(f"Line {number}: give the year, capital and revenue, split by |.")
            continue
        try:
            year = _financial_year(parts[0])
            if year in money_by_year:
                raise ValidationError(f"{year} is given twice.")
            money_by_year[year] = {
                "capital": parse_pounds(parts[1], number),
                "revenue": parse_pounds(parts[2], number),
            }
        except ValidationError as error:
            errors += [f"Line {number}: {m}" if not m.startswith("Line") else m for m in error.messages]
    if errors:
        raise ValidationError(errors)
    return money_by_year


def parse_days(text: str) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 3 or not parts[0]:
            errors.append(f"Line {number}: give the team, the quarter and the days, split by |.")
            continue
        try:
            quarter = _quarter(parts[1])
            digits = parts[2].replace(",", "")
            if not re.fullmatch(r"\d+", digits):
                raise ValidationError(f"‘{parts[2]}’ is not a whole number of days.")
            if len(digits) > len(str(MAX_TEAM_DAYS)) or int(digits) > MAX_TEAM_DAYS:
                raise ValidationError(f"a team has at most {MAX_TEAM_DAYS:,} days in a quarter: check the number.")
            if len(parts[0]) > bounds.SHORT_TEXT:
                raise ValidationError(f"keep the team's name to {bounds.SHORT_TEXT} characters or fewer.")
            if quarter in days.get(parts[0], {}):
                raise ValidationError(f"{parts[0]} {quarter} is given twice.")
            days.setdefault(parts[0], {})[quarter] = int(digits)
        except ValidationError as error:
            errors += [f"Line {number}: {m}" for m in error.messages]
    if errors:
        raise ValidationError(errors)
    return days


def money_text(amounts: dict[str, Any]) -> str:
    return "\n".join(
        f"{year} | {money.pounds(int(m.get('capital', 0)))} | {money.pounds(int(m.get('revenue', 0)))}"
        for year, m in sorted(amounts.items())
    )


def days_text(days: dict[str, Any]) -> str:
    return "\n".join(
        f"{team} | {quarter} | {int(d)}"
        for team, quarters in sorted(days.items())
        for quarter, d in sorted(quarters.items())
    )


class RoundForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "held_on", "method", "combine", "wip_limit"]
        widgets = {
            "held_on": DateInput(),
            "method": forms.RadioSelect,
            "combine": forms.RadioSelect,
        }
        help_texts = {
            "method": "Weighted criteria suits most rounds. WSJF favours quick, urgent work; RICE favours "
            "work that reaches many people for little effort.",
            "combine": "The middle score is less swayed by one scorer far from the rest.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = Method.choices  # type: ignore[attr-defined]
        self.fields["combine"].choices = Combine.choices  # type: ignore[attr-defined]
        self.fields["wip_limit"].widget.attrs.update({"class": "nhsuk-input--width-4", "inputmode": "numeric"})
        self.apply_nhs_classes()


class CapacityForm(NHSFormMixin, forms.Form):
    shows_saved_values = True
    budgets = forms.CharField(
        label="Budgets by financial year",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=MONEY_HINT,
    )
    teams = forms.CharField(
        label="Team days by quarter", widget=forms.Textarea(attrs={"rows": 8}), required=False, help_text=DEMAND_HINT
    )
    wip_limit = forms.IntegerField(
        label="Most initiatives in progress at once (optional)",
        required=False,
        min_value=1,
        help_text="The work-in-progress limit. Leave empty for no limit.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_nhs_classes()

    def clean_budgets(self) -> dict[str, dict[str, int]]:
        return parse_money(self.cleaned_data["budgets"])

    def clean_teams(self) -> dict[str, dict[str, int]]:
        return parse_days(self.cleaned_data["teams"])


class CandidateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.initiative.reference} {obj.initiative.title}"


class CandidateForm(NHSFormMixin, forms.Form):
    shows_saved_values = True
    must_do = forms.BooleanField(label="This must be done (for example, a legal or safety duty)", required=False)
    must_do_reason = forms.CharField(
        label="Why it must be done",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed if it must be done.",
    )
    costs = forms.CharField(
        label="Cost still to spend, by financial year, if not the finance figures (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave empty to use the initiative's latest business case or, if it has none, its funding "
        "lines. " + MONEY_HINT,
    )
    costs_reason = forms.CharField(
        label="Why this round does not use the finance figures",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed if you enter the cost here.",
    )
    committed = forms.CharField(
        label="Money already committed, by financial year",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Spent or contracted already, whatever the round decides; it comes off the budget. " + MONEY_HINT,
    )
    team_demand = forms.CharField(
        label="Team days it needs", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=DEMAND_HINT
    )
    requires = CandidateChoiceField(
        queryset=Candidate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="It can only go ahead if these go ahead too (optional)",
        error_messages={"invalid_choice": "Choose only initiatives in this round."},
    )
    exclusive_with = CandidateChoiceField(
        queryset=Candidate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only one of it and these can go ahead (optional)",
        help_text="For example, two ways of meeting the same need.",
        error_messages={"invalid_choice": "Choose only initiatives in this round."},
    )

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = (
            candidate.round.candidates.exclude(pk=candidate.pk)
            .select_related("initiative")
            .order_by("initiative__reference")
        )
        self.fields["requires"].queryset = others  # type: ignore[attr-defined]
        self.fields["exclusive_with"].queryset = others  # type: ignore[attr-defined]
        self.apply_nhs_classes()

    def clean_costs(self) -> dict[str, dict[str, int]]:
        return parse_money(self.cleaned_data["costs"])

    def clean_committed(self) -> dict[str, dict[str, int]]:
        return parse_money(self.cleaned_data["committed"])

    def clean_team_demand(self) -> dict[str, dict[str, int]]:
        return parse_days(self.cleaned_data["team_demand"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("must_do") and not (data.get("must_do_reason") or "").strip():
            self.add_error("must_do_reason", "Say why it must be done.")
        if data.get("costs") and not (data.get("costs_reason") or "").strip():
            self.add_error("costs_reason", "Say why this round does not use the business case or funding lines.")
        return data


def rating_field_name(candidate_id: int, key: str) -> str:
    return f"r_{candidate_id}_{key}"


def _is_short_scale(spec: Input) -> bool:
    return spec.step == 1 and spec.minimum == int(spec.minimum) and 0 < spec.maximum - spec.minimum <= 10


class ScoreForm(NHSFormMixin, forms.Form):
    """One scorer's ratings for every candidate: a menu (short scales) or number field per candidate and input."""

    shows_saved_values = True

    def __init__(self, *args: Any, candidates: Sequence[Candidate], inputs: Sequence[Input], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.inputs = list(inputs)
        for candidate in self.candidates:
            for spec in self.inputs:
                name = rating_field_name(candidate.pk, spec.key)
                message = f"Give a number from {spec.minimum:g} to {spec.maximum:g}."
                widget: forms.Widget
                if _is_short_scale(spec):
                    # A 1–5 rating is a choice, not a measurement: a menu is quicker and cannot be mistyped.
                    steps = range(int(spec.minimum), int(spec.maximum) + 1)
                    widget = forms.Select(
                        choices=[("", "–"), *((str(v), str(v)) for v in steps)], attrs={"class": "app-select--rating"}
                    )
                else:
                    widget = forms.NumberInput(
                        attrs={
                            "min": f"{spec.minimum:g}",
                            "max": f"{spec.maximum:g}",
                            "step": f"{spec.step:g}",
                            "class": "nhsuk-input--width-4",
                        }
                    )
                self.fields[name] = forms.FloatField(
                    label=f"{spec.label} for {candidate.initiative.reference}",
                    required=False,
                    min_value=spec.minimum,
                    max_value=spec.maximum,
                    error_messages={"invalid": message, "min_value": message, "max_value": message},
                    widget=widget,
                )
                value = self.initial.get(name)
                if isinstance(value, float) and value.is_integer():
                    self.initial[name] = str(int(value)) if _is_short_scale(spec) else int(value)
        self.apply_nhs_classes()

    def rows(self) -> list[tuple[Candidate, list[forms.BoundField]]]:
        return [(c, [self[rating_field_name(c.pk, spec.key)] for spec in self.inputs]) for c in self.candidates]

    def ratings(self) -> dict[int, dict[str, float | None]]:
        return {
            c.pk: {spec.key: self.cleaned_data.get(rating_field_name(c.pk, spec.key)) for spec in self.inputs}
            for c in self.candidates
        }


def _reads_as_a_reason(value: str) -> None:
    try:
        bounds.check_reason(value.strip(), what="the reason")
    except bounds.BoundsError as error:
        raise ValidationError(str(error)) from None


class ChangesForm(NHSFormMixin, forms.Form):
    """The changes page as one form: a reason for each change (a stop can be made a pause
    instead) for those who write them, and who decided and when for those who close the round.

    Closing posts the reasons with it, so nothing typed is lost on the way to a decision; a
    refusal shows every field again as it was typed, with each missing reason named against its
    initiative. Who decided and when are needed only to close.
    """

    CLOSE_FIELDS = ("decided_by", "decided_on")

    def __init__(
        self,
        *args: Any,
        changes: Sequence[RoundChange],
        can_edit: bool = True,
        can_close: bool = False,
        closing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.changes = list(changes)
        self.can_edit = can_edit
        self.closing = closing
        if can_edit:
            for change in self.changes:
                label = f"Why {change.get_change_display().lower()} {change.initiative.reference}"
                self.fields[reason_field(change.initiative_id)] = forms.CharField(
                    label=label,
                    required=False,
                    initial=change.reason,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    # The reason becomes the decision's, read by the board later: the decision form's rule.
                    validators=[_reads_as_a_reason],
                )
                if change.change in (RoundChange.Kind.STOPPED, RoundChange.Kind.PAUSED):
                    self.fields[pause_field(change.initiative_id)] = forms.BooleanField(
                        label=f"Pause {change.initiative.reference} instead of stopping it",
                        required=False,
                        initial=change.change == RoundChange.Kind.PAUSED,
                    )
        if can_close or closing:
            self.fields["decided_by"] = forms.CharField(
                label="Who decided",
                max_length=200,
                required=False,
                help_text="The person or group, for example the Digital Board.",
            )
            self.fields["decided_on"] = forms.DateField(
                label="Date of the decision",
                required=False,
                widget=DateInput(),
                error_messages={"invalid": "Give the date of the decision as a real date, for example 20/4/2026."},
            )
        self.apply_nhs_classes()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.closing:
            # Saving the reasons only: who decided and when are kept as typed, but not checked.
            for name in self.CLOSE_FIELDS:
                self.errors.pop(name, None)
            return data
        # Who decided is checked by `close_round`, with the reasons, so one refusal names them all.
        if "decided_on" in self.fields and data.get("decided_on") is None and "decided_on" not in self.errors:
            self.add_error("decided_on", "Give the date of the decision.")
        return data

    def rows(self) -> list[tuple[RoundChange, forms.BoundField, forms.BoundField | None]]:
        return [
            (
                c,
                self[reason_field(c.initiative_id)],
                self[pause_field(c.initiative_id)] if pause_field(c.initiative_id) in self.fields else None,
            )
            for c in self.changes
        ]

    def _posted(self) -> list[RoundChange]:
        # Only the changes whose reason came with the post: a post without them (a close from
        # another page, say) leaves the reasons already written as they are.
        if not self.can_edit:
            return []
        return [c for c in self.changes if reason_field(c.initiative_id) in self.data]

    def reasons(self) -> dict[int, str] | None:
        """{initiative id: reason} as posted, or None when none were (nothing to write). Fields
        are named by the initiative, which a change keeps however often the changes are worked out
        again (the page works them out in memory; they are stored when saved)."""
        posted = self._posted()
        return (
            {c.initiative_id: self.cleaned_data.get(reason_field(c.initiative_id), "") for c in posted}
            if posted
            else None
        )

    def paused(self) -> list[int] | None:
        """The initiatives whose stop is made a pause, or None when no reasons were posted (the
        pauses stay as they are)."""
        if not self._posted():
            return None
        return [c.initiative_id for c in self.changes if self.cleaned_data.get(pause_field(c.initiative_id))]


class ScenarioForm(NHSFormMixin, forms.Form):
    note = forms.CharField(
        label="What this scenario tries",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: what if capital is cut by a tenth?",
    )
    budget_percent = forms.IntegerField(
        label="Budget as a percentage of the round's",
        initial=100,
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        help_text="100 keeps the budget as it is; 90 cuts it by a tenth.",
    )
    remove_team = forms.ChoiceField(label="Take away a team (optional)", required=False)
    add_must_do = CandidateChoiceField(
        queryset=Candidate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Make these must-do (optional)",
        error_messages={"invalid_choice": "Choose only initiatives in this round."},
    )
    must_do_reason = forms.CharField(
        label="Why they must be done", required=False, help_text="Needed if you make any must-do."
    )

    def __init__(self, *args: Any, round: Round, teams: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove_team"].choices = [("", "Keep every team")] + [(t, t) for t in teams]  # type: ignore[attr-defined]
        self.fields["add_must_do"].queryset = (  # type: ignore[attr-defined]
            round.candidates.filter(must_do=False).select_related("initiative").order_by("initiative__reference")
        )
        self.apply_nhs_classes()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("add_must_do") and not (data.get("must_do_reason") or "").strip():
            self.add_error("must_do_reason", "Say why they must be done.")
        return data
