"""Browser fixtures: Debian's Chromium driven by Playwright's sync API.

Where Chromium is not installed the browser tests skip with the reason, unless
`LIANQI_REQUIRE_BROWSER=1` (as in CI), where a missing browser is a failure. Pages are
opened against pytest-django's `live_server`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("LIANQI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Screenshots go here (ignored by git) so a person can look at what the tests saw.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium for one test."""
    path = _chromium_path()
    required = os.environ.get("LIANQI_REQUIRE_BROWSER") == "1"
    if path is None:
        if required:
            pytest.fail(f"Chromium not found at {CHROMIUM} and LIANQI_REQUIRE_BROWSER=1")
        pytest.skip(
            f"Chromium not found at {CHROMIUM}; install Debian's chromium package to run browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("playwright is not installed and LIANQI_REQUIRE_BROWSER=1")
        pytest.skip("playwright is not installed")
    # Playwright's sync API keeps an event loop running in this thread; Django would otherwise
    # refuse the test's own database calls as "from an async context".
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


def new_page(browser: Any, base_url: str, viewport: dict[str, int] | None = None) -> Any:
    """A page in a fresh context (own cookies), in Chinese, with the given viewport."""
    context = browser.new_context(
        base_url=base_url, viewport=viewport or DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Any:
    """A desktop-sized page whose relative URLs go to the live server."""
    return new_page(browser, live_server.url)


def log_in(page: Any, username: str, password: str, next_url: str = "/") -> None:
    """Log in through the login form, as a person does."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
