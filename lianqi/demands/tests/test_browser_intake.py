"""Intake on a phone in a real browser: the liaison logs in, opens 我的企业诉求 from the menu,
raises a demand for one of their enterprises and finds it in their recent demands."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import DemandState
from ..models import Demand
from .factories import category

pytestmark = pytest.mark.browser


def test_liaison_raises_a_demand_on_a_phone(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, live_server.url, PHONE)
    log_in(page, world.user(Role.LIAISON).username, PASSWORD)
    # The menu is collapsed on a phone: open it as a person would.
    page.click(".navbar-toggler")
    page.get_by_role("link", name="我的企业诉求").click()
    card = page.locator("[data-testid=enterprise-card]").filter(has_text=world.home.enterprise.name)
    expect(card).to_have_count(1)
    button = card.locator("[data-testid=raise-demand]")
    # A big tap target: at least 44 px high and nearly the card's width.
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300
    screenshot(page, "liaison-home-phone")

    button.click()
    page.select_option("#id_category", str(category().pk))
    page.fill("#id_description", "厂房屋顶漏水，需协调维修资金")
    screenshot(page, "intake-form-phone")
    page.click("[data-testid=submit-demand]")

    recent = page.locator("[data-testid=recent-demands]")
    expect(recent).to_contain_text("厂房屋顶漏水，需协调维修资金")
    expect(recent).to_contain_text("已受理")
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "liaison-home-after-intake-phone")
    assert Demand.objects.get().state == DemandState.RECEIVED
