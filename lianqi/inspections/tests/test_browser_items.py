"""The office's inspection list in a browser: it adds an item to a department's list, publishes
it, and the public page shows it on a phone without sideways scrolling; a handler then finds
the item offered when registering an inspection, with its legal basis."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..models import InspectionItem

pytestmark = pytest.mark.browser

FITS_WIDTH = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_office_publishes_an_item_and_anyone_reads_it_on_a_phone(
    page: Any, browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    log_in(page, world.user(Role.SERVICE_OFFICE).username, PASSWORD, "/inspections/items/")
    form = page.locator("[data-testid=add-item]")
    form.locator("select[name=department]").select_option(str(world.home.department.pk))
    form.locator("input[name=name]").fill("安全生产主体责任落实情况检查")
    form.locator("input[name=law]").fill("《安全生产法》")
    form.locator("input[name=article]").fill("第六十五条")
    form.locator("select[name=kind]").select_option("targeted")
    form.locator("input[name=yearly_cap]").fill("2")
    form.locator("button[type=submit]").click()
    row = page.locator("[data-testid=item]", has_text="安全生产主体责任落实情况检查")
    expect(row).to_contain_text("草稿")
    row.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=item]", has_text="安全生产主体责任落实情况检查")).to_contain_text(
        "已公布"
    )
    screenshot(page, "inspection-items-office")
    assert InspectionItem.objects.get().is_published

    phone = new_page(browser, live_server.url, PHONE)
    phone.goto(f"/inspections/items/public/{world.home.park.code}/")
    expect(phone.locator("[data-testid=item-list]")).to_contain_text("《安全生产法》第六十五条")
    assert phone.evaluate(FITS_WIDTH)
    screenshot(phone, "inspection-items-public-phone")

    page.goto(f"/inspections/enterprises/{world.home.enterprise.pk}/new/")
    expect(page.locator("select[name=item]")).to_contain_text(
        "安全生产主体责任落实情况检查（《安全生产法》第六十五条）"
    )
