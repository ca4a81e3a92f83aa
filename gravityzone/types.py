"""Typed values sent to and read from the GravityZone API."""

import enum
from dataclasses import dataclass, field
from typing import Any


class CompanyType(enum.IntEnum):
    PARTNER = 0
    CUSTOMER = 1


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


def names_match(first: str, second: str) -> bool:
    """Compare company names the way GravityZone's uniqueness check is assumed to."""
    return first.strip().casefold() == second.strip().casefold()
