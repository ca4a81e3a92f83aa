from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Monthly usage pulled from GravityZone, and the finance views built on it."""

    name = "billing"
