"""Editing a milestone's dependency from the battle map: the milestone waits for the one chosen
(or for none), a circle is refused and told, and another park's milestone answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.world import World

from ..models import Milestone, Project
from .factories import make_project


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def two_milestones(world: World) -> tuple[Project, Milestone, Milestone]:
    row = make_project(world)
    first = row.milestones.create(
        name="土地摘牌", planned_start=dt.date(2025, 1, 1), planned_end=dt.date(2025, 2, 1)
    )
    second = row.milestones.create(
        name="开工建设", planned_start=dt.date(2025, 2, 2), planned_end=dt.date(2025, 6, 1), depends_on=first
    )
    return row, first, second


def set_dependency(client: Client, row: Project, milestone: Milestone, depends_on: Milestone | None) -> Any:
    return client.post(
        reverse("projects:milestone_dependency", args=[milestone.pk]),
        {
            f"d{milestone.pk}-expected_version": row.version,
            f"d{milestone.pk}-depends_on": depends_on.pk if depends_on else "",
        },
        follow=True,
    )


def test_a_dependency_is_changed_cleared_and_a_circle_refused(world: World) -> None:
    row, first, second = two_milestones(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(reverse("projects:battle_map", args=[row.pk])).content.decode()
    assert f'name="d{second.pk}-depends_on"' in page and f'<option value="{first.pk}" selected>' in page

    circle = set_dependency(client, row, first, second).content.decode()
    assert "节点不能依赖自身" in circle
    first.refresh_from_db()
    assert first.depends_on is None

    set_dependency(client, row, second, None)
    second.refresh_from_db()
    assert second.depends_on is None
    row.refresh_from_db()
    set_dependency(client, row, first, second)
    first.refresh_from_db()
    assert first.depends_on == second
    assert row.events.filter(note="土地摘牌").exists()


def test_another_park_or_project_cannot_be_used(world: World) -> None:
    row, first, second = two_milestones(world)
    assert (
        set_dependency(client_for(world.other_user(Role.SERVICE_OFFICE)), row, second, None).status_code
        == 404
    )
    other = make_project(world, name="另一个项目")
    foreign = other.milestones.create(
        name="封顶", planned_start=dt.date(2025, 1, 1), planned_end=dt.date(2025, 2, 1)
    )
    set_dependency(client_for(world.user(Role.SERVICE_OFFICE)), row, second, foreign)
    second.refresh_from_db()
    assert second.depends_on == first
