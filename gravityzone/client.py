"""A JSON-RPC 2.0 client for the GravityZone Public API.

The base URL is the "Access URL" that Control Center shows under My Account → Control Center
API, for example https://cloud.gravityzone.bitdefender.com/api. Each API (companies,
licensing, network, …) has its own endpoint below it: <access URL>/v1.0/jsonrpc/<api>.
Authentication is HTTP Basic with the API key as the user name and an empty password.
"""

import logging
import uuid
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
from gravityzone.types import CompanyDetails, CompanyType, names_match

logger = logging.getLogger(__name__)

# GravityZone's own integrations allow minutes; 30 seconds keeps a stuck call from holding a
# worker while still covering slow answers from a busy tenant.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)

USER_AGENT = "gravityzone-backoffice/0.1"

# findCompaniesByName returns at most this many companies and has no paging.
MAX_FIND_RESULTS = 100


class GravityZoneClient:
    """Call GravityZone API methods and return their parsed results.

    Every method raises a subclass of `gravityzone.errors.GravityZoneError` on failure.
    """

    def __init__(self, api_url: str, api_key: str, *, timeout=DEFAULT_TIMEOUT, transport=None):
        self.api_url = api_url.rstrip("/")
        self._http = httpx.Client(
            auth=httpx.BasicAuth(api_key, ""),
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )

    def __repr__(self):
        return f"<GravityZoneClient {self.api_url}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._http.close()

    # companies API

    def create_company(self, params: dict[str, Any]) -> str:
        """Create a company and return its new ID.

        `params` are createCompany's parameters as GravityZone names them.
        """
        company_id = self.call("companies", "createCompany", params)
        if not isinstance(company_id, str):
            raise ProtocolError(
                f"expected the new company ID as a string, got {type(company_id).__name__}",
                method="createCompany",
            )
        return company_id

    def create_company_once(self, params: dict[str, Any]) -> str:
        """Create a company unless GravityZone already has it; return its ID either way.

        Company names are unique in GravityZone, so a company with the same name below the same
        parent is the one an earlier attempt created (its answer lost, or its worker stopped).
        The name is looked up before the call and again after a failure that may have reached
        GravityZone, so repeating this call never creates a duplicate.
        """
        existing = self.find_company_by_exact_name(params["name"])
        if existing is not None:
            return _adopt(existing, params)

        try:
            return self.create_company(params)
        except TransientError as exc:
            if not exc.request_sent:
                raise
            existing = self.find_company_by_exact_name(params["name"])
            if existing is None:
                raise
            return _adopt(existing, params)

    def update_company_details(self, company_id: str, params: dict[str, Any]) -> None:
        self.call("companies", "updateCompanyDetails", {"companyId": company_id, **params})

    def get_company_details(self, company_id: str) -> CompanyDetails:
        result = self.call("companies", "getCompanyDetails", {"companyId": company_id})
        return CompanyDetails.from_api(result)

    def find_companies_by_name(self, name_filter: str, max_results: int = 25) -> list[CompanyDetails]:
        """Return companies whose name starts with `name_filter`, or contains it after a '*'."""
        params = {"nameFilter": name_filter, "maxResults": max_results}
        result = self.call("companies", "findCompaniesByName", params)
        return [CompanyDetails.from_api(item) for item in result]

    def find_company_by_exact_name(self, name: str) -> CompanyDetails | None:
        """Return the company named exactly `name` (trimmed, case-folded), or None.

        findCompaniesByName is a prefix search, so its matches are compared here.
        """
        candidates = self.find_companies_by_name(name.strip(), max_results=MAX_FIND_RESULTS)
        for candidate in candidates:
            if names_match(candidate.name, name):
                return candidate
        return None

    # transport

    def call(self, api: str, method: str, params: dict[str, Any]) -> Any:
        """Send one JSON-RPC request and return its `result`, which may be None."""
        request_id = str(uuid.uuid4())
        body = {"id": request_id, "jsonrpc": "2.0", "method": method, "params": params}
        url = f"{self.api_url}/v1.0/jsonrpc/{api}"

        try:
            response = self._http.post(url, json=body)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientError(
                f"could not connect to GravityZone ({type(exc).__name__})",
                method=method,
                request_sent=False,
            ) from None
        except httpx.TimeoutException as exc:
            raise TransientError(f"GravityZone did not answer in time ({type(exc).__name__})", method=method) from None
        except httpx.TransportError as exc:
            raise TransientError(
                f"the connection to GravityZone failed ({type(exc).__name__})", method=method
            ) from None

        logger.debug("GravityZone %s: HTTP %s", method, response.status_code)
        return parse_response(response, method, request_id)


def _adopt(existing: CompanyDetails, params: dict[str, Any]) -> str:
    """Return the ID of a company found by name, if it sits where `params` would create it."""
    wanted_parent = params.get("parentId")
    if wanted_parent and existing.parent_id and existing.parent_id != wanted_parent:
        raise ApiError(
            f"a company named {existing.name!r} already exists in GravityZone below another partner",
            method="createCompany",
        )
    if existing.type != params.get("type", existing.type):
        raise ApiError(
            f"a company named {existing.name!r} already exists in GravityZone with another company type",
            method="createCompany",
        )
    logger.info("GravityZone company %s already exists with the requested name; using it", existing.id)
    return existing.id


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
        raise TransientError(f"GravityZone answered HTTP {status}", method=method, http_status=status, details=details)
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


__all__ = ["GravityZoneClient", "CompanyDetails", "CompanyType"]
