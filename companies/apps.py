from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    """Partner and customer companies, and their push to GravityZone."""

    name = "companies"
    verbose_name = "Companies"
