"""Shared contracts that every page and endpoint must honour, written once.

Subclass one per view, set the class attributes and implement `target`/`url`; pytest then runs
four checks: anonymous, a logged-in user without an allowed role, a user of the other park, and
a user who may. For object views the other park's user gets 404 (not 403: a user must not learn
that a row exists elsewhere); for list views the other park's rows simply do not appear.
"""

from __future__ import annotations

import io
import json
from typing import Any, ClassVar

import pytest
from django.test import Client
from openpyxl import load_workbook

from .world import World, build_world


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


class _Contract:
    method: ClassVar[str] = "get"
    allowed_roles: ClassVar[tuple[str, ...]] = ()
    denied_role: ClassVar[str | None] = None
    #: Status codes that count as success for an allowed user (a POST may redirect).
    ok_statuses: ClassVar[tuple[int, ...]] = (200,)

    def url(self, world: World) -> str:
        raise NotImplementedError

    def data(self, world: World) -> dict[str, Any]:
        return {}

    def request(self, client: Client, world: World) -> Any:
        method = getattr(client, self.method)
        if self.method == "get":
            return method(self.url(world), self.data(world))
        return method(self.url(world), self.data(world))

    def client_for(self, user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


class PageContract(_Contract):
    """A server-rendered page that acts on `world.home` objects."""

    def test_anonymous_is_sent_to_login(self, world: World) -> None:
        response = self.request(self.client_for(None), world)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_user_without_role_is_refused(self, world: World) -> None:
        if self.denied_role is None:
            pytest.skip("every role may open this page")
        response = self.request(self.client_for(world.user(self.denied_role)), world)
        assert response.status_code in (403, 404)

    def test_allowed_user_succeeds(self, world: World) -> None:
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.user(role)), world)
            assert response.status_code in self.ok_statuses, (role, response.status_code)


class ObjectPageContract(PageContract):
    """A page about one object of the home park: the other park's user gets 404."""

    def test_other_jurisdiction_gets_404(self, world: World) -> None:
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.other_user(role)), world)
            assert response.status_code == 404, (role, response.status_code)


class ListPageContract(PageContract):
    """A list page: the other park's user sees the page but none of the home park's rows."""

    def marker(self, world: World) -> str:
        """Text that shows only when a home-park row is listed."""
        return world.home.enterprise.name

    def test_other_jurisdiction_sees_no_home_rows(self, world: World) -> None:
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.other_user(role)), world)
            assert response.status_code in self.ok_statuses
            assert self.marker(world) not in response.content.decode()
            mine = self.request(self.client_for(world.user(role)), world)
            assert self.marker(world) in mine.content.decode()


class _WorkbookAsText:
    """An Excel response seen as text (one line per row), so a list contract can look for its
    marker in an export the same way it does in a page."""

    def __init__(self, response: Any) -> None:
        self.status_code = response.status_code
        self._response = response
        self.content = response.content
        if self.status_code == 200:
            sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
            text = "\n".join(
                "\t".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True)
            )
            self.content = text.encode()

    def __getitem__(self, key: str) -> str:
        return str(self._response[key])


class ListExportContract(ListPageContract):
    """An Excel export of a list: the same four checks, reading the workbook's cells."""

    def request(self, client: Client, world: World) -> Any:
        return _WorkbookAsText(super().request(client, world))


class _ApiContract(_Contract):
    def request(self, client: Client, world: World) -> Any:
        method = getattr(client, self.method)
        if self.method == "get":
            return method(self.url(world), self.data(world))
        return method(self.url(world), json.dumps(self.data(world)), content_type="application/json")

    def test_anonymous_is_refused(self, world: World) -> None:
        response = self.request(self.client_for(None), world)
        assert response.status_code in (401, 403)
        assert "error" in response.json()

    def test_user_without_role_is_refused(self, world: World) -> None:
        if self.denied_role is None:
            pytest.skip("every role may call this endpoint")
        response = self.request(self.client_for(world.user(self.denied_role)), world)
        assert response.status_code in (403, 404)

    def test_allowed_user_succeeds(self, world: World) -> None:
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.user(role)), world)
            assert response.status_code in self.ok_statuses, (
                role,
                response.status_code,
                response.content[:300],
            )


class ApiObjectContract(_ApiContract):
    def test_other_jurisdiction_gets_404(self, world: World) -> None:
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.other_user(role)), world)
            assert response.status_code == 404, (role, response.status_code)


class ApiListContract(_ApiContract):
    def marker(self, world: World) -> str:
        return world.home.enterprise.name

    def test_other_jurisdiction_sees_no_home_rows(self, world: World) -> None:
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.other_user(role)), world)
            assert response.status_code == 200
            assert self.marker(world) not in response.content.decode()
            mine = self.request(self.client_for(world.user(role)), world)
            assert self.marker(world) in mine.content.decode()
