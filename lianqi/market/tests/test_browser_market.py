"""Supply and demand in a real browser on a phone (390 px wide): a liaison records an
enterprise's need — a missing quantity is told next to its field —, then the office opens the
need, sees the local supplier ranked first with its reasons in words and introduces it. No page
scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..models import Introduction, Need
from .factories import cable_class, enterprise_in, make_offer

pytestmark = pytest.mark.browser


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_a_liaison_records_a_need_on_a_phone_and_the_office_introduces_a_local_supplier(
    browser: Any, live_server: Any, world: World
) -> None:
    from django.urls import reverse
    from playwright.sync_api import expect

    cable_class()
    make_offer(enterprise_in(world, "外省电缆厂", "elsewhere"))
    make_offer(enterprise_in(world, "本园电缆厂"), certifications="CCC")
    url = reverse("market:need_create", args=[world.home.enterprise.pk])
    page = new_page(browser, live_server.url, PHONE)
    log_in(page, world.user(Role.LIAISON).username, PASSWORD, url)
    page.fill("[name=item]", "铜芯电力电缆")
    page.fill("[name=industry_code]", "3831")
    page.fill("[name=keywords]", "电缆 铜芯")
    page.fill("[name=unit]", "千米")
    page.fill("[name=budget]", "1200000.50")
    page.fill("[name=wanted_by]", "2099-06-01")
    page.fill("[name=valid_until]", "2099-12-31")
    page.click("[data-testid=listing-form] button[type=submit]")
    expect(page.locator('[data-error-for="quantity"]')).to_be_visible()
    assert _overflow(page) <= 0
    page.fill("[name=quantity]", "500")
    page.click("[data-testid=listing-form] button[type=submit]")
    expect(page.locator("[data-testid=budget]")).to_have_text("¥1,200,000.50")
    need = Need.objects.get()
    assert need.enterprise == world.home.enterprise
    screenshot(page, "market-need-phone")
    page.context.close()

    office = new_page(browser, live_server.url, PHONE)
    log_in(office, world.user(Role.SERVICE_OFFICE).username, PASSWORD, need.get_absolute_url())
    first = office.locator("[data-testid=candidate]").first
    expect(first).to_contain_text("本园电缆厂")
    expect(first.locator("[data-testid=reasons]")).to_contain_text("同一园区")
    expect(first.locator("[data-testid=reasons]")).to_contain_text("行业小类相同（3831）")
    assert _overflow(office) <= 0
    screenshot(office, "market-candidates-phone")
    first.get_by_role("button").click()
    expect(office.locator("[data-testid=reasons]")).to_contain_text("同一园区")
    assert _overflow(office) <= 0
    intro = Introduction.objects.get()
    assert intro.offer.enterprise.name == "本园电缆厂" and intro.need == need
