"""Key projects on a phone in a real browser: the owner reports the month's progress; a leader
opens the portfolio and the slipped project's battle map, records a dispatch meeting whose
decision assigns a demand, and finds it on the next meeting's agenda. Nothing is wider than 390 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.demands.choices import DemandState
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import Cadence
from ..models import Decision, MeetingSeries
from .factories import NAME, category, make_project

pytestmark = pytest.mark.browser


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_project_is_reported_mapped_and_dispatched_on_a_phone(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    today = timezone.localdate()
    row = make_project(world, plan_year=today.year)
    row.milestones.create(
        name="主体封顶",
        planned_start=today - dt.timedelta(days=60),
        planned_end=today - dt.timedelta(days=12),
    )
    MeetingSeries.objects.create(jurisdiction=world.home.park, name="重点项目周调度", cadence=Cadence.WEEKLY)
    kind = category()

    owner = new_page(browser, live_server.url, PHONE)
    log_in(owner, world.user(Role.ENTERPRISE).username, PASSWORD, next_url=f"/projects/{row.pk}/report/")
    owner.fill("#id_report-invested", "1250000.50")
    owner.fill("#id_report-progress", "桩基施工完成80%")
    fits(owner)
    screenshot(owner, "projects-report-phone")
    owner.get_by_role("button", name="报送").click()
    expect(owner.locator("[data-testid=reports]")).to_contain_text("¥1,250,000.50")

    page = new_page(browser, live_server.url, PHONE)
    log_in(page, world.user(Role.LEADER).username, PASSWORD, next_url="/projects/")
    listed = page.locator("[data-testid=list] tr").filter(has_text=NAME)
    expect(listed.locator("[data-testid=status-slipped]")).to_have_count(1)
    fits(page)
    listed.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="查看").click()
    expect(page.locator("[data-testid=milestone]")).to_have_attribute("data-slipped", "12")
    fits(page)
    screenshot(page, "projects-battle-map-phone")

    page.goto(f"{live_server.url}/projects/meetings/")
    page.get_by_role("link", name="记录会议").click()
    page.fill("#id_held_on", (today - dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-testid=behind]")).to_contain_text(NAME)
    page.select_option("#id_project", str(row.pk))
    page.fill("#id_text", "协调供电公司接入施工用电")
    page.select_option("#id_category", str(kind.pk))
    page.select_option("#id_department", str(world.home.department.pk))
    page.get_by_role("button", name="交办").click()
    expect(page.locator("[data-testid=decisions]")).to_contain_text("已交办")
    fits(page)

    page.goto(f"{live_server.url}/projects/meetings/")
    page.get_by_role("link", name="记录会议").click()
    page.get_by_role("button", name="保存").click()
    carried = page.locator("[data-testid=carried]")
    expect(carried).to_contain_text("协调供电公司接入施工用电")
    expect(carried).to_contain_text("已交办")
    fits(page)
    screenshot(page, "projects-next-meeting-phone")
    assert Decision.objects.get().demand.state == DemandState.ASSIGNED
