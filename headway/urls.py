from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("headway.portfolio.urls")),
    path("", include("headway.accounts.urls")),
    path("", include("headway.metrics.urls")),
    path("", include("headway.prioritisation.urls")),
    path("", include("headway.finance.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "headway.views.permission_denied"
handler404 = "headway.views.page_not_found"
