from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from companies import rules
from companies.bulk import BULK_ADD_ONS
from companies.choices import ProductType, ProtectionModel, StatusAction
from companies.models import MAX_RESERVED_SEATS, Company, Subscription

COMPANY_FIELDS = (
    "company_type",
    "name",
    "parent",
    "address",
    "phone",
    "country",
    "state",
    "industry",
    "can_be_managed_by_above",
    "enforce_2fa",
    "skip_2fa_period",
    "account_email",
    "account_full_name",
    "contact_full_name",
    "contact_email",
    "contact_phone",
    "contact_role",
)

SUBSCRIPTION_FIELDS = (
    "license_type",
    "reserved_slots",
    "end_subscription",
    "auto_renew_period",
    "minimum_endpoints",
    "assigned_product_type",
    "additional_product_types",
    "assigned_protection_model",
    "additional_protection_models",
    "clients_protection_model_change",
    "manage_exchange",
    "manage_encryption",
    "manage_remote_engines_scanning",
    "manage_hyper_detect",
    "manage_sandbox_analyzer",
    "manage_patch_management",
    "manage_event_correlator",
    "manage_email_security",
    "manage_mobile_security",
    "manage_container_protection",
    "manage_integrity_monitoring",
    "im_data_retention",
    "manage_xdr_identity_providers",
    "manage_xdr_productivity_apps",
    "manage_xdr_network",
    "manage_xdr_cloud_workloads",
    "resell_xdr",
    "resell_remote_engines_scanning",
    "resell_container_protection",
    "resell_event_correlator",
    "resell_sandbox_analyzer",
    "resell_hyper_detect",
    "mdr_service",
    "mdr_resell",
)


class CompanyForm(forms.ModelForm):
    """The company form, which refuses to save over an edit made since it was opened."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Longer than the stored code, so that "DE-BY" can be typed and stored as "BY".
    state = forms.CharField(
        label="State or region",
        max_length=10,
        required=False,
        help_text="ISO 3166-2 subdivision code, such as BY or DE-BY for Bavaria.",
    )

    def clean_state(self):
        state = self.cleaned_data["state"].strip().upper()
        country, dash, code = state.partition("-")
        if not dash:
            return state
        if country != self.data.get("country", "").strip().upper():
            raise ValidationError(f"{state} is a subdivision of {country}, not of the company's country.")
        return code

    class Meta:
        model = Company
        fields = COMPANY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data

        # The admin runs the whole request in one transaction, so this row lock holds until
        # the save is committed and no other save can slip in between.
        current = (
            Company.objects.select_for_update(of=("self",))
            .filter(pk=self.instance.pk)
            .values("version", "updated_by__username", "updated_at")
            .first()
        )
        if current and current["version"] != cleaned_data.get("loaded_version"):
            who = current["updated_by__username"] or "GravityZone"
            raise ValidationError(
                f"{who} changed this company at {current['updated_at']:%Y-%m-%d %H:%M} UTC while you were "
                "editing it. Open the company again to see that change, then make yours again.",
                code="stale",
            )
        return cleaned_data


class SubscriptionForm(forms.ModelForm):
    """The subscription form: applies GravityZone's couplings, then checks its rules."""

    # Fields of the model's check constraints: the rules check them with a message on the field,
    # so the constraints' own generic messages are left to the database.
    RULE_CHECKED_FIELDS = ("manage_event_correlator", "manage_container_protection")

    additional_product_types = forms.TypedMultipleChoiceField(
        label="Products to resell",
        choices=ProductType.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Partners only. Empty: the company's own product.",
    )
    additional_protection_models = forms.MultipleChoiceField(
        label="Protection models for clients",
        choices=ProtectionModel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Partners only. Empty: the protection model's defaults.",
    )

    class Meta:
        model = Subscription
        fields = SUBSCRIPTION_FIELDS

    def clean(self):
        # Couplings go into cleaned_data before the model is validated, so that its
        # constraints see what GravityZone would hold (EDR with its two companions).
        cleaned_data = super().clean()
        draft = Subscription(**{field: cleaned_data[field] for field in SUBSCRIPTION_FIELDS if field in cleaned_data})
        rules.apply_couplings(draft, self.instance.company, set(self.changed_data))
        for field in SUBSCRIPTION_FIELDS:
            if field in cleaned_data:
                cleaned_data[field] = getattr(draft, field)
        return cleaned_data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seats = self.fields["reserved_slots"]
        seats.validators = [MinValueValidator(1), MaxValueValidator(MAX_RESERVED_SEATS)]
        seats.widget.attrs.update(min=1, max=MAX_RESERVED_SEATS)

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), *self.RULE_CHECKED_FIELDS}

    def clean_end_subscription(self):
        end = self.cleaned_data.get("end_subscription")
        changed = end != getattr(self.instance, "end_subscription", None)
        if end and changed and end < timezone.now().date():
            raise ValidationError("Choose a date in the future.")
        return end

    def _post_clean(self):
        super()._post_clean()
        company = self.instance.company
        in_gravityzone = bool(company.gravityzone_id)
        stored = None
        if in_gravityzone and self.instance.pk is not None:
            stored = Subscription.objects.filter(pk=self.instance.pk).first()

        errors = rules.check_subscription(self.instance, company, stored=stored, in_gravityzone=in_gravityzone)
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)


class SubscriptionFormSet(BaseInlineFormSet):
    """The subscription inline, whose form gets the company as edited on the same page."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Django sets only the company's ID, which a new company does not have yet. The rules
        # need its type and whether the partner above manages it.
        form.instance.company = self.instance
        return form


class AddOnChangeForm(forms.Form):
    """The add-ons a bulk change switches on or off; the others stay as they are."""

    CHOICES = (("", "Leave as it is"), ("on", "Turn on"), ("off", "Turn off"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in BULK_ADD_ONS:
            self.fields[field] = forms.ChoiceField(label=label, choices=self.CHOICES, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if not self.changes():
            raise ValidationError("Choose at least one add-on to turn on or off.")
        return cleaned_data

    def changes(self):
        return {field: value == "on" for field, value in self.cleaned_data.items() if value in ("on", "off")}


class StatusChangeForm(forms.Form):
    """The choices support makes before suspending or reactivating companies."""

    recursive = forms.TypedChoiceField(
        label="Companies below",
        choices=(("", "Choose…"), ("yes", "Include every company below"), ("no", "Only the selected companies")),
        coerce=lambda value: value == "yes",
        help_text="GravityZone leaves the companies below a suspended partner running unless they are included.",
    )
    reason = forms.CharField(
        max_length=255,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Kept with the company, for instance an unpaid invoice number.",
    )

    def __init__(self, *args, action=StatusAction.SUSPEND, **kwargs):
        super().__init__(*args, **kwargs)
        if action == StatusAction.ACTIVATE:
            self.fields[
                "recursive"
            ].help_text = (
                "GravityZone leaves the companies below a reactivated partner suspended unless they are included."
            )
            self.fields["reason"].help_text = "Kept with the company, for instance the payment received."
