"""The attraction pipeline in a real browser: a leader opens the year's pipeline, moves a lead
in talks to signed with the amount signed, and finds the funnel and the year's signings changed."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import LeadStage
from .test_leads import NAME, make_lead

pytestmark = pytest.mark.browser


def test_a_lead_signed_in_the_browser_moves_the_funnel(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    make_lead(world, LeadStage.TALKS)
    page = new_page(browser, live_server.url)
    log_in(page, world.user(Role.LEADER).username, PASSWORD, next_url="/projects/pipeline/")
    signed_row = page.locator("[data-testid=funnel-signed] td").nth(2)
    expect(signed_row).to_have_text("0")
    expect(page.locator("[data-testid=signed]")).to_contain_text("0 ·")

    page.get_by_role("link", name=NAME).click()
    step = page.locator("[data-testid=step-sign]")
    step.locator("input[name=sign-amount]").fill("320000000.05")
    step.get_by_role("button", name="签约").click()
    expect(page.locator("[data-testid=amount]")).to_contain_text("¥320,000,000.05")
    expect(page.locator("[data-testid=state]")).to_have_text("签约")

    page.get_by_role("link", name="招商进展").first.click()
    expect(page.locator("[data-testid=funnel-signed] td").nth(2)).to_have_text("1")
    expect(page.locator("[data-testid=funnel-talks] td").nth(3)).to_have_text("100.0%")
    expect(page.locator("[data-testid=signed]")).to_contain_text("1 ·")
    screenshot(page, "projects-pipeline-signed")
