from django.urls import path

from headway.portfolio import views

# The portfolio's namespace also holds the pages that show the portfolio beside its metrics and
# money (at a glance, the list, the initiative page): `headway/urls.py` mounts them from
# `assurance.urls`, so that this app needs nothing from the apps built on it.
app_name = "portfolio"

urlpatterns = [
    path("initiatives/new/", views.initiative_create, name="create"),
    path("initiatives/<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("initiatives/<int:pk>/checkpoint/", views.checkpoint, name="checkpoint"),
    path("initiatives/<int:pk>/needs/new/", views.need_add, name="need_add"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/delete/", views.need_delete, name="need_delete"),
    path("initiatives/<int:pk>/risks/new/", views.risk_add, name="risk_add"),
    path("initiatives/<int:pk>/comments/", views.comment, name="comment"),
    path("risks/", views.risk_register, name="risks"),
    path("risks/history/", views.risk_history, name="risk_history"),
    path("risks/new/", views.portfolio_risk_add, name="portfolio_risk_add"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("decisions/", views.decision_log, name="decisions"),
    path("goals/", views.goals, name="goals"),
    path("goals/new/", views.goal_add, name="goal_add"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("services/new/", views.service_add, name="service_add"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("settings/", views.organisation_settings, name="settings"),
    path("settings/history/", views.settings_history, name="settings_history"),
]
