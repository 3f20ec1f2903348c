"""The composite pages, with the addresses and names they have always had in the portfolio's
URL namespace: `headway/urls.py` mounts these inside it, beside `portfolio.urls`."""

from django.urls import path

from headway.assurance import views

in_portfolio = [
    path("", views.glance, name="glance"),
    path("questions/", views.board_questions, name="questions"),
    path("pitfalls/", views.pitfalls, name="pitfalls"),
    path("initiatives/", views.initiative_list, name="list"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="detail"),
    path("initiatives/<int:pk>/history/", views.initiative_history, name="history"),
    # Decisions are recorded here, not in the portfolio app, because what follows from one reaches
    # the prioritisation rounds and the money (`assurance.actions`, ADR 20).
    path("initiatives/<int:pk>/decisions/new/", views.decide, name="decide"),
    path("decisions/<int:pk>/reverse/", views.decision_reverse, name="decision_reverse"),
]
