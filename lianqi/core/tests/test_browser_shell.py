"""The page shell in a real browser: every role's home and two of its inner pages fit a laptop
(1280 px) and a phone (390 px) in Chinese and in English — no horizontal scrolling, the user
menu, bell and language switch on screen, every text at WCAG AA contrast."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from lianqi.core.navigation import items_for
from lianqi.core.roles import Role
from lianqi.testing.accessibility import contrast_failures
from lianqi.testing.browser import PHONE, screenshot
from lianqi.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}


def _signed_in_context(
    browser: Any, base_url: str, user: Any, language: str, viewport: dict[str, int]
) -> Any:
    """A browser context already logged in as `user` (the session made by the test client),
    in `language`."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=base_url, viewport=viewport, timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url},
        ]
    )
    return context


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _on_screen(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("role", list(Role))
def test_every_role_s_pages_fit_a_laptop_and_a_phone_in_both_languages(
    browser: Any, live_server: Any, world: World, role: str
) -> None:
    user = world.user(role)
    inner = [str(item["url"]) for item in items_for(user) if item["url"] != "/"][:2]
    for language in ("zh-hans", "en"):
        for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            context = _signed_in_context(browser, live_server.url, user, language, viewport)
            page = context.new_page()
            for url in ["/", *inner]:
                page.goto(url)
                assert _overflow(page) <= 0, (role, language, name, url, _overflow(page))
                for part in ("[data-testid=user-menu]", "[data-testid=inbox-link]"):
                    assert _on_screen(page, part), (role, language, name, url, part)
                if name == "laptop":
                    assert _on_screen(page, "[data-testid=language-switch]"), (role, language, url)
                    # The top bar stays one line: nothing wraps into a second row.
                    height = page.locator("[data-testid=navbar]").bounding_box()["height"]
                    assert height <= 64, (role, language, url, height)
                    assert contrast_failures(page) == [], (role, language, url)
            if role in (Role.SERVICE_OFFICE, Role.ADMIN):
                page.goto("/")
                screenshot(page, f"shell-{role}-{language}-{name}")
            context.close()


def test_a_module_s_entries_open_from_its_dropdown_on_a_laptop(
    browser: Any, live_server: Any, world: World
) -> None:
    user = world.user(Role.SERVICE_OFFICE)
    context = _signed_in_context(browser, live_server.url, user, "zh-hans", LAPTOP)
    page = context.new_page()
    page.goto("/")
    page.locator("[data-group=demands] .dropdown-toggle").click()
    page.get_by_role("link", name="诉求统计").click()
    page.wait_for_url("**/demands/statistics/**")
    assert page.locator("[data-group=demands].active").count() == 1
    context.close()


def test_the_phone_menu_lists_every_entry_under_its_module(
    browser: Any, live_server: Any, world: World
) -> None:
    user = world.user(Role.SERVICE_OFFICE)
    context = _signed_in_context(browser, live_server.url, user, "zh-hans", PHONE)
    page = context.new_page()
    page.goto("/")
    page.click(".navbar-toggler")
    page.wait_for_selector("#navbar-menu.show")
    for label in ("诉求调度", "诉求统计", "政策超市", "企业标签"):
        assert page.get_by_role("link", name=label).is_visible(), label
    screenshot(page, "shell-menu-phone")
    context.close()


def test_modules_that_do_not_fit_a_narrow_laptop_move_under_more(
    browser: Any, live_server: Any, world: World
) -> None:
    # 820 px is a laptop for the menu (dropdowns, not the phone's list) but too narrow for every
    # module of the office in English: the last modules move under "More", the bar stays one line,
    # and their entries are still one click away.
    user = world.user(Role.SERVICE_OFFICE)
    context = _signed_in_context(browser, live_server.url, user, "en", {"width": 820, "height": 800})
    page = context.new_page()
    page.goto("/")
    more = page.get_by_test_id("nav-more")
    assert more.is_visible()
    assert _overflow(page) <= 0
    assert page.locator("[data-testid=navbar]").bounding_box()["height"] <= 64
    on_bar = page.locator("[data-testid=nav] > [data-group]:not([hidden])").count()
    moved = page.locator("[data-more-for]:not([hidden])")
    assert moved.count() >= 1
    assert on_bar + moved.count() == page.locator("[data-testid=nav] > [data-group]").count()
    more.locator(".dropdown-toggle").click()
    screenshot(page, "shell-more-820-en")
    system = page.locator("[data-more-for=system]")
    assert system.is_visible()
    system.get_by_role("link", name="Workday calendar").click()
    page.wait_for_url("**/workdays/**")
    assert page.get_by_test_id("nav-more").evaluate("el => el.classList.contains('active')")
    # On a wider screen modules come back to the bar (the resize is handled as it happens) and
    # every module is still either on the bar or under "More", never both.
    page.set_viewport_size({"width": 1280, "height": 800})
    shown = page.locator("[data-testid=nav] > [data-group]:not([hidden])")
    for _ in range(50):  # the page's CSP forbids evaluating a string, so poll from here
        if shown.count() > on_bar:
            break
        page.wait_for_timeout(100)
    assert _overflow(page) <= 0
    on_bar_wide = page.locator("[data-testid=nav] > [data-group]:not([hidden])").count()
    moved_wide = page.locator("[data-more-for]:not([hidden])").count()
    assert on_bar_wide + moved_wide == page.locator("[data-testid=nav] > [data-group]").count()
    assert page.get_by_test_id("nav-more").is_visible() == (moved_wide > 0)
    context.close()
