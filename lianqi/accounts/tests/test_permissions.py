"""The account loader answers 404 for an account of another park exactly as for one that does
not exist, and only an administrator loads accounts at all."""

from __future__ import annotations

import pytest
from django.http import Http404

from lianqi.accounts.permissions import access_user
from lianqi.core.roles import Role
from lianqi.testing.world import World


def test_own_park_loads_other_park_and_missing_are_404(world: World) -> None:
    admin = world.user(Role.ADMIN)
    target = world.user(Role.LIAISON)
    assert access_user(admin, target.pk) == target
    for missing in (world.other_user(Role.LIAISON).pk, 999999, "x"):
        with pytest.raises(Http404):
            access_user(admin, missing)
    with pytest.raises(Http404):
        access_user(world.user(Role.LEADER), target.pk)
