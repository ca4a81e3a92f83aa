from gravityzone.types import CompanyType, LicenseSubscription, LicenseType, NewCompany


def partner(name="Northwind IT Services", **fields):
    return NewCompany(type=CompanyType.PARTNER, name=name, **fields)


def customer(name="Contoso Dental", **fields):
    return NewCompany(type=CompanyType.CUSTOMER, name=name, **fields)


def monthly(**settings):
    """A monthly subscription (licence type 3) for createCompany."""
    return LicenseSubscription(type=LicenseType.MONTHLY_SUBSCRIPTION, **settings)
