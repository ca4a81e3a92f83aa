from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from companies.validators import name_key, normalize_name, validate_visible_characters


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

    # Empty until GravityZone has created the company; then its 24-character hex ID.
    gravityzone_id = models.CharField("GravityZone ID", max_length=24, blank=True, default="", editable=False)
    sync_state = models.CharField(max_length=16, choices=SyncState.choices, default=SyncState.PENDING, editable=False)
    sync_state_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # What went wrong, in words an account manager can act on; empty unless the state is FAILED.
    sync_error = models.TextField(blank=True, editable=False)
    # When a worker started pushing this company; None when no push is running. A push older
    # than the push lease is taken to have died with its worker.
    push_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gravityzone_id"],
                condition=~models.Q(gravityzone_id=""),
                name="companies_company_unique_gravityzone_id",
            ),
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
