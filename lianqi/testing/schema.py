"""The OpenAPI schema of the test suite leaves out the endpoints of the test-only wings
(`lianqi.testing.*`), so that the schema's own tests keep describing the product's API; a test
of the registries asks for them with ``LIANQI_SCHEMA_WITH_TEST_WINGS = True``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

TEST_WINGS = "lianqi.testing."


def leave_out_test_wings(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """A drf-spectacular preprocessing hook: ``(path, regex, method, callback)`` endpoints."""
    if getattr(settings, "LIANQI_SCHEMA_WITH_TEST_WINGS", False):
        return endpoints
    return [
        endpoint
        for endpoint in endpoints
        if not getattr(getattr(endpoint[3], "cls", None), "__module__", "").startswith(TEST_WINGS)
    ]
