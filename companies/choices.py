"""GravityZone's codes for the choices a company and its subscription offer, with their labels."""

from django.db import models


class CompanyType(models.IntegerChoices):
    PARTNER = 0, "Partner"
    CUSTOMER = 1, "Customer"


class CompanyStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"


class StatusAction(models.TextChoices):
    SUSPEND = "suspend", "Suspend"
    ACTIVATE = "activate", "Reactivate"


class StatusChangeOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SyncState(models.TextChoices):
    PENDING = "pending", "Pending"
    SYNCED = "synced", "Synced"
    FAILED = "failed", "Failed"


class LicenseType(models.IntegerChoices):
    """The licence types a marketplace integration can give a company."""

    MONTHLY_SUBSCRIPTION = 3, "Monthly subscription"
    MONTHLY_LICENSE_TRIAL = 4, "Monthly licence trial (MSP trial)"
    MONTHLY_SUBSCRIPTION_TRIAL = 5, "Monthly subscription trial (customer trial)"


class ProductType(models.IntegerChoices):
    ENDPOINT_SECURITY = 0, "Endpoint Security"
    EDR = 3, "Bitdefender EDR"


class ProtectionModel(models.TextChoices):
    A_LA_CARTE = "aLaCarte", "À la carte"
    MSP_SECURE = "mspSecure", "MSP Secure"
    MSP_SECURE_PLUS = "mspSecurePlus", "MSP Secure Plus"
    MSP_SECURE_EXTRA = "mspSecureExtra", "MSP Secure Extra"


class IntegrityMonitoringRetention(models.IntegerChoices):
    DAYS_7 = 0, "7 days"
    DAYS_90 = 1, "90 days"
    DAYS_180 = 2, "180 days"
    DAYS_365 = 3, "365 days"


class MdrService(models.IntegerChoices):
    DISABLED = 0, "Disabled"
    FOUNDATIONS = 1, "MDR Foundations"


class TwoFactorGracePeriod(models.IntegerChoices):
    NONE = 0, "None"
    DAY_1 = 1, "1 day"
    DAYS_3 = 3, "3 days"
    DAYS_7 = 7, "7 days"
    DAYS_14 = 14, "14 days"
    DAYS_30 = 30, "30 days"
    DAYS_90 = 90, "90 days"


# The additional protection models that an assigned model brings when none are chosen.
# GravityZone's page lost this table but for one row; each MSP tier is assumed to bring itself
# and the tiers below it. Correct it here if GravityZone documents otherwise.
DEFAULT_ADDITIONAL_MODELS = {
    ProtectionModel.A_LA_CARTE: [ProtectionModel.A_LA_CARTE],
    ProtectionModel.MSP_SECURE: [ProtectionModel.MSP_SECURE],
    ProtectionModel.MSP_SECURE_PLUS: [ProtectionModel.MSP_SECURE, ProtectionModel.MSP_SECURE_PLUS],
    ProtectionModel.MSP_SECURE_EXTRA: [
        ProtectionModel.MSP_SECURE,
        ProtectionModel.MSP_SECURE_PLUS,
        ProtectionModel.MSP_SECURE_EXTRA,
    ],
}
