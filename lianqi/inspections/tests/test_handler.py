"""A department handler registers its own department's inspections from the enterprise's file
and sees them — and only them — in the list; another department's are 404 to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lianqi.demands.tests.factories import handler
from lianqi.org.models import Department
from lianqi.testing.world import World

from .. import actions
from ..models import Inspection
from .factories import PLANNED, make_inspector, make_item, registration

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_handler_registers_for_its_own_department_only(world: World) -> None:
    own = client_for(handler(world.home))
    enterprise = world.home.enterprise
    form_page = own.get(reverse("inspections:create", args=[enterprise.pk])).content.decode()
    other = Department.objects.create(jurisdiction=world.home.park, name="市场监督管理分局")
    assert world.home.department.name in form_page and other.name not in form_page
    first, second = make_inspector(world.home, 1), make_inspector(world.home, 2)
    data = {
        "department": world.home.department.pk,
        "item": make_item(world.home).pk,
        "trigger": "plan",
        "plan_reference": "湘潭高新经发〔2025〕3号",
        "planned_on": PLANNED.isoformat(),
        "inspectors": [first.pk, second.pk],
    }
    response = own.post(reverse("inspections:create", args=[enterprise.pk]), data)
    assert response.status_code == 302
    row = Inspection.objects.get()
    assert row.department == world.home.department
    # Another department is not theirs to register for, on the page or through the action.
    refused = own.post(reverse("inspections:create", args=[enterprise.pk]), data | {"department": other.pk})
    assert 'data-error-for="department"' in refused.content.decode()
    with pytest.raises(Exception, match="部门经办人只能为本部门登记检查"):
        actions.register_inspection(**registration(world, department=other, actor=handler(world.home)))
    assert Inspection.objects.count() == 1


def test_a_handler_sees_its_department_s_inspections_and_not_another_s(world: World) -> None:
    mine = actions.register_inspection(**registration(world, task="安全生产检查"))
    other = Department.objects.create(jurisdiction=world.home.park, name="生态环境分局")
    theirs = actions.register_inspection(
        **registration(
            world,
            department=other,
            item=make_item(world.home, "环境保护检查", department=other),
            planned_on=PLANNED + dt.timedelta(days=1),
            inspectors=[
                make_inspector(world.home, 11, department=other),
                make_inspector(world.home, 12, department=other),
            ],
        )
    )
    own = client_for(handler(world.home))
    listed = own.get(reverse("inspections:list")).content.decode()
    assert "安全生产检查" in listed and "环境保护检查" not in listed
    assert own.get(reverse("inspections:detail", args=[mine.pk])).status_code == 200
    assert own.get(reverse("inspections:detail", args=[theirs.pk])).status_code == 404
    # The other park's handler sees neither.
    stranger = client_for(handler(world.other))
    assert stranger.get(reverse("inspections:detail", args=[mine.pk])).status_code == 404
