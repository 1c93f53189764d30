"""End to end in the browser: a department handler registers an inspection, the page proposes
joining the fire brigade's visit of the same day and the handler joins it; after the
inspectors checked in, the handler records the result (a rectification order with its
deadline); the enterprise opens its code on a phone-sized screen, sees the finding and the
deadline, and rates the visit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lianqi.demands.tests.factories import handler
from lianqi.enterprises.models import Contact
from lianqi.enterprises.tests.test_otp import PHONE, RecordingSmsSender, last_code
from lianqi.testing.browser import PHONE as PHONE_SCREEN
from lianqi.testing.browser import log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from .. import actions
from ..models import Inspection, Rating
from .factories import make_inspector, make_item, other_department_inspection

pytestmark = pytest.mark.browser

FITS_WIDTH = "document.documentElement.scrollWidth <= window.innerWidth"


def test_handler_joins_a_visit_records_the_finding_and_the_enterprise_rates_it_on_a_phone(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    enterprise = world.home.enterprise
    today = timezone.localdate()
    Contact.objects.create(enterprise=enterprise, name="张经理", phone=PHONE, is_primary=True)
    theirs = other_department_inspection(world, today)
    item = make_item(world.home)
    inspectors = [make_inspector(world.home, 1), make_inspector(world.home, 2)]
    user = handler(world.home)

    desk = new_page(browser, live_server.url)
    desk.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    log_in(desk, user.username, PASSWORD, reverse("inspections:create", args=[enterprise.pk]))
    desk.select_option("#id_department", str(world.home.department.pk))
    desk.select_option("#id_item", str(item.pk))
    desk.select_option("#id_trigger", "plan")
    desk.fill("#id_plan_reference", "湘潭高新经发〔2025〕3号")
    desk.fill("#id_planned_on", today.isoformat())
    desk.select_option("#id_inspectors", [str(i.pk) for i in inspectors])
    desk.click("form[novalidate] button[type=submit]")
    # Proposed, not yet saved: the fire brigade's visit of the same day, with its code.
    expect(desk.locator("body")).to_contain_text("建议加入其检查")
    expect(desk.locator("body")).to_contain_text(str(theirs.code))
    assert Inspection.objects.count() == 1
    desk.check(f"input[name=join][value='{theirs.pk}']")
    desk.click("form[novalidate] button[type=submit]")
    expect(desk.locator("[data-testid=code]")).to_have_text(re.compile(r"\S+"))
    mine = Inspection.objects.exclude(pk=theirs.pk).get()
    theirs.refresh_from_db()
    assert mine.joint_visit_id is not None and mine.joint_visit_id == theirs.joint_visit_id

    mine = actions.check_in_inspection(
        inspection=mine, actor=user, expected_version=mine.version, scanned_code=enterprise.code_token
    )
    desk.goto(reverse("inspections:detail", args=[mine.pk]))
    close = desk.locator("[data-testid=step-close]")
    close.locator("input[name=close-finding][value=rectification]").check()
    close.locator("button[type=submit]").click()
    # Without its deadline the order is refused on the field, the choice kept.
    expect(desk.locator("[data-testid=step-close]")).to_contain_text("责令整改须填写整改期限")
    close = desk.locator("[data-testid=step-close]")
    expect(close.locator("input[name=close-finding][value=rectification]")).to_be_checked()
    close.locator("input[name=close-rectification_days]").fill("5")
    close.locator("textarea[name=close-result]").fill("消防通道堆放杂物")
    close.locator("button[type=submit]").click()
    expect(desk.locator("[data-testid=finding]")).to_contain_text("责令限期整改")
    mine.refresh_from_db()
    assert mine.rectification_due_on is not None
    due = mine.rectification_due_on.isoformat()

    RecordingSmsSender.outbox.clear()
    phone = new_page(browser, live_server.url, PHONE_SCREEN)
    with override_settings(LIANQI_SMS_SENDER="lianqi.enterprises.tests.test_otp.RecordingSmsSender"):
        phone.goto(f"/c/{enterprise.code_token}/inspections/")
        expect(phone).to_have_url(re.compile(r"/confirm/"))
        phone.fill("#id_name", "张经理")
        phone.fill("#id_phone", PHONE)
        phone.click("[data-testid=send-code]")
        phone.fill("#id_code", last_code())
        phone.click("[data-testid=verify-code]")
        card = phone.locator("[data-testid=inspection]", has_text=str(mine.code))
        expect(card.locator("[data-testid=finding]")).to_contain_text("责令限期整改")
        expect(card.locator("[data-testid=joint]")).to_be_visible()
        expect(card).to_contain_text(due)
        expect(card).not_to_contain_text("消防通道堆放杂物")
        assert phone.evaluate(FITS_WIDTH)
        screenshot(phone, "code-inspection-finding-phone")
        for count in ("conduct", "disturbance", "clarity"):
            card.locator(f"[data-testid=rating-form] label:has(input[name$='-{count}'][value='4'])").click()
        card.locator("[data-testid=rating-form] button[type=submit]").click()
        expect(phone.locator("[data-testid=inspection]", has_text=str(mine.code))).to_contain_text("已评价")
        assert Rating.objects.get(inspection=mine).score == 4
        assert phone.evaluate(FITS_WIDTH)
