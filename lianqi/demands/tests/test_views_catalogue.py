"""The category catalogue pages and actions: the list with this jurisdiction's routing, its
Excel export, adding and editing categories, and setting the routing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.org.models import Department
from lianqi.testing.contracts import ListExportContract, ListPageContract, PageContract
from lianqi.testing.world import World, build_world

from .. import actions, queries
from ..models import Category, CategoryRouting
from .factories import category, make_demand

pytestmark = pytest.mark.django_db

OFFICE = (Role.SERVICE_OFFICE, Role.ADMIN)
ROUTED_DEPARTMENT = "高新区财政金融服务中心"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def route_home(world: World) -> Department:
    """The home park routes 融资困难 to a department only it has."""
    department = Department.objects.create(jurisdiction=world.home.park, name=ROUTED_DEPARTMENT)
    CategoryRouting.objects.create(
        category=category(), jurisdiction=world.home.park, department=department, deadline_workdays=3
    )
    return department


# --- Contracts --------------------------------------------------------------------------------


class _RoutedWorld:
    @pytest.fixture
    def world(self, db: Any) -> World:
        world = build_world()
        route_home(world)
        return world

    def marker(self, world: World) -> str:
        return ROUTED_DEPARTMENT


class TestCategoryListContract(_RoutedWorld, ListPageContract):
    allowed_roles = OFFICE
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("demands:categories")


class TestCategoryExportContract(_RoutedWorld, ListExportContract):
    allowed_roles = OFFICE
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("demands:categories_export")


class TestCategoryCreateContract(PageContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE

    def url(self, world: World) -> str:
        return reverse("demands:category_create")


class TestCategoryUpdateContract(PageContract):
    """The catalogue is shared by every park, so there is no other park's category to hide."""

    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE

    def url(self, world: World) -> str:
        return reverse("demands:category_update", args=[category().pk])


class TestRoutingUpdateContract(PageContract):
    allowed_roles = OFFICE
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("demands:routing_update", args=[category().pk])


# --- Pages ------------------------------------------------------------------------------------


def test_list_shows_every_category_with_its_deadline_and_this_parks_routing(world: World) -> None:
    route_home(world)
    page = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("demands:categories")).content.decode()
    for name in ("融资困难", "用地需求", "其他"):
        assert name in page
    assert ROUTED_DEPARTMENT in page and "未设置" in page


def test_export_lists_the_routing_columns(world: World) -> None:
    route_home(world)
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("demands:categories_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][4] == "默认牵头部门"
    assert ("融资困难", 5, 10, "是", ROUTED_DEPARTMENT, 3) in rows
    assert len(rows) == Category.objects.count() + 1


def test_the_administrator_adds_a_category(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    response = client.post(
        reverse("demands:category_create"),
        {"name": " 外贸出口 ", "deadline_workdays": "10", "order": "5", "is_active": "on"},
    )
    assert response.status_code == 302
    created = Category.objects.get(name="外贸出口")
    assert (created.deadline_workdays, created.order, created.is_active) == (10, 5, True)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "融资困难"}, "name", "已有名为“融资困难”的诉求类别"),
        ({"deadline_workdays": "61"}, "deadline_workdays", "1 至 60 个工作日"),
        ({"deadline_workdays": "0"}, "deadline_workdays", "1 至 60 个工作日"),
        ({"deadline_workdays": "五"}, "deadline_workdays", "请输入整数"),
        ({"name": ""}, "name", "请填写类别名称"),
        ({"order": "-1"}, "order", "排序须为"),
    ],
)
def test_bad_category_input_is_a_field_error_and_keeps_the_input(
    world: World, fields: dict[str, str], field: str, words: str
) -> None:
    data = {"name": "外贸出口", "deadline_workdays": "10", "order": "5", **fields}
    before = Category.objects.count()
    response = client_for(world.user(Role.ADMIN)).post(reverse("demands:category_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-error-for="{field}"' in page and words in page
    assert f'value="{data["name"]}"' in page or not data["name"]
    assert Category.objects.count() == before


def test_the_administrator_edits_and_switches_off_a_category(world: World) -> None:
    target = category("其他")
    client = client_for(world.user(Role.ADMIN))
    form = client.get(reverse("demands:category_update", args=[target.pk])).content.decode()
    assert 'value="其他"' in form
    response = client.post(
        reverse("demands:category_update", args=[target.pk]),
        {"name": "其他诉求", "deadline_workdays": "7", "order": "999"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.deadline_workdays, target.order, target.is_active) == (
        "其他诉求",
        7,
        999,
        False,
    )
    renamed_onto_other = client.post(
        reverse("demands:category_update", args=[target.pk]),
        {"name": "融资困难", "deadline_workdays": "7", "order": "999"},
    )
    assert "已有名为“融资困难”的诉求类别" in renamed_onto_other.content.decode()


def test_office_sets_the_routing_and_new_demands_follow_it(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("demands:routing_update", args=[category().pk])
    assert world.other.department.name in client.get(url).content.decode()  # same name, own row
    response = client.post(url, {"department": world.home.department.pk, "deadline_workdays": "3"})
    assert response.status_code == 302
    routing = CategoryRouting.objects.get()
    assert (routing.jurisdiction, routing.department, routing.deadline_workdays) == (
        world.home.park,
        world.home.department,
        3,
    )
    assert queries.default_routing(make_demand(world)) == (world.home.department, 3)
    # Changing it edits the same row; emptying the department removes it.
    client.post(url, {"department": world.home.department.pk, "deadline_workdays": ""})
    assert CategoryRouting.objects.get().deadline_workdays is None
    client.post(url, {"department": "", "deadline_workdays": ""})
    assert not CategoryRouting.objects.exists()


def test_routing_update_rejects_another_parks_department(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("demands:routing_update", args=[category().pk]),
        {"department": world.other.department.pk, "deadline_workdays": "3"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-error-for="department"' in page and "该部门不属于本辖区或已停用" in page
    assert not CategoryRouting.objects.exists()


def test_routing_deadline_out_of_range_is_a_field_error(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("demands:routing_update", args=[category().pk]),
        {"department": world.home.department.pk, "deadline_workdays": "90"},
    )
    assert 'data-error-for="deadline_workdays"' in response.content.decode()
    assert not CategoryRouting.objects.exists()


# --- Actions ----------------------------------------------------------------------------------


def test_set_routing_refuses_another_parks_department_and_jurisdiction(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    with pytest.raises(ValidationError) as error:
        actions.set_routing(
            category=category(),
            jurisdiction=world.home.park,
            department=world.other.department,
            deadline_workdays=None,
            actor=office,
        )
    assert "department" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.set_routing(
            category=category(),
            jurisdiction=world.other.park,
            department=world.other.department,
            deadline_workdays=None,
            actor=office,
        )
    world.home.department.is_active = False
    world.home.department.save()
    with pytest.raises(ValidationError):
        actions.set_routing(
            category=category(),
            jurisdiction=world.home.park,
            department=world.home.department,
            deadline_workdays=None,
            actor=office,
        )
    assert not CategoryRouting.objects.exists()


def test_only_the_administrator_changes_the_shared_catalogue(world: World) -> None:
    for role in (Role.LIAISON, Role.SERVICE_OFFICE):
        with pytest.raises(PermissionDenied):
            actions.create_category(actor=world.user(role), name="新类别", deadline_workdays=5)
    assert not Category.objects.filter(name="新类别").exists()
    page = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("demands:categories")).content.decode()
    assert reverse("demands:category_create") not in page  # the office sets routing only
