"""The organisation's loaders answer 404 for a row in another park exactly as for one that
does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404

from lianqi.core.roles import Role
from lianqi.org.permissions import (
    access_department,
    access_jurisdiction,
    access_jurisdiction_by_code,
    access_staff,
)
from lianqi.testing.world import World

LOADERS: list[tuple[Callable[[Any, Any], Any], Callable[[Any], Any]]] = [
    (access_jurisdiction, lambda side: side.park.pk),
    (access_jurisdiction_by_code, lambda side: side.park.code),
    (access_department, lambda side: side.department.pk),
    (access_staff, lambda side: side.liaison_staff.pk),
]


@pytest.mark.parametrize(("loader", "key"), LOADERS)
def test_own_row_loads_other_and_missing_are_404(world: World, loader: Any, key: Any) -> None:
    user = world.user(Role.LIAISON)
    assert loader(user, key(world.home)) is not None
    for missing in (key(world.other), 999999, "not-a-key"):
        with pytest.raises(Http404):
            loader(user, missing)
    with pytest.raises(Http404):
        loader(world.user(Role.ENTERPRISE), key(world.home))
