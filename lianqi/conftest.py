"""Fixtures for the whole suite."""

from lianqi.core.testing.browser import browser, page  # noqa: F401  (browser fixtures)
from lianqi.core.testing.contracts import world  # noqa: F401  (re-exported fixture)
