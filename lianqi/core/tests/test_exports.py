"""Every Excel export is a download with a proper file name, and its headers follow the
language of the user who asks for it (not the language the server started in)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.core.testing.world import World

EXPORTS = [
    ("/org/staff/export/", ("姓名", "Name")),
    ("/liaisons/export/", ("联系在园企业数", "Active enterprises served")),
    ("/enterprises/export/", ("统一社会信用代码", "统一社会信用代码")),  # the import's own columns
]


@pytest.mark.parametrize(("url", "headers"), EXPORTS)
@pytest.mark.parametrize(("language", "index"), [("zh-hans", 0), ("en", 1)])
def test_export_headers_follow_the_users_language(
    world: World, url: str, headers: tuple[str, str], language: str, index: int
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.user(Role.SERVICE_OFFICE))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    first_row = [cell for cell in next(sheet.iter_rows(values_only=True))]
    assert headers[index] in first_row
