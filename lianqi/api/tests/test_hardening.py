"""Bad requests an outsider sends on purpose: deep JSON, huge bodies, writes to unknown
addresses, a refused workflow step — each a 4xx in the error shape, never a 500 or an HTML
page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from lianqi.core.roles import Role
from lianqi.demands.tests.factories import make_demand
from lianqi.policies.tests.test_api import policy_in_force
from lianqi.testing.world import World


def client_for(user: Any, **defaults: Any) -> Client:
    client = Client(**defaults)
    client.force_login(user)
    return client


def error_of(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, 500, 1_000, 100_000])
def test_deeply_nested_json_is_a_400_naming_the_limit(world: World, depth: int) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post("/api/v1/enterprises/", nested(depth), content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "parse_error"
    assert "32" in error["message"]


def test_the_unauthenticated_token_endpoint_refuses_deep_json_too(db: Any) -> None:
    body = '{"username": ' + nested(5_000) + "}"
    response = Client().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_nesting_within_the_limit_is_read_as_usual(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    # Deep but allowed: the request is refused for its content, not for its shape.
    response = client.post("/api/v1/enterprises/", '{"name": [[[["x"]]]]}', content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_body_over_the_size_limit_is_a_413_in_the_error_shape(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    body = '{"name": "' + "企" * 2_000 + '"}'
    response = client.post("/api/v1/enterprises/", body, content_type="application/json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_to_an_unknown_address_get_the_json_404(world: World, method: str) -> None:
    # With CSRF checks on, as a browser's session would be: the answer is still the JSON 404,
    # not Django's HTML CSRF page.
    client = client_for(world.user(Role.SERVICE_OFFICE), enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/no-such-thing/", "{}", content_type="application/json")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    anonymous = getattr(Client(enforce_csrf_checks=True), method)("/api/v1/no-such-thing/")
    assert anonymous.status_code == 404
    assert error_of(anonymous)["code"] == "not_found"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/demands/", "enterprise"),
        ("/api/v1/demands/", "category"),
        ("/api/v1/fulfilments/", "enterprise"),
        ("/api/v1/policy-matches/", "policy"),
        ("/api/v1/policies/", "department"),
        ("/api/v1/staff/", "department"),
        ("/api/v1/liaison-changes/", "enterprise"),
    ],
)
@pytest.mark.parametrize(
    "value", ["9223372036854775808", "-9223372036854775809", "1e30", "1.5", "abc", "NaN"]
)
def test_an_id_that_is_no_whole_64_bit_number_is_a_400_naming_the_filter(
    world: World, url: str, parameter: str, value: str
) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(url, {parameter: value})
    assert response.status_code == 400, (url, parameter, value, response.status_code)
    assert parameter in error_of(response)["fields"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [("/api/v1/departments/", "is_active"), ("/api/v1/staff/", "is_active"), ("/api/v1/demands/", "overdue")],
)
@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_boolean_filter_refuses_what_it_cannot_read(
    world: World, url: str, parameter: str, value: str
) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(url, {parameter: value})
    assert response.status_code == 400
    assert parameter in error_of(response)["fields"]


@pytest.mark.parametrize("value", ["true", "false", "1", "0", "True"])
def test_a_boolean_filter_reads_the_usual_words(world: World, value: str) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).get("/api/v1/staff/", {"is_active": value})
    assert response.status_code == 200


def test_a_whole_id_in_range_filters_as_before(world: World) -> None:
    enterprise = world.home.enterprise
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(
        "/api/v1/demands/", {"enterprise": enterprise.pk}
    )
    assert response.status_code == 200


def test_errors_inside_a_nested_object_are_named_by_their_path(world: World) -> None:
    # A nested object's errors stay one level deep, as the schema documents `fields`: the
    # client finds each message under the dotted path of the value it sent.
    client = client_for(world.user(Role.LIAISON))
    body = {"enterprise": world.home.enterprise.pk, "details": {"size": None}}
    response = client.post("/api/v1/visits/", body, content_type="application/json")
    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages)
        for messages in fields.values()
    )
    assert "details.size" in fields


@pytest.mark.parametrize("rule", [10.0, [], "rule", None])
def test_a_rule_that_is_no_json_object_is_a_400_on_the_rule(world: World, rule: Any) -> None:
    policy = policy_in_force(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    for action, extra in (("sandbox", {}), ("drafts", {"valid_from": "2026-01-01"})):
        response = client.post(
            f"/api/v1/policies/{policy.pk}/{action}/",
            {"rule": rule, **extra},
            content_type="application/json",
        )
        assert response.status_code == 400, (action, response.content[:300])
        assert "rule" in error_of(response)["fields"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_address_with_a_newline_gets_the_json_404(world: World, method: str) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = getattr(client, method)("/api/v1/enterprises/%0A/assign-liaison/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("number", [2**63, 2**64, -(2**63) - 1, 10**40])
def test_an_integer_beyond_what_a_column_holds_is_a_field_error_in_every_body(
    world: World, number: int
) -> None:
    demand = make_demand(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    cases = [
        (f"/api/v1/demands/{demand.pk}/actions/assign/", {"expected_version": number}, "expected_version"),
        (
            f"/api/v1/demands/{demand.pk}/actions/assign/",
            {"expected_version": 1, "department": world.home.department.pk, "workdays": number},
            "workdays",
        ),
        ("/api/v1/visit-campaigns/", {"target_coverage": number}, "target_coverage"),
    ]
    for url, body, field in cases:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, (url, body, response.content[:300])
        assert field in error_of(response)["fields"], (url, error_of(response))


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/policy-matches/", "policy"),
        ("/api/v1/fulfilments/", "policy"),
        ("/api/v1/demands/", "enterprise"),
        ("/api/v1/staff/", "is_active"),
        ("/api/v1/enterprises/", "page"),
        ("/api/v1/jurisdictions/", "level"),
    ],
)
def test_an_empty_number_boolean_or_page_is_refused_not_read_as_any(
    world: World, url: str, parameter: str
) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(f"{url}?{parameter}=")
    assert response.status_code == 400
    assert parameter in error_of(response)["fields"]
