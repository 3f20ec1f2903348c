from django.urls import path

from headway.metrics import views

app_name = "metrics"

urlpatterns = [
    path("metrics/", views.metric_list, name="list"),
    path("metrics/new/", views.metric_create, name="create"),
    path("metrics/<int:pk>/", views.metric_detail, name="detail"),
    path("metrics/<int:pk>/edit/", views.metric_edit, name="edit"),
    path("metrics/<int:pk>/history/", views.metric_history, name="history"),
    path("metrics/<int:pk>/observations/new/", views.observation_add, name="observation_add"),
    path("metrics/observations/<int:pk>/delete/", views.observation_delete, name="observation_delete"),
    path("metrics/<int:pk>/upload/", views.upload, name="upload"),
    path("metrics/<int:pk>/annotations/new/", views.annotation_add, name="annotation_add"),
    path("metrics/annotations/<int:pk>/delete/", views.annotation_delete, name="annotation_delete"),
]
