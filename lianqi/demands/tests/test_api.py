"""The demands API: one contract per endpoint, then what a client sees — filters, a new demand,
each kind of refusal of a step (not allowed, stale, bad input) and the schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from lianqi.core.roles import Role
from lianqi.demands import actions
from lianqi.demands.choices import Channel, DemandState
from lianqi.demands.models import Demand, DemandEvent
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from .factories import category, handler, make_demand

READERS = (
    Role.LEADER,
    Role.SERVICE_OFFICE,
    Role.ADMIN,
    Role.LIAISON,
    Role.DEPARTMENT_HANDLER,
    Role.ENTERPRISE,
)


def _bind_handlers(world: World) -> None:
    # A handler sees the demands of its department: give both parks' handlers one.
    handler(world.home)
    handler(world.other)


def _demand(world: World) -> Demand:
    """The home park's assigned demand, made once per world (contracts call `url` per request)."""
    cached = getattr(world, "_api_demand", None)
    if cached is None:
        _bind_handlers(world)
        cached = make_demand(world, DemandState.ASSIGNED)
        world._api_demand = cached  # type: ignore[attr-defined]
    return cached


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


# --- contracts --------------------------------------------------------------------------------


class TestDemandList(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        _demand(world)
        return "/api/v1/demands/"


class TestDemandDetail(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return f"/api/v1/demands/{_demand(world).pk}/"


class TestDemandEvents(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return f"/api/v1/demands/{_demand(world).pk}/events/"


class TestDemandCreate(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.LIAISON, Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN, Role.ENTERPRISE)
    denied_role = Role.DEPARTMENT_HANDLER
    ok_statuses = (201,)

    def url(self, world: World) -> str:
        return "/api/v1/demands/"

    def data(self, world: World) -> dict[str, Any]:
        return {
            "enterprise": world.home.enterprise.pk,
            "category": category().pk,
            "description": "希望协调银行续贷",
        }

    def test_other_jurisdiction_gets_404(self, world: World) -> None:
        pytest.skip("a create names its enterprise in the body: see the test below")

    def test_other_park_cannot_file_for_a_home_enterprise(self, world: World) -> None:
        before = Demand.objects.count()
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.other_user(role)), world)
            assert response.status_code == 400, (role, response.status_code)
            assert "enterprise" in response.json()["error"]["fields"]
        assert Demand.objects.count() == before


class TestDemandAction(ApiObjectContract):
    """Supervising (督办) an assigned demand: the office and leaders may."""

    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        # A fresh demand per request, so that each role acts on version 1.
        world._action_demand = make_demand(world, DemandState.ASSIGNED)  # type: ignore[attr-defined]
        return f"/api/v1/demands/{world._action_demand.pk}/actions/supervise/"  # type: ignore[attr-defined]

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": 1, "note": "请加快办理"}


class TestCategoryList(ApiListContract):
    allowed_roles = tuple(Role)

    def url(self, world: World) -> str:
        return "/api/v1/demand-categories/"

    def marker(self, world: World) -> str:
        return "融资困难"

    def test_other_jurisdiction_sees_no_home_rows(self, world: World) -> None:
        # The catalogue is shared: both parks see every category.
        for user in (world.user(Role.LIAISON), world.other_user(Role.ENTERPRISE)):
            response = self.request(self.client_for(user), world)
            assert response.status_code == 200
            assert self.marker(world) in response.content.decode()


class TestCategoryDetail(ApiObjectContract):
    allowed_roles = tuple(Role)

    def url(self, world: World) -> str:
        return f"/api/v1/demand-categories/{category().pk}/"

    def test_other_jurisdiction_gets_404(self, world: World) -> None:
        response = self.request(self.client_for(world.other_user(Role.LIAISON)), world)
        assert response.status_code == 200  # shared reference data


# --- list and filters -------------------------------------------------------------------------


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_list_filters(world: World) -> None:
    received = make_demand(
        world, DemandState.RECEIVED, description="厂区道路积水严重", category=category("基础设施")
    )
    late = make_demand(world, DemandState.ASSIGNED, due_on=dt.date(2025, 3, 10))
    closed = make_demand(world, DemandState.CLOSED)
    client = _client(world.user(Role.SERVICE_OFFICE))
    url = "/api/v1/demands/"
    assert _ids(client.get(url)) == {received.pk, late.pk, closed.pk}
    assert _ids(client.get(url, {"state": "received"})) == {received.pk}
    assert _ids(client.get(url, {"state": ["received", "closed"]})) == {received.pk, closed.pk}
    assert _ids(client.get(url, {"category": category("基础设施").pk})) == {received.pk}
    assert _ids(client.get(url, {"department": world.home.department.pk})) == {late.pk, closed.pk}
    assert _ids(client.get(url, {"enterprise": world.home.enterprise.pk})) == {
        received.pk,
        late.pk,
        closed.pk,
    }
    assert _ids(client.get(url, {"enterprise": world.other.enterprise.pk})) == set()
    assert _ids(client.get(url, {"overdue": "true"})) == {late.pk}
    assert _ids(client.get(url, {"overdue": "false"})) == {received.pk, closed.pk}
    assert _ids(client.get(url, {"q": "积水"})) == {received.pk}
    row = next(r for r in client.get(url, {"overdue": "true"}).json()["results"])
    assert row["overdue"] is True
    assert row["lead_department"]["name"] == world.home.department.name
    assert row["enterprise"]["credit_code"] == world.home.enterprise.credit_code


def test_list_refuses_unknown_parameters_and_bad_pages(world: World) -> None:
    client = _client(world.user(Role.SERVICE_OFFICE))
    response = client.get("/api/v1/demands/", {"stat": "received"})
    assert response.status_code == 400
    assert "stat" in response.json()["error"]["fields"]
    response = client.get("/api/v1/demands/", {"state": "lost"})
    assert response.status_code == 400
    assert "state" in response.json()["error"]["fields"]
    response = client.get("/api/v1/demands/", {"page_size": "1000"})
    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]


def test_a_handler_lists_only_its_departments_demands(world: World) -> None:
    mine = make_demand(world, DemandState.ASSIGNED)
    make_demand(world, DemandState.RECEIVED)
    client = _client(handler(world.home))
    assert _ids(client.get("/api/v1/demands/")) == {mine.pk}


# --- create -----------------------------------------------------------------------------------


def test_create_files_a_demand_through_the_api_channel(world: World) -> None:
    user = world.user(Role.LIAISON)
    response = _post(
        _client(user),
        "/api/v1/demands/",
        {"enterprise": world.home.enterprise.pk, "category": category().pk, "description": " 希望协调续贷 "},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    demand = Demand.objects.get(pk=body["id"])
    assert demand.channel == Channel.API
    assert demand.raised_by == user
    assert demand.description == "希望协调续贷"
    assert body["state"] == "received"
    assert body["version"] == 1
    assert [e["action"] for e in body["events"]] == ["submit"]
    assert {"code": "solve_on_spot", "label": "当即解决", "needs": ["note"]} in body["allowed_actions"]


def test_create_answers_field_errors_and_writes_nothing(world: World) -> None:
    client = _client(world.user(Role.SERVICE_OFFICE))
    response = _post(
        client, "/api/v1/demands/", {"enterprise": world.home.enterprise.pk, "category": 99999, "priority": 1}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"priority"}
    response = _post(client, "/api/v1/demands/", {"enterprise": world.home.enterprise.pk, "category": 99999})
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"category", "description"}
    response = _post(
        client,
        "/api/v1/demands/",
        {"enterprise": world.home.enterprise.pk, "category": category().pk, "description": "   "},
    )
    assert response.status_code == 400
    assert "description" in response.json()["error"]["fields"]
    assert not Demand.objects.exists()


def test_an_enterprise_user_files_only_for_itself(world: World) -> None:
    client = _client(world.user(Role.ENTERPRISE))
    response = _post(
        client,
        "/api/v1/demands/",
        {"enterprise": world.other.enterprise.pk, "category": category().pk, "description": "用工短缺"},
    )
    assert response.status_code == 400
    assert "enterprise" in response.json()["error"]["fields"]


# --- detail and events ------------------------------------------------------------------------


def test_detail_shows_the_callers_allowed_actions_and_history(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    office = _client(world.user(Role.SERVICE_OFFICE)).get(f"/api/v1/demands/{demand.pk}/").json()
    codes = [a["code"] for a in office["allowed_actions"]]
    assert "assign" in codes and "close" in codes
    assign = next(a for a in office["allowed_actions"] if a["code"] == "assign")
    assert assign["needs"] == ["department", "workdays"]
    enterprise = _client(world.user(Role.ENTERPRISE)).get(f"/api/v1/demands/{demand.pk}/").json()
    assert [a["code"] for a in enterprise["allowed_actions"]] == ["withdraw"]


def test_events_list_the_history_in_order(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    office = world.user(Role.SERVICE_OFFICE)
    actions.assign_demand(
        demand=demand, actor=office, expected_version=1, department=world.home.department, workdays_limit=5
    )
    response = _client(office).get(f"/api/v1/demands/{demand.pk}/events/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    rows = body["results"]
    assert [(r["action"], r["from_state"], r["to_state"]) for r in rows] == [
        ("assign", "received", "assigned")
    ]
    assert rows[0]["actor"] == str(office)
    assert rows[0]["department"]["id"] == world.home.department.pk
    assert rows[0]["action_display"] == "交办"


def test_events_come_a_page_at_a_time(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    office = world.user(Role.SERVICE_OFFICE)
    actions.assign_demand(
        demand=demand, actor=office, expected_version=1, department=world.home.department, workdays_limit=5
    )
    client = _client(office)
    first = client.get(f"/api/v1/demands/{demand.pk}/events/", {"page": 1, "page_size": 1})
    assert first.status_code == 200
    assert [row["action"] for row in first.json()["results"]] == ["assign"]
    past_the_end = client.get(f"/api/v1/demands/{demand.pk}/events/", {"page": 2, "page_size": 1})
    assert past_the_end.status_code == 404
    # The demands' own filters are not parameters of the history.
    assert client.get(f"/api/v1/demands/{demand.pk}/events/", {"state": "closed"}).status_code == 400


# --- steps ------------------------------------------------------------------------------------


def _act(world: World, role: str, demand: Demand, name: str, body: dict[str, Any]) -> Any:
    user = handler(world.home) if role == Role.DEPARTMENT_HANDLER else world.user(role)
    return _post(_client(user), f"/api/v1/demands/{demand.pk}/actions/{name}/", body)


def test_a_step_answers_the_new_demand(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    response = _act(
        world,
        Role.SERVICE_OFFICE,
        demand,
        "assign",
        {"expected_version": 1, "department": world.home.department.pk, "workdays": 3, "note": "请尽快"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "assigned"
    assert body["version"] == 2
    assert body["lead_department"]["id"] == world.home.department.pk
    assert body["due_on"] is not None
    assert body["events"][-1]["note"] == "请尽快"
    # The handler then signs and replies, each step on the version it read.
    assert _act(world, Role.DEPARTMENT_HANDLER, demand, "sign", {"expected_version": 2}).status_code == 200
    reply = _act(
        world,
        Role.DEPARTMENT_HANDLER,
        demand,
        "reply",
        {"expected_version": 3, "outcome": "solved", "note": "已协调银行放款"},
    )
    assert reply.status_code == 200, reply.content
    assert reply.json()["state"] == "replied"


def test_a_step_not_allowed_answers_409_with_the_allowed_steps(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    response = _act(world, Role.LIAISON, demand, "assign", {"expected_version": 1})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "not_allowed"
    assert error["state"] == "received"
    assert {a["code"] for a in error["allowed_actions"]} == {"solve_on_spot", "withdraw"}
    assert "当即解决" in error["message"]
    demand.refresh_from_db()
    assert demand.state == DemandState.RECEIVED and demand.version == 1


def test_a_stale_step_answers_409_with_who_changed_it(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    office = world.user(Role.SERVICE_OFFICE)
    actions.assign_demand(
        demand=demand, actor=office, expected_version=1, department=world.home.department, workdays_limit=5
    )
    response = _act(world, Role.SERVICE_OFFICE, demand, "close", {"expected_version": 1, "outcome": "solved"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale"
    assert error["current_version"] == 2
    assert error["state"] == "assigned"
    assert error["changed_by"] == str(office)
    assert str(office) in error["message"]


def test_bad_input_answers_field_errors_and_changes_nothing(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    response = _act(world, Role.SERVICE_OFFICE, demand, "assign", {"expected_version": 1, "note": "x"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"department", "workdays"}
    # Another park's department is not one the caller can name.
    response = _act(
        world,
        Role.SERVICE_OFFICE,
        demand,
        "assign",
        {"expected_version": 1, "department": world.other.department.pk, "workdays": 3},
    )
    assert response.status_code == 400
    assert "department" in response.json()["error"]["fields"]
    response = _act(
        world, Role.SERVICE_OFFICE, demand, "solve_on_spot", {"expected_version": 1, "note": "  "}
    )
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    response = _act(world, Role.SERVICE_OFFICE, demand, "assign", {"department": world.home.department.pk})
    assert response.status_code == 400
    assert "expected_version" in response.json()["error"]["fields"]
    response = _act(world, Role.SERVICE_OFFICE, demand, "assign", {"expected_version": 1, "colour": "red"})
    assert response.status_code == 400
    assert "colour" in response.json()["error"]["fields"]
    demand.refresh_from_db()
    assert demand.state == DemandState.RECEIVED and demand.version == 1
    assert not DemandEvent.objects.filter(demand=demand).exists()


def test_an_unknown_step_is_404(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    response = _act(world, Role.SERVICE_OFFICE, demand, "teleport", {"expected_version": 1})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_step_on_another_parks_demand_is_404(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    response = _post(
        _client(world.other_user(Role.SERVICE_OFFICE)),
        f"/api/v1/demands/{demand.pk}/actions/close/",
        {"expected_version": 1, "outcome": "solved", "note": "x"},
    )
    assert response.status_code == 404


# --- schema -----------------------------------------------------------------------------------


def test_the_schema_describes_the_demand_endpoints(db: Any) -> None:
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/demands/"])
    assert "get" in paths["/api/v1/demands/{id}/"]
    assert "get" in paths["/api/v1/demands/{id}/events/"]
    assert "get" in paths["/api/v1/demand-categories/"]
    step = paths["/api/v1/demands/{id}/actions/{name}/"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(step["responses"])
    assert step["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("ActionInputRequest")
    listing = paths["/api/v1/demands/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"state", "category", "department", "enterprise", "overdue", "q", "page", "page_size"} <= names


def test_a_liaison_who_raises_a_demand_for_another_liaisons_enterprise_can_follow_it(world: Any) -> None:
    """Found under load: the demand was stored, then reading it back for the answer failed."""
    from lianqi.org.models import Staff
    from lianqi.testing.world import make_enterprise

    colleague = Staff.objects.create(jurisdiction=world.home.park, name="同事")
    theirs = make_enterprise(world.home.park, "同事联系的电机有限公司", liaison=colleague)
    client = Client()
    client.force_login(world.user("liaison"))
    response = client.post(
        "/api/v1/demands/",
        json.dumps(
            {"enterprise": theirs.pk, "category": category().pk, "description": "展会上企业反映招工难"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/demands/{response.json()['id']}/").status_code == 200
