"""The organisation's measures count what the leader's cards count, for any jurisdiction and
for the end of any period."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.org.dashboards import leader_figures
from lianqi.org.models import Department, Staff
from lianqi.testing.world import World


def _day(day: dt.date) -> Period:
    return Period(day, day)


def test_the_measures_are_registered_with_their_words() -> None:
    staff, departments = registry.measure("org.active_staff"), registry.measure("org.departments")
    assert (str(staff.label), str(staff.unit)) == ("在岗干部", "人")
    assert (str(departments.label), str(departments.unit)) == ("部门", "个")
    assert str(staff.definition) and str(departments.definition)


def test_the_measures_agree_with_the_leader_s_cards(world: World) -> None:
    Staff.objects.create(jurisdiction=world.home.park, name="已离岗干部", is_active=False)
    Department.objects.create(jurisdiction=world.home.park, name="已撤销部门", is_active=False)
    today = _day(timezone.localdate())
    cards = {str(card.label): card.value for card in leader_figures(world.user(Role.LEADER)).cards}
    assert registry.measure("org.active_staff").compute(world.home.park.path, today) == cards["在岗干部"] == 1
    assert registry.measure("org.departments").compute(world.home.park.path, today) == cards["部门数"] == 1
    # A city counts its parks.
    assert registry.measure("org.active_staff").compute(world.city.path, today) == 2
    assert registry.measure("org.departments").compute(world.city.path, today) == 2


def test_a_past_period_counts_the_register_as_it_stood_then(world: World) -> None:
    today = timezone.localdate()
    long_ago = timezone.now() - dt.timedelta(days=400)
    left = Staff.objects.create(
        jurisdiction=world.home.park, name="上月离岗", is_active=False, left_on=today - dt.timedelta(days=30)
    )
    Staff.objects.filter(pk__in=[left.pk, world.home.liaison_staff.pk]).update(created_at=long_ago)
    measure = registry.measure("org.active_staff")
    # Two months ago both were in post; today only the one still in post is.
    assert measure.compute(world.home.park.path, _day(today - dt.timedelta(days=60))) == 2
    assert measure.compute(world.home.park.path, _day(today)) == 1
    # Before anyone was registered there was nobody.
    assert measure.compute(world.home.park.path, Period.year(2000)) == 0
    assert registry.measure("org.departments").compute(world.home.park.path, Period.year(2000)) == 0
