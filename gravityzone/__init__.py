"""A client for the Bitdefender GravityZone Public API, and a simulator of it.

This package does not depend on Django, so that it can be used and published on its own.
"""

from gravityzone.client import GravityZoneClient
from gravityzone.types import CompanyDetails, CompanyType

__all__ = ["GravityZoneClient", "CompanyDetails", "CompanyType"]
