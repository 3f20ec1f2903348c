from django.urls import path

from headway.transfer import views

app_name = "transfer"

urlpatterns = [
    path("settings/export/", views.download, name="download"),
]
