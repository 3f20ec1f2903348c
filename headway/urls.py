from django.contrib import admin
from django.urls import include, path

from headway.api.main import api
from headway.assurance import urls as assurance_urls
from headway.portfolio import urls as portfolio_urls

urlpatterns = [
    path("", include(([*assurance_urls.in_portfolio, *portfolio_urls.urlpatterns], portfolio_urls.app_name))),
    path("", include("headway.accounts.urls")),
    path("", include("headway.metrics.urls")),
    path("", include("headway.prioritisation.urls")),
    path("", include("headway.finance.urls")),
    path("", include("headway.imports.urls")),
    path("", include("headway.transfer.urls")),
    path("", include("headway.api.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "headway.views.permission_denied"
handler404 = "headway.views.page_not_found"
handler500 = "headway.views.server_error"
