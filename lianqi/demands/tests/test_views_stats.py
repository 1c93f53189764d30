"""The statistics page, its Excel export and the API: who may open them, that another park's
demands never show, that a handler sees only its department, what the page prints (each
definition beside its figure, “—” for an empty denominator), and the API's error shape."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.demands import statistics as stats
from lianqi.demands.choices import DemandState
from lianqi.demands.models import Demand
from lianqi.org.models import Department, Staff
from lianqi.testing.contracts import ApiListContract, ListExportContract, ListPageContract
from lianqi.testing.world import World, make_enterprise

from .factories import handler, make_demand

pytestmark = pytest.mark.django_db

YEAR = 2025
ALLOWED = (Role.LEADER, Role.SERVICE_OFFICE, Role.ADMIN, Role.DEPARTMENT_HANDLER)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 10, 0, tzinfo=SHANGHAI)


def populate(world: World) -> None:
    """One assigned demand in each park (led by the park's department, taken in by its
    liaison); both handlers bound to their departments. Idempotent: contracts call it per
    request."""
    handler(world.home)
    handler(world.other)
    if Demand.objects.exists():
        return
    make_demand(world, DemandState.ASSIGNED, received_at=at(3, 3))
    other = world.other
    make_demand(
        world,
        DemandState.ASSIGNED,
        jurisdiction=other.park,
        enterprise=other.enterprise,
        liaison=other.liaison_staff,
        lead_department=other.department,
        received_at=at(3, 3),
    )


class TestStatisticsPageContract(ListPageContract):
    allowed_roles = ALLOWED
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        populate(world)
        return reverse("demands:statistics")

    def data(self, world: World) -> dict[str, Any]:
        return {"year": str(YEAR), "tab": "liaison"}

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestStatisticsExportContract(ListExportContract):
    allowed_roles = ALLOWED
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        populate(world)
        return reverse("demands:statistics_export")

    def data(self, world: World) -> dict[str, Any]:
        return {"year": str(YEAR), "tab": "liaison"}

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestStatisticsApiContract(ApiListContract):
    allowed_roles = ALLOWED
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        populate(world)
        return reverse("api:demand-statistics")

    def data(self, world: World) -> dict[str, Any]:
        return {"year": str(YEAR), "group_by": "liaison"}

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_prints_each_definition_beside_its_figure(world: World) -> None:
    populate(world)
    response = client_for(world.user(Role.LEADER)).get(reverse("demands:statistics"), {"year": str(YEAR)})
    html = response.content.decode()
    assert response.status_code == 200
    for key, definition in stats.DEFINITIONS.items():
        assert f'data-testid="figure-{key}"' in html
        assert str(definition.definition) in html
    # One demand, assigned, not signed: one received, no signs yet → “—”, not 0%.
    assert 'data-testid="figure-received">1' in html
    assert 'data-testid="figure-signed_on_time_rate">—' in html
    # The trend chart's data and the vendored ECharts with the nonce.
    assert 'id="trend-chart-data"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert f'nonce="{response.wsgi_request.csp_nonce}"' in html  # type: ignore[attr-defined]


def test_tabs_group_the_table(world: World) -> None:
    populate(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    by_department = client.get(reverse("demands:statistics"), {"year": str(YEAR)}).content.decode()
    assert world.home.department.name in by_department
    by_month = client.get(reverse("demands:statistics"), {"year": str(YEAR), "tab": "month"}).content.decode()
    assert "2025-03" in by_month and "2025-12" in by_month


def test_a_bad_filter_is_dropped_with_a_message(world: World) -> None:
    populate(world)
    response = client_for(world.user(Role.LEADER)).get(
        reverse("demands:statistics"), {"year": "abc", "tab": "enterprise", "department": "999999"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="filter-problem"') == 3


def test_handler_sees_only_its_department(world: World) -> None:
    populate(world)
    second = Department.objects.create(jurisdiction=world.home.park, name="自然资源局")
    other_enterprise = make_enterprise(world.home.park, "湘潭另一家企业")
    make_demand(
        world, DemandState.ASSIGNED, enterprise=other_enterprise, lead_department=second, received_at=at(4, 1)
    )
    user = handler(world.home)
    response = client_for(user).get(reverse("api:demand-statistics"), {"year": str(YEAR)})
    assert response.status_code == 200
    total = {f["key"]: f for f in response.json()["total"]["figures"]}
    assert total["received"]["value"] == 1
    # The office sees both departments.
    office = client_for(world.user(Role.SERVICE_OFFICE)).get(
        reverse("api:demand-statistics"), {"year": str(YEAR)}
    )
    assert {f["key"]: f for f in office.json()["total"]["figures"]}["received"]["value"] == 2
    # A handler may not ask for another department.
    refused = client_for(user).get(
        reverse("api:demand-statistics"), {"year": str(YEAR), "department": str(second.pk)}
    )
    assert refused.status_code == 400
    assert "department" in refused.json()["error"]["fields"]


def test_handler_without_a_department_sees_nothing(world: World) -> None:
    populate(world)
    user = world.user(Role.DEPARTMENT_HANDLER)
    Staff.objects.filter(user=user).update(department=None)
    user.refresh_from_db()
    response = client_for(user).get(reverse("demands:statistics"), {"year": str(YEAR)})
    assert response.status_code == 200
    assert "您的账号未关联部门" in response.content.decode()


def test_api_answers_the_figures_and_definitions(world: World) -> None:
    populate(world)
    response = client_for(world.user(Role.LEADER)).get(
        reverse("api:demand-statistics"), {"year": str(YEAR), "group_by": "month"}
    )
    body = response.json()
    assert response.status_code == 200
    assert [d["key"] for d in body["definitions"]] == list(stats.DEFINITIONS)
    assert body["period"] == {"first": "2025-01-01", "last": "2025-12-31"}
    assert len(body["rows"]) == 12 and body["rows"][2]["key"] == "2025-03"
    figures = {f["key"]: f for f in body["total"]["figures"]}
    assert figures["received"]["value"] == 1
    assert figures["on_spot_rate"] == {
        "key": "on_spot_rate",
        "value": 0.0,
        "numerator": 0,
        "denominator": 1,
        "display": "0.0%",
    }
    assert figures["solved_rate"]["value"] is None and figures["solved_rate"]["display"] == "—"


def test_api_refuses_unknown_and_bad_parameters(world: World) -> None:
    client = client_for(world.user(Role.LEADER))
    unknown = client.get(reverse("api:demand-statistics"), {"yaer": YEAR})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "invalid_query"
    assert "yaer" in unknown.json()["error"]["fields"]
    bad = client.get(
        reverse("api:demand-statistics"),
        {"group_by": "enterprise", "date_from": "2025-05-01", "date_to": "2025-04-01"},
    )
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"group_by", "date_to"}
    other_park = client.get(reverse("api:demand-statistics"), {"jurisdiction": world.other.park.code})
    assert other_park.status_code == 400  # a park leader may not choose a jurisdiction


def test_city_user_narrows_to_one_park(world: World) -> None:
    populate(world)
    from lianqi.testing.world import make_user

    city_leader = make_user("city_leader", Role.LEADER, world.city)
    client = client_for(city_leader)
    both = client.get(reverse("api:demand-statistics"), {"year": str(YEAR)}).json()
    assert {f["key"]: f for f in both["total"]["figures"]}["received"]["value"] == 2
    one = client.get(
        reverse("api:demand-statistics"), {"year": str(YEAR), "jurisdiction": world.home.park.code}
    ).json()
    assert {f["key"]: f for f in one["total"]["figures"]}["received"]["value"] == 1
    page = client.get(reverse("demands:statistics"), {"year": str(YEAR)}).content.decode()
    assert 'id="id_jurisdiction"' in page


def test_export_has_the_table_and_the_definitions(world: World) -> None:
    populate(world)
    response = client_for(world.user(Role.LEADER)).get(
        reverse("demands:statistics_export"), {"year": str(YEAR), "tab": "category"}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    table, definitions = workbook.worksheets
    rows = list(table.iter_rows(values_only=True))
    assert rows[0][0] == "统计对象"
    assert rows[1][0] == "融资困难" and rows[-1][0] == "合计"
    assert "当即解决率（%）" in rows[0]
    signed = rows[0].index("按时签收率（%）")
    assert rows[1][signed] == "—"  # no sign yet: a dash, not 0
    texts = {row[0]: row[1] for row in definitions.iter_rows(min_row=2, values_only=True)}
    assert texts == {str(d.name): str(d.definition) for d in stats.DEFINITIONS.values()}


def test_schema_documents_the_endpoint() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/demands/statistics/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"year", "group_by", "department", "jurisdiction"}
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
