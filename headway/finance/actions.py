"""Writes for money: funding lines, business cases and their lines, optimism-bias scores, actuals.

Each is atomic, keyword-only and takes the acting person as `by` (None for automated jobs), and
leaves a django-simple-history record saying who made the change. Every rule that protects the
organisation boundary is checked here as well as in the forms, so no path (a form, the demo
loader, a future import) can link one trust's business case to another trust's metric or person.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from headway.accounts.models import Organisation, User
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
from headway.metrics.models import Metric
from headway.portfolio.models import Initiative


def _stamp(instance: Model, by: User | None, reason: str | None) -> None:
    if by is not None:
        instance._history_user = by  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


def _apply(instance: Model, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def fy_start(label: str) -> int:
    """2026 for "2026/27"."""
    return int(label[:4])


def default_project_type() -> ProjectType:
    """The type new business cases start with (equipment and development, which covers IT)."""
    project_type = ProjectType.objects.filter(is_default=True).first() or ProjectType.objects.first()
    if project_type is None:
        raise ValidationError("The optimism-bias reference data is missing: run the database migrations.")
    return project_type


def _check_member(organisation: Organisation, person: User | None, field: str) -> None:
    if person is None:
        return
    if not person.is_active or not person.memberships.filter(organisation=organisation).exists():
        raise ValidationError({field: "Choose a member of your organisation."})


def _check_metric(organisation: Organisation, metric: Metric | None) -> None:
    if metric is not None and metric.organisation_id != organisation.pk:
        raise ValidationError({"metric": "Choose one of your organisation's metrics."})


def _check_year_in_case(case: BusinessCase, year: str, field: str = "financial_year") -> None:
    check_financial_year(year)
    if fy_start(year) < fy_start(case.first_year):
        raise ValidationError(
            {
                field: f"{year} is before the business case's first year, {case.first_year}. "
                "Change the case's first year, or choose a later year."
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
    _apply(line, fields)
    line.full_clean(exclude=["initiative", "created_by"])
    _stamp(line, by, "Added" if line.pk is None else "Changed")
    line.save()
    return line


@transaction.atomic
def delete_funding_line(*, line: FundingLine, by: User | None) -> None:
    _stamp(line, by, "Removed")
    line.delete()


# Business cases ------------------------------------------------------------------------------


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
    costs, benefits and optimism-bias scores, which is how a full case grows from an outline one."""
    creating = case is None
    case = case or BusinessCase(initiative=initiative, created_by=by)
    if case.initiative_id != initiative.pk:
        raise ValidationError("This business case belongs to another initiative.")
    old_type_id = case.project_type_id if not creating else None
    _apply(case, fields)
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
    first_year = fy_start(case.first_year)
    if not creating:
        years = [*case.costs.values_list("financial_year", flat=True)]
        years += case.benefits.values_list("financial_year", flat=True)
        earlier = [year for year in years if fy_start(year) < first_year]
        if earlier:
            raise ValidationError(
                {
                    "first_year": f"The case has costs or benefits in {min(earlier)}, before {case.first_year}. "
                    "Choose a first year no later than that."
                }
            )
    _stamp(case, by, "Added" if creating else "Changed")
    case.save()
    if old_type_id is not None and old_type_id != case.project_type_id:
        # Scores for another project type's risk areas no longer apply.
        case.mitigations.exclude(factor__project_type=case.project_type).delete()
    if creating and copy_from is not None:
        _copy_lines(copy_from, case, by)
    return case


def _copy_lines(source: BusinessCase, target: BusinessCase, by: User | None) -> None:
    if source.initiative_id != target.initiative_id:
        raise ValidationError("A business case can only start from another case for the same initiative.")
    first_year = fy_start(target.first_year)
    for cost in source.costs.all():
        if fy_start(cost.financial_year) >= first_year:
            copy = CostLine(
                business_case=target,
                financial_year=cost.financial_year,
                kind=cost.kind,
                category=cost.category,
                amount=cost.amount,
                note=cost.note,
            )
            _stamp(copy, by, f"Copied from the {source.get_stage_display().lower()}")
            copy.save()
    for benefit in source.benefits.all():
        if fy_start(benefit.financial_year) >= first_year:
            copy_benefit = BenefitLine(
                business_case=target,
                financial_year=benefit.financial_year,
                kind=benefit.kind,
                description=benefit.description,
                amount=benefit.amount,
                owner=benefit.owner,
                metric=benefit.metric,
            )
            _stamp(copy_benefit, by, f"Copied from the {source.get_stage_display().lower()}")
            copy_benefit.save()
    if source.project_type_id == target.project_type_id:
        for mitigation in source.mitigations.all():
            copy_mitigation = Mitigation(
                business_case=target,
                factor_id=mitigation.factor_id,
                mitigation=mitigation.mitigation,
                evidence=mitigation.evidence,
            )
            _stamp(copy_mitigation, by, f"Copied from the {source.get_stage_display().lower()}")
            copy_mitigation.save()


@transaction.atomic
def delete_business_case(*, case: BusinessCase, by: User | None) -> None:
    _stamp(case, by, "Removed")
    case.delete()


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
        _stamp(line, by, "Added")
        line.save()
        lines.append(line)
    return lines


@transaction.atomic
def save_cost_line(*, line: CostLine, by: User | None, fields: Mapping[str, Any]) -> CostLine:
    _apply(line, fields)
    line.full_clean(exclude=["business_case"])
    _check_year_in_case(line.business_case, line.financial_year)
    _stamp(line, by, "Changed")
    line.save()
    return line


@transaction.atomic
def delete_cost_line(*, line: CostLine, by: User | None) -> None:
    _stamp(line, by, "Removed")
    line.delete()


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
        _stamp(line, by, "Added")
        line.save()
        lines.append(line)
    return lines


@transaction.atomic
def save_benefit_line(*, line: BenefitLine, by: User | None, fields: Mapping[str, Any]) -> BenefitLine:
    organisation = line.business_case.initiative.organisation
    _apply(line, fields)
    _check_member(organisation, line.owner, "owner")
    _check_metric(organisation, line.metric)
    line.full_clean(exclude=["business_case"])
    _check_year_in_case(line.business_case, line.financial_year)
    _stamp(line, by, "Changed")
    line.save()
    return line


@transaction.atomic
def delete_benefit_line(*, line: BenefitLine, by: User | None) -> None:
    _stamp(line, by, "Removed")
    line.delete()


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
            _stamp(mitigation, by, "Scored")
            mitigation.save()
        saved.append(mitigation)
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
    _apply(actual, fields)
    if actual.kind == Actual.Kind.SPEND:
        if actual.money_kind not in MoneyKind.values:
            raise ValidationError({"money_kind": "Say whether the spend was capital or revenue."})
        actual.benefit = None
    if actual.benefit is not None and actual.benefit.business_case.initiative_id != initiative.pk:
        raise ValidationError({"benefit": f"Choose one of {initiative.reference}'s benefits."})
    actual.full_clean(exclude=["initiative", "recorded_by"])
    _stamp(actual, by, "Recorded" if actual.pk is None else "Changed")
    actual.save()
    return actual


@transaction.atomic
def delete_actual(*, actual: Actual, by: User | None) -> None:
    _stamp(actual, by, "Removed")
    actual.delete()
