"""The origin registry: an app says where rows of a lower app came from; only providers of that
model are asked, in their order, registering a key again replaces the provider, and a provider
that does not know a row adds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lianqi.core import registry
from lianqi.core.registry import Origin, OriginProvider


@pytest.fixture
def clean_origins() -> Iterator[None]:
    saved = dict(registry._registry.origins)
    registry._registry.origins.clear()
    yield
    registry._registry.origins.clear()
    registry._registry.origins.update(saved)


def test_only_the_providers_of_the_model_answer_in_their_order(clean_origins: None) -> None:
    def inspection(user: Any, row: Any) -> Origin | None:
        return Origin("inspection", "检查记录", f"检查 {row}", id=7) if row == 1 else None

    def visit(user: Any, row: Any) -> Origin | None:
        return Origin("visit", "走访记录", f"{user} 的走访", id=3, url="/visits/3/")

    registry.register_origins(
        OriginProvider("visits", "demands.Demand", visit, order=20),
        OriginProvider("inspections", "demands.Demand", inspection, order=10),
        OriginProvider("elsewhere", "policies.Policy", visit),
    )
    found = registry.origins_of("demands.Demand", "张三", 1)
    assert [o.kind for o in found] == ["inspection", "visit"]
    assert found[1].text == "张三 的走访" and found[1].url == "/visits/3/"
    # A provider that does not know the row adds nothing; another model's provider is not asked.
    assert [o.kind for o in registry.origins_of("demands.Demand", "张三", 2)] == ["visit"]
    assert registry.origins_of("enterprises.Enterprise", "张三", 1) == []


def test_registering_a_key_again_replaces_the_provider(clean_origins: None) -> None:
    registry.register_origins(OriginProvider("visits", "demands.Demand", lambda u, r: Origin("a", "A", "")))
    registry.register_origins(OriginProvider("visits", "demands.Demand", lambda u, r: Origin("b", "B", "")))
    assert [o.kind for o in registry.origins_of("demands.Demand", None, 1)] == ["b"]
