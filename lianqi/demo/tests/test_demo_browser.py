"""The demo park in a real browser, as a newcomer first meets it: the demo leader logs in,
filters the enterprise list, opens an enterprise and reaches its code page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lianqi.accounts.models import User
from lianqi.demo.builder import DEMO_PASSWORD, build_demo
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Enterprise
from lianqi.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


def test_demo_leader_filters_opens_an_enterprise_and_its_code_page(
    transactional_db: Any, page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    build_demo(scale=0.05)
    leader = User.objects.get(username="leader")
    assert leader.jurisdiction is not None
    in_park = Enterprise.objects.filter(
        jurisdiction_path__startswith=leader.jurisdiction.path,
        kind=EnterpriseKind.ABOVE_SIZE,
        liaison__isnull=False,
    )
    target = in_park.select_related("liaison").order_by("name").first()
    assert target is not None and target.liaison is not None
    brand = target.name[2:4]  # the two characters after the place name, as a clerk would type them

    log_in(page, "leader", DEMO_PASSWORD, "/enterprises/")
    rows = page.locator("[data-testid=enterprise-row]")
    all_rows = rows.count()
    assert all_rows > 1
    page.fill("#id_q", brand)
    page.select_option("#id_kind", EnterpriseKind.ABOVE_SIZE.value)
    expect(page).to_have_url(re.compile(r"kind=above_size"))
    expect(rows.filter(has_text=target.name)).to_have_count(1)
    assert rows.count() < all_rows
    for text in rows.all_inner_texts():
        assert brand in text

    rows.filter(has_text=target.name).locator("a").first.click()
    expect(page.locator("h2.page-title")).to_contain_text(target.name)
    expect(page.locator("[data-testid=liaison-name]")).to_have_text(target.liaison.name)

    page.click("[data-testid=public-link]")
    expect(page.locator("[data-testid=enterprise-name]")).to_have_text(target.name)
    expect(page.locator("[data-testid=liaison-name]")).to_have_text(target.liaison.name)
    screenshot(page, "demo-code-page")
