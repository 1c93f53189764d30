"""Open311 conformance with existing client libraries against the live test server.

No maintained Python 3 Open311 library both files and reads requests, so two published ones
share the work, each used as its authors ship it:

- `civicbot` (Open311Client) lists services and files a request (a real POST, form-encoded,
  with the api_key, as the specification says);
- `georeport` (GeoReport) reads the services, a definition and the request back, in JSON and
  in XML. It sends no api_key on reads, so the key travels as the user name of HTTP Basic
  authentication in the endpoint URL, which `requests` turns into the header.

`open311` 1.1 and `three` 0.8 (the older wrappers) are Python 2 code and do not import.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from lianqi.demands.choices import Channel
from lianqi.demands.models import Category, Demand
from lianqi.open311 import actions
from lianqi.testing.world import World, build_world

civicbot_open311 = pytest.importorskip("civicbot.open311")
civicbot_registry = pytest.importorskip("civicbot.registry")
georeport = pytest.importorskip("georeport")

# The live server runs in another thread, so the test's rows must be committed. Such a test
# ends with a flush that also removes the seeded category catalogue, so these tests make the
# categories they use rather than count on the seed.
pytestmark = pytest.mark.django_db(transaction=True)


def _category(name: str) -> Category:
    return Category.objects.get_or_create(name=name)[0]


@pytest.fixture
def live_world(live_server: Any) -> World:
    return build_world()


def _endpoint(live_server: Any) -> Any:
    return civicbot_registry.Endpoint(
        id="lianqi",
        name="Lianqi",
        base_url=f"{live_server.url}/open311/v2",
        write=True,
    )


def _with_key_as_user(url: str, key: str) -> str:
    # `user:@host`: requests reads credentials from a URL only when it has a password part.
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{key}:@{parts.netloc}"))


def test_a_client_library_files_a_request_and_another_reads_it_back(
    live_server: Any, live_world: World
) -> None:
    key = actions.create_key(name="客户端一致性测试", jurisdiction=live_world.home.park)[1]
    category = _category("用工招聘")
    enterprise = live_world.home.enterprise

    client = civicbot_open311.Open311Client(_endpoint(live_server), jurisdiction_id=live_world.home.park.code)
    services = client.list_services()
    assert str(category.pk) in {s["service_code"] for s in services}
    prepared = client.create_request(
        str(category.pk),
        dry_run=False,
        confirm=civicbot_open311.CONFIRM_TOKEN,
        api_key=key,
        validate_remote=True,
        address_string=enterprise.address,
        description="急需招聘焊工 20 名",
        first_name="伟",
        last_name="王",
        phone="13900000000",
        attributes={"credit_code": enterprise.credit_code},
    )
    (created,) = prepared.response
    request_id = created["service_request_id"]
    demand = Demand.objects.get(pk=int(request_id))
    assert demand.enterprise == enterprise
    assert demand.channel == Channel.API
    assert demand.description == "急需招聘焊工 20 名"

    root = _with_key_as_user(f"{live_server.url}/open311/v2", key)
    as_json = georeport.GeoReport(root, jurisdiction=live_world.home.park.code, output_format="json")
    row = as_json.get_service_request(request_id)
    assert row["service_request_id"] == request_id
    assert row["status"] == "open"
    assert row["service_code"] == str(category.pk)
    assert row["service_name"] == "用工招聘"
    assert row["address"] == enterprise.address
    assert row["requested_datetime"].endswith("+08:00")
    listed = as_json.get_service_requests(service_request_id=request_id)
    assert [r["service_request_id"] for r in listed] == [request_id]
    assert as_json.get_service_definition(str(category.pk)) == {
        "service_code": str(category.pk),
        "attributes": [],
    }

    as_xml = georeport.GeoReport(root, jurisdiction=live_world.home.park.code, output_format="xml")
    xml_row = as_xml.get_service_request(request_id)
    assert xml_row["service_request_id"] == request_id
    assert xml_row["status"] == "open"
    assert xml_row["description"] == "急需招聘焊工 20 名"
    names = {s["service_name"] for s in as_xml.get_service_list()}
    assert "用工招聘" in names


def test_a_client_library_sees_the_errors(live_server: Any, live_world: World) -> None:
    """Without a key a read is refused (403); with another park's key the request is not
    found (404): both reach the library as HTTP errors."""
    demand = Demand.objects.create(
        jurisdiction=live_world.home.park,
        enterprise=live_world.home.enterprise,
        category=_category("融资困难"),
        channel=Channel.LIAISON,
        description="贷款审批慢",
        received_at=live_world.home.park.created_at,
    )
    base = f"{live_server.url}/open311/v2"
    assert _refusal(georeport.GeoReport(base), str(demand.pk)) == (403, 403)
    other_key = actions.create_key(name="经开区平台", jurisdiction=live_world.other.park)[1]
    assert _refusal(georeport.GeoReport(_with_key_as_user(base, other_key)), str(demand.pk)) == (404, 404)


def _refusal(client: Any, request_id: str) -> tuple[int, int]:
    """The HTTP status and the Open311 error code of a read the library reports as failed."""
    import requests

    try:
        client.get_service_request(request_id)
    except requests.HTTPError as exc:
        response = exc.response
        assert response is not None
        # Close it here: a response kept alive keeps the live server's request thread alive
        # past the end of the test, and past the database it shares.
        status, code = response.status_code, response.json()[0]["code"]
        response.close()
        return status, code
    raise AssertionError("the read was not refused")
