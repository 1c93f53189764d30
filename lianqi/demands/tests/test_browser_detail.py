"""A demand's page in a real browser: the office opens a demand, assigns it through the form
that opens inside the page, and sees the timeline grow."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import log_in, screenshot
from lianqi.testing.world import PASSWORD, World

from .. import actions
from ..choices import Channel, DemandState
from .factories import category

pytestmark = pytest.mark.browser


def test_office_assigns_a_demand_and_sees_the_timeline_grow(page: Any, world: World) -> None:
    from playwright.sync_api import expect

    demand = actions.submit_demand(
        enterprise=world.home.enterprise,
        category=category(),
        channel=Channel.LIAISON,
        description="厂区道路积水，货车无法进出",
        actor=world.user(Role.LIAISON),
    )
    office = world.user(Role.SERVICE_OFFICE)
    log_in(page, office.username, PASSWORD, f"/demands/{demand.pk}/")

    events = page.locator("[data-testid=timeline-event]")
    expect(events).to_have_count(1)
    expect(page.locator("[data-testid=demand-state]")).to_have_text("已受理")

    page.click("[data-testid=action-buttons] [data-action=assign]")
    form = page.locator("#action-panel [data-testid=action-form]")
    expect(form).to_be_visible()  # loaded into the page by htmx, not a new page
    assert page.url.endswith(f"/demands/{demand.pk}/")
    form.locator("select[name=department]").select_option(str(world.home.department.pk))
    form.locator("input[name=workdays]").fill("3")
    form.locator("textarea[name=note]").fill("请三个工作日内答复")
    screenshot(page, "demand-detail-assign-desktop")
    form.locator("[data-testid=action-submit]").click()

    expect(page.locator(".alert-success")).to_contain_text("交办")
    expect(events).to_have_count(2)
    expect(events.last).to_contain_text("请三个工作日内答复")
    expect(events.last).to_contain_text(str(office))
    expect(page.locator("[data-testid=demand-state]")).to_have_text("已交办")
    expect(page.locator("[data-testid=lead-department]")).to_have_text(world.home.department.name)
    demand.refresh_from_db()
    assert demand.state == DemandState.ASSIGNED and demand.deadline_workdays == 3
