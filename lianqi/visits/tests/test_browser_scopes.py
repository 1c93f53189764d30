"""In a real browser: the office creates a campaign whose scope is a rule — the form shows the
rule box only for that scope, a wrong rule is told next to it with the text kept, a right one
lists its conditions and how many enterprises it selects — and a demand raised by a visit links
back to that visit. Screenshots at 390 and 1280 px in Chinese and English, none scrolling
sideways."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.core.tests.test_browser_shell import _signed_in_context
from lianqi.enterprises.models import YearFigure
from lianqi.testing.browser import PHONE, screenshot
from lianqi.testing.world import World

from .. import actions
from ..models import Campaign
from .factories import AT, NEEDY, key, make_campaign, make_questionnaire

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
RULE = "all:\n- {attribute: industry, op: prefix, value: [C]}\n- {attribute: revenue, year: Y-1, op: '>=', value: 2000}\n"
SIZES = (("390", PHONE), ("1280", LAPTOP))


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_the_office_scopes_a_campaign_by_a_rule(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    make_questionnaire(world.home)
    YearFigure.objects.create(enterprise=world.home.enterprise, year=2024, revenue=Decimal(2500))
    office = world.user(Role.SERVICE_OFFICE)
    for language in ("zh-hans", "en"):
        for size, viewport in SIZES:
            context = _signed_in_context(browser, live_server.url, office, language, viewport)
            page = context.new_page()
            page.goto("/visits/campaigns/new/")
            rule_box = page.locator("[data-field=scope_rule]")
            expect(rule_box).to_be_hidden()
            page.select_option("#id_scope_kind", "rule")
            expect(rule_box).to_be_visible()
            expect(page.locator("[data-field=scope_value]")).to_be_hidden()
            page.fill("#id_title", "规上工业企业专项走访")
            page.fill("#id_theme", "助企纾困")
            page.fill("#id_starts_on", "2025-03-01")
            page.fill("#id_ends_on", "2025-04-30")
            page.select_option("#id_questionnaire", index=1)
            page.fill("#id_scope_rule", RULE.replace("revenue", "turnover"))
            page.click("[data-testid=campaign-form] button[type=submit]")
            error = page.locator("[data-error-for=scope_rule]")
            expect(error.first).to_contain_text("turnover")
            expect(page.locator("#id_scope_rule")).to_have_value(RULE.replace("revenue", "turnover"))
            screenshot(page, f"visits-campaign-rule-form-{size}-{language}")
            assert _overflow(page) <= 0, (size, language)
            page.fill("#id_scope_rule", RULE)
            page.click("[data-testid=campaign-form] button[type=submit]")
            expect(page.locator("[data-testid=scope-rule]")).to_contain_text("营业收入")
            expect(page.locator("[data-testid=draft-targets]")).to_contain_text("1")
            screenshot(page, f"visits-campaign-rule-detail-{size}-{language}")
            assert _overflow(page) <= 0, (size, language)
            context.close()
    assert Campaign.objects.filter(scope_kind="rule").count() == 4


def test_a_demand_page_links_to_the_visit_it_came_from(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    campaign = make_campaign(world, title="2025年助企纾困大走访")
    visit = actions.record_visit(
        enterprise=world.home.enterprise,
        actor=world.user(Role.LIAISON),
        idempotency_key=key(),
        campaign=campaign,
        answers=NEEDY,
        at=AT,
    )
    demand = visit.raised.order_by("pk").first().demand  # type: ignore[union-attr]
    for language in ("zh-hans", "en"):
        for size, viewport in SIZES:
            context = _signed_in_context(
                browser, live_server.url, world.user(Role.SERVICE_OFFICE), language, viewport
            )
            page = context.new_page()
            page.goto(f"/demands/{demand.pk}/")
            origin = page.locator("[data-testid=demand-origin]")
            expect(origin).to_contain_text("2025年助企纾困大走访")
            screenshot(page, f"demands-detail-origin-{size}-{language}")
            assert _overflow(page) <= 0, (size, language)
            context.close()
    context = _signed_in_context(browser, live_server.url, world.user(Role.LIAISON), "zh-hans", PHONE)
    page = context.new_page()
    page.goto(f"/demands/{demand.pk}/")
    page.locator("[data-testid=demand-origin] a").click()
    expect(page).to_have_url(f"{live_server.url}{visit.get_absolute_url()}")
    context.close()


def test_the_office_imports_a_list_and_is_told_which_rows_are_unknown(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    from .test_scopes import workbook

    make_questionnaire(world.home)
    upload = workbook([[world.home.enterprise.credit_code, ""], [world.other.enterprise.credit_code, ""]])
    for language, (size, viewport) in (("zh-hans", SIZES[0]), ("en", SIZES[1])):
        context = _signed_in_context(
            browser, live_server.url, world.user(Role.SERVICE_OFFICE), language, viewport
        )
        page = context.new_page()
        page.goto("/visits/campaigns/new/")
        page.select_option("#id_scope_kind", "list")
        expect(page.locator("[data-field=scope_file]")).to_be_visible()
        expect(page.locator("[data-field=scope_rule]")).to_be_hidden()
        page.fill("#id_title", "名单走访")
        page.fill("#id_theme", "助企纾困")
        page.fill("#id_starts_on", "2025-03-01")
        page.fill("#id_ends_on", "2025-04-30")
        page.select_option("#id_questionnaire", index=1)
        page.set_input_files(
            "#id_scope_file",
            {"name": "名单.xlsx", "mimeType": "application/octet-stream", "buffer": upload.read()},
        )
        upload.seek(0)
        page.click("[data-testid=campaign-form] button[type=submit]")
        row_three = "第 3 行" if language == "zh-hans" else "Row 3"
        expect(page.locator("[data-error-for=scope_file]")).to_contain_text(row_three)
        screenshot(page, f"visits-campaign-list-form-{size}-{language}")
        assert _overflow(page) <= 0, (size, language)
        context.close()
    assert not Campaign.objects.exists()
