"""The liaison's visit on a phone in a real browser (390 px wide): they open the campaign, fill
the questionnaire — 是否有融资需求 = 是 brings up 融资金额 —, add a photo and submit; the answer
raises a 融资困难 demand and the campaign's coverage goes up by one. Screenshots of the form and
the campaign page at 390 and 1280 px in Chinese and English, each without sideways scrolling."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.core.tests.test_browser_shell import _signed_in_context
from lianqi.demands.models import Demand
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..models import Visit
from .factories import make_campaign

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
# A 1×1 PNG: a real picture, as a phone's camera would give one.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_liaison_records_a_visit_on_a_phone(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    campaign = make_campaign(world)
    page = new_page(browser, live_server.url, PHONE)
    log_in(page, world.user(Role.LIAISON).username, PASSWORD, campaign.get_absolute_url())
    expect(page.locator("[data-testid=visited]")).to_have_text("0")
    page.click("[data-testid=record]")

    page.select_option("#id_enterprise", str(world.home.enterprise.pk))
    page.locator("[data-question=state]").get_by_label("困难").check()
    amount = page.locator("[data-question=amount]")
    expect(amount).to_be_hidden()
    page.locator("[data-question=finance]").get_by_label("是").check()
    expect(amount).to_be_visible()
    expect(page.locator("[data-testid=raise-finance]")).to_be_visible()
    page.fill("[name=answer_amount]", "300")
    page.set_input_files("[name=answer_photo]", {"name": "现场.png", "mimeType": "image/png", "buffer": PNG})
    assert _overflow(page) <= 0
    box = page.locator("[data-testid=submit-visit]").bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300
    page.click("[data-testid=submit-visit]")

    expect(page.get_by_text("走访已记录，提出诉求 1 条")).to_be_visible()
    visit = Visit.objects.get()
    assert visit.answers["amount"] == "300" and visit.files.count() == 1
    demand = Demand.objects.get()
    assert demand.category.name == "融资困难" and visit.raised.get().demand == demand

    page.goto(campaign.get_absolute_url())
    expect(page.locator("[data-testid=visited]")).to_have_text("1")
    expect(page.locator("[data-testid=demands]")).to_contain_text("融资困难")
    assert _overflow(page) <= 0


def test_form_and_campaign_page_fit_phone_and_laptop_in_both_languages(
    browser: Any, live_server: Any, world: World
) -> None:
    campaign = make_campaign(world)
    pages = {
        "form": f"/visits/new/?campaign={campaign.pk}",
        "campaign": campaign.get_absolute_url(),
    }
    for language in ("zh-hans", "en"):
        for size, viewport in (("390", PHONE), ("1280", LAPTOP)):
            context = _signed_in_context(
                browser, live_server.url, world.user(Role.LIAISON), language, viewport
            )
            page = context.new_page()
            for name, address in pages.items():
                page.goto(address)
                if name == "form":
                    # Show the conditional question and its raised-demand box too.
                    page.locator("[data-question=finance] input[value=yes]").check()
                screenshot(page, f"visits-{name}-{size}-{language}")
                assert _overflow(page) <= 0, (name, size, language, _overflow(page))
            context.close()
