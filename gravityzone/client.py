"""A JSON-RPC 2.0 client for the GravityZone Public API.

The base URL is the "Access URL" that Control Center shows under My Account → Control Center
API, for example https://cloud.gravityzone.bitdefender.com/api. Each API (companies,
licensing, network, general) has its own endpoint below it: <access URL>/v1.0/jsonrpc/<api>.
Authentication is HTTP Basic with the API key as the user name and an empty password.
Method documentation: https://www.bitdefender.com/business/support/en/77211-125277-public-api.html
"""

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from gravityzone.errors import (
    ApiError,
    GravityZoneError,
    InvalidParamsError,
    ProtocolError,
    RateLimitedError,
    TransientError,
)
from gravityzone.jsonrpc import parse_response
from gravityzone.ratelimits import LocalRateLimiter
from gravityzone.types import (
    ApiKeyDetails,
    CompanyChanges,
    CompanyDetails,
    CompanySummary,
    CompanyType,
    LicenseInfo,
    LicenseType,
    MonthlySubscription,
    MonthlyUsage,
    MonthlyUsagePerProductType,
    NewCompany,
    names_match,
    to_params,
)

logger = logging.getLogger(__name__)

# GravityZone's own integrations allow minutes. 30 seconds keeps a stuck call from holding a
# worker, and still covers slow responses from a busy tenant.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)

USER_AGENT = "gravityzone-backoffice/0.1"

# findCompaniesByName returns at most this many companies and has no paging.
MAX_FIND_RESULTS = 100


@dataclass(frozen=True)
class CallRecord:
    """One attempt at a call: what was sent, how long it took, and the error if it failed."""

    api: str
    method: str
    params: dict[str, Any]
    duration: float
    error: GravityZoneError | None = None


class GravityZoneClient:
    """Call GravityZone API methods and return their parsed results.

    Every call waits for its turn under GravityZone's rate limits (`rate_limiter`), and on a
    429 response waits at least the Retry-After it was given; these waits are not counted as
    failed attempts. A call that failed in a way that may pass (5xx, timeout, lost
    connection) is tried up to `max_attempts` times in all, unless it may already have been
    carried out and repeating it is not safe. Every method raises a subclass of
    `gravityzone.errors.GravityZoneError` on failure.
    """

    def __init__(
        self,
        api_url: str,
        api_key: str,
        *,
        timeout=DEFAULT_TIMEOUT,
        rate_limiter=None,
        max_attempts=3,
        max_rate_limited_waits=20,
        on_call=None,
        transport=None,
        sleep=time.sleep,
    ):
        self.api_url = api_url.rstrip("/")
        # Called after every attempt with a CallRecord, for an audit log.
        self.on_call = on_call
        self.rate_limiter = rate_limiter or LocalRateLimiter()
        self.max_attempts = max_attempts
        self.max_rate_limited_waits = max_rate_limited_waits
        self._sleep = sleep
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

    # companies API: https://www.bitdefender.com/business/support/en/77211-126235-companies.html

    def create_company(self, company: NewCompany) -> str:
        """Create a company and return its new ID.

        A failure that may have reached GravityZone is not retried here, because a second
        call could create a second company; `create_company_once` is safe to repeat.
        """
        company_id = self.call("companies", "createCompany", to_params(company), retry_if_sent=False)
        if not isinstance(company_id, str):
            raise ProtocolError(
                f"expected the new company ID as a string, got {type(company_id).__name__}",
                method="createCompany",
            )
        return company_id

    def create_company_once(self, company: NewCompany) -> str:
        """Create a company unless GravityZone already has it; return its ID either way.

        Company names are unique in GravityZone, so a company with the same name below the same
        parent is the one an earlier attempt created (its response lost, or its worker stopped).
        The name is looked up before the call and again after a failure that may have reached
        GravityZone, so repeating this call never creates a duplicate.
        """
        existing = self.find_company_by_exact_name(company.name)
        if existing is not None:
            return _adopt(existing, company)

        try:
            return self.create_company(company)
        except TransientError as exc:
            if not exc.request_sent:
                raise
            existing = self.find_company_by_exact_name(company.name)
            if existing is None:
                raise
            return _adopt(existing, company)

    def update_company_details(self, company_id: str, changes: CompanyChanges) -> None:
        self.call("companies", "updateCompanyDetails", {"companyId": company_id, **to_params(changes)})

    def get_company_details(self, company_id: str | None = None) -> CompanyDetails:
        """Return a company's details; without `company_id`, those of the API key's own company."""
        params = {"companyId": company_id} if company_id else {}
        return CompanyDetails.from_api(self.call("companies", "getCompanyDetails", params))

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

    def delete_company(self, company_id: str) -> None:
        """Delete a company; GravityZone refuses a partner that still manages companies."""
        params = {"companyId": company_id}
        try:
            self.call("companies", "deleteCompany", params, retry_if_sent=False)
        except TransientError as exc:
            if not exc.request_sent:
                raise
            # The lost call may have deleted it: only delete again if it is still there.
            try:
                self.get_company_details(company_id)
            except InvalidParamsError:
                return
            self.call("companies", "deleteCompany", params, retry_if_sent=False)

    def suspend_company(self, company_id: str, *, recursive: bool) -> None:
        """Suspend a company, and with `recursive` every company below it."""
        self.call("companies", "suspendCompany", {"companyId": company_id, "recursive": recursive})

    def activate_company(self, company_id: str, *, recursive: bool) -> None:
        """Reactivate a suspended company, and with `recursive` every company below it."""
        self.call("companies", "activateCompany", {"companyId": company_id, "recursive": recursive})

    # licensing API: https://www.bitdefender.com/business/support/en/77212-127104-licensing.html

    def set_monthly_subscription(self, company_id: str, subscription: MonthlySubscription) -> None:
        """Change a company's monthly subscription.

        Settings left as None keep their value in GravityZone; send every add-on flag to
        make GravityZone match a full set of settings.
        """
        self.call("licensing", "setMonthlySubscription", {"companyId": company_id, **to_params(subscription)})

    def get_license_info(self, company_id: str) -> LicenseInfo:
        return LicenseInfo.from_api(self.call("licensing", "getLicenseInfo", {"companyId": company_id}))

    def get_monthly_usage(self, company_id: str, target_month: str) -> MonthlyUsage | None:
        """Return a company's usage for `target_month` ("mm/yyyy"), or None without a monthly licence.

        It covers Endpoint Security only; see `get_monthly_usage_per_product_type`.
        """
        params = {"companyId": company_id, "targetMonth": target_month}
        result = self.call("licensing", "getMonthlyUsage", params)
        # GravityZone returns the number 0 when the company has no monthly licence.
        if result == 0 or result is None:
            return None
        if not isinstance(result, dict):
            raise ProtocolError(f"unexpected monthly usage of type {type(result).__name__}", method="getMonthlyUsage")
        return MonthlyUsage.from_api(result)

    def get_monthly_usage_per_product_type(self, company_id: str, target_month: str) -> MonthlyUsagePerProductType:
        params = {"companyId": company_id, "targetMonth": target_month}
        result = self.call("licensing", "getMonthlyUsagePerProductType", params)
        if result == 0 or result is None:
            return MonthlyUsagePerProductType(entries=())
        return MonthlyUsagePerProductType.from_api(result)

    # network API: https://www.bitdefender.com/business/support/en/77211-128478-getcompanieslist.html

    def get_companies_list(
        self,
        parent_id: str | None = None,
        *,
        company_type: CompanyType | None = None,
        license_type: int | None = None,
    ) -> list[CompanySummary]:
        """Return the direct children of `parent_id` (default: the API key's own company).

        `license_type` uses this method's own codes: 1 trial, 2 yearly, 3 monthly.
        """
        params: dict[str, Any] = {}
        if parent_id:
            params["parentId"] = parent_id
        filters = {}
        if company_type is not None:
            filters["companyType"] = int(company_type)
        if license_type is not None:
            filters["licenseType"] = int(license_type)
        if filters:
            params["filters"] = filters
        result = self.call("network", "getCompaniesList", params)
        return [CompanySummary(id=item["id"], name=item["name"]) for item in result]

    # general API

    def get_api_key_details(self) -> ApiKeyDetails:
        result = self.call("general", "getApiKeyDetails", {})
        return ApiKeyDetails(enabled_apis=tuple(result.get("enabledApis", ())), created_at=result.get("createdAt", ""))

    # transport

    def call(self, api: str, method: str, params: dict[str, Any], *, retry_if_sent: bool = True) -> Any:
        """Send one JSON-RPC request, with pacing and retries, and return its `result`.

        With `retry_if_sent` False, a failure after the request may have reached GravityZone
        is raised at once instead of being retried.
        """
        attempts = 0
        rate_limited_waits = 0
        while True:
            self.rate_limiter.acquire(method)
            try:
                return self._send(api, method, params)
            except RateLimitedError as exc:
                rate_limited_waits += 1
                if rate_limited_waits > self.max_rate_limited_waits:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else 1.0
                logger.warning("%s: rate limited by GravityZone, waiting %.1f s", method, wait)
                # Every caller sharing the limiter backs off, not only this one.
                self.rate_limiter.delay(method, wait)
            except TransientError as exc:
                attempts += 1
                if attempts >= self.max_attempts or (exc.request_sent and not retry_if_sent):
                    raise
                backoff = 0.5 * 2 ** (attempts - 1)
                logger.warning("%s; attempt %s of %s in %.1f s", exc, attempts + 1, self.max_attempts, backoff)
                self._sleep(backoff)

    def _send(self, api, method, params):
        request_id = str(uuid.uuid4())
        body = {"id": request_id, "jsonrpc": "2.0", "method": method, "params": params}
        url = f"{self.api_url}/v1.0/jsonrpc/{api}"

        started = time.monotonic()
        try:
            result = self._post(url, body, method, request_id)
        except GravityZoneError as exc:
            self._report(api, method, params, started, error=exc)
            raise
        self._report(api, method, params, started)
        return result

    def _report(self, api, method, params, started, error=None):
        duration = time.monotonic() - started
        logger.debug("GravityZone %s: %s in %.3f s", method, "failed" if error else "succeeded", duration)
        if self.on_call is not None:
            self.on_call(CallRecord(api=api, method=method, params=params, duration=duration, error=error))

    def _post(self, url, body, method, request_id):
        try:
            response = self._http.post(url, json=body)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientError(
                f"could not connect to GravityZone ({type(exc).__name__})", method=method, request_sent=False
            ) from None
        except httpx.TimeoutException as exc:
            raise TransientError(f"GravityZone did not respond in time ({type(exc).__name__})", method=method) from None
        except httpx.TransportError as exc:
            raise TransientError(
                f"the connection to GravityZone failed ({type(exc).__name__})", method=method
            ) from None

        return parse_response(response, method, request_id)


def _adopt(existing: CompanyDetails, company: NewCompany) -> str:
    """Return the ID of a company found by name, if it is the one `company` describes."""
    if company.parent_id and existing.parent_id and existing.parent_id != company.parent_id:
        raise ApiError(
            f"a company named {existing.name!r} already exists in GravityZone below another partner",
            method="createCompany",
        )
    if existing.type != company.type:
        raise ApiError(
            f"a company named {existing.name!r} already exists in GravityZone with another company type",
            method="createCompany",
        )
    logger.info("GravityZone company %s already exists with the requested name; using it", existing.id)
    return existing.id


__all__ = ["GravityZoneClient", "LicenseType"]
