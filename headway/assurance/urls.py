"""The composite pages, with the addresses and names they have always had in the portfolio's
URL namespace: `headway/urls.py` mounts these inside it, beside `portfolio.urls`."""

from django.urls import path

from headway.assurance import baf_views, data_standard_views, pack_views, views, weeknotes_views

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
    # Weeknotes (ADR 30).
    path("weeknotes/", weeknotes_views.weeknotes_page, name="weeknotes"),
    path("weeknotes/feed/", weeknotes_views.weeknotes_feed, name="weeknotes_feed"),
    # Board packs (ADR 28).
    path("packs/", pack_views.pack_list, name="packs"),
    path("packs/new/", pack_views.pack_new, name="pack_new"),
    path("packs/history/", pack_views.pack_history, name="pack_history"),
    path("packs/<int:pk>/", pack_views.pack_detail, name="pack"),
    path("packs/<int:pk>/edit/", pack_views.pack_edit, name="pack_edit"),
    path("packs/<int:pk>/publish/", pack_views.pack_publish, name="pack_publish"),
    path("packs/<int:pk>/pdf/", pack_views.pack_pdf, name="pack_pdf"),
    path("packs/<int:pk>/xlsx/", pack_views.pack_xlsx, name="pack_xlsx"),
    # The export aligned with the programme and project data standard (ADR 34).
    path("data-standard/", data_standard_views.data_standard_page, name="data_standard"),
    # The board assurance framework (ADR 29).
    path("baf/", baf_views.baf_list, name="baf"),
    path("baf/new/", baf_views.principal_risk_new, name="principal_risk_new"),
    path("baf/history/", baf_views.baf_history, name="baf_history"),
    path("baf/<int:pk>/", baf_views.principal_risk, name="principal_risk"),
    path("baf/<int:pk>/edit/", baf_views.principal_risk_edit, name="principal_risk_edit"),
    path("baf/<int:pk>/remove/", baf_views.principal_risk_remove, name="principal_risk_remove"),
]
