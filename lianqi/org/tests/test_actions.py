"""Organisation actions against a real database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.roles import Role
from lianqi.org import actions
from lianqi.org.choices import JurisdictionLevel
from lianqi.org.models import Department, Jurisdiction, Staff
from lianqi.org.validators import validate_mobile
from lianqi.testing.world import World


@pytest.mark.parametrize("phone", ["13812345678", "19912345678", "138 1234 5678", "+86 138-1234-5678"])
def test_mobile_numbers_accepted(phone: str) -> None:
    validate_mobile(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "0731-5555555", "abc"])
def test_mobile_numbers_refused(phone: str) -> None:
    with pytest.raises(ValidationError):
        validate_mobile(phone)


def test_jurisdiction_levels_follow_the_table(world: World) -> None:
    admin = world.user(Role.ADMIN)
    township = actions.create_jurisdiction(
        actor=admin,
        parent=world.home.park,
        code="430371001",
        name="双马街道",
        level=JurisdictionLevel.TOWNSHIP,
    )
    village = actions.create_jurisdiction(
        actor=admin, parent=township, code="430371001001", name="某村", level=JurisdictionLevel.VILLAGE
    )
    assert village.path == "430000/430300/430371/430371001/430371001001/"
    with pytest.raises(ValidationError) as caught:
        actions.create_jurisdiction(
            actor=admin, parent=village, code="430371001001009", name="某镇", level=JurisdictionLevel.TOWNSHIP
        )
    assert "level" in caught.value.error_dict


def test_jurisdiction_outside_scope_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        actions.create_jurisdiction(
            actor=world.user(Role.ADMIN),
            parent=world.other.park,
            code="430372001",
            name="越界街道",
            level=JurisdictionLevel.TOWNSHIP,
        )
    assert not Jurisdiction.objects.filter(code="430372001").exists()


def test_department_names_unique_per_jurisdiction(world: World) -> None:
    admin = world.user(Role.ADMIN)
    with pytest.raises(ValidationError) as caught:
        actions.create_department(
            actor=admin, jurisdiction=world.home.park, values={"name": world.home.department.name}
        )
    assert "name" in caught.value.error_dict
    # The same name is fine in another jurisdiction (by that jurisdiction's administrator).
    actions.create_department(
        actor=world.other_user(Role.ADMIN), jurisdiction=world.other.park, values={"name": "税务分局"}
    )
    actions.create_department(actor=admin, jurisdiction=world.home.park, values={"name": "税务分局"})
    assert Department.objects.filter(name="税务分局").count() == 2


def test_update_staff_normalises_phone_and_clears_left_on_when_back(world: World) -> None:
    staff = world.home.liaison_staff
    admin = world.user(Role.ADMIN)
    import datetime as dt

    left = actions.update_staff(
        staff=staff, actor=admin, values={"is_active": False, "left_on": dt.date(2025, 3, 1)}
    )
    assert (left.is_active, left.left_on) == (False, dt.date(2025, 3, 1))
    back = actions.update_staff(
        staff=staff, actor=admin, values={"is_active": True, "phone": "+86 139 0000 0000"}
    )
    assert (back.is_active, back.left_on, back.phone) == (True, None, "13900000000")


def test_staff_department_of_another_park_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_staff(
            actor=None,
            jurisdiction=world.home.park,
            values={"name": "孙干部", "department": world.other.department},
        )
    assert "department" in caught.value.error_dict
    assert not Staff.objects.filter(name="孙干部").exists()
