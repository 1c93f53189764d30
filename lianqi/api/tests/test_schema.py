"""The OpenAPI schema covers every endpoint with its errors, and the Swagger UI is served from
our own static files."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

from lianqi.core.roles import Role
from lianqi.testing.world import World

PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/me/": {"get"},
    "/api/v1/jurisdictions/": {"get"},
    "/api/v1/jurisdictions/{code}/": {"get"},
    "/api/v1/departments/": {"get"},
    "/api/v1/departments/{id}/": {"get"},
    "/api/v1/staff/": {"get"},
    "/api/v1/staff/{id}/": {"get"},
    "/api/v1/enterprises/": {"get", "post"},
    "/api/v1/enterprises/{id}/": {"get", "patch"},
    "/api/v1/enterprises/{id}/assign-liaison/": {"post"},
    "/api/v1/liaison-changes/": {"get"},
    "/api/v1/industries/": {"get"},
    "/api/v1/industries/{code}/": {"get"},
    "/api/v1/tags/": {"get"},
    "/api/v1/tags/{id}/": {"get"},
    "/api/v1/demands/": {"get", "post"},
    "/api/v1/demands/{id}/": {"get"},
    "/api/v1/demands/{id}/events/": {"get"},
    "/api/v1/demands/{id}/actions/{name}/": {"post"},
    "/api/v1/demand-categories/": {"get"},
    "/api/v1/demand-categories/{id}/": {"get"},
    "/api/v1/demands/statistics/": {"get"},
    "/api/v1/policies/": {"get"},
    "/api/v1/policies/{id}/": {"get"},
    "/api/v1/policies/{id}/rule/": {"get"},
    "/api/v1/policies/{id}/drafts/": {"post"},
    "/api/v1/policies/{id}/sandbox/": {"post"},
    "/api/v1/policies/{id}/versions/{number}/publish/": {"post"},
    "/api/v1/policy-matches/": {"get"},
    "/api/v1/policy-matches/{id}/": {"get"},
    "/api/v1/policy-matches/{id}/explanation/": {"get"},
    "/api/v1/fulfilments/": {"get"},
    "/api/v1/fulfilments/{id}/": {"get"},
    "/api/v1/fulfilments/{id}/steps/{name}/": {"post"},
    "/api/v1/fulfilments/applications/": {"post"},
    "/api/v1/visit-campaigns/": {"get", "post"},
    "/api/v1/visit-campaigns/{id}/": {"get"},
    "/api/v1/visit-campaigns/{id}/coverage/": {"get"},
    "/api/v1/visit-campaigns/{id}/steps/{name}/": {"post"},
    "/api/v1/questionnaires/": {"get", "post"},
    "/api/v1/questionnaires/{id}/": {"get"},
    "/api/v1/questionnaires/{id}/save/": {"post"},
    "/api/v1/visits/": {"get", "post"},
    "/api/v1/visits/{id}/": {"get"},
    "/api/v1/visits/{id}/files/{fid}/": {"get"},
    "/api/v1/finance/institutions/": {"get"},
    "/api/v1/finance/institutions/{id}/": {"get"},
    "/api/v1/finance/products/": {"get"},
    "/api/v1/finance/products/{id}/": {"get"},
    "/api/v1/finance/products/{id}/fit/": {"get"},
    "/api/v1/finance/applications/": {"get", "post"},
    "/api/v1/finance/applications/{id}/": {"get"},
    "/api/v1/finance/applications/{id}/steps/{name}/": {"post"},
    "/api/v1/finance/events/": {"get"},
    "/api/v1/finance/events/{id}/": {"get"},
    "/api/v1/finance/events/{id}/invitations/": {"post"},
    "/api/v1/market/offers/": {"get", "post"},
    "/api/v1/market/offers/{id}/": {"get"},
    "/api/v1/market/needs/": {"get", "post"},
    "/api/v1/market/needs/{id}/": {"get"},
    "/api/v1/market/needs/{id}/suppliers/": {"get"},
    "/api/v1/market/needs/{id}/introduce/": {"post"},
    "/api/v1/market/introductions/": {"get"},
    "/api/v1/market/introductions/{id}/": {"get"},
    "/api/v1/market/introductions/{id}/steps/{name}/": {"post"},
    "/api/v1/market/fairs/": {"get"},
    "/api/v1/market/fairs/{id}/invitations/": {"post"},
    "/api/v1/market/fairs/{id}/": {"get"},
    "/api/v1/market/purchases/": {"get", "post"},
    "/api/v1/market/purchases/{id}/": {"get"},
    "/api/v1/market/chains/": {"get"},
    "/api/v1/market/chains/{id}/": {"get"},
    "/api/v1/projects/": {"get"},
    "/api/v1/projects/{id}/": {"get"},
    "/api/v1/projects/{id}/reports/": {"post"},
    "/api/v1/projects/{id}/steps/{name}/": {"post"},
    "/api/v1/project-meetings/": {"get"},
    "/api/v1/project-meetings/{id}/": {"get"},
    "/api/v1/project-leads/": {"get"},
    "/api/v1/project-leads/{id}/": {"get"},
    "/api/v1/project-leads/{id}/steps/{name}/": {"post"},
    "/api/v1/project-leads/funnel/": {"get"},
    "/api/v1/inspections/": {"get", "post"},
    "/api/v1/inspections/{id}/": {"get"},
    "/api/v1/inspections/{id}/steps/{name}/": {"post"},
    "/api/v1/inspection-draws/": {"get"},
    "/api/v1/inspection-draws/{id}/": {"get"},
    "/api/v1/inspection-statistics/": {"get"},
    "/api/v1/inspection-items/": {"get"},
    "/api/v1/inspection-items/{id}/": {"get"},
    "/api/v1/lenient-items/": {"get"},
    "/api/v1/lenient-items/{id}/": {"get"},
    "/api/v1/credit/records/": {"get"},
    "/api/v1/credit/records/{id}/": {"get"},
    "/api/v1/credit/records/{id}/steps/{name}/": {"post"},
    "/api/v1/credit/classes/": {"get"},
    "/api/v1/credit/classes/{id}/": {"get"},
    "/api/v1/approvals/charts/": {"get"},
    "/api/v1/approvals/charts/{id}/": {"get"},
    "/api/v1/approvals/runs/": {"get"},
    "/api/v1/approvals/runs/{id}/": {"get"},
    "/api/v1/approvals/items/{id}/": {"get"},
    "/api/v1/approvals/items/{id}/steps/{name}/": {"post"},
    "/api/v1/land/parcels/": {"get"},
    "/api/v1/land/parcels/{id}/": {"get"},
    "/api/v1/land/parcels/{id}/reserve/": {"post"},
    "/api/v1/land/reservations/": {"get"},
    "/api/v1/land/reservations/{id}/": {"get"},
    "/api/v1/land/reservations/{id}/steps/{name}/": {"post"},
}
ERROR_REF = "#/components/schemas/Error"


@pytest.fixture
def schema(db: Any) -> dict[str, Any]:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate_schema(schema)


def test_every_endpoint_and_method_is_in_the_schema(schema: dict[str, Any]) -> None:
    methods = {
        path: {m for m in item if m in {"get", "post", "patch", "put", "delete"}}
        for path, item in schema["paths"].items()
    }
    assert methods == PATHS


def _response_ref(operation: dict[str, Any], code: str) -> str:
    return operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]


def test_errors_are_documented_with_the_error_component(schema: dict[str, Any]) -> None:
    error = schema["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"code", "message", "fields"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            if path != "/api/v1/auth/token/":
                assert {"401", "403"} <= codes, (path, method)
            if "{" in path:
                assert "404" in codes, (path, method)
            assert "400" in codes, (path, method)
            for code in codes - {"200", "201"}:
                assert _response_ref(operation, code) == ERROR_REF, (path, method, code)


def test_request_and_response_bodies(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    create = paths["/api/v1/enterprises/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "EnterpriseCreateRequest"
    )
    assert _response_ref(create, "201").endswith("/Enterprise")
    assign = paths["/api/v1/enterprises/{id}/assign-liaison/"]["post"]
    assert assign["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "AssignLiaisonRequest"
    )
    listing = paths["/api/v1/enterprises/"]["get"]
    assert _response_ref(listing, "200").endswith("PaginatedEnterpriseList")
    # The list takes exactly the page's filters, plus pagination.
    names = {p["name"] for p in listing["parameters"]}
    assert {"q", "kind", "status", "industry", "tag", "jurisdiction", "liaison", "uncovered", "sort"} <= names
    assert {"page", "page_size"} <= names
    components = schema["components"]["schemas"]
    assert "credit_code" in components["EnterpriseCreateRequest"]["required"]
    assert "credit_code" not in components["PatchedEnterpriseUpdateRequest"]["properties"]


def test_swagger_ui_renders_from_local_static_files(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.ADMIN))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    for url in urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
    assert "cdn" not in html.lower()
    assert "http://" not in html and "https://" not in html


def test_swagger_ui_runs_under_the_content_security_policy(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.ADMIN))
    html = client.get("/api/docs/").content.decode()
    tags = re.findall(r"<script[^>]*>", html)
    assert tags
    for tag in tags:
        assert "src=" in tag, tag
    init = next(re.search(r'src="([^"]+)"', t).group(1) for t in tags if "script" in t and "?" in t)  # type: ignore[union-attr]
    response = client.get(init.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")


def _property(schema: dict[str, Any], component: str, name: str) -> dict[str, Any]:
    return schema["components"]["schemas"][component]["properties"][name]


@pytest.mark.parametrize(
    ("component", "name"),
    [
        ("Policy", "department"),
        ("FulfilmentEvent", "actor"),
        ("CampaignEvent", "actor"),
        ("DemandEvent", "actor"),
    ],
)
def test_names_that_can_be_missing_are_nullable(schema: dict[str, Any], component: str, name: str) -> None:
    assert _property(schema, component, name).get("nullable") is True


@pytest.mark.parametrize(
    ("component", "name"),
    [("Demand", "outcome"), ("Demand", "satisfaction"), ("DemandDetail", "venue")],
)
def test_choices_not_yet_made_admit_the_empty_value(
    schema: dict[str, Any], component: str, name: str
) -> None:
    refs = {option.get("$ref") for option in _property(schema, component, name).get("oneOf", [])}
    assert "#/components/schemas/BlankEnum" in refs
    assert schema["components"]["schemas"]["BlankEnum"]["enum"] == [""]


def test_the_history_of_a_demand_is_typed_as_the_page_it_answers(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/demands/{id}/events/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"id", "page", "page_size"}
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("PaginatedDemandEventList")
