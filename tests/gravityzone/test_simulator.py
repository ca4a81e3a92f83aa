"""The simulator's HTTP behaviour, checked with raw requests as any client would send them."""

import json

import httpx
import pytest

from gravityzone.simulator import Simulator, SimulatorServer, TenantState
from gravityzone.simulator.server import INVALID_KEY, MISSING_AUTH
from tests.services import API_KEY, running_simulator


def post(simulator, body, *, api="companies", auth=(API_KEY, ""), suffix=""):
    url = f"{simulator.base_url}/v1.0/jsonrpc/{api}{suffix}"
    content = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return httpx.post(url, content=content, auth=auth, headers={"Content-Type": "application/json"})


def rpc(method, params=None, request_id="1"):
    return {"id": request_id, "jsonrpc": "2.0", "method": method, "params": params if params is not None else {}}


def test_success_envelope_echoes_id(simulator):
    response = post(simulator, rpc("getCompanyDetails", request_id="abc"))

    assert response.json()["id"] == "abc"


def test_trailing_slash_is_accepted(simulator):
    response = post(simulator, rpc("getCompanyDetails"), suffix="/")

    assert response.json()["result"]["type"] == 0


def test_integer_id_is_accepted(simulator):
    response = post(simulator, rpc("getCompanyDetails", request_id=7))

    assert response.json()["id"] == 7


def test_empty_params_array_means_no_params(simulator):
    response = post(simulator, rpc("getCompanyDetails", params=[]))

    assert "result" in response.json()


def test_missing_authorization_header_answers_401(simulator):
    response = post(simulator, rpc("getCompanyDetails"), auth=None)

    assert (response.status_code, response.json()["error"]["data"]["details"]) == (401, MISSING_AUTH)


def test_unknown_key_answers_401(simulator):
    response = post(simulator, rpc("getCompanyDetails"), auth=("wrong", ""))

    assert (response.status_code, response.json()["error"]["data"]["details"]) == (401, INVALID_KEY)


def test_key_without_api_scope_answers_401():
    with running_simulator(enabled_apis=("general",)) as simulator:
        response = post(simulator, rpc("getCompanyDetails"))

    assert response.status_code == 401


def test_unknown_method_answers_method_not_found(simulator):
    response = post(simulator, rpc("getChildCompanies"))

    assert response.json()["error"]["code"] == -32601


def test_method_on_wrong_endpoint_answers_method_not_found(simulator):
    response = post(simulator, rpc("getApiKeyDetails"), api="companies")

    assert response.json()["error"]["code"] == -32601


def test_bad_envelope_answers_invalid_request(simulator):
    response = post(simulator, {"id": "1", "jsonrpc": "1.0", "method": "getCompanyDetails"})

    assert response.json()["error"]["code"] == -32600


def test_bad_json_answers_parse_error(simulator):
    response = post(simulator, "{not json")

    assert response.json()["error"]["code"] == -32700


def test_unknown_parameter_answers_invalid_params(simulator):
    response = post(simulator, rpc("createCompany", {"type": 1, "name": "Contoso", "colour": "red"}))

    assert response.json()["error"]["data"]["details"] == "Unknown parameter 'colour'."


@pytest.mark.parametrize(
    ("params", "details"),
    [
        ({"name": "Contoso"}, "Missing required parameter 'type'."),
        ({"type": 1}, "Missing required parameter 'name'."),
        ({"type": True, "name": "Contoso"}, "Invalid value for 'type': expected an integer."),
        ({"type": 1, "name": "x" * 65}, "Invalid value for 'name': at most 64 characters are allowed."),
        (
            {"type": 1, "name": "Contoso", "address": "<b>1 Main St</b>"},
            "Invalid value for 'address': HTML tags are not allowed.",
        ),
        (
            {"type": 1, "name": "Contoso", "phone": "1" * 33},
            "Invalid value for 'phone': at most 32 characters are allowed.",
        ),
        ({"type": 1, "name": "Contoso", "skip2FAPeriod": 2}, "Invalid value for 'skip2FAPeriod'."),
        (
            {"type": 1, "name": "Contoso", "canBeManagedByAbove": False},
            "'accountEmail' and 'accountFullName' are required when 'canBeManagedByAbove' is false.",
        ),
        (
            {"type": 1, "name": "Contoso", "contactPerson": {"fullName": "Ann"}},
            "Invalid value for 'contactPerson': 'email' is required.",
        ),
        ({"type": 1, "name": "Contoso", "parentId": "0" * 24}, "Invalid value for 'parentId'."),
    ],
)
def test_create_company_rejects_invalid_params(simulator, params, details):
    response = post(simulator, rpc("createCompany", params))

    assert response.json()["error"]["data"]["details"] == details


def test_customer_cannot_be_parent(simulator):
    customer_id = post(simulator, rpc("createCompany", {"type": 1, "name": "Contoso"})).json()["result"]

    response = post(simulator, rpc("createCompany", {"type": 1, "name": "Fabrikam", "parentId": customer_id}))

    assert response.json()["error"]["data"]["details"] == "Invalid value for 'parentId'."


def test_rejected_update_changes_nothing(simulator, tenant):
    company_id = post(simulator, rpc("createCompany", {"type": 1, "name": "Contoso"})).json()["result"]

    post(simulator, rpc("updateCompanyDetails", {"companyId": company_id, "name": "Fabrikam", "phone": "1" * 40}))

    assert tenant.companies[company_id].name == "Contoso"


def test_partner_with_companies_cannot_become_customer(simulator):
    partner_id = post(simulator, rpc("createCompany", {"type": 0, "name": "Northwind"})).json()["result"]
    post(simulator, rpc("createCompany", {"type": 1, "name": "Contoso", "parentId": partner_id}))

    response = post(simulator, rpc("updateCompanyDetails", {"companyId": partner_id, "type": 1}))

    assert response.json()["error"]["code"] == -32602


def test_find_with_leading_star_matches_anywhere(simulator):
    post(simulator, rpc("createCompany", {"type": 1, "name": "Blue Contoso"}))

    response = post(simulator, rpc("findCompaniesByName", {"nameFilter": "*contoso"}))

    assert [company["name"] for company in response.json()["result"]] == ["Blue Contoso"]


def test_find_rejects_max_results_over_100(simulator):
    response = post(simulator, rpc("findCompaniesByName", {"nameFilter": "a", "maxResults": 101}))

    assert response.json()["error"]["code"] == -32602


def test_api_key_details_lists_enabled_apis(simulator):
    response = post(simulator, rpc("getApiKeyDetails"), api="general")

    assert response.json()["result"]["enabledApis"] == ["companies", "general", "licensing", "network"]


def test_state_file_keeps_companies_across_restart(tmp_path):
    path = tmp_path / "state.json"
    tenant = TenantState(path=path)
    server = SimulatorServer(Simulator(api_key=API_KEY, tenant=tenant), "127.0.0.1", 0)
    server.start_in_thread()
    company_id = post(server, rpc("createCompany", {"type": 1, "name": "Contoso"})).json()["result"]
    server.stop()

    reloaded = TenantState(path=path)

    assert reloaded.companies[company_id].name == "Contoso"
