"""Reading JSON-RPC 2.0 responses from GravityZone into results or typed errors."""

from typing import Any

import httpx

from gravityzone.errors import (
    INVALID_PARAMS,
    ApiError,
    AuthenticationError,
    InvalidParamsError,
    ProtocolError,
    RateLimitedError,
    TransientError,
)


def parse_response(response: httpx.Response, method: str, request_id: str) -> Any:
    """Turn an HTTP response into a JSON-RPC result, or raise the matching error.

    GravityZone explains failures in a JSON-RPC error body even on HTTP 4xx, so the body is
    read first and the status second.
    """
    status = response.status_code
    try:
        payload = response.json()
    except ValueError:
        payload = None

    error = payload.get("error") if isinstance(payload, dict) else None
    details = _error_details(error)

    if status == 401:
        raise AuthenticationError(
            "GravityZone rejected the API key",
            method=method,
            http_status=status,
            code=_error_code(error),
            details=details,
        )
    if status == 429:
        raise RateLimitedError(
            "GravityZone rate limit exceeded",
            method=method,
            http_status=status,
            details=details,
            retry_after=_retry_after(response),
        )
    if status >= 500:
        raise TransientError(
            f"GravityZone responded with HTTP {status}", method=method, http_status=status, details=details
        )
    if not isinstance(payload, dict):
        raise ProtocolError(f"HTTP {status} response is not a JSON object", method=method, http_status=status)

    if error is not None:
        code = _error_code(error)
        message = error.get("message") if isinstance(error, dict) else None
        error_class = InvalidParamsError if code == INVALID_PARAMS else ApiError
        raise error_class(
            message or "GravityZone returned an error", method=method, http_status=status, code=code, details=details
        )

    if status != 200:
        raise ProtocolError(f"unexpected HTTP {status} without a JSON-RPC error", method=method, http_status=status)
    if payload.get("id") != request_id:
        raise ProtocolError("response id does not match the request id", method=method, http_status=status)
    if "result" not in payload:
        raise ProtocolError("response has neither a result nor an error", method=method, http_status=status)
    return payload["result"]


def _error_code(error):
    if isinstance(error, dict) and isinstance(error.get("code"), int):
        return error["code"]
    return None


def _error_details(error):
    if not isinstance(error, dict):
        return None
    data = error.get("data")
    if isinstance(data, dict) and isinstance(data.get("details"), str):
        return data["details"]
    return None


def _retry_after(response):
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None
