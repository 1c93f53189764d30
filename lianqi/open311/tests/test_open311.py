"""Every Open311 endpoint in JSON and in XML (parsed with xml.etree), its errors in the
specification's format, and the scope of a key: another jurisdiction's request is a 404."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from lianqi.core.roles import Role
from lianqi.demands.choices import Channel, DemandState
from lianqi.demands.models import Demand, DemandEvent
from lianqi.demands.tests.factories import AT, category, make_demand
from lianqi.open311 import actions
from lianqi.open311.models import Open311Key
from lianqi.testing.world import World, make_enterprise

BASE = "/open311/v2"


@pytest.fixture
def key(world: World) -> str:
    """A park-wide key of the home park (a hotline bridge, say)."""
    return actions.create_key(name="12345 热线对接", jurisdiction=world.home.park)[1]


@pytest.fixture
def other_key(world: World) -> str:
    return actions.create_key(name="经开区平台", jurisdiction=world.other.park)[1]


def _json(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def _xml(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    return ET.fromstring(response.content)


def _json_error(response: Any, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.content)
    body = _json(response)
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["code"] == status
    return str(body[0]["description"])


def _xml_error(response: Any, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.content)
    root = _xml(response)
    assert root.tag == "errors"
    error = root.find("error")
    assert error is not None
    assert error.findtext("code") == str(status)
    return error.findtext("description") or ""


def _new_request(key: str, world: World, **extra: str) -> Any:
    data = {
        "api_key": key,
        "service_code": str(category().pk),
        "description": "厂区门口道路破损，货车无法进出",
        "attribute[credit_code]": world.home.enterprise.credit_code,
        "first_name": "伟",
        "last_name": "王",
        "phone": "13900000000",
        **extra,
    }
    return Client().post(f"{BASE}/requests.json", data)


# --- services ---------------------------------------------------------------------------------


def test_services_json(db: Any) -> None:
    body = _json(Client().get(f"{BASE}/services.json"))
    financing = next(s for s in body if s["service_name"] == "融资困难")
    assert financing["service_code"] == str(category().pk)
    assert financing["metadata"] is False
    assert financing["type"] == "realtime"
    assert financing["group"] == "企业诉求"
    assert financing["description"]


def test_services_xml(db: Any) -> None:
    root = _xml(Client().get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert services
    financing = next(s for s in services if s.findtext("service_name") == "融资困难")
    assert financing.findtext("service_code") == str(category().pk)
    assert financing.findtext("metadata") == "false"
    assert financing.findtext("type") == "realtime"


def test_inactive_categories_are_not_services(db: Any) -> None:
    other = category("其他")
    other.is_active = False
    other.save()
    names = {s["service_name"] for s in _json(Client().get(f"{BASE}/services.json"))}
    assert "其他" not in names
    _json_error(Client().get(f"{BASE}/services/{other.pk}.json"), 404)


def test_service_definition_json_and_xml(db: Any) -> None:
    code = category().pk
    assert _json(Client().get(f"{BASE}/services/{code}.json")) == {
        "service_code": str(code),
        "attributes": [],
    }
    root = _xml(Client().get(f"{BASE}/services/{code}.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == str(code)
    attributes = root.find("attributes")
    assert attributes is not None and len(attributes) == 0


def test_unknown_service_is_404_in_both_formats(db: Any) -> None:
    assert "999999" in _json_error(Client().get(f"{BASE}/services/999999.json"), 404)
    assert "999999" in _xml_error(Client().get(f"{BASE}/services/999999.xml"), 404)


def test_unknown_format_and_address_are_404(db: Any) -> None:
    _json_error(Client().get(f"{BASE}/services.csv"), 404)
    _json_error(Client().get(f"{BASE}/discovery.json"), 404)
    _xml_error(Client().get(f"{BASE}/nothing.xml"), 404)


# --- keys -------------------------------------------------------------------------------------


def test_requests_need_a_key(world: World) -> None:
    assert "api_key" in _json_error(Client().get(f"{BASE}/requests.json"), 403)
    _xml_error(Client().get(f"{BASE}/requests.xml"), 403)
    _json_error(Client().get(f"{BASE}/requests.json", {"api_key": "lq311_wrong"}), 403)
    demand = make_demand(world)
    _json_error(Client().get(f"{BASE}/requests/{demand.pk}.json"), 403)
    _xml_error(Client().post(f"{BASE}/requests.xml", {"service_code": "1"}), 403)


def test_a_key_is_stored_only_as_a_hash_and_can_be_switched_off(world: World, key: str) -> None:
    row = Open311Key.objects.get()
    assert key.startswith("lq311_") and key.startswith(row.prefix)
    assert key not in (row.key_hash, row.prefix)
    response = Client().get(f"{BASE}/requests.json", {"api_key": key})
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None
    row.is_active = False
    row.save()
    _json_error(Client().get(f"{BASE}/requests.json", {"api_key": key}), 403)


def test_a_key_may_come_as_http_basic_user_name(world: World, key: str) -> None:
    demand = make_demand(world)
    header = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    response = Client().get(f"{BASE}/requests/{demand.pk}.json", HTTP_AUTHORIZATION=header)
    assert response.status_code == 200
    assert len(_json(response)) == 1
    wrong = "Basic " + base64.b64encode(b"lq311_wrong:").decode()
    _json_error(Client().get(f"{BASE}/requests/{demand.pk}.json", HTTP_AUTHORIZATION=wrong), 403)


def test_a_jurisdiction_id_must_be_the_keys(world: World, key: str) -> None:
    ok = Client().get(f"{BASE}/requests.json", {"api_key": key, "jurisdiction_id": world.home.park.code})
    assert ok.status_code == 200
    _json_error(
        Client().get(f"{BASE}/requests.json", {"api_key": key, "jurisdiction_id": world.other.park.code}), 403
    )


# --- GET requests -----------------------------------------------------------------------------


def _recent(world: World, state: str = DemandState.RECEIVED, **fields: Any) -> Demand:
    fields.setdefault("received_at", dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    return make_demand(world, state, **fields)


def test_requests_json_lists_the_keys_demands(world: World, key: str) -> None:
    demand = _recent(world, DemandState.ASSIGNED, due_on=dt.date(2025, 3, 10))
    body = _json(Client().get(f"{BASE}/requests.json", {"api_key": key}))
    assert [r["service_request_id"] for r in body] == [str(demand.pk)]
    row = body[0]
    assert row["status"] == "open"
    assert row["status_notes"] == "已交办"
    assert row["service_code"] == str(category().pk)
    assert row["service_name"] == "融资困难"
    assert row["description"] == demand.description
    assert row["agency_responsible"] == world.home.department.name
    assert row["expected_datetime"] == "2025-03-10T23:59:59+08:00"
    assert row["requested_datetime"].endswith("+08:00")
    assert row["updated_datetime"].endswith("+08:00")
    assert row["address"] == world.home.enterprise.address
    assert "lat" not in row and "long" not in row


def test_requests_xml_lists_the_keys_demands(world: World, key: str) -> None:
    demand = _recent(world, DemandState.CLOSED, reply="已协调银行放款")
    root = _xml(Client().get(f"{BASE}/requests.xml", {"api_key": key}))
    assert root.tag == "service_requests"
    rows = root.findall("request")
    assert [r.findtext("service_request_id") for r in rows] == [str(demand.pk)]
    assert rows[0].findtext("status") == "closed"
    assert rows[0].findtext("status_notes") == "已解决：已协调银行放款"
    assert rows[0].findtext("agency_responsible") == world.home.department.name
    assert rows[0].findtext("address") == world.home.enterprise.address


def test_a_key_never_sees_another_jurisdiction(world: World, key: str, other_key: str) -> None:
    demand = _recent(world)
    assert _json(Client().get(f"{BASE}/requests.json", {"api_key": other_key})) == []
    by_id = Client().get(
        f"{BASE}/requests.json", {"api_key": other_key, "service_request_id": str(demand.pk)}
    )
    assert _json(by_id) == []
    _json_error(Client().get(f"{BASE}/requests/{demand.pk}.json", {"api_key": other_key}), 404)
    _xml_error(Client().get(f"{BASE}/requests/{demand.pk}.xml", {"api_key": other_key}), 404)


def test_an_enterprise_key_sees_only_its_enterprise(world: World) -> None:
    neighbour = make_enterprise(world.home.park, "湘潭高新区邻居公司")
    mine = _recent(world)
    theirs = _recent(world, enterprise=neighbour)
    raw = actions.create_key(name="企业 ERP", jurisdiction=world.home.park, enterprise=world.home.enterprise)[
        1
    ]
    ids = {r["service_request_id"] for r in _json(Client().get(f"{BASE}/requests.json", {"api_key": raw}))}
    assert ids == {str(mine.pk)}
    _json_error(Client().get(f"{BASE}/requests/{theirs.pk}.json", {"api_key": raw}), 404)


def test_one_request_json_and_xml(world: World, key: str) -> None:
    demand = make_demand(world)  # long ago: a single request is found whatever its date
    body = _json(Client().get(f"{BASE}/requests/{demand.pk}.json", {"api_key": key}))
    assert len(body) == 1 and body[0]["service_request_id"] == str(demand.pk)
    assert body[0]["expected_datetime"] is None
    assert body[0]["agency_responsible"] is None
    root = _xml(Client().get(f"{BASE}/requests/{demand.pk}.xml", {"api_key": key}))
    assert root.tag == "service_requests"
    (row,) = root.findall("request")
    assert row.findtext("service_request_id") == str(demand.pk)
    assert row.findtext("status") == "open"
    _json_error(Client().get(f"{BASE}/requests/99999999.json", {"api_key": key}), 404)


def test_requests_filters(world: World, key: str) -> None:
    now = dt.datetime.now(dt.UTC)
    open_one = _recent(world)
    closed = _recent(world, DemandState.CLOSED, category=category("用地需求"))
    old = make_demand(world, received_at=AT)

    def ids(**params: str) -> set[str]:
        response = Client().get(f"{BASE}/requests.json", {"api_key": key, **params})
        return {r["service_request_id"] for r in _json(response)}

    assert ids() == {str(open_one.pk), str(closed.pk)}  # the last 90 days by default
    assert ids(status="open") == {str(open_one.pk)}
    assert ids(status="closed") == {str(closed.pk)}
    assert ids(status="open,closed") == {str(open_one.pk), str(closed.pk)}
    assert ids(service_code=str(category("用地需求").pk)) == {str(closed.pk)}
    assert ids(service_request_id=f"{old.pk},{closed.pk}") == {str(old.pk), str(closed.pk)}
    assert ids(start_date="2025-03-01T00:00:00Z", end_date="2025-03-31T00:00:00+08:00") == {str(old.pk)}
    assert ids(start_date=(now - dt.timedelta(days=3)).isoformat()) == {str(open_one.pk), str(closed.pk)}
    assert ids(end_date="2025-03-05T00:00:00Z") == {str(old.pk)}


def test_requests_refuse_bad_parameters(world: World, key: str) -> None:
    def get(fmt: str = "json", **params: str) -> Any:
        return Client().get(f"{BASE}/requests.{fmt}", {"api_key": key, **params})

    assert "status" in _json_error(get(status="pending"), 400)
    assert "service_code" in _json_error(get(service_code="abc"), 400)
    assert "service_request_id" in _json_error(get(service_request_id="1;2"), 400)
    assert "start_date" in _json_error(get(start_date="yesterday"), 400)
    assert "90" in _json_error(get(start_date="2025-01-01T00:00:00Z", end_date="2025-06-01T00:00:00Z"), 400)
    _json_error(get(start_date="2025-03-01T00:00:00Z", end_date="2025-02-01T00:00:00Z"), 400)
    assert "status" in _xml_error(get("xml", status="pending"), 400)


# --- POST requests ----------------------------------------------------------------------------


def test_post_files_a_demand_json(world: World, key: str) -> None:
    response = _new_request(key, world)
    assert response.status_code == 201, response.content
    (row,) = _json(response)
    demand = Demand.objects.get(pk=int(row["service_request_id"]))
    assert row["account_id"] == world.home.enterprise.credit_code
    assert row["service_notice"]
    assert demand.enterprise == world.home.enterprise
    assert demand.channel == Channel.API
    assert demand.category == category()
    assert demand.contact_phone == "13900000000"
    assert demand.contact_name == "王伟"
    assert demand.state == DemandState.RECEIVED
    assert DemandEvent.objects.filter(demand=demand, action="submit").count() == 1
    # The client can read it back at once.
    (read,) = _json(Client().get(f"{BASE}/requests/{demand.pk}.json", {"api_key": key}))
    assert read["status"] == "open" and read["description"] == "厂区门口道路破损，货车无法进出"


def test_post_files_a_demand_xml_with_the_credit_code_as_account_id(world: World, key: str) -> None:
    code = world.home.enterprise.credit_code
    response = Client().post(
        f"{BASE}/requests.xml",
        {
            "api_key": key,
            "service_code": str(category().pk),
            "description": "招工难",
            "account_id": code.lower(),
            "phone": "13900000001",
        },
    )
    assert response.status_code == 201, response.content
    root = _xml(response)
    assert root.tag == "service_requests"
    row = root.find("request")
    assert row is not None
    assert (
        Demand.objects.get(pk=int(row.findtext("service_request_id") or 0)).enterprise
        == world.home.enterprise
    )
    assert row.findtext("account_id") == code


def test_post_with_an_enterprise_key_needs_no_credit_code(world: World) -> None:
    raw = actions.create_key(name="企业 ERP", jurisdiction=world.home.park, enterprise=world.home.enterprise)[
        1
    ]
    response = _new_request(raw, world, **{"attribute[credit_code]": ""})
    assert response.status_code == 201, response.content
    neighbour = make_enterprise(world.home.park, "湘潭高新区邻居公司")
    refused = _new_request(raw, world, **{"attribute[credit_code]": neighbour.credit_code})
    _json_error(refused, 403)
    assert Demand.objects.count() == 1


def test_post_refuses_what_it_cannot_file(world: World, key: str) -> None:
    assert "phone" in _json_error(_new_request(key, world, phone=""), 400)
    assert "description" in _json_error(_new_request(key, world, description=" "), 400)
    assert "4000" in _json_error(_new_request(key, world, description="长" * 4001), 400)
    assert "service_code" in _json_error(_new_request(key, world, service_code="999999"), 400)
    assert "service_code" in _json_error(_new_request(key, world, service_code=""), 400)
    assert "attribute[credit_code]" in _json_error(
        _new_request(key, world, **{"attribute[credit_code]": ""}), 400
    )
    # Another park's enterprise is not in this key's jurisdiction.
    other = world.other.enterprise.credit_code
    assert other in _json_error(_new_request(key, world, **{"attribute[credit_code]": other}), 400)
    assert not Demand.objects.exists()


def test_post_with_another_parks_key_cannot_file_for_a_home_enterprise(world: World, other_key: str) -> None:
    _json_error(_new_request(other_key, world), 400)
    assert not Demand.objects.exists()


def test_methods_not_supported_are_405(world: World, key: str) -> None:
    _json_error(Client().delete(f"{BASE}/requests.json?api_key={key}"), 405)
    _json_error(Client().post(f"{BASE}/services.json"), 405)


# --- making keys ------------------------------------------------------------------------------


def test_the_command_prints_a_working_key_once(world: World) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_open311_key",
        name="企业 ERP",
        jurisdiction=world.home.park.code,
        enterprise=world.home.enterprise.credit_code,
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    row = Open311Key.objects.get()
    assert row.enterprise == world.home.enterprise
    assert raw.startswith(row.prefix) and raw != row.key_hash
    assert Client().get(f"{BASE}/requests.json", {"api_key": raw}).status_code == 200


def test_the_admin_shows_a_new_key_once(world: World) -> None:
    admin = world.user(Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/django-admin/open311/open311key/add/",
        {"name": "12345 热线对接", "jurisdiction": world.home.park.pk, "enterprise": ""},
        follow=True,
    )
    assert response.status_code == 200
    row = Open311Key.objects.get()
    text = response.content.decode()
    assert row.prefix in text
    raw = text[text.index(row.prefix) :].split("<", 1)[0].strip()
    assert actions.authenticate(raw) == row
