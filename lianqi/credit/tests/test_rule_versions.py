"""The scoring rule's versions page: every version over the user's park with when it was in
force, who published it, and the classes it gives the park's enterprises; publishing the next
version from it; nothing of another park's rule."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.world import World

from .. import actions, scoring


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _values(**changes: Any) -> dict[str, Any]:
    return dataclasses.asdict(dataclasses.replace(scoring.DEFAULT_RULE, **changes))


def _cells(page: str, version: int) -> dict[str, str]:
    row = re.search(rf'<tr data-version="{version}">(.*?)</tr>', page, re.S)
    assert row is not None, f"no row for version {version}"
    return dict(re.findall(r'data-class="(\w)">(\d+)<', row.group(1)))


def test_each_version_shows_its_validity_publisher_and_class_distribution(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    actions.publish_rule(jurisdiction=world.home.park, values=_values(), actor=office, note="首版")
    actions.publish_rule(
        jurisdiction=world.home.park, values=_values(a_min=90, b_min=75), actor=office, note="提高B级门槛"
    )
    actions.publish_rule(
        jurisdiction=world.other.park,
        values=_values(),
        actor=world.other_user(Role.SERVICE_OFFICE),
        note="别园规则",
    )
    page = _client(world.user(Role.LEADER)).get(reverse("credit:rule_versions")).content.decode()
    # The home park's one enterprise scores the base 70: B under the first version, C under the second.
    assert _cells(page, 1) == {"A": "0", "B": "1", "C": "0", "D": "0"}
    assert _cells(page, 2) == {"A": "0", "B": "0", "C": "1", "D": "0"}
    assert "提高B级门槛" in page and "首版" in page and "别园规则" not in page
    assert str(office) in page and "现行" in page and page.count("至今") == 1
    assert 'data-testid="publish"' not in page  # a leader reads, the office publishes


def test_the_office_publishes_the_next_version_from_the_page(world: World) -> None:
    client = _client(world.user(Role.SERVICE_OFFICE))
    page = client.get(reverse("credit:rule_versions")).content.decode()
    assert "尚未发布评分规则" in page and reverse("credit:rule_edit") in page
    data = {k: ("on" if v is True else v) for k, v in _values(c_min=55).items() if v is not False}
    assert client.post(reverse("credit:rule_edit"), {**data, "note": "收紧C级"}).status_code == 302
    page = client.get(reverse("credit:rule_versions")).content.decode()
    assert "收紧C级" in page and '<tr data-version="1">' in page


def test_an_enterprise_account_may_not_open_the_versions(world: World) -> None:
    response = _client(world.user(Role.ENTERPRISE)).get(reverse("credit:rule_versions"))
    assert response.status_code == 403
