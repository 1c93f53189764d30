"""The enterprise's file (一企一档) in a browser: the sections the apps register load by
themselves after the page, each in its own card."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from lianqi.core.roles import Role
from lianqi.testing.browser import screenshot
from lianqi.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_file_loads_each_registered_section_after_the_page(
    browser: Any, live_server: Any, world: World
) -> None:
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"/enterprises/{world.home.enterprise.pk}/")
    # The test wing's section (registered through the registry, like every app's).
    section = page.locator("[data-section=sample]")
    section.locator("[data-testid=section-rows]").wait_for()
    assert section.locator("[data-section-body]").count() == 0  # the placeholder is gone
    screenshot(page, "enterprise-file-desktop")
    context.close()
