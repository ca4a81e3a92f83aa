"""An account manager adds a partner and a customer in Chromium; a real worker creates them."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from billing.models import MonthlyUsage
from tests.companies.factories import make_customer, make_partner, subscribe
from tests.companies.test_push_subscription import push_until_done
from tests.services import require, role_group, running_worker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GRAVITYZONE_ID = re.compile(r"^[0-9a-f]{24}$")
PUSH_TIMEOUT_MS = 30_000

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    """Yield a Chromium page; request it after every fixture that writes to the database.

    Playwright's synchronous API switches greenlets, and Django keeps one connection per
    context, so rows written once the browser runs would use a connection that outlives the test.
    """
    require(CHROMIUM.exists(), "Chromium at /usr/bin/chromium")
    # Playwright's synchronous API runs an event loop in this thread; Django's ORM raises in a
    # thread with a loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


@pytest.fixture
def worker(use_simulator, tmp_path):
    with running_worker(tmp_path / "worker.log", gravityzone_api_url=use_simulator.base_url) as process:
        yield process


@pytest.fixture
def account_manager(django_user_model):
    return django_user_model.objects.create_superuser("manager", "manager@example.com", "correct-horse-battery")


@pytest.fixture
def support_user(django_user_model):
    user = django_user_model.objects.create_user(
        "support", "support@example.com", "correct-horse-battery", is_staff=True
    )
    user.groups.add(role_group("Support"))
    return user


@pytest.fixture
def pushed_tree(use_simulator):
    """A partner with a customer, both already in the simulator."""
    partner = make_partner()
    subscribe(partner)
    customer = make_customer(parent=partner)
    subscribe(customer)
    for company in (partner, customer):
        push_until_done(company)
    return partner, customer


def log_in(page, live_server, username="manager"):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def add_company(
    page, live_server, *, name, company_type, parent=None, protection_model="À la carte", edr=False, client_models=()
):
    """Fill the add form, save and continue editing; return the GravityZone ID it shows."""
    page.goto(f"{live_server.url}/admin/companies/company/add/")
    page.select_option("#id_company_type", label=company_type)
    page.fill("#id_name", name)
    if parent is not None:
        page.click(".field-parent .select2-selection")
        page.fill(".select2-search__field", parent)
        page.click(f".select2-results__option:has-text('{parent}')")
    page.select_option("#id_subscription-0-assigned_protection_model", label=protection_model)
    if edr:
        page.check("#id_subscription-0-manage_event_correlator")
    for model in client_models:
        page.check(f"input[name='subscription-0-additional_protection_models'][value='{model}']")
    page.click("input[name=_continue]")

    gravityzone_id = page.locator("[data-gravityzone-id]")
    expect(gravityzone_id).to_have_text(GRAVITYZONE_ID, timeout=PUSH_TIMEOUT_MS)
    expect(page.locator("[data-sync-status-url]")).to_have_text(re.compile("^Synced at"))
    return gravityzone_id.inner_text()


def test_partner_and_customer_get_gravityzone_ids(account_manager, live_server, worker, page, tenant):
    log_in(page, live_server)

    partner_id = add_company(page, live_server, name="Northwind IT Services", company_type="Partner")
    customer_id = add_company(
        page, live_server, name="Contoso Dental", company_type="Customer", parent="Northwind IT Services"
    )

    assert tenant.companies[customer_id].parent_id == partner_id


def test_container_protection_needs_a_la_carte(account_manager, live_server, worker, page, tenant):
    log_in(page, live_server)
    partner_id = add_company(
        page, live_server, name="Northwind IT Services", company_type="Partner", edr=True, client_models=["mspSecure"]
    )
    add_company(
        page,
        live_server,
        name="Contoso Dental",
        company_type="Customer",
        parent="Northwind IT Services",
        protection_model="MSP Secure",
    )

    page.check("#id_subscription-0-manage_container_protection")
    page.click("input[name=_continue]")

    error = page.locator(".field-manage_container_protection .errorlist")
    expect(error).to_have_text("Container Protection needs the à la carte protection model.")
    assert tenant.companies[partner_id].subscription["ownUse"]["manageHyperDetect"] is True


def test_edr_checks_its_companions_while_editing(account_manager, live_server, page):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/companies/company/add/")

    page.check("#id_subscription-0-manage_event_correlator")

    expect(page.locator("#id_subscription-0-manage_sandbox_analyzer")).to_be_checked()
    expect(page.locator("#id_subscription-0-manage_hyper_detect")).to_be_checked()


def test_support_suspends_partner_with_companies_below(support_user, pushed_tree, live_server, worker, page, tenant):
    partner, customer = pushed_tree
    log_in(page, live_server, username="support")
    page.goto(f"{live_server.url}/admin/companies/company/")

    page.check(f"input[name=_selected_action][value='{partner.pk}']")
    page.select_option("select[name=action]", "suspend_companies")
    page.click("button[name=index]")
    page.select_option("#id_recursive", "yes")
    page.fill("#id_reason", "Invoice 2026-118 unpaid")
    page.click("input[type=submit][value='Suspend in GravityZone']")

    expect(page.locator(".messagelist")).to_contain_text("1 suspension queued.")
    expect(page.locator("#content")).to_contain_text("1 done, 0 failed, 0 still pending", timeout=30_000)
    page.goto(f"{live_server.url}/admin/companies/company/{customer.pk}/change/")
    expect(page.locator(".field-status_display")).to_contain_text("Suspended")
    assert tenant.companies[customer.gravityzone_id].is_suspended


@pytest.fixture
def finance_user(django_user_model):
    user = django_user_model.objects.create_user(
        "finance", "finance@example.com", "correct-horse-battery", is_staff=True
    )
    user.groups.add(role_group("Finance"))
    return user


@pytest.fixture
def october_usage():
    company = make_customer(name="Contoso Dental")
    subscribe(company)
    return MonthlyUsage.objects.create(company=company, month=datetime.date(2026, 10, 1), endpoint=42)


def test_finance_downloads_usage_csv(finance_user, october_usage, live_server, page):
    log_in(page, live_server, username="finance")
    page.goto(f"{live_server.url}/admin/billing/monthlyusage/?month=2026-10")
    expect(page.locator("#content")).to_contain_text("Contoso Dental")

    with page.expect_download() as download_info:
        page.click("text=Export CSV")

    content = Path(download_info.value.path()).read_text()
    assert content.splitlines()[1].startswith("Contoso Dental,,Customer,2026-10,yes,")


@pytest.fixture
def trial_in_gravityzone():
    company = make_partner(name="Blue Yonder MSP", gravityzone_id="b" * 24)
    subscribe(company, license_type=4, assigned_protection_model="")
    return company


def test_trial_settings_are_dimmed_until_switched(account_manager, trial_in_gravityzone, live_server, page):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/companies/company/{trial_in_gravityzone.pk}/change/")
    exchange_row = page.locator("#subscription-0 .form-row.field-manage_exchange")
    expect(exchange_row).to_have_class(re.compile("not-applicable"))

    page.select_option("#id_subscription-0-license_type", label="Monthly subscription")

    expect(exchange_row).not_to_have_class(re.compile("not-applicable"))
