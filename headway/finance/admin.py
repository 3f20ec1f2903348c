"""The installation admin for money: for support staff. Trusts change their money through the
finance pages, which keep the organisation boundary.

The optimism-bias reference data (project types and their risk areas) is edited here, so that a
new edition of the HM Treasury guidance is a data change, not a code change.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from headway.finance.models import (
    Actual,
    BenefitLine,
    BiasFactor,
    BusinessCase,
    CostLine,
    FundingLine,
    Mitigation,
    ProjectType,
    check_contributions,
)


class BiasFactorFormSet(BaseInlineFormSet):
    """A project type's risk areas, checked together: their shares of the bias may not add up to
    more than 100% (with the tolerance `forecast.resultant_bias` allows), so that the reference
    data cannot be saved in a state the money pages cannot use."""

    def clean(self) -> None:
        super().clean()
        contributions: list[tuple[Decimal | None, Decimal | None]] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            contributions.append((data.get("cost_contribution"), data.get("duration_contribution")))
        check_contributions(contributions)


class BiasFactorInline(admin.TabularInline):
    model = BiasFactor
    formset = BiasFactorFormSet
    extra = 0


@admin.register(ProjectType)
class ProjectTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "cost_upper", "cost_lower", "duration_upper", "duration_lower", "is_default", "order"]
    inlines = [BiasFactorInline]


@admin.register(BiasFactor)
class BiasFactorAdmin(SimpleHistoryAdmin):
    """Each risk area is changed with its project type (above); registered on its own so that its
    history has a page (ADR 22)."""

    list_display = ["name", "project_type", "cost_contribution", "duration_contribution"]
    list_select_related = ["project_type"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(FundingLine)
class FundingLineAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "financial_year", "kind", "source", "state", "purpose", "amount"]
    list_filter = ["state", "kind", "purpose"]
    list_select_related = ["initiative"]
    raw_id_fields = ["initiative", "created_by"]


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0


class BenefitLineInline(admin.TabularInline):
    model = BenefitLine
    extra = 0
    raw_id_fields = ["owner", "metric"]


class MitigationInline(admin.TabularInline):
    model = Mitigation
    extra = 0


@admin.register(BusinessCase)
class BusinessCaseAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "stage", "project_type", "first_year", "discount_rate", "approved_on"]
    list_filter = ["stage"]
    list_select_related = ["initiative", "project_type"]
    raw_id_fields = ["initiative", "created_by"]
    inlines = [CostLineInline, BenefitLineInline, MitigationInline]


@admin.register(Actual)
class ActualAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "financial_year", "kind", "money_kind", "amount"]
    list_filter = ["kind"]
    list_select_related = ["initiative"]
    raw_id_fields = ["initiative", "benefit", "recorded_by"]
