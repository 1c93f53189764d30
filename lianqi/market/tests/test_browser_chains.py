"""An industrial chain in a real browser: the office opens the city's chain on a laptop and
sees the map drawn as an ECharts tree (no inline script: the strict CSP holds), the rate and
the missing node; then places a firm on a node through the form, and the chain page on a phone
does not scroll sideways."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import ChainRole
from .test_chains import city_chain

pytestmark = pytest.mark.browser


def test_the_office_reads_the_chain_map_and_places_a_firm(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    from lianqi.testing.world import make_enterprise

    chain, _nodes, _firms = city_chain(world)
    newcomer = make_enterprise(world.home.park, "湘潭隔膜新材料有限公司")
    page = new_page(browser, live_server.url)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    office = world.user(Role.LEADER)
    log_in(page, office.username, PASSWORD, chain.get_absolute_url() + "?year=2024")
    expect(page.locator("[data-testid=chain-rate]")).to_have_text("36.84%")
    expect(page.locator("[data-chain-tree] svg")).to_be_visible()
    expect(page.locator("[data-testid=missing]")).to_contain_text("隔膜")
    assert not [e for e in errors if "Content Security Policy" in e]
    screenshot(page, "market-chain-map")
    page.context.close()

    # The chain is the city's: its office keeps it.
    from lianqi.testing.world import make_user

    keeper = make_user("city_keeper", Role.SERVICE_OFFICE, world.city)
    phone = new_page(browser, live_server.url, PHONE)
    log_in(phone, keeper.username, PASSWORD, chain.get_absolute_url() + "?year=2024")
    phone.select_option("[name=firm-node]", label="隔膜")
    phone.fill("[name=firm-enterprise]", newcomer.name)
    phone.select_option("[name=firm-role]", ChainRole.SUPPORTING.value)
    phone.click("[data-testid=firm-form] button[type=submit]")
    expect(phone.locator("[data-testid=missing]")).not_to_contain_text("隔膜")
    assert int(phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")) <= 0
    assert chain.firms.filter(enterprise=newcomer).exists()
    phone.context.close()
