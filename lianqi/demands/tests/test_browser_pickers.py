"""The board's liaison filter is a picker: the office types two characters of a liaison's
name, picks them, and the table narrows to their demands in place (htmx), on a laptop and on
a phone."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.org.models import Staff
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from .factories import make_demand

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_board_liaison_filter_by_typing(
    browser: Any, live_server: Any, world: World, viewport: dict[str, int]
) -> None:
    from playwright.sync_api import expect

    other_liaison = Staff.objects.create(jurisdiction=world.home.park, name="诸葛另一位")
    mine = make_demand(world, description="屋顶漏水")
    theirs = make_demand(world, description="用电增容", liaison=other_liaison)
    page = new_page(browser, live_server.url, viewport)
    log_in(page, world.user(Role.SERVICE_OFFICE).username, PASSWORD, next_url="/demands/board/")
    page.goto("/demands/board/")
    rows = page.locator("[data-testid=demand-row]")
    expect(rows).to_have_count(2)

    page.locator("#id_liaison + .ts-wrapper .ts-control").click()
    page.keyboard.type("诸葛")
    option = page.locator(".ts-dropdown .option").filter(has_text="诸葛另一位")
    expect(option).to_have_count(1)
    screenshot(page, f"picker-board-{viewport['width']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    option.click()
    expect(rows).to_have_count(1)
    expect(page.locator(f"[data-testid=demand-row][data-pk='{theirs.pk}']")).to_have_count(1)
    assert f"liaison={other_liaison.pk}" in page.url
    assert mine.pk != theirs.pk
