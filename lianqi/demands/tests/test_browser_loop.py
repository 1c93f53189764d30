"""The whole loop on a phone-sized screen, each person in their own browser: the liaison raises
a demand, the office assigns it, the department signs for it and replies, the enterprise rates
the reply through its code, and the statistics page counts it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings

from lianqi.core.roles import Role
from lianqi.enterprises.tests.test_otp import PHONE as MOBILE
from lianqi.enterprises.tests.test_otp import RecordingSmsSender, last_code
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import DemandState, Outcome
from ..models import Demand
from .factories import category, handler

pytestmark = pytest.mark.browser

DESCRIPTION = "新厂房用电报装迟迟未接电，影响设备调试，希望协调供电公司加快"


def _phone(browser: Any, live_server: Any, username: str | None = None) -> Any:
    page = new_page(browser, live_server.url, PHONE)
    if username is not None:
        log_in(page, username, PASSWORD)
    return page


def _take(
    page: Any, action: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None
) -> None:
    """Open a step from the demand's buttons and submit its form."""
    page.click(f"[data-testid=action-buttons] [data-action={action}]")
    form = page.locator("[data-testid=action-form]")
    for name, value in (select or {}).items():
        form.locator(f"select[name={name}]").select_option(value)
    for name, value in (fill or {}).items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[data-testid=action-submit]").click()
    page.wait_for_load_state()


def _figure(page: Any, key: str) -> str:
    return str(page.locator(f"[data-testid=figure-{key}]").inner_text()).strip()


def test_a_demand_goes_round_the_loop_on_phones(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    department_user = handler(world.home)
    leader = _phone(browser, live_server, world.user(Role.LEADER).username)
    leader.goto("/demands/statistics/")
    assert _figure(leader, "received").startswith("0")

    # The liaison, at the enterprise, raises it on the phone.
    liaison = _phone(browser, live_server, world.user(Role.LIAISON).username)
    liaison.goto("/demands/mine/")
    liaison.locator("[data-testid=enterprise-card]").filter(has_text=world.home.enterprise.name).locator(
        "[data-testid=raise-demand]"
    ).click()
    liaison.select_option("#id_category", str(category().pk))
    liaison.fill("#id_description", DESCRIPTION)
    liaison.click("[data-testid=submit-demand]")
    expect(liaison.locator("[data-testid=recent-demands]")).to_contain_text("已受理")
    demand = Demand.objects.get()

    # The office assigns it to the department with three working days.
    office = _phone(browser, live_server, world.user(Role.SERVICE_OFFICE).username)
    office.goto(f"/demands/{demand.pk}/")
    _take(
        office,
        "assign",
        select={"department": str(world.home.department.pk)},
        fill={"workdays": "3", "note": "请三个工作日内答复"},
    )
    expect(office.locator("[data-testid=demand-state]")).to_have_text("已交办")
    screenshot(office, "loop-office-assigned-phone")

    # The department signs for it and replies.
    department = _phone(browser, live_server, department_user.username)
    department.goto(f"/demands/{demand.pk}/")
    _take(department, "sign")
    expect(department.locator("[data-testid=demand-state]")).to_have_text("已签收")
    _take(
        department,
        "reply",
        select={"outcome": Outcome.SOLVED},
        fill={"note": "已协调供电公司，本周五完成接电"},
    )
    expect(department.locator("[data-testid=demand-state]")).to_have_text("已答复")
    screenshot(department, "loop-department-replied-phone")

    # The enterprise rates the reply through its code, after confirming its registered phone.
    RecordingSmsSender.outbox.clear()
    world.home.enterprise.contacts.create(name="王经理", title="总经理", phone=MOBILE)
    enterprise = _phone(browser, live_server)
    with override_settings(LIANQI_SMS_SENDER="lianqi.enterprises.tests.test_otp.RecordingSmsSender"):
        enterprise.goto(f"/c/{world.home.enterprise.code_token}/demands/{demand.pk}/")
        expect(enterprise).to_have_url(re.compile(r"/confirm/"))
        enterprise.fill("#id_name", "王经理")
        enterprise.fill("#id_phone", MOBILE)
        enterprise.click("[data-testid=send-code]")
        enterprise.fill("#id_code", last_code())
        enterprise.click("[data-testid=verify-code]")
        expect(enterprise.locator("[data-testid=reply]")).to_contain_text("本周五完成接电")
        form = enterprise.locator("[data-testid=rating-form]")
        form.locator("[data-field=contacted] input[value='1']").check()
        form.locator("[data-field=solved] input[value='1']").check()
        form.locator("[data-field=satisfaction] input[value=satisfied]").check()
        form.locator("[data-testid=submit-rating]").click()
        expect(enterprise.locator("[data-testid=demand-state]")).to_have_text("已办结")
        screenshot(enterprise, "loop-enterprise-rated-phone")

    demand.refresh_from_db()
    assert demand.state == DemandState.CLOSED and demand.outcome == Outcome.SOLVED
    assert [e.action for e in demand.events.all()] == ["submit", "assign", "sign", "reply", "rate"]

    # The leader's statistics count it.
    leader.goto("/demands/statistics/")
    assert _figure(leader, "received").startswith("1 ")
    assert _figure(leader, "satisfied_rate").startswith("100")
    assert _figure(leader, "solved_rate").startswith("100")
    for page in (leader, liaison, office, department, enterprise):
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(leader, "loop-statistics-phone")
