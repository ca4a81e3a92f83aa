"""Reading responses that the simulator does not produce on its own."""

import httpx
import pytest

from gravityzone.errors import ApiError, ProtocolError, RateLimitedError, TransientError
from gravityzone.jsonrpc import parse_response


def respond(status, body=None, *, text=None, headers=None):
    request = httpx.Request("POST", "http://gravityzone.test/api/v1.0/jsonrpc/companies")
    if text is not None:
        return httpx.Response(status, text=text, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


def test_null_result_is_success():
    response = respond(200, {"id": "1", "jsonrpc": "2.0", "result": None})

    assert parse_response(response, "suspendCompany", "1") is None


def test_null_error_beside_result_is_success():
    # The marketplace page's getMonthlyUsage example answers with "error": null.
    response = respond(200, {"id": "1", "jsonrpc": "2.0", "result": {"endpointMonthlyUsage": 4}, "error": None})

    assert parse_response(response, "getMonthlyUsage", "1") == {"endpointMonthlyUsage": 4}


def test_error_inside_http_200_raises():
    body = {"id": "1", "jsonrpc": "2.0", "error": {"code": -32000, "message": "Server error", "data": {"details": "x"}}}

    with pytest.raises(ApiError):
        parse_response(respond(200, body), "createCompany", "1")


def test_html_page_with_http_200_raises_protocol_error():
    with pytest.raises(ProtocolError):
        parse_response(respond(200, text="<html>Maintenance</html>"), "createCompany", "1")


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
