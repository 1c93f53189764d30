"""The office's workbench in a real browser: a new policy, its conditions written in the form,
the test case run on save, the sandbox naming who enters, publishing, and the enterprise then
seeing the policy as one it fits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.policies import queries
from lianqi.testing.browser import log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..models import Policy
from .test_actions import revenue

pytestmark = pytest.mark.browser


def test_the_office_writes_sandboxes_and_publishes_a_policy(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    last_year = timezone.localdate().year - 1
    revenue(world.home.enterprise, last_year, 2600)
    page = new_page(browser, live_server.url)
    log_in(page, world.user(Role.SERVICE_OFFICE).username, PASSWORD, "/policies/new/")
    page.fill("#id_code", "XT-2026-088")
    page.fill("#id_title", "高新区规上工业企业培育奖励")
    page.select_option("#id_level", "park")
    page.select_option("#id_kind", "award")
    page.click("[data-testid=save-policy]")

    # The workbench: the root row is there; write two conditions and a fixed amount.
    expect(page.locator("[data-testid=conditions]")).to_be_visible()
    page.select_option("[name=node-1-node]", "条件")
    page.fill("[name=node-1-path]", "1.1")
    page.select_option("[name=node-1-attribute]", "industry")
    page.select_option("[name=node-1-op]", "prefix")
    page.fill("[name=node-1-value]", "C")
    page.fill("[name=node-2-path]", "1.2")
    page.select_option("[name=node-2-node]", "条件")
    page.select_option("[name=node-2-attribute]", "revenue")
    page.select_option("[name=node-2-year]", "Y-1")
    page.select_option("[name=node-2-op]", ">=")
    page.fill("[name=node-2-value]", "2000")
    page.select_option("[name=benefit-benefit]", "定额")
    page.fill("[name=benefit-amount]", "15")
    page.fill("[name=test-0-name]", "营收 2600 万元的制造企业符合")
    page.fill("[name=test-0-as_of]", f"{last_year + 1}-06-30")
    page.fill("[name=test-0-subject]", json.dumps({"industry": "3811", "revenue": {str(last_year): 2600}}))
    page.select_option("[name=test-0-verdict]", "eligible")
    page.click("[data-testid=sandbox-button]")
    expect(page.locator("[data-testid=test-passed]")).to_be_visible()
    expect(page.locator("[data-testid=entering]")).to_contain_text(world.home.enterprise.name)
    screenshot(page, "policy-workbench-sandbox")

    page.click("[data-testid=publish-button]")
    expect(page.locator(".alert-success")).to_contain_text("已发布第 1 版")
    expect(page.locator("[data-testid=policy-conditions]")).to_contain_text(
        f"{last_year} 年营业收入不低于 2000 万元"
    )
    policy = Policy.objects.get(code="XT-2026-088")
    assert queries.version_on(policy, timezone.localdate()) is not None

    enterprise = new_page(browser, live_server.url)
    log_in(enterprise, world.user(Role.ENTERPRISE).username, PASSWORD, "/policies/for-me/")
    expect(enterprise.locator("[data-testid=eligible-policies]")).to_contain_text(
        "高新区规上工业企业培育奖励"
    )
