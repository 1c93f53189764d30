"""The office's pages for the departments' pools of inspectors, the enterprises' quiet periods
and the joint visits: what is added there is what registration then checks, bad input comes
back next to its field, and another jurisdiction sees and touches none of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.org.choices import StaffTier
from lianqi.org.models import Staff
from lianqi.testing.contracts import ListPageContract, ObjectPageContract
from lianqi.testing.world import Side, World

from .. import actions
from ..models import Inspector, QuietPeriod
from .factories import make_inspector, register_over_cap, registration

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + dt.timedelta(days=365)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_staff(side: Side, name: str = "新执法员") -> Staff:
    return Staff.objects.create(
        jurisdiction=side.park, name=name, department=side.department, tier=StaffTier.STAFF
    )


def add_on_page(world: World, **changes: Any) -> Any:
    data = {
        "department": world.home.department.pk,
        "staff": new_staff(world.home).pk,
        "certificate_no": "43030020260001",
        "qualified_until": NEXT_YEAR.isoformat(),
    } | changes
    return client_for(world.user(Role.SERVICE_OFFICE)).post(reverse("inspections:inspectors"), data)


def test_an_inspector_added_on_the_page_is_listed_and_may_be_registered(world: World) -> None:
    response = add_on_page(world)
    assert response.status_code == 302
    added = Inspector.objects.get(certificate_no="43030020260001")
    page = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("inspections:inspectors")).content.decode()
    assert "新执法员" in page and "43030020260001" in page
    row = actions.register_inspection(
        **registration(
            world, inspectors=[added, make_inspector(world.home, 1)], planned_on=timezone.localdate()
        )
    )
    assert set(row.inspectors.all()) == {added, make_inspector(world.home, 1)}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"certificate_no": "湘潭-0001"}, "certificate_no", "已在执法人员库中"),
        ({"qualified_until": "2020-01-01"}, "qualified_until", "执法资格已过期"),
        ({"certificate_no": "  "}, "certificate_no", ""),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_added(
    world: World, changes: dict[str, Any], field: str, message: str
) -> None:
    make_inspector(world.home, 1, certificate_no="湘潭-0001")
    before = Inspector.objects.count()
    response = add_on_page(world, **changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-error-for="{field}"' in page and message in page
    assert Inspector.objects.count() == before


def test_staff_of_another_department_or_park_cannot_join_the_pool(world: World) -> None:
    elsewhere = new_staff(world.other, "他园区干部")
    response = add_on_page(world, staff=elsewhere.pk)
    assert 'data-error-for="staff"' in response.content.decode()
    other_department = Staff.objects.create(
        jurisdiction=world.home.park, name="无部门干部", tier=StaffTier.STAFF
    )
    response = add_on_page(world, staff=other_department.pk)
    assert "只能把本部门在岗的干部加入执法人员库" in response.content.decode()
    assert not Inspector.objects.filter(staff__in=[elsewhere, other_department]).exists()


def test_an_inspector_taken_out_of_the_pool_can_no_longer_be_registered(world: World) -> None:
    leaving = make_inspector(world.home, 3)
    office = client_for(world.user(Role.SERVICE_OFFICE))
    assert office.post(reverse("inspections:inspector_remove", args=[leaving.pk])).status_code == 302
    leaving.refresh_from_db()
    assert "已移出" in office.get(reverse("inspections:inspectors")).content.decode()
    with pytest.raises(Exception, match="已移出执法人员库"):
        actions.register_inspection(
            **registration(world, inspectors=[leaving, make_inspector(world.home, 1)])
        )


def test_a_quiet_period_refuses_routine_inspections_until_it_is_ended(world: World) -> None:
    today = timezone.localdate()
    office = client_for(world.user(Role.SERVICE_OFFICE))
    data = {
        "enterprise": world.home.enterprise.pk,
        "starts_on": (today - dt.timedelta(days=10)).isoformat(),
        "ends_on": (today + dt.timedelta(days=60)).isoformat(),
        "reason": "新落地项目建设期",
    }
    assert office.post(reverse("inspections:quiet_periods"), data).status_code == 302
    period = QuietPeriod.objects.get(enterprise=world.home.enterprise)
    tomorrow = today + dt.timedelta(days=1)
    with pytest.raises(Exception, match="免检期"):
        actions.register_inspection(**registration(world, planned_on=tomorrow))
    # A second, overlapping period is refused next to its dates.
    response = office.post(reverse("inspections:quiet_periods"), data)
    assert 'data-error-for="starts_on"' in response.content.decode()
    assert QuietPeriod.objects.count() == 1
    assert office.post(reverse("inspections:quiet_period_end", args=[period.pk])).status_code == 302
    period.refresh_from_db()
    assert period.ends_on == today
    assert actions.register_inspection(**registration(world, planned_on=tomorrow)).pk


def test_a_quiet_period_with_its_dates_out_of_order_is_refused(world: World) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("inspections:quiet_periods"),
        {
            "enterprise": world.home.enterprise.pk,
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
            "reason": "x",
        },
    )
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not QuietPeriod.objects.exists()


def test_the_joint_visits_page_lists_each_visit_with_its_departments_inspections(world: World) -> None:
    first = actions.register_inspection(**registration(world, task="安全生产检查"))
    second = register_over_cap(world, task="消防安全检查")
    actions.merge_joint_visit(
        inspections=[first, second],
        lead_department=world.home.department,
        actor=world.user(Role.SERVICE_OFFICE),
    )
    page = (
        client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("inspections:joint_visits")).content.decode()
    )
    assert "安全生产检查" in page and "消防安全检查" in page
    assert (
        "安全生产检查"
        not in client_for(world.other_user(Role.SERVICE_OFFICE))
        .get(reverse("inspections:joint_visits"))
        .content.decode()
    )


class TestInspectorPoolContract(ListPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        make_inspector(world.home, 7)
        return reverse("inspections:inspectors")

    def marker(self, world: World) -> str:
        return f"{world.home.park.code}-0007"


class TestQuietPeriodListContract(ListPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        if not QuietPeriod.objects.exists():
            today = timezone.localdate()
            QuietPeriod.objects.create(
                jurisdiction=world.home.park,
                enterprise=world.home.enterprise,
                starts_on=today,
                ends_on=today + dt.timedelta(days=30),
                reason="信用等级A级企业",
            )
        return reverse("inspections:quiet_periods")


class TestInspectorRemoveContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("inspections:inspector_remove", args=[make_inspector(world.home, 8).pk])


class TestQuietPeriodEndContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.ENTERPRISE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        today = timezone.localdate()
        period = QuietPeriod.objects.filter(
            enterprise=world.home.enterprise
        ).first() or QuietPeriod.objects.create(
            jurisdiction=world.home.park,
            enterprise=world.home.enterprise,
            starts_on=today,
            ends_on=today + dt.timedelta(days=30),
            reason="信用等级A级企业",
        )
        return reverse("inspections:quiet_period_end", args=[period.pk])
