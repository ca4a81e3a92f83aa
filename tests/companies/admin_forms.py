"""Form data as the company admin page posts it: the company and its subscription inline."""

from django.urls import reverse

from companies.forms import SUBSCRIPTION_FIELDS

ADD_URL = reverse("admin:companies_company_add")
LIST_URL = reverse("admin:companies_company_changelist")

COMPANY_DEFAULTS = {"company_type": 0, "name": "Northwind IT Services", "industry": 0, "can_be_managed_by_above": True}
SUBSCRIPTION_DEFAULTS = {
    "license_type": 3,
    "assigned_product_type": 0,
    "assigned_protection_model": "aLaCarte",
    "im_data_retention": 0,
    "mdr_service": 0,
}


def change_url(company):
    return reverse("admin:companies_company_change", args=[company.pk])


def encode(prefix, values):
    data = {}
    for name, value in values.items():
        key = f"{prefix}{name}"
        if value is True:
            data[key] = "on"
        elif value is False or value is None:
            continue
        elif isinstance(value, list):
            data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)
    return data


def form_data(company=None, subscription=None, *, subscription_fields=None, **company_fields):
    """Return POST data for the add page, or for `company`'s change page when given."""
    if company is not None:
        company_values = {
            "company_type": company.company_type,
            "name": company.name,
            "parent": company.parent_id,
            "industry": company.industry,
            "can_be_managed_by_above": company.can_be_managed_by_above,
            "loaded_version": company.version,
        }
    else:
        company_values = dict(COMPANY_DEFAULTS)
    company_values.update(company_fields)

    subscription_values = dict(SUBSCRIPTION_DEFAULTS)
    if subscription is not None:
        subscription_values = {field: getattr(subscription, field) for field in SUBSCRIPTION_FIELDS}
        subscription_values.update(id=subscription.pk, company=subscription.company_id)
    subscription_values.update(subscription_fields or {})

    data = encode("", company_values)
    data.update(
        {
            "subscription-TOTAL_FORMS": "1",
            "subscription-INITIAL_FORMS": "1" if subscription is not None else "0",
            "subscription-MIN_NUM_FORMS": "1",
            "subscription-MAX_NUM_FORMS": "1",
        }
    )
    data.update(encode("subscription-0-", subscription_values))
    return data


def company_errors(response):
    return response.context["adminform"].form.errors


def subscription_errors(response):
    formset = response.context["inline_admin_formsets"][0].formset
    return formset.forms[0].errors
