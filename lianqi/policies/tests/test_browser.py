"""The policy loop in a real browser: the enterprise opens its code on a phone, sees a policy it
qualifies for with the reasons, confirms its phone and applies; the office reviews, approves and
pays on a desktop; the ledger shows the payment."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.enterprises.tests.test_otp import PHONE, RecordingSmsSender, last_code
from lianqi.testing.browser import PHONE as PHONE_SCREEN
from lianqi.testing.browser import log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import FulfilmentState
from ..models import Fulfilment
from .test_api import TITLE, policy_in_force

pytestmark = pytest.mark.browser


def test_an_enterprise_applies_and_the_office_pays(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    policy = policy_in_force(world)
    token = world.home.enterprise.code_token
    RecordingSmsSender.outbox.clear()
    world.home.enterprise.contacts.create(name="王会计", title="财务负责人", phone=PHONE)
    phone = new_page(browser, live_server.url, PHONE_SCREEN)
    with override_settings(LIANQI_SMS_SENDER="lianqi.enterprises.tests.test_otp.RecordingSmsSender"):
        phone.goto(f"/c/{token}/")
        phone.click("[data-entry=policy]")
        # The enterprise's policies tell its figures: its registered phone is confirmed first.
        expect(phone).to_have_url(re.compile(r"/confirm/"))
        phone.fill("#id_name", "王会计")
        phone.fill("#id_phone", PHONE)
        phone.click("[data-testid=send-code]")
        phone.fill("#id_code", last_code())
        phone.click("[data-testid=verify-code]")
        eligible = phone.locator("[data-testid=eligible-policies]")
        expect(eligible).to_contain_text(TITLE)
        eligible.locator("summary").first.click()
        expect(eligible).to_contain_text("本企业为 2600 万元（来源：统计年报")
        screenshot(phone, "code-policies-phone")
        eligible.get_by_role("link", name=TITLE).click()
        expect(phone).to_have_url(re.compile(rf"/policies/{policy.pk}/$"))
        phone.fill("#id_text", "申请规上工业企业培育奖励，附 2025 年度财务报表")
        phone.click("[data-testid=apply]")
        expect(phone.locator("[data-testid=entry-state]")).to_contain_text("已申报")
        screenshot(phone, "code-policy-applied-phone")

    entry = Fulfilment.objects.get(policy=policy, enterprise=world.home.enterprise)
    office = new_page(browser, live_server.url)
    log_in(office, world.user(Role.SERVICE_OFFICE).username, PASSWORD, f"/policies/ledger/{entry.pk}/")
    office.fill("[data-testid=step-review] textarea", "材料齐全，同意")
    office.locator("[data-testid=step-review] button").click()
    office.fill("[data-testid=step-approve] input[name=amount]", "10")
    office.locator("[data-testid=step-approve] button").click()
    office.fill("[data-testid=step-disburse] input[name=amount]", "10")
    office.fill("[data-testid=step-disburse] input[name=disbursed_on]", timezone.localdate().isoformat())
    office.fill("[data-testid=step-disburse] input[name=voucher]", "PZ-2026-0188")
    office.locator("[data-testid=step-disburse] button").click()
    expect(office.locator("[data-testid=fulfilment-summary]")).to_contain_text("已兑付")
    office.goto("/policies/ledger/?state=disbursed")
    expect(office.locator("[data-testid=ledger-list]")).to_contain_text(world.home.enterprise.name)
    expect(office.locator("[data-testid=ledger-totals]")).to_contain_text("10.00")
    screenshot(office, "policy-ledger-disbursed")
    entry.refresh_from_db()
    assert entry.state == FulfilmentState.DISBURSED and entry.voucher_number == "PZ-2026-0188"
