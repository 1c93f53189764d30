"""The office records a credit repair in a real browser: from the enterprise's file, where the
credit section shows class C because of a penalty in force, to the record's page, through
application, materials, review and repair (a repair dated before the review is refused next to
its field), and back to the file, where the class is B again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import RepairState
from ..models import DishonestyRecord
from .factories import make_record

pytestmark = pytest.mark.browser


def test_the_office_records_a_repair_and_the_class_follows(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    record = make_record(world)
    today = timezone.localdate()
    page = new_page(browser, live_server.url)
    log_in(
        page, world.user(Role.SERVICE_OFFICE).username, PASSWORD, f"/enterprises/{world.home.enterprise.pk}/"
    )
    section = page.locator("[data-section=credit]")
    expect(section.locator("[data-testid=credit-class]")).to_contain_text("C级")
    expect(section.locator("[data-testid=reasons]")).to_contain_text("未修复的行政处罚记录")
    section.locator("[data-testid=records] a").first.click()

    page.fill("input[name=apply-applied_on]", (today - dt.timedelta(days=6)).isoformat())
    page.locator("[data-testid=step-apply] button").click()
    expect(page.locator("[data-testid=state]")).to_have_text("已申请修复")
    page.fill("textarea[name=submit_materials-materials]", "整改报告、信用修复培训证明")
    page.locator("[data-testid=step-submit_materials] button").click()
    page.fill("input[name=approve-reviewed_on]", (today - dt.timedelta(days=2)).isoformat())
    page.locator("[data-testid=step-approve] button").click()
    expect(page.locator("[data-testid=state]")).to_have_text("审核通过")

    # A repair dated before the review is refused next to its field, and the record stays.
    page.fill("input[name=repair-repaired_on]", (today - dt.timedelta(days=5)).isoformat())
    page.locator("[data-testid=step-repair] button").click()
    expect(page.locator("[data-error-for=repaired_on]")).to_be_visible()
    expect(page.locator("[data-testid=state]")).to_have_text("审核通过")
    page.fill("input[name=repair-repaired_on]", today.isoformat())
    page.locator("[data-testid=step-repair] button").click()
    expect(page.locator("[data-testid=state]")).to_have_text("已修复")
    expect(page.locator("[data-testid=repaired-on]")).to_have_text(today.isoformat())
    expect(page.locator("[data-testid=events]")).to_contain_text("审核通过 → 已修复")
    screenshot(page, "credit-repaired")
    record.refresh_from_db()
    assert (record.state, record.repaired_on) == (RepairState.REPAIRED, today)

    page.goto(f"/enterprises/{world.home.enterprise.pk}/")
    expect(section.locator("[data-testid=credit-class]")).to_contain_text("B级")
    page.goto("/credit/repairs/")
    expect(page.locator("[data-testid=repairs]")).to_contain_text(world.home.enterprise.name)
    assert DishonestyRecord.objects.filter(state=RepairState.REPAIRED).count() == 1


def test_the_enterprise_applies_for_repair_on_its_phone(browser: Any, live_server: Any, world: World) -> None:
    """On a 390 px phone, through its code: the credit page offers the application, the form
    refuses an empty correction next to its field, then the application is taken and the
    record waits for the office's review."""
    from playwright.sync_api import expect

    record = make_record(world, summary="逾期未缴纳行政罚款")
    page = new_page(browser, live_server.url, viewport=PHONE)
    token = world.home.enterprise.code_token
    log_in(page, world.user(Role.ENTERPRISE).username, PASSWORD, f"/c/{token}/credit/")
    page.locator("[data-testid=apply-repair]").click()
    expect(page.locator("[data-testid=repair-form]")).to_contain_text("逾期未缴纳行政罚款")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "credit-code-repair-390")
    page.locator("input[name=record]").first.check()
    page.locator("[data-testid=repair-form] button[type=submit]").click()
    expect(page.locator("[data-error-for=correction]")).to_be_visible()
    page.fill("textarea[name=correction]", "罚款已全额缴纳，缴款凭证已备")
    page.locator("[data-testid=repair-form] button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("修复申请已提交")
    record.refresh_from_db()
    assert record.state == RepairState.MATERIALS
