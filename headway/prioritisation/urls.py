from django.urls import path

from headway.prioritisation import views

app_name = "prioritisation"

urlpatterns = [
    path("rounds/", views.round_list, name="list"),
    path("rounds/new/", views.round_create, name="create"),
    path("rounds/<int:pk>/", views.round_detail, name="detail"),
    path("rounds/<int:pk>/capacity/", views.capacity, name="capacity"),
    path("rounds/<int:pk>/history/", views.round_history, name="history"),
    path("rounds/<int:pk>/score/", views.score, name="score"),
    path("rounds/<int:pk>/run/", views.run, name="run"),
    path("rounds/<int:pk>/changes/", views.changes, name="changes"),
    path("rounds/<int:pk>/close/", views.close, name="close"),
    path("rounds/<int:pk>/scenarios/new/", views.scenario_create, name="scenario_create"),
    path("scenarios/<int:pk>/compare/", views.compare, name="compare"),
    path("scenarios/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
]
