from django.urls import path

from headway.finance import views

app_name = "finance"

urlpatterns = [
    path("money/", views.overview, name="overview"),
    path("money/forecast/", views.forecast, name="forecast"),
    path("initiatives/<int:pk>/money/", views.initiative_money, name="initiative"),
    path("initiatives/<int:pk>/money/funding/new/", views.funding_add, name="funding_add"),
    path("initiatives/<int:pk>/money/release/", views.funding_release, name="funding_release"),
    path("money/funding/<int:pk>/edit/", views.funding_edit, name="funding_edit"),
    path("money/funding/<int:pk>/delete/", views.funding_delete, name="funding_delete"),
    path("initiatives/<int:pk>/money/business-cases/new/", views.case_add, name="case_add"),
    path("money/business-cases/<int:pk>/", views.case_detail, name="case"),
    path("money/business-cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("money/business-cases/<int:pk>/delete/", views.case_delete, name="case_delete"),
    path("money/business-cases/<int:pk>/costs/new/", views.cost_add, name="cost_add"),
    path("money/costs/<int:pk>/edit/", views.cost_edit, name="cost_edit"),
    path("money/costs/<int:pk>/delete/", views.cost_delete, name="cost_delete"),
    path("money/business-cases/<int:pk>/benefits/new/", views.benefit_add, name="benefit_add"),
    path("money/benefits/<int:pk>/edit/", views.benefit_edit, name="benefit_edit"),
    path("money/benefits/<int:pk>/delete/", views.benefit_delete, name="benefit_delete"),
    path("money/business-cases/<int:pk>/optimism-bias/", views.mitigations, name="mitigations"),
    path("initiatives/<int:pk>/money/actuals/new/", views.actual_add, name="actual_add"),
    path("money/actuals/<int:pk>/edit/", views.actual_edit, name="actual_edit"),
    path("money/actuals/<int:pk>/delete/", views.actual_delete, name="actual_delete"),
]
