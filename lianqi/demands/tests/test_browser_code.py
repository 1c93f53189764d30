"""An enterprise raises a demand through its code on a phone-sized screen: from the code page
to the list, confirming the phone with the code from the SMS, filing, and finding it listed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings

from lianqi.enterprises.tests.test_otp import PHONE, RecordingSmsSender, last_code
from lianqi.testing.browser import PHONE as PHONE_SCREEN
from lianqi.testing.browser import new_page, screenshot
from lianqi.testing.world import World

from ..models import Demand
from .factories import category

pytestmark = pytest.mark.browser

FITS_WIDTH = "document.documentElement.scrollWidth <= window.innerWidth"


def test_enterprise_raises_a_demand_on_a_phone(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    enterprise = world.home.enterprise
    RecordingSmsSender.outbox.clear()
    page = new_page(browser, live_server.url, PHONE_SCREEN)
    with override_settings(LIANQI_SMS_SENDER="lianqi.enterprises.tests.test_otp.RecordingSmsSender"):
        page.goto(f"/c/{enterprise.code_token}/")
        page.click("[data-entry=demand]")

        # The enterprise's demands are its own: whoever scans the code confirms a phone first.
        expect(page).to_have_url(re.compile(r"/confirm/"))
        page.fill("#id_name", "张经理")
        page.fill("#id_phone", PHONE)
        page.click("[data-testid=send-code]")
        expect(page.locator("[data-testid=code-sent]")).to_contain_text("139****5678")
        assert page.evaluate(FITS_WIDTH)
        screenshot(page, "code-demand-confirm-phone")
        page.fill("#id_code", last_code())
        page.click("[data-testid=verify-code]")

        expect(page.locator("h1")).to_have_text("我的诉求")
        page.click("[data-testid=new-demand]")
        expect(page).to_have_url(re.compile(r"/demands/new/$"))
        expect(page.locator("[data-testid=confirmed-contact]")).to_contain_text("张经理")
        page.select_option("#id_category", str(category().pk))
        page.fill("#id_description", "新厂房用电报装进度慢，希望协调供电公司")
        assert page.evaluate(FITS_WIDTH)
        page.click("[data-testid=submit-demand]")

        demand = Demand.objects.get()
        expect(page.locator("[data-testid=demand-number]")).to_have_text(f"#{demand.pk}")
        page.click("[data-testid=follow-demand]")
        expect(page.locator("[data-testid=demand-state]")).to_have_text("已受理")
        expect(page.locator("[data-testid=timeline]")).to_contain_text("新厂房用电报装进度慢")
        assert page.evaluate(FITS_WIDTH)
        screenshot(page, "code-demand-detail-phone")

        page.goto(f"/c/{enterprise.code_token}/demands/")
        rows = page.locator("[data-testid=demand-row]")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("新厂房用电报装进度慢")
        assert page.evaluate(FITS_WIDTH)
        screenshot(page, "code-demand-list-phone")
    assert demand.contact_phone == PHONE and demand.contact_name == "张经理"
