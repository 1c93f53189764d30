"""The finance loop in a real browser: an enterprise on a phone-sized screen (390 px) finds a
product it qualifies for on "为我推荐", reads why, and applies; the bank's user accepts,
investigates, approves and disburses from its work queue on a laptop; the office's figures change."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE as PHONE_SCREEN
from lianqi.testing.browser import log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import ApplicationState
from ..models import Application
from .factories import give_revenue, product_of

pytestmark = pytest.mark.browser


def test_an_enterprise_applies_on_its_phone_and_the_bank_lends(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    product = product_of(world.home)
    give_revenue(world.home, timezone.localdate().year - 1, 2600)
    phone = new_page(browser, live_server.url, PHONE_SCREEN)
    log_in(phone, world.user(Role.ENTERPRISE).username, PASSWORD, "/finance/for-me/")
    eligible = phone.locator("[data-testid=eligible]")
    expect(eligible).to_contain_text(product.name)
    eligible.locator("summary").first.click()
    expect(eligible).to_contain_text("2600")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "finance-for-me-phone")
    eligible.get_by_role("link", name=product.name).click()
    phone.click("[data-testid=apply]")
    phone.fill("#id_amount_yuan", "800000.50")
    phone.fill("#id_purpose", "采购铜材")
    phone.click("[data-testid=submit-application]")
    # Consent is required: the field says so and nothing is sent.
    expect(phone.locator("[data-error-for=consent]")).to_be_visible()
    phone.check("#id_consent")
    phone.click("[data-testid=submit-application]")
    expect(phone.locator("[data-testid=state]")).to_contain_text("已申请")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "finance-applied-phone")
    row = Application.objects.get()
    assert row.amount_fen == 80_000_050

    bank = new_page(browser, live_server.url)
    log_in(bank, world.user(Role.FINANCE).username, PASSWORD, "/")
    expect(bank.locator("body")).to_contain_text("待受理申请")
    bank.goto("/finance/applications/")
    bank.get_by_role("link", name=world.home.enterprise.name).click()
    expect(bank).to_have_url(re.compile(rf"/finance/applications/{row.pk}/$"))
    bank.locator("[data-testid=step-accept] button").click()
    bank.locator("[data-testid=step-investigate] button").click()
    bank.fill("[data-testid=step-approve] input[name=approve-granted_yuan]", "800000.50")
    bank.locator("[data-testid=step-approve] button").click()
    bank.fill("[data-testid=step-disburse] input[name=disburse-disbursed_yuan]", "800000.50")
    bank.fill(
        "[data-testid=step-disburse] input[name=disburse-disbursed_on]", timezone.localdate().isoformat()
    )
    bank.locator("[data-testid=step-disburse] button").click()
    expect(bank.locator("[data-testid=disbursed]")).to_contain_text("800,000.50")
    screenshot(bank, "finance-disbursed")
    row.refresh_from_db()
    assert (row.state, row.disbursed_fen) == (ApplicationState.DISBURSED, 80_000_050)

    office = new_page(browser, live_server.url)
    log_in(office, world.user(Role.SERVICE_OFFICE).username, PASSWORD, "/finance/")
    expect(office.locator("[data-figure=disbursed]")).to_have_text("80.00")
    expect(office.locator("[data-testid=by-institution]")).to_contain_text("湘潭高新区农商银行")
