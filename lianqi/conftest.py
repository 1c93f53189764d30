"""Fixtures for the whole suite."""

from lianqi.core.testing.contracts import world  # noqa: F401  (re-exported fixture)
