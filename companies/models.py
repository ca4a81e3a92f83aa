from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from companies.choices import (
    CompanyStatus,
    CompanyType,
    IntegrityMonitoringRetention,
    LicenseType,
    MdrService,
    ProductType,
    ProtectionModel,
    StatusAction,
    StatusChangeOutcome,
    SyncState,
    TwoFactorGracePeriod,
)
from companies.validators import (
    name_key,
    normalize_name,
    validate_industry,
    validate_no_html,
    validate_visible_characters,
)

__all__ = ["ApiCall", "Company", "CompanyStatus", "CompanyType", "Subscription", "SyncState"]

# Far above any real company, and low enough to catch a mistyped number before GravityZone does.
MAX_RESERVED_SEATS = 1_000_000

subdivision_code = RegexValidator(
    r"^[A-Z0-9]{1,3}$", "Enter the ISO 3166-2 subdivision code without the country, such as CA for California."
)


class Company(models.Model):
    """A partner or customer company, mirrored in GravityZone by a Celery task.

    The push task owns `gravityzone_id`, `sync_error`, `push_claimed_at` and the move out of
    PENDING; everything else belongs to the people editing the company.
    """

    company_type = models.PositiveSmallIntegerField("type", choices=CompanyType.choices)
    name = models.CharField(
        max_length=64,
        validators=[validate_visible_characters],
        help_text="Unique across GravityZone, at most 64 characters.",
    )
    # The name normalized and case-folded; unique, so that "Straße" and "STRASSE" cannot both exist.
    name_key = models.CharField(max_length=64, unique=True, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"company_type": CompanyType.PARTNER},
        help_text="The partner that manages this company. Leave empty to place it directly under your own company.",
    )

    address = models.CharField(max_length=128, blank=True, validators=[validate_no_html])
    phone = models.CharField(max_length=32, blank=True)
    country = CountryField(blank=True)
    state = models.CharField(
        "state or region", max_length=3, blank=True, validators=[subdivision_code], help_text="ISO 3166-2 code."
    )
    industry = models.PositiveSmallIntegerField(
        default=0,
        validators=[validate_industry],
        help_text="GravityZone's industry code: 0 for none, 1 to 34 for the main sectors, or a sub-sector code.",
    )

    can_be_managed_by_above = models.BooleanField(
        "managed by the partner above",
        default=True,
        help_text="Lets the parent partner manage this company's security. Required for MDR.",
    )
    enforce_2fa = models.BooleanField("enforce two-factor authentication", default=False)
    skip_2fa_period = models.PositiveSmallIntegerField(
        "two-factor grace period",
        choices=TwoFactorGracePeriod.choices,
        null=True,
        blank=True,
        help_text="How long users may postpone setting up two-factor authentication.",
    )
    # The user account GravityZone creates with the company; used only when creating it.
    account_email = models.EmailField("new account email", blank=True)
    account_full_name = models.CharField("new account full name", max_length=128, blank=True)
    contact_full_name = models.CharField("contact person", max_length=128, blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    contact_phone = models.CharField("contact phone", max_length=32, blank=True)
    contact_role = models.CharField("contact role", max_length=64, blank=True)

    # As GravityZone last confirmed it; a requested change shows in `status_pending` until then.
    status = models.CharField(
        max_length=16, choices=CompanyStatus.choices, default=CompanyStatus.ACTIVE, editable=False
    )
    status_pending = models.CharField(max_length=16, choices=StatusAction.choices, blank=True, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why support suspended or reactivated the company, or why GravityZone did not do it.
    status_reason = models.CharField(max_length=255, blank=True, editable=False)
    status_error = models.TextField(blank=True, editable=False)

    # getLicenseInfo's last result, kept for support to read without calling GravityZone.
    license_info = models.JSONField(null=True, blank=True, editable=False)
    license_info_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Empty until GravityZone has created the company; then its 24-character hex ID.
    gravityzone_id = models.CharField("GravityZone ID", max_length=24, blank=True, default="", editable=False)
    sync_state = models.CharField(max_length=16, choices=SyncState.choices, default=SyncState.PENDING, editable=False)
    sync_state_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # What went wrong, in words an account manager can act on; empty unless the state is FAILED.
    sync_error = models.TextField(blank=True, editable=False)
    # What the next push sends besides a creation: the details, the subscription, or both.
    push_details = models.BooleanField(default=False, editable=False)
    push_subscription = models.BooleanField(default=False, editable=False)
    sync_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # When a worker started pushing this company; None when no push is running. A push older
    # than the push lease is taken to have died with its worker.
    push_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Raised by every edit made by a person, so that a form saved over someone else's newer
    # edit is rejected instead of undoing it.
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "name_key",
            "sync_state",
            "sync_state_changed_at",
            "sync_error",
            "push_details",
            "push_subscription",
            "sync_requested_by",
            "push_claimed_at",
            "license_info",
            "license_info_fetched_at",
            "updated_at",
        ]
    )

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        permissions = [
            ("suspend_company", "Can suspend and reactivate companies"),
            ("refresh_license_info", "Can refresh licence information from GravityZone"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["gravityzone_id"],
                condition=~models.Q(gravityzone_id=""),
                name="companies_company_unique_gravityzone_id",
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="companies_company_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.name = normalize_name(self.name)

        # The unique name_key is the final guard; this check puts the message on the field.
        same_name = Company.objects.filter(name_key=name_key(self.name)).exclude(pk=self.pk)
        if self.name and same_name.exists():
            raise ValidationError({"name": "A company with this name already exists."})

        if not self.can_be_managed_by_above:
            missing = {
                field: "Required when the partner above does not manage this company."
                for field in ("account_email", "account_full_name")
                if not getattr(self, field)
            }
            if missing:
                raise ValidationError(missing)

        contact = (self.contact_full_name, self.contact_phone, self.contact_role)
        if any(contact) and not self.contact_email:
            raise ValidationError({"contact_email": "GravityZone needs the contact person's email."})
        if self.state and not self.country:
            raise ValidationError({"country": "Choose the country of the state or region."})

        if self.parent_id is not None:
            self._clean_parent()
        if self.pk is not None and self.company_type == CompanyType.CUSTOMER and self.children.exists():
            raise ValidationError(
                {"company_type": "This partner manages other companies, so it cannot become a customer."}
            )

    def _clean_parent(self):
        if self.parent.company_type != CompanyType.PARTNER:
            raise ValidationError({"parent": "Only a partner company can manage other companies."})
        if self.pk is None:
            return

        stored = Company.objects.filter(pk=self.pk).values("parent_id", "gravityzone_id").first()
        if stored and stored["gravityzone_id"] and stored["parent_id"] != self.parent_id:
            raise ValidationError(
                {
                    "parent": "This company is in GravityZone already, and moving it to another partner is "
                    "not supported here. Move it in GravityZone Control Center instead."
                }
            )

        # Walk up from the new parent: meeting this company means the change would make a loop.
        ancestor_id = self.parent_id
        while ancestor_id is not None:
            if ancestor_id == self.pk:
                raise ValidationError({"parent": "A company cannot be managed by itself or by a company below it."})
            ancestor_id = Company.objects.filter(pk=ancestor_id).values_list("parent_id", flat=True).first()

    @property
    def is_partner(self):
        return self.company_type == CompanyType.PARTNER


class Subscription(models.Model):
    """A company's monthly subscription, as createCompany and setMonthlySubscription set it.

    Settings that GravityZone accepts either at the top level or inside `ownUse` have one field
    here. The request builder puts them where the licence type allows.
    """

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="subscription")
    license_type = models.PositiveSmallIntegerField(
        "licence type", choices=LicenseType.choices, default=LicenseType.MONTHLY_SUBSCRIPTION
    )

    reserved_slots = models.PositiveIntegerField(
        "reserved seats",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESERVED_SEATS)],
        help_text="Seats guaranteed out of the parent's pool. Leave empty to draw on the pool and "
        "invoice on usage without a seat limit.",
    )
    end_subscription = models.DateField("subscription end", null=True, blank=True, help_text="UTC date.")
    auto_renew_period = models.PositiveSmallIntegerField(
        "renewal period (months)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text="Months the subscription runs after each automatic renewal; 0 turns renewal off. "
        "GravityZone uses 12 when an end date is set and this is empty.",
    )
    minimum_endpoints = models.PositiveIntegerField(
        "minimum monthly endpoints",
        null=True,
        blank=True,
        help_text="Endpoints the company commits to pay for each month.",
    )

    assigned_product_type = models.PositiveSmallIntegerField(
        "product", choices=ProductType.choices, default=ProductType.ENDPOINT_SECURITY
    )
    # Product types (integers) a partner may resell; empty means its own product only.
    additional_product_types = models.JSONField("products to resell", default=list, blank=True)
    assigned_protection_model = models.CharField(
        "protection model", max_length=16, choices=ProtectionModel.choices, blank=True
    )
    # Protection models (strings) a partner may give its clients.
    additional_protection_models = models.JSONField("protection models for clients", default=list, blank=True)
    # Sent once with the next push, then cleared: the model to move this partner's clients to.
    clients_protection_model_change = models.CharField(
        "move clients to model", max_length=16, choices=ProtectionModel.choices, blank=True
    )

    manage_exchange = models.BooleanField("Security for Exchange", default=False)
    manage_encryption = models.BooleanField("Full Disk Encryption", default=False)
    manage_remote_engines_scanning = models.BooleanField("Security for Virtualized Environments", default=False)
    manage_hyper_detect = models.BooleanField("HyperDetect", default=False)
    manage_sandbox_analyzer = models.BooleanField("Sandbox Analyzer", default=False)
    manage_patch_management = models.BooleanField("Patch Management", default=False)
    manage_event_correlator = models.BooleanField("EDR", default=False)
    manage_email_security = models.BooleanField("Email Security", default=False)
    manage_mobile_security = models.BooleanField("Mobile Security", default=False)
    manage_container_protection = models.BooleanField("Container Protection", default=False)
    manage_integrity_monitoring = models.BooleanField("Integrity Monitoring", default=False)
    im_data_retention = models.PositiveSmallIntegerField(
        "Integrity Monitoring retention",
        choices=IntegrityMonitoringRetention.choices,
        default=IntegrityMonitoringRetention.DAYS_7,
    )

    manage_xdr_identity_providers = models.BooleanField("XDR identity provider sensors", default=False)
    manage_xdr_productivity_apps = models.BooleanField("XDR productivity app sensors", default=False)
    manage_xdr_network = models.BooleanField("XDR network sensors", default=False)
    manage_xdr_cloud_workloads = models.BooleanField("XDR cloud workload sensors", default=False)

    resell_xdr = models.BooleanField("resell XDR", default=False)
    resell_remote_engines_scanning = models.BooleanField("resell Security for Virtualized Environments", default=False)
    resell_container_protection = models.BooleanField("resell Container Protection", default=False)
    resell_event_correlator = models.BooleanField("resell EDR", default=False)
    resell_sandbox_analyzer = models.BooleanField("resell Sandbox Analyzer", default=False)
    resell_hyper_detect = models.BooleanField("resell HyperDetect", default=False)

    mdr_service = models.PositiveSmallIntegerField("MDR", choices=MdrService.choices, default=MdrService.DISABLED)
    mdr_resell = models.BooleanField("resell MDR", default=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(license_type__in=LicenseType.values), name="companies_subscription_license_type"
            ),
            models.CheckConstraint(
                condition=~models.Q(manage_event_correlator=True)
                | models.Q(manage_sandbox_analyzer=True, manage_hyper_detect=True),
                name="companies_subscription_edr_needs_companions",
            ),
            models.CheckConstraint(
                condition=~models.Q(manage_container_protection=True)
                | models.Q(assigned_protection_model=ProtectionModel.A_LA_CARTE),
                name="companies_subscription_container_needs_a_la_carte",
            ),
        ]

    def __str__(self):
        return f"{self.get_license_type_display()} of {self.company}"

    @property
    def is_trial(self):
        return self.license_type != LicenseType.MONTHLY_SUBSCRIPTION


class ApiCall(models.Model):
    """One call to the GravityZone API: its request and its outcome."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    company = models.ForeignKey(Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="api_calls")
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    api = models.CharField("API", max_length=32)
    method = models.CharField(max_length=64)
    # The JSON-RPC params, with secret values replaced; the API key is never part of them.
    params = models.JSONField(default=dict)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField("duration (ms)")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "API call"

    def __str__(self):
        return f"{self.method} at {self.started_at:%Y-%m-%d %H:%M:%S}"


class BulkChange(models.Model):
    """One change applied to many subscriptions at once, and the companies it queued."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.CharField(max_length=255)
    # Primary keys of the companies whose subscription changed and was queued for GravityZone.
    company_ids = models.JSONField(default=list)
    # [{"company": name, "reason": message}] for the companies the change could not apply to.
    skipped = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.description} ({self.created_at:%Y-%m-%d %H:%M})"


class StatusChange(models.Model):
    """A suspension or reactivation that support asked for, of one or more companies."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=StatusAction.choices)
    # With it, GravityZone suspends or reactivates every company below each one too.
    recursive = models.BooleanField("including the companies below")
    reason = models.CharField(max_length=255)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M}): {self.reason}"


class StatusChangeTarget(models.Model):
    """One company a status change asked GravityZone to suspend or reactivate, and the outcome."""

    status_change = models.ForeignKey(StatusChange, on_delete=models.CASCADE, related_name="targets")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=16, choices=StatusChangeOutcome.choices, default=StatusChangeOutcome.PENDING)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status_change", "company"], name="companies_statuschangetarget_unique")
        ]

    def __str__(self):
        return f"{self.company}: {self.get_outcome_display()}"
