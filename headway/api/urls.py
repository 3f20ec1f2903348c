"""The personal access token pages, under the person's account (ADR 32). The API itself is
mounted at /api/v1/ in headway/urls.py."""

from django.urls import path

from headway.api import views

app_name = "api"

urlpatterns = [
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/history/", views.token_history, name="token_history"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
