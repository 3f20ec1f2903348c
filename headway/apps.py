from django.contrib.admin.apps import AdminConfig


class HeadwayAdminConfig(AdminConfig):
    default_site = "headway.admin_site.HeadwayAdminSite"
