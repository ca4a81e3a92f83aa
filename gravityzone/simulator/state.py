"""The simulated tenant: a tree of companies below the API key's own partner company."""

import json
import os
import secrets
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

PARTNER = 0
CUSTOMER = 1

STATE_VERSION = 1


def new_company_id():
    """Return a 24-character hex ID, the MongoDB ObjectId style GravityZone uses."""
    return secrets.token_hex(12)


def utc_now_text():
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class Company:
    id: str
    name: str
    type: int
    parent_id: str | None
    address: str = ""
    phone: str = ""
    country: str = "N/A"
    state: str = "N/A"
    industry: int = 0
    can_be_managed_by_above: bool = True
    enforce_2fa: bool = False
    skip_2fa_period: int = 0
    account_email: str | None = None
    account_full_name: str | None = None
    contact_person: dict | None = None
    license_subscription: dict | None = None
    is_suspended: bool = False
    created_at: str = field(default_factory=utc_now_text)

    def to_details(self):
        """Return the object getCompanyDetails and findCompaniesByName answer with."""
        details = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "address": self.address,
            "phone": self.phone,
            "country": self.country,
            "state": self.state,
            "industry": self.industry,
            "canBeManagedByAbove": self.can_be_managed_by_above,
            "enforce2FA": self.enforce_2fa,
            "skip2FAPeriod": self.skip_2fa_period,
            "isSuspended": self.is_suspended,
            "createdAt": self.created_at,
            "parentCompanyId": self.parent_id,
        }
        # Live tenants send contactPerson only for partner companies.
        if self.type == PARTNER:
            details["contactPerson"] = self.contact_person or {
                "fullName": "",
                "email": "",
                "phoneNumber": "",
                "companyRole": "",
            }
        return details


class TenantState:
    """Companies of one simulated GravityZone tenant, safe to use from several threads.

    Callers hold `lock` around a whole method call, so that a check and the change it guards
    happen together. With a `path`, the state is loaded from that JSON file at start and
    written back after every change.
    """

    def __init__(self, *, path=None, root_name="Simulated Distributor"):
        self.lock = threading.RLock()
        self.path = Path(path) if path else None
        self.companies = {}

        if self.path and self.path.exists():
            self._load()
        else:
            root = Company(id=new_company_id(), name=root_name, type=PARTNER, parent_id=None)
            self.root_id = root.id
            self.companies[root.id] = root
            self.save()

    @property
    def root(self):
        return self.companies[self.root_id]

    def find_by_name(self, name):
        wanted = name.strip().casefold()
        for company in self.companies.values():
            if company.name.strip().casefold() == wanted:
                return company
        return None

    def is_below_root(self, company):
        """Tell whether the key's own company manages `company`, directly or through others."""
        parent_id = company.parent_id
        while parent_id is not None:
            if parent_id == self.root_id:
                return True
            parent_id = self.companies[parent_id].parent_id
        return False

    def add(self, company):
        self.companies[company.id] = company
        self.save()

    def save(self):
        if self.path is None:
            return
        data = {
            "version": STATE_VERSION,
            "rootId": self.root_id,
            "companies": [asdict(company) for company in self.companies.values()],
        }
        # Write to a temporary file and rename it, so a crash never leaves half a file.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=self.path.parent, delete=False, suffix=".tmp") as handle:
            json.dump(data, handle, indent=1)
        os.replace(handle.name, self.path)

    def _load(self):
        data = json.loads(self.path.read_text())
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"{self.path}: unsupported simulator state version {data.get('version')!r}")
        self.root_id = data["rootId"]
        for fields in data["companies"]:
            company = Company(**fields)
            self.companies[company.id] = company
