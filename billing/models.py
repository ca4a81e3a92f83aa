from django.db import models
from django.utils import timezone

from companies.models import Company

# (column, GravityZone counter) for every counter the marketplace page documents, in its order.
COUNTER_COLUMNS = (
    ("endpoint", "endpointMonthlyUsage"),
    ("a_la_carte", "aLaCarteMonthlyUsage"),
    ("msp_secure", "mspSecureMonthlyUsage"),
    ("msp_secure_plus", "mspSecurePlusMonthlyUsage"),
    ("msp_secure_extra", "mspSecureExtraMonthlyUsage"),
    ("email_security", "emailSecurityMonthlyUsage"),
    ("mobile_security", "mobileSecurityMonthlyUsage"),
    ("exchange", "exchangeMonthlyUsage"),
    ("encryption", "encryptionMonthlyUsage"),
    ("ats", "atsMonthlyUsage"),
    ("edr", "edrMonthlyUsage"),
    ("mdr_foundations", "mdrFoundationsMonthlyUsage"),
    ("patch_management", "patchManagementMonthlyUsage"),
    ("container_protection", "containerProtectionMonthlyUsage"),
    ("integrity_monitoring", "integrityMonitoringUsage"),
    ("integrity_monitoring_90_days", "integrityMonitoring90DaysUsage"),
    ("integrity_monitoring_180_days", "integrityMonitoring180DaysUsage"),
    ("integrity_monitoring_1_year", "integrityMonitoring1YearUsage"),
    ("xdr_identity_sensors", "xdrIdentitySensorsMonthlyUsage"),
    ("xdr_productivity_sensors", "xdrProductivitySensorsMonthlyUsage"),
    ("xdr_network_sensors", "xdrNetworkSensorsMonthlyUsage"),
    ("xdr_cloud_sensors", "xdrCloudSensorsMonthlyUsage"),
    ("sve_vs", "sveVsMonthlyUsage"),
    ("sve_vdi_hours", "sveVdiMonthlyUsage"),
)


class MonthlyUsage(models.Model):
    """A company's usage for one month, as GravityZone reported it.

    A partner's figures include every company below it, as in GravityZone's own report.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="monthly_usage")
    # The first day of the month, in UTC.
    month = models.DateField()
    # False when GravityZone returned 0: the company had no monthly licence that month.
    has_monthly_license = models.BooleanField(default=True)
    minimum_endpoints = models.PositiveIntegerField(null=True, blank=True)
    # Both responses as GravityZone sent them, so a counter added later is not lost.
    raw = models.JSONField(default=dict)
    pulled_at = models.DateTimeField(default=timezone.now)

    # One column per counter, named after COUNTER_COLUMNS.
    endpoint = models.PositiveIntegerField("endpoints", default=0)
    a_la_carte = models.PositiveIntegerField("à la carte", default=0)
    msp_secure = models.PositiveIntegerField("MSP Secure", default=0)
    msp_secure_plus = models.PositiveIntegerField("MSP Secure Plus", default=0)
    msp_secure_extra = models.PositiveIntegerField("MSP Secure Extra", default=0)
    email_security = models.PositiveIntegerField("Email Security mailboxes", default=0)
    mobile_security = models.PositiveIntegerField("Mobile Security devices", default=0)
    exchange = models.PositiveIntegerField("Exchange mailboxes", default=0)
    encryption = models.PositiveIntegerField("encryption", default=0)
    ats = models.PositiveIntegerField("Sandbox Analyzer and HyperDetect", default=0)
    edr = models.PositiveIntegerField("EDR", default=0)
    mdr_foundations = models.PositiveIntegerField("MDR Foundations", default=0)
    patch_management = models.PositiveIntegerField("Patch Management", default=0)
    container_protection = models.PositiveIntegerField("Container Protection", default=0)
    integrity_monitoring = models.PositiveIntegerField("Integrity Monitoring", default=0)
    integrity_monitoring_90_days = models.PositiveIntegerField("Integrity Monitoring 90 days", default=0)
    integrity_monitoring_180_days = models.PositiveIntegerField("Integrity Monitoring 180 days", default=0)
    integrity_monitoring_1_year = models.PositiveIntegerField("Integrity Monitoring 1 year", default=0)
    xdr_identity_sensors = models.PositiveIntegerField("XDR identity sensors", default=0)
    xdr_productivity_sensors = models.PositiveIntegerField("XDR productivity sensors", default=0)
    xdr_network_sensors = models.PositiveIntegerField("XDR network sensors", default=0)
    xdr_cloud_sensors = models.PositiveIntegerField("XDR cloud sensors", default=0)
    sve_vs = models.PositiveIntegerField("Security Server virtual servers", default=0)
    sve_vdi_hours = models.PositiveIntegerField("Security Server virtual desktop hours", default=0)

    class Meta:
        ordering = ["-month", "company__name"]
        verbose_name = "monthly usage"
        verbose_name_plural = "monthly usage"
        constraints = [models.UniqueConstraint(fields=["company", "month"], name="billing_monthlyusage_unique")]
        indexes = [models.Index(fields=["month", "company"])]

    def __str__(self):
        return f"{self.company} {self.month:%m/%Y}"

    @property
    def billable_endpoints(self):
        """The larger of the endpoints used and the monthly minimum."""
        return max(self.endpoint, self.minimum_endpoints or 0)


class UsagePull(models.Model):
    """One run that pulls a month's usage for companies, and how it went."""

    month = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=32, help_text="schedule, backfill, or the user who asked")
    companies_total = models.PositiveIntegerField(default=0)
    companies_done = models.PositiveIntegerField(default=0)
    # [{"company": name, "error": message}]
    failures = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # Two pulls of one month never run at once; a second one is refused while the first runs.
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(finished_at__isnull=True), name="billing_usagepull_one_running"
            )
        ]

    def __str__(self):
        return f"Usage of {self.month:%m/%Y} pulled at {self.started_at:%Y-%m-%d %H:%M}"
