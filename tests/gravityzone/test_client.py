import pickle

import httpx
import pytest

from gravityzone import CompanyType, GravityZoneClient
from gravityzone.client import parse_response
from gravityzone.errors import (
    ApiError,
    AuthenticationError,
    InvalidParamsError,
    ProtocolError,
    RateLimitedError,
    TransientError,
)
from gravityzone.simulator.state import Company


def test_create_company_returns_new_id(gravityzone, tenant):
    company_id = gravityzone.create_company({"type": 0, "name": "Northwind"})

    assert tenant.companies[company_id].name == "Northwind"


def test_get_company_details_parses_company(gravityzone):
    company_id = gravityzone.create_company({"type": 1, "name": "Contoso", "address": "1 Main St"})

    details = gravityzone.get_company_details(company_id)

    assert (details.id, details.name, details.type) == (company_id, "Contoso", CompanyType.CUSTOMER)


def test_get_company_details_keeps_unknown_fields(gravityzone):
    company_id = gravityzone.create_company({"type": 1, "name": "Contoso", "address": "1 Main St"})

    details = gravityzone.get_company_details(company_id)

    assert details.extra["address"] == "1 Main St"


def test_find_company_by_exact_name_ignores_prefix_matches(gravityzone):
    gravityzone.create_company({"type": 1, "name": "Acme Holdings"})
    acme_id = gravityzone.create_company({"type": 1, "name": "Acme"})

    found = gravityzone.find_company_by_exact_name("  ACME ")

    assert found.id == acme_id


def test_find_company_by_exact_name_returns_none_without_match(gravityzone):
    gravityzone.create_company({"type": 1, "name": "Acme Holdings"})

    assert gravityzone.find_company_by_exact_name("Acme") is None


def test_create_company_once_reuses_company_an_earlier_attempt_created(gravityzone, tenant):
    first_id = gravityzone.create_company({"type": 1, "name": "Contoso"})

    second_id = gravityzone.create_company_once({"type": 1, "name": "Contoso"})

    assert second_id == first_id
    assert [company.name for company in tenant.companies.values()].count("Contoso") == 1


def test_create_company_once_rejects_same_name_below_another_partner(gravityzone):
    partner_id = gravityzone.create_company({"type": 0, "name": "Northwind"})
    gravityzone.create_company({"type": 1, "name": "Contoso"})

    with pytest.raises(ApiError, match="below another partner"):
        gravityzone.create_company_once({"type": 1, "name": "Contoso", "parentId": partner_id})


def test_duplicate_name_raises_api_error(gravityzone):
    gravityzone.create_company({"type": 1, "name": "Contoso"})

    with pytest.raises(ApiError) as caught:
        gravityzone.create_company({"type": 1, "name": "contoso"})

    assert "already exists" in caught.value.details


def test_invalid_params_carry_details(gravityzone):
    with pytest.raises(InvalidParamsError) as caught:
        gravityzone.create_company({"type": 7, "name": "Contoso"})

    assert caught.value.details == "Invalid value for 'type'."


def test_unknown_key_raises_authentication_error(client_for):
    with pytest.raises(AuthenticationError) as caught:
        client_for("not-the-key").get_company_details("0" * 24)

    assert caught.value.http_status == 401


def test_unreachable_server_raises_transient_error_not_sent():
    # Port 9 (discard) is closed on loopback here, so the connection is refused at once.
    with GravityZoneClient("http://127.0.0.1:9/api", "key") as client, pytest.raises(TransientError) as caught:
        client.get_company_details("0" * 24)

    assert caught.value.request_sent is False


def test_client_repr_leaves_out_api_key():
    with GravityZoneClient("http://127.0.0.1:9/api", "super-secret-key") as client:
        assert "super-secret-key" not in repr(client)


@pytest.mark.parametrize(
    "error",
    [
        RateLimitedError("slow down", method="getMonthlyUsage", http_status=429, retry_after=2.5),
        TransientError("timed out", method="createCompany", request_sent=False),
        InvalidParamsError("Invalid params", method="createCompany", code=-32602, details="Invalid value for 'type'."),
    ],
    ids=type,
)
def test_errors_survive_pickling(error):
    restored = pickle.loads(pickle.dumps(error))

    assert (type(restored), vars(restored)) == (type(error), vars(error))


def respond(status, body=None, *, text=None, headers=None):
    request = httpx.Request("POST", "http://gravityzone.test/api/v1.0/jsonrpc/companies")
    if text is not None:
        return httpx.Response(status, text=text, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


def test_null_result_is_success():
    response = respond(200, {"id": "1", "jsonrpc": "2.0", "result": None})

    assert parse_response(response, "suspendCompany", "1") is None


def test_error_inside_http_200_raises():
    body = {"id": "1", "jsonrpc": "2.0", "error": {"code": -32000, "message": "Server error", "data": {"details": "x"}}}

    with pytest.raises(ApiError):
        parse_response(respond(200, body), "createCompany", "1")


def test_html_error_page_raises_protocol_error():
    with pytest.raises(ProtocolError):
        parse_response(respond(200, text="<html>Gateway</html>"), "createCompany", "1")


def test_server_error_status_raises_transient_error():
    with pytest.raises(TransientError):
        parse_response(respond(502, text="<html>Bad gateway</html>"), "createCompany", "1")


def test_rate_limit_reads_retry_after():
    with pytest.raises(RateLimitedError) as caught:
        parse_response(respond(429, text="", headers={"Retry-After": "3"}), "getMonthlyUsage", "1")

    assert caught.value.retry_after == 3.0


def test_mismatched_id_raises_protocol_error():
    with pytest.raises(ProtocolError, match="id"):
        parse_response(respond(200, {"id": "2", "jsonrpc": "2.0", "result": None}), "createCompany", "1")


def test_response_without_result_or_error_raises_protocol_error():
    with pytest.raises(ProtocolError, match="neither"):
        parse_response(respond(200, {"id": "1", "jsonrpc": "2.0"}), "createCompany", "1")


def test_company_from_another_tenant_is_not_found(gravityzone, tenant):
    stranger = Company(id="f" * 24, name="Elsewhere", type=0, parent_id=None)
    tenant.companies[stranger.id] = stranger

    with pytest.raises(InvalidParamsError):
        gravityzone.get_company_details(stranger.id)
