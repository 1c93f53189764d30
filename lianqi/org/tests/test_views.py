"""Organisation pages: scoping contracts for every page, then what a user notices."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.org.choices import JurisdictionLevel, StaffTier
from lianqi.org.models import Department, Jurisdiction, Staff
from lianqi.testing.contracts import ListExportContract, ListPageContract, ObjectPageContract
from lianqi.testing.world import World

READERS = tuple(STAFF_ROLES)


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


# --- Contracts --------------------------------------------------------------------------------


class TestJurisdictionTreeContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("org:jurisdictions")

    def marker(self, world: World) -> str:
        return world.home.park.name


class TestJurisdictionCreateContract(ObjectPageContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("org:jurisdiction_create", args=[world.home.park.pk])


class TestDepartmentListContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("org:departments")

    def marker(self, world: World) -> str:
        return world.home.park.name


class TestDepartmentCreateContract(ListPageContract):
    """The jurisdiction choices of the form are the list here: only the user's own subtree."""

    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE

    def url(self, world: World) -> str:
        return reverse("org:department_create")

    def marker(self, world: World) -> str:
        return world.home.park.name


class TestDepartmentEditContract(ObjectPageContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("org:department_edit", args=[world.home.department.pk])


class TestStaffListContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("org:staff")

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestStaffExportContract(ListExportContract):
    allowed_roles = READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("org:staff_export")

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestDepartmentExportContract(ListExportContract):
    allowed_roles = READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("org:department_export")

    def marker(self, world: World) -> str:
        return world.home.park.name


class TestStaffCreateContract(ListPageContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("org:staff_create")

    def marker(self, world: World) -> str:
        return world.home.park.name


class TestStaffDetailContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("org:staff_detail", args=[world.home.liaison_staff.pk])


class TestStaffEditContract(ObjectPageContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("org:staff_edit", args=[world.home.liaison_staff.pk])


# --- Behaviour --------------------------------------------------------------------------------


def test_tree_shows_subtree_with_counts(world: World) -> None:
    township = Jurisdiction.objects.create(
        code="430371001", name="双马街道", level=JurisdictionLevel.TOWNSHIP, parent=world.home.park
    )
    Staff.objects.create(jurisdiction=township, name="街道干部甲", department=world.home.department)
    response = client_for(world.user(Role.LEADER)).get(reverse("org:jurisdictions"))
    html = response.content.decode()
    assert "双马街道" in html
    assert world.other.park.name not in html
    assert world.city.name not in html  # above the user's own jurisdiction
    tree = response.context["nodes"]
    park_node = next(n for n in tree if n.jurisdiction == world.home.park)
    township_node = next(n for n in tree if n.jurisdiction == township)
    # The park counts its township's staff as well as its own liaison.
    assert (park_node.staff, township_node.staff) == (2, 1)
    assert (park_node.departments, park_node.enterprises) == (1, 1)
    assert township_node.indent == park_node.indent + 1


def test_admin_adds_child_with_allowed_level_only(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    url = reverse("org:jurisdiction_create", args=[world.home.park.pk])
    bad = client.post(url, {"code": "430371002", "name": "某村", "level": JurisdictionLevel.VILLAGE})
    assert bad.status_code == 200
    assert bad.context["form"].errors["level"]
    assert 'value="某村"' in bad.content.decode()  # what was typed stays
    assert not Jurisdiction.objects.filter(code="430371002").exists()

    ok = client.post(url, {"code": "430371002", "name": "板塘街道", "level": JurisdictionLevel.TOWNSHIP})
    assert ok.status_code == 302
    child = Jurisdiction.objects.get(code="430371002")
    assert child.path == world.home.park.path + "430371002/"


def test_admin_cannot_reuse_a_jurisdiction_code(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    url = reverse("org:jurisdiction_create", args=[world.home.park.pk])
    response = client.post(
        url, {"code": world.other.park.code, "name": "重复", "level": JurisdictionLevel.TOWNSHIP}
    )
    assert "已存在" in response.context["form"].errors["code"][0]


def test_department_list_shows_staff_counts_and_prefixes(world: World) -> None:
    Staff.objects.create(
        jurisdiction=world.home.park, name="离岗者", department=world.home.department, is_active=False
    )
    response = client_for(world.user(Role.LIAISON)).get(reverse("org:departments"))
    row = response.context["object_list"][0]
    assert row.staff_count == 1  # the one in post, not the one who left
    assert "C" in row.industry_prefix_list()
    # Liaisons read but do not edit.
    assert reverse("org:department_edit", args=[row.pk]) not in response.content.decode()


def test_admin_creates_and_edits_department(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    response = client.post(
        reverse("org:department_create"),
        {
            "jurisdiction": world.home.park.pk,
            "name": "自然资源和规划局",
            "order": 5,
            "industry_prefixes": "c，38",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    department = Department.objects.get(name="自然资源和规划局")
    assert department.industry_prefix_list() == ["C", "38"]
    edit = client.post(
        reverse("org:department_edit", args=[department.pk]),
        {"name": "自然资源局", "order": 6, "industry_prefixes": "", "is_active": ""},
    )
    assert edit.status_code == 302
    department.refresh_from_db()
    assert (department.name, department.is_active, department.jurisdiction) == (
        "自然资源局",
        False,
        world.home.park,
    )


def test_department_duplicate_name_and_bad_prefix_show_next_to_fields(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    response = client.post(
        reverse("org:department_create"),
        {
            "jurisdiction": world.home.park.pk,
            "name": world.home.department.name,
            "order": 1,
            "industry_prefixes": "38",
        },
    )
    assert "已有名为" in response.context["form"].errors["name"][0]
    response = client.post(
        reverse("org:department_create"),
        {"jurisdiction": world.home.park.pk, "name": "新部门", "order": 1, "industry_prefixes": "X9!"},
    )
    assert "X9!" in response.context["form"].errors["industry_prefixes"][0]
    assert not Department.objects.filter(name="新部门").exists()


def test_admin_cannot_create_department_in_other_park(world: World) -> None:
    response = client_for(world.user(Role.ADMIN)).post(
        reverse("org:department_create"), {"jurisdiction": world.other.park.pk, "name": "越界局", "order": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["jurisdiction"]
    assert not Department.objects.filter(name="越界局").exists()


def test_staff_list_search_and_filters(world: World) -> None:
    other_department = Department.objects.create(jurisdiction=world.home.park, name="税务所")
    Staff.objects.create(
        jurisdiction=world.home.park,
        name="王小明",
        phone="13912345678",
        department=other_department,
        tier=StaffTier.LEADER,
    )
    Staff.objects.create(jurisdiction=world.home.park, name="李离岗", is_active=False)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("org:staff")

    def names(params: dict[str, Any]) -> set[str]:
        return {s.name for s in client.get(url, params).context["object_list"]}

    assert names({"q": "小明"}) == {"王小明"}
    assert names({"q": "12345678"}) == {"王小明"}
    assert names({"department": other_department.pk}) == {"王小明"}
    assert names({"tier": StaffTier.LEADER}) == {"王小明"}
    assert names({"active": "0"}) == {"李离岗"}
    assert "李离岗" in names({})
    # A department of another park is not a valid choice, so it filters nothing away silently.
    assert names({"department": world.other.department.pk}) == names({})


def test_staff_list_paginates(world: World) -> None:
    for i in range(30):
        Staff.objects.create(jurisdiction=world.home.park, name=f"干部{i:02d}")
    response = client_for(world.user(Role.LEADER)).get(reverse("org:staff"), {"size": 20, "page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["object_list"]) == 11


def test_staff_export_follows_filters(world: World) -> None:
    Staff.objects.create(jurisdiction=world.home.park, name="王小明", phone="13912345678")
    response = client_for(world.user(Role.LEADER)).get(reverse("org:staff_export"), {"q": "王小明"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "姓名"
    assert [r[0] for r in rows[1:]] == ["王小明"]
    assert rows[1][5] == "13912345678"


def test_admin_creates_staff_with_phone_check(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    data = {
        "jurisdiction": world.home.park.pk,
        "name": "赵干部",
        "department": world.home.department.pk,
        "tier": StaffTier.MIDDLE,
        "phone": "1234567",
        "is_active": "on",
    }
    bad = client.post(reverse("org:staff_create"), data)
    assert bad.status_code == 200
    assert "11位" in bad.context["form"].errors["phone"][0]
    html = bad.content.decode()
    assert 'value="赵干部"' in html and 'value="1234567"' in html
    assert not Staff.objects.filter(name="赵干部").exists()

    data["phone"] = "139 1234 5678"
    ok = client.post(reverse("org:staff_create"), data)
    staff = Staff.objects.get(name="赵干部")
    assert ok["Location"] == reverse("org:staff_detail", args=[staff.pk])
    assert staff.phone == "13912345678"


def test_staff_department_must_be_in_scope(world: World) -> None:
    response = client_for(world.user(Role.ADMIN)).post(
        reverse("org:staff_create"),
        {
            "jurisdiction": world.home.park.pk,
            "name": "钱干部",
            "department": world.other.department.pk,
            "tier": StaffTier.STAFF,
        },
    )
    assert response.context["form"].errors["department"]
    assert not Staff.objects.filter(name="钱干部").exists()


def test_admin_edits_staff(world: World) -> None:
    staff = world.home.liaison_staff
    response = client_for(world.user(Role.ADMIN)).post(
        reverse("org:staff_edit", args=[staff.pk]),
        {
            "name": staff.name,
            "department": "",
            "position": "科员",
            "tier": StaffTier.STAFF,
            "phone": "13700000000",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.position, staff.department, staff.phone) == ("科员", None, "13700000000")


def test_staff_detail_counts_enterprises_and_links_handover(world: World) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(
        reverse("org:staff_detail", args=[world.home.liaison_staff.pk])
    )
    assert response.context["enterprise_count"] == 1
    html = response.content.decode()
    handover = response.context["handover_url"]
    if handover is not None:
        assert handover in html


@pytest.mark.parametrize("role", [Role.LEADER, Role.LIAISON])
def test_non_admin_sees_no_write_buttons(world: World, role: str) -> None:
    html = client_for(world.user(role)).get(reverse("org:staff")).content.decode()
    assert reverse("org:staff_create") not in html
