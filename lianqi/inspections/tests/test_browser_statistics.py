"""The office opens the year's inspection statistics in a browser: the figures with their
definitions, the tables by department and by month, and, on a phone, the same page readable."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from .test_statistics import YEAR, Known

pytestmark = pytest.mark.browser


def test_the_office_reads_the_year_s_statistics(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    Known(world)
    office = world.user(Role.SERVICE_OFFICE)
    for name, viewport in (("inspection-statistics", None), ("inspection-statistics-phone", PHONE)):
        page = new_page(browser, live_server.url, viewport)
        log_in(page, office.username, PASSWORD, f"/inspections/statistics/?year={YEAR}")
        expect(page.get_by_test_id("figure-inspections")).to_have_text("7 次")
        expect(page.get_by_test_id("figure-joint_rate")).to_have_text("28.6%")
        expect(page.get_by_test_id("definition-joint_rate")).to_contain_text("并入联合检查")
        expect(page.get_by_test_id("department-table")).to_contain_text("市场监管局")
        expect(page.locator('[data-bucket="4+"]')).to_have_text("1")
        screenshot(page, name)
        page.close()
