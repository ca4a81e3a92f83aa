from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class CompanyType(models.IntegerChoices):
    """GravityZone's company types, with its own codes."""

    PARTNER = 0, "Partner"
    CUSTOMER = 1, "Customer"


class SyncState(models.TextChoices):
    PENDING = "pending", "Pending"
    SYNCED = "synced", "Synced"
    FAILED = "failed", "Failed"


class Company(models.Model):
    """A partner or customer company, mirrored in GravityZone by a Celery task.

    The push task owns `gravityzone_id`, `sync_error` and the move out of PENDING; everything
    else belongs to the people editing the company.
    """

    company_type = models.PositiveSmallIntegerField("type", choices=CompanyType.choices)
    name = models.CharField(max_length=64, help_text="Unique across GravityZone, at most 64 characters.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"company_type": CompanyType.PARTNER},
        help_text="The partner that manages this company. Leave empty to place it directly under your own company.",
    )

    # Empty until GravityZone has created the company; then its 24-character hex ID.
    gravityzone_id = models.CharField("GravityZone ID", max_length=24, blank=True, default="", editable=False)
    sync_state = models.CharField(max_length=16, choices=SyncState.choices, default=SyncState.PENDING, editable=False)
    sync_state_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # What went wrong, in words an account manager can act on; empty unless the state is FAILED.
    sync_error = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="companies_company_unique_name",
                violation_error_message="A company with this name already exists.",
            ),
            models.UniqueConstraint(
                fields=["gravityzone_id"],
                condition=~models.Q(gravityzone_id=""),
                name="companies_company_unique_gravityzone_id",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.name = self.name.strip()

        # The database constraint is the final guard; this check puts the message on the field.
        same_name = Company.objects.filter(name__iexact=self.name).exclude(pk=self.pk)
        if same_name.exists():
            raise ValidationError({"name": "A company with this name already exists."})

        if self.parent_id is not None and self.parent.company_type != CompanyType.PARTNER:
            raise ValidationError({"parent": "Only a partner company can manage other companies."})
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "A company cannot manage itself."})
        if self.pk is not None and self.company_type == CompanyType.CUSTOMER and self.children.exists():
            raise ValidationError(
                {"company_type": "This partner manages other companies, so it cannot become a customer."}
            )

    @property
    def is_partner(self):
        return self.company_type == CompanyType.PARTNER
