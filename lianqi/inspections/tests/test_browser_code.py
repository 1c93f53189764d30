"""The enterprise's code page on a 390 px phone: after confirming its registered phone by SMS
it sees the inspection registered for it — code, department, legal basis, inspectors —,
rates the visit once the inspectors checked in, and finds where to report an unregistered
entry, all without sideways scrolling."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from lianqi.enterprises.models import Contact
from lianqi.enterprises.tests.test_otp import PHONE, RecordingSmsSender, last_code
from lianqi.testing.browser import PHONE as PHONE_SCREEN
from lianqi.testing.browser import new_page, screenshot
from lianqi.testing.world import World

from .. import actions
from ..models import Rating
from .factories import registration

pytestmark = pytest.mark.browser

FITS_WIDTH = "document.documentElement.scrollWidth <= window.innerWidth"


def test_enterprise_sees_and_rates_an_inspection_on_a_phone(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    enterprise = world.home.enterprise
    Contact.objects.create(enterprise=enterprise, name="张经理", phone=PHONE, is_primary=True)
    row = actions.register_inspection(**registration(world, planned_on=timezone.localdate()))
    row = actions.check_in_inspection(
        inspection=row,
        actor=world.user("service_office"),
        expected_version=row.version,
        scanned_code=enterprise.code_token,
    )
    RecordingSmsSender.outbox.clear()
    page = new_page(browser, live_server.url, PHONE_SCREEN)
    assert page.viewport_size["width"] == 390
    with override_settings(LIANQI_SMS_SENDER="lianqi.enterprises.tests.test_otp.RecordingSmsSender"):
        page.goto(f"/c/{enterprise.code_token}/inspections/")
        expect(page).to_have_url(re.compile(r"/confirm/"))
        page.fill("#id_name", "张经理")
        page.fill("#id_phone", PHONE)
        page.click("[data-testid=send-code]")
        page.fill("#id_code", last_code())
        page.click("[data-testid=verify-code]")

        expect(page.locator("h1")).to_have_text("登记的执法检查")
        card = page.locator("[data-testid=inspection]")
        expect(card).to_contain_text(row.code)
        expect(card).to_contain_text("《安全生产法》第六十五条")
        expect(card).to_contain_text("检查员1")
        assert page.evaluate(FITS_WIDTH)
        screenshot(page, "code-inspections-phone")
        for count in ("conduct", "disturbance", "clarity"):
            page.locator(f"[data-testid=rating-form] label:has(input[name$='-{count}'][value='5'])").click()
        page.click("[data-testid=rating-form] button[type=submit]")
        expect(card).to_contain_text("已评价")
        assert Rating.objects.get(inspection=row).score == 5
        expect(page.locator("[data-testid=report]")).to_be_visible()
        assert page.evaluate(FITS_WIDTH)
