"""The simulated tenant: a tree of companies below the API key's own partner company."""

import copy
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

STATE_VERSION = 2

# Seats of the API key's own company, shared by every company below it that reserves none.
DEFAULT_TOTAL_SLOTS = 10_000


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
    # The licence as getLicenseInfo reports it, in GravityZone's parameter names.
    subscription: dict | None = None
    # [UTC time, subscription] each time the subscription changed, so that the usage of a past
    # month follows the subscription of that month.
    subscription_history: list = field(default_factory=list)
    is_suspended: bool = False
    created_at: str = field(default_factory=utc_now_text)

    def set_subscription(self, subscription):
        self.subscription = subscription
        self.subscription_history.append([utc_now_text(), copy.deepcopy(subscription)])

    def subscription_at(self, moment):
        """Return the subscription in force at `moment` (a UTC text timestamp), or None."""
        in_force = None
        for changed_at, subscription in self.subscription_history:
            if changed_at <= moment:
                in_force = subscription
        return in_force

    def to_details(self):
        """Return the object getCompanyDetails and findCompaniesByName return."""
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

    def __init__(self, *, path=None, root_name="Simulated Distributor", total_slots=DEFAULT_TOTAL_SLOTS):
        self.lock = threading.RLock()
        self.path = Path(path) if path else None
        self.companies = {}
        self.total_slots = total_slots
        # {"<company id> mm/yyyy": counters} set by tests through the control endpoint.
        self.usage_overrides = {}

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

    def manages(self, company):
        """Tell whether the API key may act on `company`: its own company or one below it."""
        return company.id == self.root_id or self.is_below_root(company)

    def is_below_root(self, company):
        """Tell whether the key's own company manages `company`, directly or through others."""
        parent_id = company.parent_id
        while parent_id is not None:
            if parent_id == self.root_id:
                return True
            parent_id = self.companies[parent_id].parent_id
        return False

    def children(self, company):
        return [other for other in self.companies.values() if other.parent_id == company.id]

    def descendants(self, company):
        found = []
        pending = [company]
        while pending:
            for child in self.children(pending.pop()):
                found.append(child)
                pending.append(child)
        return found

    def free_slots(self, parent, *, excluding=None):
        """Return the seats `parent` can still reserve for a company, or None for no limit.

        A company with no reservation of its own draws on its parent's pool, up to the root
        company's total.
        """
        reserved = (parent.subscription or {}).get("reservedSlots") or 0
        if reserved:
            capacity = reserved
        elif parent.id == self.root_id:
            capacity = self.total_slots
        else:
            capacity = self.free_slots(self.companies[parent.parent_id], excluding=parent)
        if capacity is None:
            return None
        taken = sum(
            (child.subscription or {}).get("reservedSlots") or 0
            for child in self.children(parent)
            if child is not excluding
        )
        return max(capacity - taken, 0)

    def remove(self, company):
        del self.companies[company.id]
        self.save()

    def add(self, company):
        self.companies[company.id] = company
        self.save()

    def save(self):
        if self.path is None:
            return
        data = {
            "version": STATE_VERSION,
            "rootId": self.root_id,
            "totalSlots": self.total_slots,
            "usageOverrides": self.usage_overrides,
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
        self.total_slots = data["totalSlots"]
        self.usage_overrides = data["usageOverrides"]
        for fields in data["companies"]:
            company = Company(**fields)
            self.companies[company.id] = company
