"""The register in a real browser: log in, filter the list through htmx, open an enterprise and
its code page, on a desktop and on a phone-sized screen."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Enterprise, Tag
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World, make_enterprise

pytestmark = pytest.mark.browser


@pytest.fixture
def register(world: World) -> dict[str, Enterprise]:
    staff = world.home.liaison_staff
    tag = Tag.objects.create(name="专精特新")
    park = world.home.park
    shop = make_enterprise(park, "湘潭电缆五金门市部", kind=EnterpriseKind.SHOP, liaison=staff)
    cable = make_enterprise(park, "湘潭华菱线缆电缆有限公司", kind=EnterpriseKind.ABOVE_SIZE, liaison=staff)
    cable.tags.add(tag)
    motor = make_enterprise(park, "湖南电机制造有限公司", kind=EnterpriseKind.BELOW_SIZE)
    return {"shop": shop, "cable": cable, "motor": motor}


def test_leader_filters_the_list_and_opens_the_code_page(
    page: Any, browser: Any, live_server: Any, world: World, register: dict[str, Enterprise]
) -> None:
    from playwright.sync_api import expect

    leader = world.user(Role.LEADER)
    log_in(page, leader.username, PASSWORD, "/enterprises/")
    rows = page.locator("[data-testid=enterprise-row]")
    expect(rows).to_have_count(4)  # the world's own enterprise and the three above

    page.fill("#id_q", "电缆")
    expect(rows).to_have_count(3)
    page.select_option("#id_kind", "shop")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("湘潭电缆五金门市部")
    # htmx pushed the filters into the address, so the filtered page can be shared or reloaded.
    expect(page).to_have_url(re.compile(r"kind=shop"))
    screenshot(page, "enterprise-list-desktop")

    page.reload()
    expect(rows).to_have_count(1)

    rows.first.locator("a").first.click()
    expect(page.locator("h2.page-title")).to_contain_text("湘潭电缆五金门市部")
    expect(page.locator("[data-testid=liaison-name]")).to_have_text(world.home.liaison_staff.name)
    expect(page.locator("[data-testid=qr-preview]")).to_be_visible()
    screenshot(page, "enterprise-detail-desktop")

    page.click("[data-testid=public-link]")
    expect(page.locator("[data-testid=liaison-name]")).to_have_text(world.home.liaison_staff.name)
    expect(page.locator("[data-testid=enterprise-name]")).to_have_text("湘潭电缆五金门市部")

    phone = new_page(browser, live_server.url, PHONE)
    phone.goto(page.url)
    expect(phone.locator("[data-testid=liaison-phone]")).to_be_visible()
    screenshot(phone, "enterprise-code-phone")
    log_in(phone, leader.username, PASSWORD, "/enterprises/?q=电缆")
    expect(phone.locator("[data-testid=enterprise-row]")).to_have_count(3)
    screenshot(phone, "enterprise-list-phone")
    phone.goto(f"/enterprises/{register['shop'].pk}/")
    screenshot(phone, "enterprise-detail-phone")


def test_the_list_works_without_javascript(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, world.user(Role.LIAISON).username, PASSWORD, "/enterprises/")
    page.fill("#id_q", "没有这个企业")
    page.click("#enterprise-filter button[type=submit]")
    expect(page.locator("[data-testid=empty]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=%E6%B2%A1"))


def test_a_parks_office_sees_its_tags_beside_the_citys_and_national_ones(
    page: Any, browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    Tag.objects.create(name="专精特新")
    Tag.objects.create(name="链主企业", jurisdiction=world.city)
    own = Tag.objects.create(name="亩均效益A类企业", jurisdiction=world.home.park)
    Tag.objects.create(name="汽车零部件配套企业", jurisdiction=world.other.park)
    log_in(page, world.user(Role.SERVICE_OFFICE).username, PASSWORD, "/enterprises/tags/")
    rows = page.locator("[data-testid=tags] tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("[data-testid=tags]")).not_to_contain_text("汽车零部件配套企业")
    expect(page.locator(f"tr[data-tag='{own.pk}'] [data-testid=tag-jurisdiction]")).to_have_text("湘潭高新区")
    expect(page.locator("a", has_text="编辑")).to_have_count(1)
    screenshot(page, "tag-list-desktop")

    phone = new_page(browser, live_server.url, PHONE)
    log_in(phone, world.user(Role.SERVICE_OFFICE).username, PASSWORD, "/enterprises/tags/new/")
    expect(phone.locator("#id_jurisdiction")).to_contain_text("湘潭高新区")
    screenshot(phone, "tag-create-phone")
