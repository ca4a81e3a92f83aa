"""Every subscription rule in the admin form: a valid and an invalid case, and the field at fault."""

import pytest

from companies.models import Company
from tests.companies.admin_forms import ADD_URL, company_errors, form_data, subscription_errors
from tests.companies.factories import make_partner, subscribe

pytestmark = pytest.mark.django_db

PARTNER = {"company_type": 0}
CUSTOMER = {"company_type": 1}
UNMANAGED = {"company_type": 1, "can_be_managed_by_above": False, "account_email": "it@contoso.example"}

# (case id, company fields, subscription fields, field at fault or None, words of the message)
CASES = [
    ("customer-trial", CUSTOMER, {"license_type": 5, "assigned_protection_model": ""}, None, None),
    ("partner-trial", PARTNER, {"license_type": 4, "assigned_protection_model": ""}, None, None),
    (
        "edr-product-on-licence-trial",
        PARTNER,
        {"license_type": 4, "assigned_protection_model": "", "assigned_product_type": 3},
        "assigned_product_type",
        "only with a monthly subscription or the monthly subscription trial",
    ),
    ("edr-product-on-monthly", CUSTOMER, {"assigned_product_type": 3, "assigned_protection_model": ""}, None, None),
    ("resold-products-for-partner", PARTNER, {"additional_product_types": [0, 3]}, None, None),
    (
        "resold-products-for-customer",
        CUSTOMER,
        {"additional_product_types": [0, 3]},
        "additional_product_types",
        "Only partners resell products",
    ),
    (
        "resold-products-without-own",
        PARTNER,
        {"assigned_product_type": 3, "assigned_protection_model": "", "additional_product_types": [0]},
        "additional_product_types",
        "must include the company's own product",
    ),
    (
        "model-missing-on-monthly",
        CUSTOMER,
        {"assigned_protection_model": ""},
        "assigned_protection_model",
        "Choose the protection model",
    ),
    (
        "model-on-edr-product",
        CUSTOMER,
        {"assigned_product_type": 3, "assigned_protection_model": "mspSecure"},
        "assigned_protection_model",
        "only to the monthly subscription with Endpoint Security",
    ),
    (
        "model-on-trial",
        CUSTOMER,
        {"license_type": 5, "assigned_protection_model": "mspSecure"},
        "assigned_protection_model",
        "only to the monthly subscription with Endpoint Security",
    ),
    (
        "client-models-with-model",
        PARTNER,
        {"assigned_protection_model": "mspSecure", "additional_protection_models": ["mspSecure", "aLaCarte"]},
        None,
        None,
    ),
    (
        "client-models-with-edr-reselling-endpoint",
        PARTNER,
        {
            "assigned_product_type": 3,
            "assigned_protection_model": "",
            "additional_product_types": [3, 0],
            "additional_protection_models": ["mspSecure"],
        },
        None,
        None,
    ),
    (
        "client-models-on-edr-only",
        PARTNER,
        {"assigned_product_type": 3, "assigned_protection_model": "", "additional_protection_models": ["mspSecure"]},
        "additional_protection_models",
        "Protection models for clients need",
    ),
    ("unmanaged-with-account", {**UNMANAGED, "account_full_name": "Ann Lee"}, {}, None, None),
    (
        "unmanaged-without-account-name",
        UNMANAGED,
        {},
        "account_full_name",
        "Required when the partner above does not manage",
    ),
    (
        "term-on-monthly",
        CUSTOMER,
        {"end_subscription": "2029-04-14", "auto_renew_period": 12, "minimum_endpoints": 20},
        None,
        None,
    ),
    (
        "end-date-on-trial",
        CUSTOMER,
        {"license_type": 5, "assigned_protection_model": "", "end_subscription": "2029-04-14"},
        "end_subscription",
        "Applies only to the monthly subscription",
    ),
    (
        "minimum-on-trial",
        CUSTOMER,
        {"license_type": 5, "assigned_protection_model": "", "minimum_endpoints": 20},
        "minimum_endpoints",
        "Applies only to the monthly subscription",
    ),
    ("seats-reserved", CUSTOMER, {"reserved_slots": 10}, None, None),
    ("seats-zero", CUSTOMER, {"reserved_slots": 0}, "reserved_slots", "greater than or equal to 1"),
    ("renewal-too-long", CUSTOMER, {"auto_renew_period": 121}, "auto_renew_period", "less than or equal to 120"),
    (
        "add-ons-on",
        CUSTOMER,
        {"manage_exchange": True, "manage_encryption": True, "manage_patch_management": True},
        None,
        None,
    ),
    ("container-with-a-la-carte", CUSTOMER, {"manage_container_protection": True}, None, None),
    (
        "container-with-msp-secure",
        CUSTOMER,
        {"assigned_protection_model": "mspSecure", "manage_container_protection": True},
        "manage_container_protection",
        "Container Protection needs the à la carte protection model",
    ),
    ("mdr-foundations", CUSTOMER, {"mdr_service": 1}, None, None),
    (
        "mdr-unmanaged",
        {**UNMANAGED, "account_full_name": "Ann Lee"},
        {"mdr_service": 1},
        "mdr_service",
        "MDR needs the partner above to manage this company",
    ),
    (
        "mdr-on-trial",
        CUSTOMER,
        {"license_type": 5, "assigned_protection_model": "", "mdr_service": 1},
        "mdr_service",
        "MDR applies only to the monthly subscription",
    ),
    ("mdr-resold-by-customer", CUSTOMER, {"mdr_resell": True}, "mdr_resell", "Only partners resell MDR"),
    (
        "retention-with-integrity-monitoring",
        CUSTOMER,
        {"manage_integrity_monitoring": True, "im_data_retention": 3},
        None,
        None,
    ),
    (
        "retention-without-integrity-monitoring",
        CUSTOMER,
        {"im_data_retention": 3},
        "im_data_retention",
        "only with Integrity Monitoring on",
    ),
    ("sensors-with-edr", CUSTOMER, {"manage_event_correlator": True, "manage_xdr_network": True}, None, None),
    ("sensors-without-edr", CUSTOMER, {"manage_xdr_network": True}, "manage_xdr_network", "XDR sensors need EDR"),
    (
        "sensors-on-licence-trial",
        PARTNER,
        {
            "license_type": 4,
            "assigned_protection_model": "",
            "manage_event_correlator": True,
            "manage_xdr_network": True,
        },
        "manage_xdr_network",
        "need a monthly subscription or the monthly subscription trial",
    ),
    ("resell-by-partner", PARTNER, {"resell_xdr": True, "resell_event_correlator": True}, None, None),
    ("resell-by-customer", CUSTOMER, {"resell_xdr": True}, "resell_xdr", "Only partners resell"),
    (
        "resell-on-licence-trial",
        PARTNER,
        {"license_type": 4, "assigned_protection_model": "", "resell_xdr": True},
        "resell_xdr",
        "Reselling needs a monthly subscription or the monthly subscription trial",
    ),
    (
        "container-resold-with-a-la-carte",
        PARTNER,
        {
            "assigned_protection_model": "mspSecure",
            "additional_protection_models": ["mspSecure", "aLaCarte"],
            "resell_container_protection": True,
        },
        None,
        None,
    ),
    (
        "container-resold-without-a-la-carte",
        PARTNER,
        {"assigned_protection_model": "mspSecure", "resell_container_protection": True},
        "resell_container_protection",
        "needs À la carte among the protection models for clients",
    ),
    (
        "clients-moved-to-offered-model",
        PARTNER,
        {
            "assigned_protection_model": "mspSecure",
            "additional_protection_models": ["mspSecure", "aLaCarte"],
            "clients_protection_model_change": "aLaCarte",
        },
        None,
        None,
    ),
    (
        "clients-moved-to-model-not-offered",
        PARTNER,
        {"assigned_protection_model": "mspSecure", "clients_protection_model_change": "aLaCarte"},
        "clients_protection_model_change",
        "only to one of the protection models for clients",
    ),
    (
        "clients-moved-by-customer",
        CUSTOMER,
        {"clients_protection_model_change": "aLaCarte"},
        "clients_protection_model_change",
        "Only a partner has clients to move",
    ),
]


@pytest.mark.parametrize(
    ("company_fields", "subscription_fields", "field", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rule(admin_client, company_fields, subscription_fields, field, message):
    data = form_data(subscription_fields=subscription_fields, **company_fields)

    response = admin_client.post(ADD_URL, data)

    if field is None:
        assert response.status_code == 302, subscription_errors(response) or company_errors(response)
        assert Company.objects.count() == 1
    else:
        errors = {**company_errors(response), **subscription_errors(response)}
        assert field in errors, errors
        assert message in " ".join(errors[field])


def test_edr_switches_sandbox_and_hyperdetect_on(admin_client):
    admin_client.post(ADD_URL, form_data(company_type=1, subscription_fields={"manage_event_correlator": True}))

    subscription = Company.objects.get().subscription
    assert (subscription.manage_sandbox_analyzer, subscription.manage_hyper_detect) == (True, True)


def test_edr_off_switches_sandbox_and_hyperdetect_off(admin_client):
    company = make_partner()
    subscription = subscribe(company, manage_event_correlator=True)

    admin_client.post(
        f"/admin/companies/company/{company.pk}/change/",
        form_data(company, subscription, subscription_fields={"manage_event_correlator": False}),
    )

    subscription.refresh_from_db()
    assert (subscription.manage_sandbox_analyzer, subscription.manage_hyper_detect) == (False, False)


def test_mdr_switches_edr_on(admin_client):
    admin_client.post(ADD_URL, form_data(company_type=1, subscription_fields={"mdr_service": 1}))

    assert Company.objects.get().subscription.manage_event_correlator is True


def test_mdr_for_partner_switches_mdr_reselling_on(admin_client):
    admin_client.post(ADD_URL, form_data(subscription_fields={"mdr_service": 1}))

    assert Company.objects.get().subscription.mdr_resell is True


def test_protection_model_fills_default_client_models(admin_client):
    admin_client.post(ADD_URL, form_data(subscription_fields={"assigned_protection_model": "mspSecurePlus"}))

    assert Company.objects.get().subscription.additional_protection_models == ["mspSecure", "mspSecurePlus"]


def test_chosen_client_models_are_kept(admin_client):
    fields = {"assigned_protection_model": "mspSecure", "additional_protection_models": ["aLaCarte", "mspSecure"]}

    admin_client.post(ADD_URL, form_data(subscription_fields=fields))

    assert Company.objects.get().subscription.additional_protection_models == ["aLaCarte", "mspSecure"]


def test_trial_settings_change_is_refused(admin_client):
    company = make_partner(gravityzone_id="a" * 24)
    subscription = subscribe(company, license_type=4, assigned_protection_model="")

    response = admin_client.post(
        f"/admin/companies/company/{company.pk}/change/",
        form_data(company, subscription, subscription_fields={"manage_exchange": True}),
    )

    assert "switching it to the monthly subscription" in subscription_errors(response)["license_type"][0]


def test_trial_switch_to_monthly_is_accepted(admin_client):
    company = make_partner(gravityzone_id="a" * 24)
    subscription = subscribe(company, license_type=4, assigned_protection_model="")
    fields = {"license_type": 3, "assigned_protection_model": "mspSecure", "manage_exchange": True}

    response = admin_client.post(
        f"/admin/companies/company/{company.pk}/change/", form_data(company, subscription, subscription_fields=fields)
    )

    assert response.status_code == 302


def test_monthly_subscription_cannot_go_back_to_trial(admin_client):
    company = make_partner(gravityzone_id="a" * 24)
    subscription = subscribe(company)
    fields = {"license_type": 4, "assigned_protection_model": ""}

    response = admin_client.post(
        f"/admin/companies/company/{company.pk}/change/", form_data(company, subscription, subscription_fields=fields)
    )

    assert subscription_errors(response)["license_type"] == ["A monthly subscription cannot go back to a trial."]


def test_reservation_beyond_parent_seats_is_refused(admin_client):
    partner = make_partner()
    subscribe(partner, reserved_slots=30)

    response = admin_client.post(
        ADD_URL,
        form_data(company_type=1, name="Contoso Dental", parent=partner.pk, subscription_fields={"reserved_slots": 31}),
    )

    assert subscription_errors(response)["reserved_slots"] == [
        "The parent Northwind IT Services has 30 seats left to reserve."
    ]


def test_model_not_offered_by_parent_is_refused(admin_client):
    partner = make_partner()
    subscribe(partner, assigned_protection_model="aLaCarte")

    response = admin_client.post(
        ADD_URL,
        form_data(
            company_type=1,
            name="Contoso Dental",
            parent=partner.pk,
            subscription_fields={"assigned_protection_model": "mspSecure"},
        ),
    )

    assert subscription_errors(response)["assigned_protection_model"] == [
        "Northwind IT Services offers its clients only: À la carte."
    ]


def test_contact_details_need_email(admin_client):
    response = admin_client.post(ADD_URL, form_data(contact_full_name="Ann Lee"))

    assert company_errors(response)["contact_email"] == ["GravityZone needs the contact person's email."]


@pytest.mark.parametrize(("industry", "valid"), [(0, True), (34, True), (3415, True), (35, False), (9999, False)])
def test_industry_codes(admin_client, industry, valid):
    response = admin_client.post(ADD_URL, form_data(industry=industry))

    assert (response.status_code == 302) is valid


def test_state_with_country_prefix_is_stored_without_it(admin_client):
    admin_client.post(ADD_URL, form_data(country="DE", state="de-by"))

    company = Company.objects.get()
    assert (company.country, company.state) == ("DE", "BY")


def test_state_without_country_is_refused(admin_client):
    response = admin_client.post(ADD_URL, form_data(state="BY"))

    assert company_errors(response)["country"] == ["Choose the country of the state or region."]


def test_past_end_date_is_refused(admin_client):
    response = admin_client.post(ADD_URL, form_data(subscription_fields={"end_subscription": "2020-01-31"}))

    assert subscription_errors(response)["end_subscription"] == ["Choose a date in the future."]


def test_negative_seats_message_names_the_real_minimum(admin_client):
    response = admin_client.post(ADD_URL, form_data(subscription_fields={"reserved_slots": -5}))

    assert subscription_errors(response)["reserved_slots"] == ["Ensure this value is greater than or equal to 1."]


def test_container_with_msp_secure_shows_one_message(admin_client):
    fields = {"assigned_protection_model": "mspSecure", "manage_container_protection": True}

    response = admin_client.post(ADD_URL, form_data(company_type=1, subscription_fields=fields))

    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].non_field_errors() == []


def test_unknown_country_is_refused(admin_client):
    response = admin_client.post(ADD_URL, form_data(country="XX"))

    assert "country" in company_errors(response)
