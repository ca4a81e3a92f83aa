"""The requests built from what is saved, against GravityZone's documented examples."""

import datetime

import pytest

from companies import payloads
from companies.choices import CompanyType
from companies.models import Company, Subscription
from gravityzone.types import to_params
from tests.gravityzone.test_simulator_state import MARKETPLACE_EXAMPLE

pytestmark = pytest.mark.django_db


def marketplace_partner():
    """The partner and subscription the marketplace page's setMonthlySubscription example describes."""
    company = Company.objects.create(
        name="Northwind IT Services", company_type=CompanyType.PARTNER, gravityzone_id="a" * 24
    )
    subscription = Subscription.objects.create(
        company=company,
        reserved_slots=120,
        end_subscription=datetime.date(2029, 4, 14),
        auto_renew_period=12,
        manage_hyper_detect=True,
        manage_sandbox_analyzer=True,
        manage_event_correlator=True,
        resell_xdr=True,
        resell_remote_engines_scanning=True,
        resell_container_protection=True,
        resell_hyper_detect=True,
        resell_sandbox_analyzer=True,
        resell_event_correlator=True,
        manage_integrity_monitoring=True,
        im_data_retention=2,
        mdr_service=1,
        mdr_resell=True,
        minimum_endpoints=120,
        assigned_product_type=0,
        # The page lost the contents of its two arrays. These are values its rules allow: the
        # products to resell contain the assigned one, and reselling Container Protection and
        # moving clients to aLaCarte need aLaCarte among the client models.
        additional_product_types=[0],
        assigned_protection_model="mspSecure",
        additional_protection_models=["mspSecure", "aLaCarte"],
        clients_protection_model_change="aLaCarte",
    )
    return company, subscription


def test_marketplace_example_matches_key_by_key():
    company, subscription = marketplace_partner()

    built = to_params(payloads.monthly_subscription(company, subscription))

    for key, value in MARKETPLACE_EXAMPLE.items():
        assert built[key] == value, key


def test_marketplace_example_gains_only_mobile_security():
    # The example leaves manageMobileSecurity out; the back-office always sends every flag,
    # because a flag left out keeps whatever GravityZone had.
    company, subscription = marketplace_partner()

    built = to_params(payloads.monthly_subscription(company, subscription))

    assert set(built) - set(MARKETPLACE_EXAMPLE) == {"manageMobileSecurity"}


def test_unset_reservation_is_removed():
    company, subscription = marketplace_partner()
    subscription.reserved_slots = None

    built = to_params(payloads.monthly_subscription(company, subscription))

    assert built["removeReservedSlots"] is True
    assert "reservedSlots" not in built


def test_customer_request_has_no_reselling():
    company = Company.objects.create(name="Contoso Dental", company_type=CompanyType.CUSTOMER)
    subscription = Subscription.objects.create(company=company, assigned_protection_model="aLaCarte")

    built = to_params(payloads.monthly_subscription(company, subscription))

    assert not {"resell", "additionalProductTypes", "additionalProtectionModels"} & set(built)


def test_licence_trial_sends_add_ons_at_top_level():
    company = Company.objects.create(name="Blue Yonder MSP", company_type=CompanyType.PARTNER)
    Subscription.objects.create(company=company, license_type=4, manage_sandbox_analyzer=True)

    built = to_params(payloads.new_company(company))["licenseSubscription"]

    assert built["manageSandboxAnalyzer"] is True
    assert not {"ownUse", "resell", "assignedProductType", "licensedServices"} & set(built)


def test_licence_trial_leaves_edr_off_out():
    # At the top level any value of EDR also sets Sandbox Analyzer and HyperDetect.
    company = Company.objects.create(name="Blue Yonder MSP", company_type=CompanyType.PARTNER)
    Subscription.objects.create(company=company, license_type=4, manage_sandbox_analyzer=True)

    built = to_params(payloads.new_company(company))["licenseSubscription"]

    assert "manageEventCorrelator" not in built


def test_new_company_sends_every_detail():
    company = Company.objects.create(
        name="Contoso Dental",
        company_type=CompanyType.CUSTOMER,
        address="1 Main St",
        country="DE",
        phone="+49 30 1234",
        can_be_managed_by_above=False,
        account_email="it@contoso.example",
        account_full_name="Ann Lee",
        contact_email="ann@contoso.example",
        contact_full_name="Ann Lee",
    )

    built = to_params(payloads.new_company(company))

    assert built == {
        "type": 1,
        "name": "Contoso Dental",
        "address": "1 Main St",
        "country": "DE",
        "phone": "+49 30 1234",
        "industry": 0,
        "canBeManagedByAbove": False,
        "enforce2FA": False,
        "accountEmail": "it@contoso.example",
        "accountFullName": "Ann Lee",
        "contactPerson": {"email": "ann@contoso.example", "fullName": "Ann Lee"},
    }
