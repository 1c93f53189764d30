"""Every role's home and main list in a real browser, in Chinese and in English, on a laptop
(1280 px) and a phone (390 px): the first card is the user's own work, nothing scrolls
sideways, text is at WCAG AA contrast, and on a phone a list's rows read as cards whose every
line names its column. The enterprise's file, a demand and the ledger print on A4 without the
menu and without being cut at the right edge."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from lianqi.core.roles import Role
from lianqi.demands.choices import DemandState
from lianqi.demands.tests.factories import handler, make_demand
from lianqi.testing.accessibility import contrast_failures
from lianqi.testing.browser import PHONE, screenshot
from lianqi.testing.world import World

from .test_browser_shell import LAPTOP, _overflow, _signed_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The label of the first card each role's home must open on: its own work.
FIRST_CARD: dict[str, str] = {
    Role.SERVICE_OFFICE: "新受理待交办",
    Role.DEPARTMENT_HANDLER: "待签收诉求",
    Role.LIAISON: "我联系的企业",
    Role.LEADER: "联企覆盖率",
    Role.ENTERPRISE: "待我评价",
    Role.FINANCE: "待受理申请",
    Role.ADMIN: "账号",
}

#: The lists each role works from (the enterprise's own demands redirect under its code).
MAIN_PAGES: dict[str, tuple[str, ...]] = {
    Role.SERVICE_OFFICE: ("/demands/board/", "/liaisons/", "/policies/ledger/", "/inspections/"),
    Role.DEPARTMENT_HANDLER: ("/demands/inbox/",),
    Role.LIAISON: ("/demands/mine/",),
    Role.LEADER: ("/demands/", "/liaisons/", "/projects/"),
    Role.ENTERPRISE: ("/demands/mine/",),
    Role.FINANCE: ("/finance/applications/",),
    Role.ADMIN: ("/accounts/users/",),
}

#: A4 at the browser's 96 px to the inch.
A4 = {"width": 794, "height": 1123}


def _expected_first_card(role: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(FIRST_CARD[role])


def _work(world: World) -> None:
    """One demand in each state someone's home counts: received (the office assigns it),
    assigned (the department signs it) and replied (the enterprise rates it)."""
    handler(world.home)
    make_demand(world)
    make_demand(world, state=DemandState.ASSIGNED, description="用电增容")
    make_demand(world, state=DemandState.REPLIED, description="招工难")


@pytest.mark.parametrize("role", list(FIRST_CARD))
def test_every_role_s_home_opens_on_its_own_work_and_fits_both_screens(
    browser: Any, live_server: Any, world: World, role: str
) -> None:
    _work(world)
    user = world.user(role)
    for language in ("zh-hans", "en"):
        context = _signed_in_context(browser, live_server.url, user, language, LAPTOP)
        page = context.new_page()
        for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto("/")
            first = (page.locator("#main .card .subheader").first.text_content() or "").strip()
            assert first == _expected_first_card(role, language), (role, language, name, first)
            for url in ("/", *MAIN_PAGES[role]):
                page.goto(url)
                page.wait_for_load_state("networkidle")
                assert _overflow(page) <= 0, (role, language, name, url, _overflow(page))
                assert contrast_failures(page) == [], (role, language, name, url)
                cells = page.locator("table.table-stack tbody td:not([colspan])")
                if name == "phone" and cells.count():
                    # A list's rows become cards, each line headed by its column's name.
                    assert cells.first.get_attribute("data-label"), (role, language, url)
                    assert page.locator("table.table-stack thead").first.bounding_box()["height"] <= 1
            page.goto("/")
            screenshot(page, f"home-{role}-{language}-{name}")
        context.close()


def test_the_enterprise_file_a_demand_and_the_ledger_print_on_a4(
    browser: Any, live_server: Any, world: World
) -> None:
    _work(world)
    demand = make_demand(world, state=DemandState.CLOSED, description="厂房漏水，已修复")
    context = _signed_in_context(browser, live_server.url, world.user(Role.SERVICE_OFFICE), "zh-hans", A4)
    page = context.new_page()
    page.emulate_media(media="print")
    for name, url in (
        ("enterprise", f"/enterprises/{world.home.enterprise.pk}/"),
        ("demand", f"/demands/{demand.pk}/"),
        ("ledger", "/policies/ledger/"),
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert not page.locator("[data-testid=navbar]").is_visible(), name
        assert page.locator(".page-title").first.is_visible(), name
        assert _overflow(page) <= 0, (name, _overflow(page))
        pdf = page.pdf(format="A4", print_background=False)
        assert pdf.startswith(b"%PDF"), name
        screenshot(page, f"print-{name}")
    context.close()
