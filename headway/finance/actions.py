"""Writes for money: funding lines, business cases and their lines, optimism-bias scores, actuals.

Each is atomic, keyword-only and takes the acting person as `by` (None for automated jobs), and
leaves a django-simple-history record saying who made the change. Every rule that protects the
organisation boundary is checked here as well as in the forms, so no path (a form, the demo
loader, a future import) can link one trust's business case to another trust's metric or person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from headway import derived
from headway.accounts.models import Organisation, User
from headway.accounts.people import is_member
from headway.concurrency import lock_for_create
from headway.finance.models import (
    Actual,
    BenefitLine,
    BiasFactor,
    BusinessCase,
    CostLine,
    FundingLine,
    Mitigation,
    MoneyKind,
    ProjectType,
    check_financial_year,
)
from headway.history import apply_fields, stamp
from headway.lib.financial_years import year_label, year_start
from headway.metrics.models import Metric
from headway.portfolio.models import Initiative


def _changed(initiative_id: int) -> None:
    """The money is read by the pitfall findings, stored per organisation (ADR 26)."""
    derived.organisation_changed(
        Initiative.objects.filter(pk=initiative_id).values_list("organisation_id", flat=True).first()
    )


def default_project_type() -> ProjectType:
    """The type new business cases start with (equipment and development, which covers IT)."""
    project_type = ProjectType.objects.filter(is_default=True).first() or ProjectType.objects.first()
    if project_type is None:
        raise ValidationError("The optimism-bias reference data is missing: run the database migrations.")
    return project_type


def _check_member(organisation: Organisation, person: User | None, field: str) -> None:
    if person is None:
        return
    if not is_member(organisation, person):
        raise ValidationError({field: "Choose a member of your organisation."})


def _check_metric(organisation: Organisation, metric: Metric | None) -> None:
    if metric is not None and metric.organisation_id != organisation.pk:
        raise ValidationError({"metric": "Choose one of your organisation's metrics."})


#: The most financial years a business case may cover, counting its first year: far longer than any
#: digital appraisal, and a bound on how many years the portfolio forecast has to simulate.
MAX_CASE_YEARS = 60


def _last_year(first_year: str) -> str:
    return year_label(year_start(first_year) + MAX_CASE_YEARS - 1)


def _check_year_in_case(case: BusinessCase, year: str, field: str = "financial_year") -> None:
    check_financial_year(year)
    if year_start(year) < year_start(case.first_year):
        raise ValidationError(
            {
                field: f"{year} is before the business case's first year, {case.first_year}. "
                "Change the case's first year, or choose a later year."
            }
        )
    if year_start(year) - year_start(case.first_year) >= MAX_CASE_YEARS:
        raise ValidationError(
            {
                field: f"{year} is too far ahead: a business case covers at most {MAX_CASE_YEARS} financial years, "
                f"so this one, starting in {case.first_year}, can run to {_last_year(case.first_year)} at the latest."
            }
        )


# Funding -------------------------------------------------------------------------------------


@transaction.atomic
def save_funding_line(
    *, initiative: Initiative, by: User | None, fields: Mapping[str, Any], line: FundingLine | None = None
) -> FundingLine:
    line = line or FundingLine(initiative=initiative, created_by=by)
    if line.initiative_id != initiative.pk:
        raise ValidationError("This funding line belongs to another initiative.")
    apply_fields(line, fields)
    line.full_clean(exclude=["initiative", "created_by"])
    stamp(line, by, "Added" if line.pk is None else "Changed")
    line.save()
    derived.organisation_changed(initiative.organisation_id)
    return line


@transaction.atomic
def delete_funding_line(*, line: FundingLine, by: User | None) -> None:
    stamp(line, by, "Removed")
    line.delete()
    _changed(line.initiative_id)


@transaction.atomic
def release_funding(
    *, initiative: Initiative, by: User | None, lines: Sequence[FundingLine], reason: str
) -> list[FundingLine]:
    """Hand back future funding an initiative no longer needs (ADR 20): each line goes, and the
    history keeps it with `reason` (the decision that led to it). Only requested or approved
    lines can be released; committed or spent money is not the portfolio's to hand back."""
    if not lines:
        raise ValidationError({"lines": "Choose the funding to release, or keep it all."})
    for line in lines:
        if line.initiative_id != initiative.pk:
            raise ValidationError("This funding line belongs to another initiative.")
        if line.state not in FundingLine.RELEASABLE:
            raise ValidationError(
                f"The {line.financial_year} {line.get_kind_display().lower()} funding is "
                f"{line.get_state_display().lower()}, so it cannot be released."
            )
    for line in lines:
        stamp(line, by, reason)
        line.delete()
    derived.organisation_changed(initiative.organisation_id)
    return list(lines)


# Business cases ------------------------------------------------------------------------------


@dataclass
class CaseSaved:
    """What saving a business case did beyond the fields, for the person to be told."""

    case: BusinessCase
    # Optimism-bias scores removed because their risk area does not apply to the new project type,
    # each described with its score and evidence.
    removed_scores: list[str] = field(default_factory=list)
    # Risk areas whose scores were kept (the new type has a risk area of the same name).
    kept_scores: list[str] = field(default_factory=list)
    # Copying from an earlier stage: what was copied and what was left out.
    copied_costs: int = 0
    copied_benefits: int = 0
    lines_before_first_year: int = 0
    lines_after_last_year: int = 0
    scores_not_copied: list[str] = field(default_factory=list)

    @property
    def lines_left_out(self) -> int:
        return self.lines_before_first_year + self.lines_after_last_year


@transaction.atomic
def save_business_case(
    *,
    initiative: Initiative,
    by: User | None,
    fields: Mapping[str, Any],
    case: BusinessCase | None = None,
    copy_from: BusinessCase | None = None,
) -> BusinessCase:
    """Create or change a business case. A new case may start as a copy of an earlier stage's
    costs, benefits and optimism-bias scores, which is how a full case grows from an outline one.
    `save_business_case_reporting` does the same and says what else changed."""
    return save_business_case_reporting(
        initiative=initiative, by=by, fields=fields, case=case, copy_from=copy_from
    ).case


@transaction.atomic
def save_business_case_reporting(
    *,
    initiative: Initiative,
    by: User | None,
    fields: Mapping[str, Any],
    case: BusinessCase | None = None,
    copy_from: BusinessCase | None = None,
) -> CaseSaved:
    """`save_business_case`, saying what else it did: the optimism-bias scores it removed or kept
    when the project type changed, and what a copy from an earlier stage left out.

    Changing the project type keeps each score whose risk area the new type also has (by name, such
    as "Inadequacy of the business case"), moving it to the new type's risk area, and removes the
    rest (the history keeps them)."""
    creating = case is None
    # Two cases for one stage at once: the second waits, then is told the stage has one.
    lock_for_create(Initiative.objects.filter(pk=initiative.pk))
    case = case or BusinessCase(initiative=initiative, created_by=by)
    if case.initiative_id != initiative.pk:
        raise ValidationError("This business case belongs to another initiative.")
    # The stored type, not the instance's: a model form has already put the new type on the instance.
    old_type_id = (
        None if creating else BusinessCase.objects.filter(pk=case.pk).values_list("project_type_id", flat=True).get()
    )
    apply_fields(case, fields)
    if case.project_type_id is None:
        case.project_type = default_project_type()
    clash = BusinessCase.objects.filter(initiative=initiative, stage=case.stage)
    if not creating:
        clash = clash.exclude(pk=case.pk)
    if clash.exists():
        raise ValidationError(
            {"stage": f"{initiative.reference} already has a {case.get_stage_display().lower()}. Change that one."}
        )
    case.full_clean(exclude=["initiative", "created_by"])
    first_year = year_start(case.first_year)
    if not creating:
        years = [*case.costs.values_list("financial_year", flat=True)]
        years += case.benefits.values_list("financial_year", flat=True)
        earlier = [year for year in years if year_start(year) < first_year]
        if earlier:
            raise ValidationError(
                {
                    "first_year": f"The case has costs or benefits in {min(earlier)}, before {case.first_year}. "
                    "Choose a first year no later than that."
                }
            )
        too_late = [year for year in years if year_start(year) - first_year >= MAX_CASE_YEARS]
        if too_late:
            raise ValidationError(
                {
                    "first_year": f"The case has costs or benefits in {max(too_late)}, and a business case covers "
                    f"at most {MAX_CASE_YEARS} financial years, so its first year can be no earlier than "
                    f"{year_label(year_start(max(too_late)) - MAX_CASE_YEARS + 1)}."
                }
            )
    stamp(case, by, "Added" if creating else "Changed")
    case.save()
    saved = CaseSaved(case=case)
    if old_type_id is not None and old_type_id != case.project_type_id:
        _carry_scores_to_new_type(case, by, saved)
    if creating and copy_from is not None:
        _copy_lines(copy_from, case, by, saved)
    derived.organisation_changed(initiative.organisation_id)
    return saved


def _describe_score(mitigation: Mitigation) -> str:
    """ "Environmental impact (scored 0.5; evidence: “Assessed”)", for telling someone what was removed."""
    evidence = " ".join(mitigation.evidence.split())
    if len(evidence) > 120:
        evidence = evidence[:119].rstrip() + "…"
    said = f"evidence: “{evidence}”" if evidence else "no evidence given"
    return f"{mitigation.factor.name} (scored {Decimal(mitigation.mitigation).normalize():f}; {said})"


def _carry_scores_to_new_type(case: BusinessCase, by: User | None, saved: CaseSaved) -> None:
    """After a change of project type: keep each score whose risk area the new type has by the same
    name (moved to that risk area), and remove the others."""
    new_factors = {f.name: f for f in BiasFactor.objects.filter(project_type=case.project_type)}
    taken = set(case.mitigations.filter(factor__project_type=case.project_type).values_list("factor_id", flat=True))
    old = case.mitigations.exclude(factor__project_type=case.project_type).select_related("factor")
    for mitigation in old.order_by("factor__order", "pk"):
        match = new_factors.get(mitigation.factor.name)
        if match is not None and match.pk not in taken:
            mitigation.factor = match
            stamp(mitigation, by, f"Kept: “{match.name}” is a risk area of the new project type too")
            mitigation.save()
            taken.add(match.pk)
            saved.kept_scores.append(match.name)
        else:
            saved.removed_scores.append(_describe_score(mitigation))
            stamp(mitigation, by, f"Removed: “{case.project_type.name}” has no such risk area")
            mitigation.delete()


def _copy_lines(source: BusinessCase, target: BusinessCase, by: User | None, saved: CaseSaved) -> None:
    if source.initiative_id != target.initiative_id:
        raise ValidationError("A business case can only start from another case for the same initiative.")
    first_year = year_start(target.first_year)
    reason = f"Copied from the {source.get_stage_display().lower()}"

    def fits(year: str) -> bool:
        offset = year_start(year) - first_year
        if offset < 0:
            saved.lines_before_first_year += 1
            return False
        if offset >= MAX_CASE_YEARS:
            saved.lines_after_last_year += 1
            return False
        return True

    for cost in source.costs.all():
        if fits(cost.financial_year):
            copy = CostLine(
                business_case=target,
                financial_year=cost.financial_year,
                kind=cost.kind,
                category=cost.category,
                amount=cost.amount,
                note=cost.note,
            )
            stamp(copy, by, reason)
            copy.save()
            saved.copied_costs += 1
    for benefit in source.benefits.all():
        if fits(benefit.financial_year):
            copy_benefit = BenefitLine(
                business_case=target,
                financial_year=benefit.financial_year,
                kind=benefit.kind,
                description=benefit.description,
                amount=benefit.amount,
                owner=benefit.owner,
                metric=benefit.metric,
            )
            stamp(copy_benefit, by, reason)
            copy_benefit.save()
            saved.copied_benefits += 1
    # Scores carry over for the risk areas the new case's project type has (by name).
    factors = {f.name: f for f in BiasFactor.objects.filter(project_type=target.project_type)}
    for mitigation in source.mitigations.select_related("factor").order_by("factor__order", "pk"):
        match = factors.get(mitigation.factor.name)
        if match is None:
            saved.scores_not_copied.append(_describe_score(mitigation))
            continue
        copy_mitigation = Mitigation(
            business_case=target,
            factor=match,
            mitigation=mitigation.mitigation,
            evidence=mitigation.evidence,
        )
        stamp(copy_mitigation, by, reason)
        copy_mitigation.save()


@transaction.atomic
def delete_business_case(*, case: BusinessCase, by: User | None) -> None:
    stamp(case, by, "Removed")
    case.delete()
    _changed(case.initiative_id)


# Costs and benefits --------------------------------------------------------------------------


def _check_amounts(case: BusinessCase, amounts: Mapping[str, int]) -> None:
    if not amounts:
        raise ValidationError({"amounts": "Give at least one financial year and amount."})
    for year, amount in amounts.items():
        _check_year_in_case(case, year, "amounts")
        if amount < 0:
            raise ValidationError({"amounts": "An amount cannot be negative."})


@transaction.atomic
def add_cost_lines(
    *,
    case: BusinessCase,
    by: User | None,
    kind: str,
    category: str,
    amounts: Mapping[str, int],
    note: str = "",
) -> list[CostLine]:
    """One cost line for each financial year given ({year: pounds}), all of one kind and category."""
    _check_amounts(case, amounts)
    lines = []
    for year, amount in sorted(amounts.items()):
        line = CostLine(
            business_case=case, financial_year=year, kind=kind, category=category, amount=amount, note=note.strip()
        )
        line.full_clean(exclude=["business_case"])
        stamp(line, by, "Added")
        line.save()
        lines.append(line)
    _changed(case.initiative_id)
    return lines


@transaction.atomic
def save_cost_line(*, line: CostLine, by: User | None, fields: Mapping[str, Any]) -> CostLine:
    apply_fields(line, fields)
    line.full_clean(exclude=["business_case"])
    _check_year_in_case(line.business_case, line.financial_year)
    stamp(line, by, "Changed")
    line.save()
    _changed(line.business_case.initiative_id)
    return line


@transaction.atomic
def delete_cost_line(*, line: CostLine, by: User | None) -> None:
    initiative_id = line.business_case.initiative_id
    stamp(line, by, "Removed")
    line.delete()
    _changed(initiative_id)


@transaction.atomic
def add_benefit_lines(
    *,
    case: BusinessCase,
    by: User | None,
    kind: str,
    description: str,
    owner: User,
    amounts: Mapping[str, int],
    metric: Metric | None = None,
) -> list[BenefitLine]:
    """One benefit line for each financial year given ({year: pounds, 0 where not valued in pounds})."""
    organisation = case.initiative.organisation
    _check_member(organisation, owner, "owner")
    _check_metric(organisation, metric)
    _check_amounts(case, amounts)
    lines = []
    for year, amount in sorted(amounts.items()):
        line = BenefitLine(
            business_case=case,
            financial_year=year,
            kind=kind,
            description=description.strip(),
            amount=amount,
            owner=owner,
            metric=metric,
        )
        line.full_clean(exclude=["business_case"])
        stamp(line, by, "Added")
        line.save()
        lines.append(line)
    _changed(case.initiative_id)
    return lines


@transaction.atomic
def save_benefit_line(*, line: BenefitLine, by: User | None, fields: Mapping[str, Any]) -> BenefitLine:
    organisation = line.business_case.initiative.organisation
    apply_fields(line, fields)
    _check_member(organisation, line.owner, "owner")
    _check_metric(organisation, line.metric)
    line.full_clean(exclude=["business_case"])
    _check_year_in_case(line.business_case, line.financial_year)
    stamp(line, by, "Changed")
    line.save()
    _changed(line.business_case.initiative_id)
    return line


@transaction.atomic
def delete_benefit_line(*, line: BenefitLine, by: User | None) -> None:
    initiative_id = line.business_case.initiative_id
    stamp(line, by, "Removed")
    line.delete()
    _changed(initiative_id)


# Optimism bias -------------------------------------------------------------------------------


@transaction.atomic
def set_mitigations(
    *, case: BusinessCase, by: User | None, scores: Mapping[int, tuple[Decimal, str]]
) -> list[Mitigation]:
    """Record how far the case manages each risk area: {factor id: (0 to 1, the evidence)}.

    Factors not named keep their score. A factor of another project type is refused.
    """
    factors = {f.pk: f for f in BiasFactor.objects.filter(project_type=case.project_type)}
    errors = []
    for factor_id, (score, _) in scores.items():
        if factor_id not in factors:
            errors.append("A score was given for a risk area that is not part of this case's project type.")
        elif not Decimal(0) <= Decimal(score) <= Decimal(1):
            errors.append(f"{factors[factor_id].name}: give a number from 0 (not managed) to 1 (fully managed).")
    if errors:
        raise ValidationError(errors)
    existing = {m.factor_id: m for m in case.mitigations.all()}
    saved = []
    for factor_id, (score, evidence) in scores.items():
        mitigation = existing.get(factor_id) or Mitigation(business_case=case, factor=factors[factor_id])
        changed = mitigation.pk is None or mitigation.mitigation != score or mitigation.evidence != evidence.strip()
        mitigation.mitigation = Decimal(score)
        mitigation.evidence = evidence.strip()
        mitigation.full_clean(exclude=["business_case", "factor"])
        if changed:
            stamp(mitigation, by, "Scored")
            mitigation.save()
        saved.append(mitigation)
    _changed(case.initiative_id)
    return saved


# Actuals -------------------------------------------------------------------------------------


@transaction.atomic
def save_actual(
    *, initiative: Initiative, by: User | None, fields: Mapping[str, Any], actual: Actual | None = None
) -> Actual:
    """Record what was really spent, or what benefit was really realised, in a financial year."""
    actual = actual or Actual(initiative=initiative, recorded_by=by)
    if actual.initiative_id != initiative.pk:
        raise ValidationError("This record belongs to another initiative.")
    apply_fields(actual, fields)
    if actual.kind == Actual.Kind.SPEND:
        if actual.money_kind not in MoneyKind.values:
            raise ValidationError({"money_kind": "Say whether the spend was capital or revenue."})
        actual.benefit = None
    if actual.benefit is not None and actual.benefit.business_case.initiative_id != initiative.pk:
        raise ValidationError({"benefit": f"Choose one of {initiative.reference}'s benefits."})
    actual.full_clean(exclude=["initiative", "recorded_by"])
    stamp(actual, by, "Recorded" if actual.pk is None else "Changed")
    actual.save()
    derived.organisation_changed(initiative.organisation_id)
    return actual


@transaction.atomic
def delete_actual(*, actual: Actual, by: User | None) -> None:
    stamp(actual, by, "Removed")
    actual.delete()
    _changed(actual.initiative_id)
