"""Every error answers in one shape, {"error": {"code", "message", "fields"?}}, and no input
— however malformed — produces a 500."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.test import Client

from lianqi.core.roles import Role
from lianqi.enterprises import creditcode
from lianqi.enterprises.models import Enterprise
from lianqi.liaisons.models import LiaisonChange
from lianqi.testing.world import World, credit_code


def client_for(user: Any, **defaults: Any) -> Client:
    client = Client(**defaults)
    client.force_login(user)
    return client


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_unknown_query_parameter_is_refused_by_name(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.get("/api/v1/enterprises/", {"kindd": "shop", "colour": "red", "q": "电缆"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_query"
    assert set(error["fields"]) == {"colour", "kindd"}
    assert "kindd" in error["message"] and "colour" in error["message"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/staff/", "/api/v1/departments/", "/api/v1/jurisdictions/", "/api/v1/liaison-changes/"],
)
def test_unknown_query_parameter_is_refused_on_every_list(world: World, url: str) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(url, {"nonsense": "1"})
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["nonsense"]


def test_known_parameters_pass(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.get(
        "/api/v1/staff/",
        {"is_active": "true", "tier": "staff", "page": "1", "page_size": "10", "ordering": "name"},
    )
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize("size", ["100000", "0", "-3", "abc", "1.5"])
def test_bad_page_size_is_a_400(world: World, size: str) -> None:
    response = client_for(world.user(Role.LEADER)).get("/api/v1/enterprises/", {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in error_of(response)["fields"]


def test_unknown_ordering_field_is_a_400(world: World) -> None:
    client = client_for(world.user(Role.LEADER))
    assert client.get("/api/v1/staff/", {"ordering": "-name"}).status_code == 200
    response = client.get("/api/v1/staff/", {"ordering": "name,password"})
    assert response.status_code == 400
    [message] = error_of(response)["fields"]["ordering"]
    assert "enterprise_count" in message


def test_malformed_page_is_a_400_and_a_missing_page_a_404(world: World) -> None:
    client = client_for(world.user(Role.LEADER))
    response = client.get("/api/v1/enterprises/", {"page": "first"})
    assert response.status_code == 400
    assert "page" in error_of(response)["fields"]
    response = client.get("/api/v1/enterprises/", {"page": "99"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_invalid_filter_value_names_the_filter(world: World) -> None:
    response = client_for(world.user(Role.LEADER)).get("/api/v1/enterprises/", {"kind": "spaceship"})
    assert response.status_code == 400
    assert "kind" in error_of(response)["fields"]


def test_malformed_json_is_a_400_with_the_reason(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post("/api/v1/enterprises/", '{"name": "缺了引号}', content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "parse_error"
    assert "JSON" in error["message"]
    assert "char" in error["message"]  # the parser's own reason: where it gave up


def test_wrong_media_type_is_a_415(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post("/api/v1/enterprises/", "name=x", content_type="text/plain")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_wrong_check_character_names_the_expected_one(world: World) -> None:
    good = credit_code()
    wrong = good[:17] + next(c for c in creditcode.ALPHABET if c != good[17])
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        "/api/v1/enterprises/",
        {"credit_code": wrong, "name": "校验码错误有限公司", "kind": "shop", "industry": "38"},
        content_type="application/json",
    )
    assert response.status_code == 400
    [message] = error_of(response)["fields"]["credit_code"]
    assert f"“{good[17]}”" in message
    assert not Enterprise.objects.filter(name="校验码错误有限公司").exists()


def test_field_messages_are_chinese_by_default_and_english_on_request(world: World) -> None:
    payload = json.dumps({"credit_code": credit_code(), "kind": "shop", "industry": "38"})
    zh = client_for(world.user(Role.SERVICE_OFFICE)).post(
        "/api/v1/enterprises/", payload, content_type="application/json"
    )
    en = client_for(world.user(Role.SERVICE_OFFICE), HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/enterprises/", payload, content_type="application/json"
    )
    assert zh.status_code == en.status_code == 400
    assert error_of(zh)["fields"]["name"] == ["该字段是必填项。"]
    assert error_of(en)["fields"]["name"] == ["This field is required."]


def test_unknown_body_field_is_refused(world: World) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).patch(
        f"/api/v1/enterprises/{world.home.enterprise.pk}/",
        {"credit_code": credit_code(), "nmae": "拼错"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"credit_code", "nmae"}


@pytest.mark.parametrize("method", ["put", "delete"])
def test_unsupported_method_is_a_405(world: World, method: str) -> None:
    client = client_for(world.user(Role.ADMIN))
    response = getattr(client, method)(f"/api/v1/enterprises/{world.home.enterprise.pk}/")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert Enterprise.objects.filter(pk=world.home.enterprise.pk).exists()


def test_unknown_address_is_a_404_in_the_error_shape(world: World) -> None:
    client = client_for(world.user(Role.LEADER))
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    response = client.get("/api/v1/enterprises")
    assert response.status_code == 404
    assert "/api/v1/enterprises/" in error_of(response)["message"]


def test_anonymous_gets_401_with_a_challenge(db: Any) -> None:
    response = Client().get("/api/v1/enterprises/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error_of(response)["code"] == "not_authenticated"


def test_wrong_role_gets_403_in_the_error_shape(world: World) -> None:
    response = client_for(world.user(Role.ENTERPRISE)).get("/api/v1/staff/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_other_parks_object_is_a_404_in_the_error_shape(world: World) -> None:
    response = client_for(world.user(Role.LEADER)).get(f"/api/v1/enterprises/{world.other.enterprise.pk}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


# --- never a 500 ------------------------------------------------------------------------------

GARBAGE_VALUES: list[Any] = [
    None,
    True,
    -1,
    1.5,
    10**30,
    "",
    "x" * 5000,
    "\x00",
    "2024-13-45",
    "<script>",
    [],
    [1, "a", None],
    {},
    {"id": 1},
]
GARBAGE_BODIES = [b"", b"null", b"[]", b'"text"', b"123", b"{", b"\xff\xfe", b'{"a": NaN}', b"[{}]"]
ENTERPRISE_FIELDS = [
    "credit_code",
    "name",
    "kind",
    "status",
    "industry",
    "legal_representative",
    "address",
    "founded_on",
    "registered_capital",
    "employees",
    "tags",
    "jurisdiction",
]


def _write_endpoints(world: World) -> list[tuple[str, str, dict[str, Any], list[str]]]:
    """(method, url, a valid body, the fields to spoil) for every write endpoint."""
    enterprise = world.home.enterprise.pk
    return [
        (
            "post",
            "/api/v1/enterprises/",
            {"name": "乱码测试有限公司", "kind": "shop", "industry": "38"},
            [*ENTERPRISE_FIELDS, "liaison", "unknown"],
        ),
        ("patch", f"/api/v1/enterprises/{enterprise}/", {}, [*ENTERPRISE_FIELDS, "liaison"]),
        (
            "post",
            f"/api/v1/enterprises/{enterprise}/assign-liaison/",
            {"staff": world.home.liaison_staff.pk},
            ["staff", "reason"],
        ),
        (
            "post",
            "/api/v1/auth/token/",
            {"username": "nobody", "password": "wrong-password"},
            ["username", "password"],
        ),
    ]


def _assert_handled(response: Any, context: Any) -> None:
    assert response.status_code < 500, (context, response.status_code, response.content[:300])
    if response.status_code >= 400:
        error_of(response)


def test_garbage_bodies_never_cause_a_500(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    for method, url, _base, _fields in _write_endpoints(world):
        for body in GARBAGE_BODIES:
            response = getattr(client, method)(url, body, content_type="application/json")
            _assert_handled(response, (url, body))
            assert response.status_code in (400, 429) or body in (b"",), (url, body, response.status_code)


def test_garbage_field_values_never_cause_a_500(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    changes_before = LiaisonChange.objects.count()
    for method, url, base, fields in _write_endpoints(world):
        for field, value in itertools.product(fields, GARBAGE_VALUES):
            payload = dict(base)
            if url == "/api/v1/enterprises/":
                payload["credit_code"] = credit_code()
            payload[field] = value
            response = getattr(client, method)(url, json.dumps(payload), content_type="application/json")
            _assert_handled(response, (url, field, value))
    # No garbage staff value reassigned the liaison.
    assert LiaisonChange.objects.count() == changes_before


def test_garbage_query_values_never_cause_a_500(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    lists = {
        "/api/v1/enterprises/": [
            "q",
            "kind",
            "status",
            "industry",
            "tag",
            "jurisdiction",
            "liaison",
            "uncovered",
            "sort",
        ],
        "/api/v1/staff/": ["department", "tier", "is_active", "jurisdiction", "q", "ordering"],
        "/api/v1/departments/": ["jurisdiction", "is_active", "q", "ordering"],
        "/api/v1/jurisdictions/": ["level", "parent", "within", "q", "ordering"],
        "/api/v1/liaison-changes/": ["enterprise", "staff", "method", "ordering"],
        "/api/v1/industries/": ["level", "prefix", "section", "parent", "q", "ordering"],
        "/api/v1/tags/": ["name", "name__icontains", "ordering"],
    }
    values = ["", "\x00", "x" * 3000, "-1", "1e400", "99999999999999999999999", "1.5", "true", "%", "'; drop"]
    for url, params in lists.items():
        for param, value in itertools.product(params, values):
            response = client.get(url, {param: value})
            _assert_handled(response, (url, param, value))
    for url in [
        "/api/v1/enterprises/%00/",
        "/api/v1/jurisdictions/%00/",
        "/api/v1/industries/3%008/",
        "/api/v1/staff/99999999999999999999999/",
        "/api/v1/tags/-1/",
    ]:
        _assert_handled(client.get(url), url)
