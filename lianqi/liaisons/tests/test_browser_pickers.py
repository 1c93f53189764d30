"""The liaison picker in a real browser, on a laptop and on a phone: the office types two
characters, picks the cadre the search found and saves; another park's cadre never shows."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.enterprises.models import Enterprise
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from .helpers import staff

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_office_picks_a_liaison_by_typing(
    browser: Any, live_server: Any, world: World, viewport: dict[str, int]
) -> None:
    from playwright.sync_api import expect

    successor = staff(world.home, "欧阳新任")
    staff(world.other, "欧阳外园")
    page = new_page(browser, live_server.url, viewport)
    url = f"/liaisons/enterprise/{world.home.enterprise.pk}/assign/"
    log_in(page, world.user(Role.SERVICE_OFFICE).username, PASSWORD, next_url=url)
    page.goto(url)

    page.locator(".ts-wrapper .ts-control").click()
    page.keyboard.type("欧阳")
    option = page.locator(".ts-dropdown .option").filter(has_text="欧阳新任")
    expect(option).to_have_count(1)
    expect(page.locator(".ts-dropdown")).not_to_contain_text("欧阳外园")
    name = f"picker-liaison-{viewport['width']}"
    screenshot(page, name)
    # Nothing on the page is wider than the window, the open dropdown included.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    option.click()
    expect(page.locator("select#id_staff")).to_have_value(str(successor.pk))
    page.fill("#id_reason", "原干部调岗")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert Enterprise.objects.get(pk=world.home.enterprise.pk).liaison == successor
