"""Typed values sent to and read from the GravityZone API.

Parameter objects leave a field out of the request when it is None, and send False and 0 as
they are: leaving a flag out keeps GravityZone's current value, which is not the same as
switching it off.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any


class CompanyType(enum.IntEnum):
    PARTNER = 0
    CUSTOMER = 1


class LicenseType(enum.IntEnum):
    """`licenseSubscription.type` and getLicenseInfo's `subscriptionType`."""

    TRIAL = 1
    LICENSE_KEY = 2
    MONTHLY_SUBSCRIPTION = 3
    MONTHLY_LICENSE_TRIAL = 4
    MONTHLY_SUBSCRIPTION_TRIAL = 5
    FRAT_SUBSCRIPTION = 6


class ProductType(enum.IntEnum):
    ENDPOINT_SECURITY = 0
    EDR = 3


class ProtectionModel(enum.StrEnum):
    A_LA_CARTE = "aLaCarte"
    MSP_SECURE = "mspSecure"
    MSP_SECURE_PLUS = "mspSecurePlus"
    MSP_SECURE_EXTRA = "mspSecureExtra"


class IntegrityMonitoringRetention(enum.IntEnum):
    DAYS_7 = 0
    DAYS_90 = 1
    DAYS_180 = 2
    DAYS_365 = 3


class MdrService(enum.IntEnum):
    DISABLED = 0
    FOUNDATIONS = 1


def api(name):
    """Declare an optional parameter whose API name is not the camelCase of the field name."""
    return field(default=None, metadata={"api": name})


def to_params(value: Any) -> Any:
    """Convert a parameter object, list or enum into the JSON value GravityZone expects."""
    if is_dataclass(value):
        params = {}
        for item in fields(value):
            item_value = getattr(value, item.name)
            if item_value is None:
                continue
            params[item.metadata.get("api") or _camel_case(item.name)] = to_params(item_value)
        return params
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_params(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _camel_case(name):
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True)
class ContactPerson:
    email: str
    full_name: str | None = None
    phone_number: str | None = None
    company_role: str | None = None


@dataclass(frozen=True)
class MinimumUsage:
    endpoint_monthly_usage: int | None = None


@dataclass(frozen=True)
class OwnUse:
    """Settings for the company's own use (`ownUse`), for licence types 3 and 5."""

    manage_xdr_identity_providers: bool | None = api("manageXDRIdentityProviders")
    manage_xdr_productivity_apps: bool | None = api("manageXDRProductivityApps")
    manage_xdr_network: bool | None = api("manageXDRNetwork")
    manage_xdr_cloud_workloads: bool | None = api("manageXDRCloudWorkloads")
    manage_remote_engines_scanning: bool | None = None
    manage_container_protection: bool | None = None
    manage_event_correlator: bool | None = None
    manage_sandbox_analyzer: bool | None = None
    manage_hyper_detect: bool | None = None


@dataclass(frozen=True)
class Resell:
    """The settings a partner may resell to the companies it manages (`resell`)."""

    manage_xdr_resell: bool | None = api("manageXDRResell")
    manage_remote_engines_scanning_resell: bool | None = None
    manage_container_protection_resell: bool | None = None
    manage_event_correlator_resell: bool | None = None
    manage_sandbox_analyzer_resell: bool | None = None
    manage_hyper_detect_resell: bool | None = None


@dataclass(frozen=True)
class LicensedServices:
    mdr_service_own_use: MdrService | None = None
    mdr_service_resell: bool | None = None


@dataclass(frozen=True)
class SubscriptionSettings:
    """Settings shared by createCompany's `licenseSubscription` and setMonthlySubscription."""

    reserved_slots: int | None = None
    # A date, or "" to clear the end date.
    end_subscription: date | str | None = None
    auto_renew_period: int | None = None
    minimum_usage: MinimumUsage | None = None
    assigned_product_type: ProductType | None = None
    additional_product_types: list[ProductType] | None = None
    assigned_protection_model: ProtectionModel | None = None
    additional_protection_models: list[ProtectionModel] | None = None
    manage_exchange: bool | None = None
    manage_encryption: bool | None = None
    manage_remote_engines_scanning: bool | None = None
    manage_hyper_detect: bool | None = None
    manage_sandbox_analyzer: bool | None = None
    manage_patch_management: bool | None = None
    manage_event_correlator: bool | None = None
    manage_email_security: bool | None = None
    manage_mobile_security: bool | None = None
    manage_container_protection: bool | None = None
    manage_integrity_monitoring: bool | None = None
    im_data_retention: IntegrityMonitoringRetention | None = None
    own_use: OwnUse | None = None
    resell: Resell | None = None
    licensed_services: LicensedServices | None = None


@dataclass(frozen=True)
class LicenseSubscription(SubscriptionSettings):
    """createCompany's `licenseSubscription`."""

    type: LicenseType = LicenseType.MONTHLY_SUBSCRIPTION
    license_key: str | None = None


@dataclass(frozen=True)
class MonthlySubscription(SubscriptionSettings):
    """setMonthlySubscription's parameters, apart from `companyId`."""

    remove_reserved_slots: bool | None = None
    set_new_protection_model_for_clients: ProtectionModel | None = None


@dataclass(frozen=True)
class NewCompany:
    """createCompany's parameters."""

    type: CompanyType
    name: str
    parent_id: str | None = None
    address: str | None = None
    country: str | None = None
    state: str | None = None
    phone: str | None = None
    industry: int | None = None
    can_be_managed_by_above: bool | None = None
    enforce_2fa: bool | None = api("enforce2FA")
    skip_2fa_period: int | None = api("skip2FAPeriod")
    account_email: str | None = None
    account_full_name: str | None = None
    contact_person: ContactPerson | None = None
    license_subscription: LicenseSubscription | None = None


@dataclass(frozen=True)
class CompanyChanges:
    """updateCompanyDetails's parameters, apart from `companyId`; None leaves a field as it is."""

    type: CompanyType | None = None
    name: str | None = None
    address: str | None = None
    country: str | None = None
    state: str | None = None
    phone: str | None = None
    industry: int | None = None
    enforce_2fa: bool | None = api("enforce2FA")
    skip_2fa_period: int | None = api("skip2FAPeriod")
    contact_person: ContactPerson | None = None


@dataclass(frozen=True)
class CompanyDetails:
    """A company as getCompanyDetails and findCompaniesByName return it.

    `extra` keeps the fields this client does not model yet (risk score, 2FA settings, …), so
    that nothing GravityZone sends is dropped.
    """

    id: str
    name: str
    type: CompanyType
    is_suspended: bool = False
    parent_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> "CompanyDetails":
        known = {"id", "name", "type", "isSuspended", "parentCompanyId"}
        return cls(
            id=data["id"],
            name=data["name"],
            type=CompanyType(data["type"]),
            is_suspended=bool(data.get("isSuspended", False)),
            # The documentation lists no parent field; live tenants send parentCompanyId.
            parent_id=data.get("parentCompanyId"),
            extra={key: value for key, value in data.items() if key not in known},
        )


@dataclass(frozen=True)
class CompanySummary:
    """An entry of getCompaniesList: a direct child of the company asked about."""

    id: str
    name: str


@dataclass(frozen=True)
class ApiKeyDetails:
    enabled_apis: tuple[str, ...]
    # UTC, as GravityZone sends it, without a time zone.
    created_at: str


@dataclass(frozen=True)
class LicenseInfo:
    """getLicenseInfo's answer. `total_slots` is None for a licence with no fixed seat count."""

    subscription_type: LicenseType | int | None
    used_slots: int | None
    total_slots: int | None
    end_subscription: str | None = None
    auto_renew_period: int | None = None
    expiry_date: str | None = None
    # Every boolean `manage…` flag GravityZone returned, by its API name.
    flags: Mapping[str, bool] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # The object as GravityZone returned it.
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: Any) -> "LicenseInfo":
        # Documented as an array; live tenants return one object.
        if isinstance(data, list):
            data = data[0] if data else {}
        known = {"subscriptionType", "usedSlots", "totalSlots", "endSubscription", "autoRenewPeriod", "expiryDate"}
        flags = {key: value for key, value in data.items() if key.startswith("manage") and isinstance(value, bool)}
        subscription_type = data.get("subscriptionType")
        if subscription_type in LicenseType._value2member_map_:
            subscription_type = LicenseType(subscription_type)
        return cls(
            subscription_type=subscription_type,
            used_slots=data.get("usedSlots"),
            total_slots=data.get("totalSlots"),
            end_subscription=data.get("endSubscription"),
            auto_renew_period=data.get("autoRenewPeriod"),
            expiry_date=data.get("expiryDate"),
            flags=flags,
            extra={key: value for key, value in data.items() if key not in known and key not in flags},
            raw=dict(data),
        )


# The counters the marketplace page documents for getMonthlyUsage, in its order.
USAGE_COUNTERS = (
    "endpointMonthlyUsage",
    "aLaCarteMonthlyUsage",
    "mspSecureMonthlyUsage",
    "mspSecurePlusMonthlyUsage",
    "mspSecureExtraMonthlyUsage",
    "emailSecurityMonthlyUsage",
    "mobileSecurityMonthlyUsage",
    "exchangeMonthlyUsage",
    "encryptionMonthlyUsage",
    "atsMonthlyUsage",
    "edrMonthlyUsage",
    "mdrFoundationsMonthlyUsage",
    "patchManagementMonthlyUsage",
    "containerProtectionMonthlyUsage",
    "integrityMonitoringUsage",
    "integrityMonitoring90DaysUsage",
    "integrityMonitoring180DaysUsage",
    "integrityMonitoring1YearUsage",
    "xdrIdentitySensorsMonthlyUsage",
    "xdrProductivitySensorsMonthlyUsage",
    "xdrNetworkSensorsMonthlyUsage",
    "xdrCloudSensorsMonthlyUsage",
    "sveVsMonthlyUsage",
    "sveVdiMonthlyUsage",
)

# Spellings found in some versions of GravityZone's documentation, and the counter they mean.
COUNTER_ALIASES = {"aLaCarteMonhtlyUsage": "aLaCarteMonthlyUsage"}


@dataclass(frozen=True)
class MonthlyUsage:
    """Seat counters for one company and month, by their API names.

    `counters` contains every numeric counter GravityZone returned, those not in USAGE_COUNTERS
    included; a documented counter it did not return reads as 0 through `get`.
    """

    counters: Mapping[str, int]
    minimum_usage: Mapping[str, int] = field(default_factory=dict)

    def get(self, counter: str) -> int:
        return self.counters.get(counter, 0)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> "MonthlyUsage":
        counters = {}
        for key, value in data.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            name = COUNTER_ALIASES.get(key, key)
            # If both spellings ever come together, the correct one wins.
            if name in counters and key != name:
                continue
            counters[name] = value
        minimum = data.get("minimumUsage")
        return cls(counters=counters, minimum_usage=dict(minimum) if isinstance(minimum, Mapping) else {})


@dataclass(frozen=True)
class ProductTypeUsage:
    product_type: ProductType | int
    usage: MonthlyUsage


@dataclass(frozen=True)
class MonthlyUsagePerProductType:
    """getMonthlyUsagePerProductType's result: one entry per product type."""

    entries: tuple[ProductTypeUsage, ...]

    def total(self) -> MonthlyUsage:
        """Add the entries' counters together.

        Every entry carries every counter, mostly as zeros, so merging the entries would let
        a later entry's zeros overwrite an earlier entry's counts.
        """
        totals: dict[str, int] = {}
        minimum: dict[str, int] = {}
        for entry in self.entries:
            for name, value in entry.usage.counters.items():
                totals[name] = totals.get(name, 0) + value
            minimum.update(entry.usage.minimum_usage)
        return MonthlyUsage(counters=totals, minimum_usage=minimum)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> "MonthlyUsagePerProductType":
        entries = []
        for item in data.get("usages") or []:
            product_type = item.get("productType")
            if product_type in ProductType._value2member_map_:
                product_type = ProductType(product_type)
            counters = {key: value for key, value in item.items() if key != "productType"}
            entries.append(ProductTypeUsage(product_type=product_type, usage=MonthlyUsage.from_api(counters)))
        return cls(entries=tuple(entries))


def names_match(first: str, second: str) -> bool:
    """Compare company names the way GravityZone's uniqueness check is assumed to."""
    return first.strip().casefold() == second.strip().casefold()
