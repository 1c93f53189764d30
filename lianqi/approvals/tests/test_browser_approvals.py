"""Approvals in a real browser: the office opens a key project, starts its approvals from the
kind's chart, takes its first item from application to approval and sees it green on the chart;
an investor reads the chart's public page on a phone, nothing wider than 390 px."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from .factories import PROJECT, home_project, make_chart, make_run

pytestmark = pytest.mark.browser


def test_a_project_s_approvals_are_started_and_taken_and_the_chart_read_on_a_phone(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    chart = make_chart(world)
    project = home_project(world)
    page = new_page(browser, live_server.url)
    log_in(page, world.user(Role.SERVICE_OFFICE).username, PASSWORD, next_url=f"/projects/{project.pk}/")
    page.get_by_test_id("approvals-link").click()
    page.get_by_test_id("start-run").click()
    expect(page.locator("h2.page-title")).to_contain_text(PROJECT)
    expect(page.locator("[data-testid=node][data-state=waiting]")).to_have_count(4)
    expect(page.get_by_test_id("critical-path")).to_contain_text("11")

    page.locator("[data-testid=diagram]").get_by_role("link", name="企业投资项目备案").click()
    for step in ("申报", "受理", "办结"):
        page.get_by_role("button", name=step, exact=True).click()
        expect(page.locator(".alert-success")).to_contain_text(step)
    expect(page.get_by_test_id("state")).to_have_text("已办结")
    page.get_by_role("link", name="返回项目审批").click()
    expect(page.locator("[data-testid=node][data-state=approved]")).to_have_count(1)
    screenshot(page, "approvals-run")

    phone = new_page(browser, live_server.url, PHONE)
    phone.goto(f"{live_server.url}/approvals/guide/{chart.pk}/")
    expect(phone.get_by_test_id("materials-list")).to_contain_text("规划设计条件论证报告")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "approvals-guide-phone")


def test_a_run_s_items_are_cards_on_a_phone(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    run = make_run(world)
    phone = new_page(browser, live_server.url, PHONE)
    log_in(phone, world.user(Role.LEADER).username, PASSWORD, next_url=f"/approvals/{run.pk}/")
    items = phone.get_by_test_id("run-items")
    expect(items.locator("tbody tr")).to_have_count(run.items.count())
    # Each row is a card: its cells stacked, each headed by its column's name; no table header.
    assert items.locator("thead").bounding_box()["height"] <= 1
    status = items.locator("tbody tr").first.locator("td").nth(1)
    expect(status).to_have_attribute("data-label", "状态")
    first, second = (items.locator("tbody tr").first.locator("td").nth(i).bounding_box() for i in (0, 1))
    assert second["y"] >= first["y"] + first["height"] - 1  # below, not beside
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "approvals-run-phone")
