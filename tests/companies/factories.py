from companies.models import Company, CompanyType


def make_partner(name="Northwind IT Services", **fields):
    return Company.objects.create(name=name, company_type=CompanyType.PARTNER, **fields)


def make_customer(name="Contoso Dental", **fields):
    return Company.objects.create(name=name, company_type=CompanyType.CUSTOMER, **fields)
