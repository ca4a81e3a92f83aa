from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class BackofficeConfig(AppConfig):
    """The project itself, for its management commands."""

    default = True
    name = "backoffice"


class BackofficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the project's admin site as the default one."""

    default = False
    default_site = "backoffice.admin_site.BackofficeAdminSite"
