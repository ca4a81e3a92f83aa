"""Every subscription rule, valid and invalid, sent through the client to the simulator."""

import itertools

import pytest

from gravityzone.errors import InvalidParamsError
from tests.subscription_rules import CASES

names = (f"Rule Case {number}" for number in itertools.count())


def create_company(client, params):
    return client.call("companies", "createCompany", {"name": next(names), **params})


def send(client, case):
    if case.call == "create":
        return create_company(client, case.params)
    params = dict(case.params)
    if case.id != "company-id-missing":
        params["companyId"] = create_company(client, case.company)
    return client.call("licensing", "setMonthlySubscription", params)


@pytest.mark.parametrize("case", [case for case in CASES if case.valid], ids=lambda case: case.id)
def test_valid_case_is_accepted(gravityzone, case):
    send(gravityzone, case)


@pytest.mark.parametrize("case", [case for case in CASES if not case.valid], ids=lambda case: case.id)
def test_invalid_case_is_rejected_with_reason(gravityzone, case):
    with pytest.raises(InvalidParamsError) as caught:
        send(gravityzone, case)

    assert case.error in caught.value.details
    assert case.parameter in caught.value.details
