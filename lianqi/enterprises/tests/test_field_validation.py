"""One set of validators per field: the register's page form and the API refuse the same bad
values with the same Chinese message next to the field, and store the good neighbours."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.tests.test_views import create_data
from lianqi.testing.world import World

#: Stand-ins for "today" and "tomorrow", resolved when a test runs rather than when the
#: module is collected: a run that crosses midnight in Shanghai would otherwise send
#: yesterday's "tomorrow", which is today by then.
TOMORROW = "<tomorrow>"
TODAY = "<today>"


def resolve(value: Any) -> Any:
    """`value` with the date stand-ins replaced by the dates of the moment the test runs."""
    if value == TOMORROW:
        return (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    if value == TODAY:
        return timezone.localdate().isoformat()
    if value is timezone.localdate:
        return timezone.localdate()
    return value


#: (field, value sent, part of the message shown next to the field; None: the field's own
#: type message, which differs between a form and a serializer).
REFUSED = [
    ("registered_capital", "-0.01", "注册资本不能为负数"),
    ("registered_capital", "-1000", "注册资本不能为负数"),
    ("registered_capital", "1e30", None),
    ("registered_capital", "1000000000000", None),
    ("registered_capital", "12.345", None),
    ("founded_on", "9999-12-31", "日期不能晚于今天"),
    ("founded_on", TOMORROW, "日期不能晚于今天"),
    ("founded_on", "1799-12-31", "日期不能早于 1800 年"),
    ("name", "\u200b\u200b", "请填写可见的文字"),
    ("name", "\ufeff\u200c \u200d", "请填写可见的文字"),
    ("name", "   ", None),
    ("employees", "-1", "从业人数不能为负数"),
    ("employees", "10000001", "从业人数不能超过"),
    ("employees", "9223372036854775808", "从业人数不能超过"),
    ("employees", "1" + "0" * 40, "从业人数不能超过"),
]

#: (field, value sent, value stored).
ACCEPTED = [
    ("registered_capital", "0", Decimal("0")),
    ("registered_capital", "999999999999.99", Decimal("999999999999.99")),
    ("founded_on", TODAY, timezone.localdate),
    ("founded_on", "1800-01-01", dt.date(1800, 1, 1)),
    ("name", "\u200b湘潭新名电缆有限公司\u200b", "湘潭新名电缆有限公司"),
    ("employees", "0", 0),
    ("employees", "10000000", 10_000_000),
]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def patch(world: World, body: dict[str, Any]) -> Any:
    return client_for(world.user(Role.SERVICE_OFFICE)).patch(
        f"/api/v1/enterprises/{world.home.enterprise.pk}/", json.dumps(body), content_type="application/json"
    )


def post_form(world: World, field: str, value: str) -> Any:
    enterprise = world.home.enterprise
    data = create_data(world, **{"name": enterprise.name, field: value})
    return client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:edit", args=[enterprise.pk]), data
    )


def unchanged(world: World) -> None:
    before = world.home.enterprise
    after = Enterprise.objects.get(pk=before.pk)
    assert (after.name, after.founded_on, after.registered_capital, after.employees) == (
        before.name,
        before.founded_on,
        before.registered_capital,
        before.employees,
    )


@pytest.mark.parametrize(("field", "value", "message"), REFUSED)
def test_the_api_refuses_a_bad_value_next_to_the_field(
    world: World, field: str, value: str, message: str | None
) -> None:
    response = patch(world, {field: resolve(value)})
    assert response.status_code == 400, response.content[:300]
    messages = response.json()["error"]["fields"][field]
    if message:
        assert any(message in text for text in messages), messages
    unchanged(world)


@pytest.mark.parametrize(("field", "value", "message"), REFUSED)
def test_the_page_form_refuses_the_same_value_next_to_the_field(
    world: World, field: str, value: str, message: str | None
) -> None:
    response = post_form(world, field, resolve(value))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-error-for="{field}"' in page
    if message:
        assert message in page
    unchanged(world)


@pytest.mark.parametrize("number", [2**63, 2**64, -(2**63) - 1, 10**40])
def test_a_json_integer_beyond_64_bits_is_a_field_error(world: World, number: int) -> None:
    for field in ("employees", "registered_capital"):
        response = patch(world, {field: number})
        assert response.status_code == 400, (field, response.content[:300])
        assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(("field", "value", "stored"), ACCEPTED)
def test_good_neighbours_are_stored_through_the_api(
    world: World, field: str, value: str, stored: Any
) -> None:
    response = patch(world, {field: resolve(value)})
    assert response.status_code == 200, response.content[:300]
    assert getattr(Enterprise.objects.get(pk=world.home.enterprise.pk), field) == resolve(stored)


@pytest.mark.parametrize(("field", "value", "stored"), ACCEPTED)
def test_good_neighbours_are_stored_through_the_page_form(
    world: World, field: str, value: str, stored: Any
) -> None:
    response = post_form(world, field, resolve(value))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert getattr(Enterprise.objects.get(pk=world.home.enterprise.pk), field) == resolve(stored)
