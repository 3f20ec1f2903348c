from django.urls import path

from headway.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.glance, name="glance"),
]
