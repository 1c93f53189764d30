"""Account administration pages: a scoping contract for each, then what an administrator sees."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.org.models import Staff
from lianqi.testing.contracts import ListExportContract, ListPageContract, ObjectPageContract, PageContract
from lianqi.testing.world import PASSWORD, World

NEW_PASSWORD = "Xq8#harbour-lamp"


def can_log_in(username: str, password: str) -> bool:
    """Through the login page, as a person would (the lockout backend needs the request)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.user(Role.ADMIN))
    return client


# --- Contracts --------------------------------------------------------------------------------


class TestUserListContract(ListPageContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("accounts:users")

    def marker(self, world: World) -> str:
        return world.user(Role.LIAISON).username


class TestUserExportContract(ListExportContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("accounts:user_export")

    def marker(self, world: World) -> str:
        return world.user(Role.LIAISON).username


class TestUserCreateContract(PageContract):
    """The form itself; its staff and enterprise choices come from the pickers, whose scoping
    `test_user_form_pickers_offer_only_the_admins_subtree` shows."""

    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE

    def url(self, world: World) -> str:
        return reverse("accounts:user_create")


class TestUserEditContract(ObjectPageContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("accounts:user_edit", args=[world.user(Role.LEADER).pk])


class TestUserDeactivateContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("accounts:user_deactivate", args=[world.user(Role.FINANCE).pk])


class TestUserActivateContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("accounts:user_activate", args=[world.user(Role.FINANCE).pk])


class TestUserPasswordContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("accounts:user_password", args=[world.user(Role.FINANCE).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}


class TestUserUnlockContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.LEADER
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("accounts:user_unlock", args=[world.user(Role.LIAISON).pk])


# --- Behaviour --------------------------------------------------------------------------------


def test_user_list_columns_and_search(world: World) -> None:
    client = admin_client(world)
    liaison = world.user(Role.LIAISON)
    response = client.get(reverse("accounts:users"), {"q": liaison.username})
    users = list(response.context["object_list"])
    assert users == [liaison]
    html = response.content.decode()
    assert "联企干部" in html  # role label
    assert world.home.liaison_staff.name in html  # bound staff
    assert world.home.park.name in html
    enterprise_user = client.get(reverse("accounts:users"), {"role": Role.ENTERPRISE}).content.decode()
    assert world.home.enterprise.name in enterprise_user


def _create_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "zhao_liaison",
        "display_name": "赵联企",
        "phone": "13912345678",
        "roles": [Role.LIAISON],
        "jurisdiction": "",
        "staff": "",
        "enterprise": "",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_create_staff_user_bound_to_staff(world: World) -> None:
    staff = Staff.objects.create(
        jurisdiction=world.home.park, name="赵联企", department=world.home.department
    )
    response = admin_client(world).post(reverse("accounts:user_create"), _create_data(world, staff=staff.pk))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.user is not None and staff.user.username == "zhao_liaison"
    assert staff.user.jurisdiction == world.home.park  # taken from the staff member
    assert can_log_in("zhao_liaison", NEW_PASSWORD)


def test_enterprise_user_must_be_bound_to_an_enterprise(world: World) -> None:
    response = admin_client(world).post(
        reverse("accounts:user_create"),
        _create_data(world, roles=[Role.ENTERPRISE], jurisdiction=world.home.park.pk),
    )
    assert response.status_code == 200
    assert "必须绑定一家企业" in response.context["form"].errors["enterprise"][0]
    html = response.content.decode()
    assert 'value="zhao_liaison"' in html and 'value="赵联企"' in html  # typed values kept
    assert not world.user(Role.ADMIN).__class__.objects.filter(username="zhao_liaison").exists()


def test_staff_role_needs_staff_or_jurisdiction(world: World) -> None:
    response = admin_client(world).post(reverse("accounts:user_create"), _create_data(world))
    assert "绑定干部" in response.context["form"].errors["staff"][0]
    ok = admin_client(world).post(
        reverse("accounts:user_create"), _create_data(world, jurisdiction=world.home.park.pk)
    )
    assert ok.status_code == 302


def test_weak_password_refused_next_to_the_field(world: World) -> None:
    response = admin_client(world).post(
        reverse("accounts:user_create"),
        _create_data(
            world, jurisdiction=world.home.park.pk, password="12345678", password_confirm="12345678"
        ),
    )
    assert response.context["form"].errors["password"]


def test_other_park_enterprise_is_not_a_choice(world: World) -> None:
    response = admin_client(world).post(
        reverse("accounts:user_create"),
        _create_data(world, roles=[Role.ENTERPRISE], enterprise=world.other.enterprise.pk),
    )
    assert response.context["form"].errors["enterprise"]


def test_user_form_pickers_offer_only_the_admins_subtree(world: World) -> None:
    client = admin_client(world)
    html = client.get(reverse("accounts:user_create")).content.decode()
    # No option lists the park's enterprises or cadres: the pickers search them.
    assert world.home.enterprise.name not in html
    assert f'data-picker="{reverse("enterprises:pick")}"' in html
    assert f'data-picker="{reverse("org:pick_staff")}?unbound=1"' in html
    free = Staff.objects.create(jurisdiction=world.home.park, name="钱未绑")
    Staff.objects.create(jurisdiction=world.other.park, name="钱外园")
    staff = client.get(reverse("org:pick_staff"), {"q": "钱", "unbound": "1"}).content.decode()
    assert free.name in staff and "钱外园" not in staff
    firms = client.get(reverse("enterprises:pick"), {"q": "示范"}).content.decode()
    assert world.home.enterprise.name in firms and world.other.enterprise.name not in firms


def test_bad_staff_binding_is_a_field_error(world: World) -> None:
    bound_elsewhere = Staff.objects.create(jurisdiction=world.other.park, name="孙外园")
    for value in (bound_elsewhere.pk, world.home.liaison_staff.pk, "abc", 99999999):
        response = admin_client(world).post(reverse("accounts:user_create"), _create_data(world, staff=value))
        assert response.status_code == 200, value
        assert response.context["form"].errors["staff"] == ["请选择本辖区尚未绑定账号的在岗干部"]


def test_edit_changes_roles_and_binding(world: World) -> None:
    target = world.user(Role.LEADER)
    client = admin_client(world)
    form = client.get(reverse("accounts:user_edit", args=[target.pk])).context["form"]
    assert form.initial["roles"] == [Role.LEADER]
    response = client.post(
        reverse("accounts:user_edit", args=[target.pk]),
        {
            "display_name": "新名字",
            "phone": "",
            "roles": [Role.LEADER, Role.LIAISON],
            "jurisdiction": world.home.park.pk,
            "staff": "",
            "enterprise": "",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.display_name == "新名字"
    assert set(target.groups.values_list("name", flat=True)) == {Role.LEADER, Role.LIAISON}


def test_deactivate_and_reactivate(world: World) -> None:
    target = world.user(Role.FINANCE)
    client = admin_client(world)
    assert client.get(reverse("accounts:user_deactivate", args=[target.pk])).status_code == 405
    client.post(reverse("accounts:user_deactivate", args=[target.pk]))
    target.refresh_from_db()
    assert not target.is_active
    assert not can_log_in(target.username, PASSWORD)
    client.post(reverse("accounts:user_activate", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active


def test_admin_cannot_deactivate_self(world: World) -> None:
    admin = world.user(Role.ADMIN)
    admin_client(world).post(reverse("accounts:user_deactivate", args=[admin.pk]))
    admin.refresh_from_db()
    assert admin.is_active


def test_reset_password(world: World) -> None:
    target = world.user(Role.LIAISON)
    client = admin_client(world)
    mismatch = client.post(
        reverse("accounts:user_password", args=[target.pk]),
        {"password": NEW_PASSWORD, "password_confirm": "other"},
    )
    assert mismatch.context["form"].errors["password_confirm"]
    client.post(
        reverse("accounts:user_password", args=[target.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert can_log_in(target.username, NEW_PASSWORD)
    assert not can_log_in(target.username, PASSWORD)
