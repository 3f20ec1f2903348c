from django.urls import path

from headway.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.start, name="start"),
    path("imports/templates/<slug:kind>.<str:fmt>", views.template, name="template"),
    path("imports/<int:pk>/", views.preview_page, name="preview"),
    path("imports/<int:pk>/import/", views.confirm, name="confirm"),
]
