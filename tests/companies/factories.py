from companies import rules
from companies.choices import ProtectionModel
from companies.models import Company, CompanyType, Subscription


def make_partner(name="Northwind IT Services", **fields):
    return Company.objects.create(name=name, company_type=CompanyType.PARTNER, **fields)


def make_customer(name="Contoso Dental", **fields):
    return Company.objects.create(name=name, company_type=CompanyType.CUSTOMER, **fields)


def subscribe(company, **settings):
    """Give `company` a monthly subscription, coupled and checked as the admin form does."""
    settings.setdefault("assigned_protection_model", ProtectionModel.A_LA_CARTE)
    subscription = Subscription(company=company, **settings)
    rules.apply_couplings(subscription, company, set(settings))
    errors = rules.check_subscription(subscription, company)
    assert not errors, errors
    subscription.save()
    return subscription
