"""Account actions against a real database: all or nothing, inside the administrator's scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lianqi.accounts import actions
from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.org.models import Staff
from lianqi.testing.world import World

PASSWORD = "Xq8#harbour-lamp"


def test_staff_member_has_at_most_one_account(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_user(
            actor=world.user(Role.ADMIN),
            username="second_login",
            display_name="重复",
            roles=[Role.LIAISON],
            password=PASSWORD,
            staff=world.home.liaison_staff,
        )
    assert "staff" in caught.value.error_dict
    assert not User.objects.filter(username="second_login").exists()


def test_create_user_outside_scope_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_user(
            actor=world.user(Role.ADMIN),
            username="intruder",
            display_name="越界",
            roles=[Role.ENTERPRISE],
            password=PASSWORD,
            enterprise=world.other.enterprise,
        )
    assert "jurisdiction" in caught.value.error_dict
    assert not User.objects.filter(username="intruder").exists()


def test_bad_phone_stores_nothing(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_user(
            actor=world.user(Role.ADMIN),
            username="bad_phone",
            display_name="号码错",
            roles=[Role.LEADER],
            password=PASSWORD,
            jurisdiction=world.home.park,
            phone="12345",
        )
    assert "phone" in caught.value.error_dict
    assert not User.objects.filter(username="bad_phone").exists()


def test_rebinding_moves_the_staff_link(world: World) -> None:
    user = world.user(Role.LIAISON)
    newcomer = Staff.objects.create(jurisdiction=world.home.park, name="新干部")
    actions.bind_user(user=user, actor=world.user(Role.ADMIN), staff=newcomer, enterprise=None)
    world.home.liaison_staff.refresh_from_db()
    newcomer.refresh_from_db()
    assert world.home.liaison_staff.user is None
    assert newcomer.user == user


def test_admin_keeps_own_admin_role(world: World) -> None:
    admin = world.user(Role.ADMIN)
    with pytest.raises(ValidationError) as caught:
        actions.update_user(
            user=admin, actor=admin, display_name="我", roles=[Role.LEADER], jurisdiction=world.home.park
        )
    assert "roles" in caught.value.error_dict
    assert set(admin.groups.values_list("name", flat=True)) == {Role.ADMIN}


def test_unlock_reports_what_it_removed(world: World) -> None:
    from axes.models import AccessAttempt

    user = world.user(Role.LIAISON)
    AccessAttempt.objects.create(
        username=user.username, ip_address="203.0.113.1", failures_since_start=5, user_agent="t"
    )
    AccessAttempt.objects.create(
        username="someone_else", ip_address="203.0.113.1", failures_since_start=5, user_agent="t"
    )
    assert actions.unlock_user(user=user, actor=world.user(Role.ADMIN)) == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone_else"]
