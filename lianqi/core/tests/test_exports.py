"""Every Excel export is a download with a proper file name, and its headers follow the
language of the user who asks for it (not the language the server started in)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.org.models import Department
from lianqi.testing.world import World

EXPORTS = [
    ("/org/staff/export/", ("姓名", "Name")),
    ("/org/departments/export/", ("部门名称", "Department name")),
    ("/accounts/users/export/", ("用户名", "Username")),
    ("/liaisons/export/", ("联系在园企业数", "Active enterprises served")),
    ("/enterprises/export/", ("统一社会信用代码", "统一社会信用代码")),  # the import's own columns
]


@pytest.mark.parametrize(("url", "headers"), EXPORTS)
@pytest.mark.parametrize(("language", "index"), [("zh-hans", 0), ("en", 1)])
def test_export_headers_follow_the_users_language(
    world: World, url: str, headers: tuple[str, str], language: str, index: int
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.user(Role.ADMIN if url.startswith("/accounts/") else Role.SERVICE_OFFICE))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    first_row = [cell for cell in next(sheet.iter_rows(values_only=True))]
    assert headers[index] in first_row


def rows_of(response: Any) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))[1:]


def test_department_export_follows_the_search(world: World) -> None:
    Department.objects.create(jurisdiction=world.home.park, name="应急管理局")
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    everything = [row[0] for row in rows_of(client.get("/org/departments/export/"))]
    assert sorted(everything) == ["应急管理局", "经济发展局"]
    searched = [row[0] for row in rows_of(client.get("/org/departments/export/?q=应急"))]
    assert searched == ["应急管理局"]


def test_user_export_follows_the_role_filter_and_shows_bindings(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.ADMIN))
    rows = rows_of(client.get("/accounts/users/export/?role=liaison"))
    assert [row[0] for row in rows] == [world.user(Role.LIAISON).username]
    assert rows[0][4] == world.home.liaison_staff.name  # bound to its staff record
    enterprise_rows = rows_of(client.get("/accounts/users/export/?role=enterprise"))
    assert enterprise_rows[0][4] == world.home.enterprise.name
