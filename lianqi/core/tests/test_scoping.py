"""The scoping layer: prefix filters on jurisdiction paths, and 404 for what is out of scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.scoping import get_object_or_404_scoped, path_visible, scope_queryset
from lianqi.org.choices import JurisdictionLevel
from lianqi.org.models import Department, Jurisdiction
from lianqi.testing.world import World, make_user


@pytest.fixture
def lookalike(world: World) -> Jurisdiction:
    """A sibling park whose code starts with the home park's code (430371 → 4303710)."""
    return Jurisdiction.objects.create(
        code=world.home.park.code + "0", name="相似代码园区", level=JurisdictionLevel.PARK, parent=world.city
    )


def test_paths_end_with_a_separator(world: World, lookalike: Jurisdiction) -> None:
    for jurisdiction in Jurisdiction.objects.all():
        assert jurisdiction.path.endswith(f"{jurisdiction.code}/")
        assert jurisdiction.path.count("/") == jurisdiction.depth + 1
    assert lookalike.path == "430000/430300/4303710/"


def test_prefix_does_not_leak_to_lookalike_sibling(world: World, lookalike: Jurisdiction) -> None:
    user = world.user(Role.LEADER)
    assert path_visible(user, world.home.park.path)
    assert not path_visible(user, lookalike.path)
    sibling_department = Department.objects.create(jurisdiction=lookalike, name="相似局")
    visible = scope_queryset(Department.objects.all(), user)
    assert world.home.department in visible
    assert sibling_department not in visible


def test_parent_sees_subtree_child_does_not_see_parent(world: World) -> None:
    city_user = make_user("city_leader", Role.LEADER, world.city)
    departments = scope_queryset(Department.objects.all(), city_user)
    assert set(departments) == {world.home.department, world.other.department}
    assert path_visible(city_user, world.other.park.path)
    assert not path_visible(world.user(Role.LEADER), world.city.path)


def test_users_without_scope_see_nothing_and_superusers_see_all(world: World) -> None:
    nowhere = User.objects.create_user(username="nowhere", password="x")
    assert not scope_queryset(Department.objects.all(), nowhere).exists()
    assert not path_visible(nowhere, world.home.park.path)
    assert not scope_queryset(Department.objects.all(), AnonymousUser()).exists()
    root = User.objects.create_superuser(username="root", password="x")
    assert scope_queryset(Department.objects.all(), root).count() == Department.objects.count()
    assert path_visible(root, world.other.park.path)


def test_scope_on_another_field(world: World) -> None:
    jurisdictions = scope_queryset(Jurisdiction.objects.all(), world.user(Role.ADMIN), field="path")
    assert set(jurisdictions) == {world.home.park}


def test_get_object_or_404_scoped(world: World) -> None:
    visible = scope_queryset(Department.objects.all(), world.user(Role.LEADER))
    assert get_object_or_404_scoped(visible, pk=world.home.department.pk) == world.home.department
    for bad in (world.other.department.pk, 999_999, "not-a-number"):
        with pytest.raises(Http404):
            get_object_or_404_scoped(visible, pk=bad)
