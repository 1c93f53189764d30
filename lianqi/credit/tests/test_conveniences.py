"""The office edits and withdraws its credit-based conveniences (信易+): what it gives, which
classes enjoy it, the department that gives it; a bad field is refused next to itself and
nothing changes; another park's convenience answers 404; a withdrawn one is offered to no one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.org.models import Department
from lianqi.testing.world import World

from .. import actions, queries
from ..choices import BenefitKind
from ..models import Convenience


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _offer(world: World, side: str = "home") -> Convenience:
    park = world.home.park if side == "home" else world.other.park
    office = world.user(Role.SERVICE_OFFICE) if side == "home" else world.other_user(Role.SERVICE_OFFICE)
    return actions.offer_convenience(
        jurisdiction=park,
        name="标准厂房信用租",
        benefit=BenefitKind.RENT,
        description="A级企业租金九折",
        lowest_class="A",
        actor=office,
    )


def _data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "标准厂房信用租",
        "benefit": BenefitKind.RENT,
        "description": "B级及以上企业租金九五折",
        "lowest_class": "B",
        "department": world.home.department.pk,
        "no_record_in_force": "on",
    }
    data.update(changes)
    return data


def test_the_office_adds_a_convenience_with_its_department(world: World) -> None:
    response = _client(world.user(Role.SERVICE_OFFICE)).post(
        reverse("credit:convenience_create"), _data(world, name="容缺受理")
    )
    assert response.status_code == 302
    row = Convenience.objects.get(name="容缺受理")
    assert (row.department, row.lowest_class, row.no_record_in_force) == (world.home.department, "B", True)


def test_the_office_edits_what_it_gives_and_which_classes_qualify(world: World) -> None:
    row = _offer(world)
    client = _client(world.user(Role.SERVICE_OFFICE))
    page = client.get(reverse("credit:convenience_edit", args=[row.pk])).content.decode()
    assert "A级企业租金九折" in page and world.home.department.name in page
    assert world.other.department.pk not in [
        d.pk for d in queries.convenience_departments(world.user(Role.SERVICE_OFFICE))
    ]
    response = client.post(reverse("credit:convenience_edit", args=[row.pk]), _data(world))
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.description, row.lowest_class, row.department) == (
        "B级及以上企业租金九五折",
        "B",
        world.home.department,
    )
    listing = client.get(reverse("credit:conveniences")).content.decode()
    assert "信用等级B级及以上" in listing and world.home.department.name in listing


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "  "), ("description", ""), ("lowest_class", "E"), ("department", "other")],
)
def test_a_bad_field_is_refused_next_to_itself(world: World, field: str, value: str) -> None:
    row = _offer(world)
    if value == "other":
        value = str(world.other.department.pk)
    page = _client(world.user(Role.SERVICE_OFFICE)).post(
        reverse("credit:convenience_edit", args=[row.pk]), _data(world, **{field: value})
    )
    assert page.status_code == 200
    assert f'data-error-for="{field}"' in page.content.decode()
    row.refresh_from_db()
    assert (row.description, row.lowest_class) == ("A级企业租金九折", "A")


def test_the_action_refuses_a_department_of_another_park(world: World) -> None:
    from django.core.exceptions import ValidationError

    row = _offer(world)
    with pytest.raises(ValidationError) as refused:
        actions.edit_convenience(
            convenience=row,
            name="x",
            benefit=BenefitKind.RENT,
            description="y",
            lowest_class="B",
            department=world.other.department,
            actor=world.user(Role.SERVICE_OFFICE),
        )
    assert "department" in refused.value.message_dict


def test_a_city_department_may_give_a_park_convenience(world: World) -> None:
    city_tax = Department.objects.create(jurisdiction=world.city, name="市税务局")
    row = _offer(world)
    edited = actions.edit_convenience(
        convenience=row,
        name=row.name,
        benefit=row.benefit,
        description=row.description,
        lowest_class="A",
        department=city_tax,
        actor=world.user(Role.SERVICE_OFFICE),
    )
    assert edited.department == city_tax


def test_a_withdrawn_convenience_is_offered_to_no_one(world: World) -> None:
    row = _offer(world)
    row.lowest_class = "D"
    row.save()
    enterprise = world.home.enterprise
    assert [o.convenience for o in queries.conveniences_for(enterprise, queries.grade_of(enterprise))] == [
        row
    ]
    client = _client(world.user(Role.SERVICE_OFFICE))
    assert client.post(reverse("credit:convenience_withdraw", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert not row.active
    assert queries.conveniences_for(enterprise, queries.grade_of(enterprise)) == []
    assert "已撤回" in client.get(reverse("credit:conveniences")).content.decode()
    again = client.post(reverse("credit:convenience_withdraw", args=[row.pk]), follow=True)
    assert "该便利已撤回" in again.content.decode()


def test_another_parks_convenience_answers_404_and_a_leader_may_not_edit(world: World) -> None:
    theirs = _offer(world, side="other")
    office = _client(world.user(Role.SERVICE_OFFICE))
    assert office.get(reverse("credit:convenience_edit", args=[theirs.pk])).status_code == 404
    assert office.post(reverse("credit:convenience_withdraw", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.active
    mine = _offer(world)
    leader = _client(world.user(Role.LEADER))
    assert leader.get(reverse("credit:convenience_edit", args=[mine.pk])).status_code == 403
