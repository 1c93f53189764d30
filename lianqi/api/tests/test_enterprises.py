"""The enterprise endpoints do what the pages do: the same filters, writes through the actions,
phones masked for roles that may not see them, every change of liaison recorded."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.test import Client

from lianqi.core.roles import Role
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Contact, Enterprise, Industry, Tag, YearFigure
from lianqi.liaisons.choices import AssignmentMethod
from lianqi.liaisons.models import LiaisonChange
from lianqi.org.choices import StaffTier
from lianqi.org.models import Staff
from lianqi.testing.world import World, credit_code, make_enterprise


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_create_then_retrieve(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    client = client_for(office)
    tag = Tag.objects.create(name="专精特新")
    code = credit_code()
    created = post(
        client,
        "/api/v1/enterprises/",
        {
            # Clerks type codes in lower case and with spaces; the register keeps them normalised.
            "credit_code": f"{code[:6].lower()} {code[6:]}",
            "name": "湘潭智造装备有限公司",
            "kind": "above_size",
            "industry": "38",
            "registered_capital": "1200.50",
            "employees": 86,
            "founded_on": "2019-05-20",
            "tags": [tag.pk],
            "liaison": world.home.liaison_staff.pk,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    fetched = client.get(f"/api/v1/enterprises/{body['id']}/").json()
    assert fetched == body
    assert fetched["credit_code"] == code
    assert fetched["jurisdiction"] == {"code": world.home.park.code, "name": world.home.park.name}
    assert fetched["tags"] == [{"id": tag.pk, "name": "专精特新", "description": ""}]
    assert fetched["liaison"]["id"] == world.home.liaison_staff.pk
    assert fetched["registered_capital"] == "1200.50"
    enterprise = Enterprise.objects.get(pk=body["id"])
    assert enterprise.history.first().history_user == office  # type: ignore[attr-defined]
    change = LiaisonChange.objects.get(enterprise=enterprise)
    assert change.method == AssignmentMethod.CREATED and change.actor == office


def test_duplicate_credit_code_is_refused(world: World) -> None:
    response = post(
        client_for(world.user(Role.ADMIN)),
        "/api/v1/enterprises/",
        {"credit_code": world.home.enterprise.credit_code, "name": "重复", "kind": "shop", "industry": "38"},
    )
    assert response.status_code == 400
    assert "credit_code" in response.json()["error"]["fields"]
    assert Enterprise.objects.filter(name="重复").count() == 0


def test_unknown_industry_and_tag_are_named(world: World) -> None:
    response = post(
        client_for(world.user(Role.ADMIN)),
        "/api/v1/enterprises/",
        {"credit_code": credit_code(), "name": "甲", "kind": "shop", "industry": "ZZ", "tags": [999]},
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"industry", "tags"}


def test_other_parks_staff_cannot_be_the_liaison_of_a_new_enterprise(world: World) -> None:
    response = post(
        client_for(world.user(Role.SERVICE_OFFICE)),
        "/api/v1/enterprises/",
        {
            "credit_code": credit_code(),
            "name": "乙",
            "kind": "shop",
            "industry": "38",
            "liaison": world.other.liaison_staff.pk,
        },
    )
    assert response.status_code == 400
    assert "liaison" in response.json()["error"]["fields"]


def test_partial_update_goes_through_the_action_and_keeps_history(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    enterprise = world.home.enterprise
    response = client_for(office).patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        json.dumps({"status": "moved_out", "tags": []}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "moved_out"
    latest = enterprise.history.first()  # type: ignore[attr-defined]
    assert latest.status == "moved_out" and latest.history_user == office


def test_update_cannot_move_an_enterprise_out_of_scope(world: World) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).patch(
        f"/api/v1/enterprises/{world.home.enterprise.pk}/",
        json.dumps({"jurisdiction": world.other.park.code}),
        content_type="application/json",
    )
    assert response.status_code == 400
    world.home.enterprise.refresh_from_db()
    assert world.home.enterprise.jurisdiction == world.home.park


def test_assign_liaison_writes_a_liaison_change(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    enterprise = world.home.enterprise
    newcomer = Staff.objects.create(jurisdiction=world.home.park, name="周新", tier=StaffTier.MIDDLE)
    response = post(
        client_for(office),
        f"/api/v1/enterprises/{enterprise.pk}/assign-liaison/",
        {"staff": newcomer.pk, "reason": "按行业重新排布"},
    )
    assert response.status_code == 200
    assert response.json()["liaison"]["name"] == "周新"
    change = LiaisonChange.objects.get(enterprise=enterprise)
    assert (change.from_staff, change.to_staff) == (world.home.liaison_staff, newcomer)
    assert change.reason == "按行业重新排布" and change.actor == office
    assert change.method == AssignmentMethod.MANUAL
    # The history endpoint shows it, filtered by the enterprise or by either staff member.
    listing = client_for(world.user(Role.LEADER))
    for params in (
        {"enterprise": enterprise.pk},
        {"staff": newcomer.pk},
        {"staff": world.home.liaison_staff.pk},
    ):
        rows = listing.get("/api/v1/liaison-changes/", params).json()["results"]
        assert [row["id"] for row in rows] == [change.pk], params
    assert listing.get("/api/v1/liaison-changes/", {"staff": 999999}).json()["count"] == 0


def test_assign_liaison_refuses_other_parks_and_departed_staff(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = f"/api/v1/enterprises/{world.home.enterprise.pk}/assign-liaison/"
    response = post(client, url, {"staff": world.other.liaison_staff.pk})
    assert response.status_code == 400
    assert "staff" in response.json()["error"]["fields"]
    departed = Staff.objects.create(jurisdiction=world.home.park, name="李离", is_active=False)
    response = post(client, url, {"staff": departed.pk})
    assert response.status_code == 400
    assert "李离" in response.json()["error"]["fields"]["staff"][0]
    assert not LiaisonChange.objects.exists()


def test_contact_phones_are_masked_for_roles_that_may_not_see_them(world: World) -> None:
    Contact.objects.create(
        enterprise=world.home.enterprise, name="王经理", phone="13912345678", is_primary=True
    )
    url = f"/api/v1/enterprises/{world.home.enterprise.pk}/"

    def contact_as(role: str) -> dict[str, Any]:
        return client_for(world.user(role)).get(url).json()["contacts"][0]

    assert contact_as(Role.DEPARTMENT_HANDLER) == {
        "id": contact_as(Role.LEADER)["id"],
        "name": "王经理",
        "title": "",
        "phone": "139****5678",
        "phone_masked": True,
        "is_primary": True,
    }
    assert contact_as(Role.LEADER)["phone"] == "13912345678"
    # The enterprise's own liaison sees the number of the firm they serve.
    assert contact_as(Role.LIAISON)["phone"] == "13912345678"


def test_year_figures_are_included(world: World) -> None:
    YearFigure.objects.create(enterprise=world.home.enterprise, year=2024, revenue=Decimal("5230.00"))
    body = client_for(world.user(Role.LEADER)).get(f"/api/v1/enterprises/{world.home.enterprise.pk}/").json()
    assert body["year_figures"] == [
        {"year": 2024, "output_value": None, "revenue": "5230.00", "tax": None, "rd_spending": None}
    ]


def test_enterprise_filters_are_the_pages_filters(world: World) -> None:
    make_enterprise(world.home.park, "湘潭城东便民超市", kind=EnterpriseKind.SHOP)
    client = client_for(world.user(Role.LEADER))

    def names(**params: Any) -> list[str]:
        response = client.get("/api/v1/enterprises/", params)
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names(kind="shop") == ["湘潭城东便民超市"]
    assert names(q="电缆") == [world.home.enterprise.name]
    assert names(industry="38") == sorted([world.home.enterprise.name, "湘潭城东便民超市"])
    assert names(uncovered="true") == ["湘潭城东便民超市"]
    assert names(liaison=world.home.liaison_staff.pk) == [world.home.enterprise.name]
    assert names(sort="-name") == sorted([world.home.enterprise.name, "湘潭城东便民超市"], reverse=True)


def test_org_filters(world: World) -> None:
    Staff.objects.create(jurisdiction=world.home.park, name="赵离岗", is_active=False, tier=StaffTier.LEADER)
    client = client_for(world.user(Role.ADMIN))

    def names(url: str, **params: Any) -> list[str]:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names("/api/v1/staff/", is_active="false") == ["赵离岗"]
    assert names("/api/v1/staff/", tier="leader") == ["赵离岗"]
    assert names("/api/v1/staff/", department=world.home.department.pk) == [world.home.liaison_staff.name]
    assert names("/api/v1/staff/", q="离岗") == ["赵离岗"]
    assert names("/api/v1/jurisdictions/", level="park") == [world.home.park.name]
    assert names("/api/v1/jurisdictions/", parent=world.city.code) == [world.home.park.name]
    assert names("/api/v1/departments/", q="经济") == ["经济发展局"]
    divisions = client.get("/api/v1/industries/", {"level": 2, "page_size": 500}).json()
    assert divisions["count"] == Industry.objects.filter(level=2).count() > 1
    assert {row["level"] for row in divisions["results"]} == {2}
    electrical = Industry.objects.get(code="38").name
    assert names("/api/v1/industries/", prefix="38") == [electrical]
    assert names("/api/v1/industries/", prefix="c") == [Industry.objects.get(code="C").name]
    assert electrical in names("/api/v1/industries/", section="c", page_size=500)
