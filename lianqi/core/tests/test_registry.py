"""A new wing joins the shell through core's registries alone. The sample wing rendered from the
app template (`lianqi/testing/sample/`, installed by the test settings only; nothing in core or
a sibling app names it) shows in the menu under its own group, on the home page, in the API
and its schema, on the enterprise's code page and in the enterprise's file — each only for the
roles it registered for — and its measure is computed by its key."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lianqi.core import registry
from lianqi.core.navigation import groups_for, items_for
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.testing.sample.choices import SampleState
from lianqi.testing.sample.tests.factories import TITLE, make_sample
from lianqi.testing.world import World

#: Roles the sample wing registered nothing for (its menu entry, card and file section are the
#: service office's, leaders' and administrators').
OUTSIDERS = (Role.LIAISON, Role.DEPARTMENT_HANDLER, Role.ENTERPRISE, Role.FINANCE)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def nav(html: str) -> str:
    return html.split('data-testid="nav"')[1].split("</ul>")[0]


# --- Menu -------------------------------------------------------------------------------------


def test_the_menu_shows_the_wing_under_its_own_group_to_its_roles(world: World) -> None:
    assert "sample" in [group.key for group in registry.menu_groups()]
    for role in (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN):
        user = world.user(role)
        [entry] = [item for item in items_for(user) if item["url_name"] == "sample:list"]
        assert (entry["group"], entry["group_label"], entry["url"]) == ("sample", "新模块", "/sample/")
        html = client_for(user).get(reverse("home")).content.decode()
        # A group with one entry for this user shows the entry itself.
        assert re.search(r'data-group="sample">\s*<a class="nav-link" href="/sample/"', nav(html)), role
    for role in OUTSIDERS:
        user = world.user(role)
        assert not [item for item in items_for(user) if item["group"] == "sample"], role
        assert 'data-group="sample"' not in nav(client_for(user).get(reverse("home")).content.decode())


def test_two_groups_of_the_same_order_are_never_interleaved(world: World) -> None:
    # The sample wing's group and inspections' share an order; each module still shows once.
    orders = [group.order for group in registry.menu_groups()]
    assert len(orders) > len(set(orders))
    for role in Role:
        keys = [group["key"] for group in groups_for(items_for(world.user(role)))]
        assert len(keys) == len(set(keys)), (role, keys)


# --- Home page --------------------------------------------------------------------------------


def sections(response: Any) -> dict[str, Any]:
    return {section.role: section for section in response.context["dashboard"]["sections"]}


def test_the_home_page_shows_the_wing_s_card_to_the_office_counted_on_its_scope(world: World) -> None:
    make_sample(world)
    make_sample(world, SampleState.SUBMITTED)
    make_sample(world, SampleState.CLOSED)
    make_sample(world, side=world.other)
    office = sections(client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("home")))
    cards = {str(card.label): card for card in office[Role.SERVICE_OFFICE].cards}
    assert (cards["在办事项"].value, cards["在办事项"].url) == (2, "/sample/")
    assert "sample.office" in [part.key for part in registry.dashboard_parts(Role.SERVICE_OFFICE)]
    for role in (Role.LEADER, *OUTSIDERS):
        home = sections(client_for(world.user(role)).get(reverse("home")))
        labels = [str(card.label) for section in home.values() for card in section.cards]
        assert "在办事项" not in labels, role


# --- API --------------------------------------------------------------------------------------


def test_the_api_routes_the_wing_for_its_roles(world: World) -> None:
    make_sample(world)
    assert "sample" in [route.basename for route in registry.api_routes()]
    assert reverse("api:sample-list") == "/api/v1/sample/"
    listed = client_for(world.user(Role.SERVICE_OFFICE)).get("/api/v1/sample/")
    assert listed.status_code == 200
    assert [row["title"] for row in listed.json()["results"]] == [TITLE]
    assert client_for(world.user(Role.LIAISON)).get("/api/v1/sample/").status_code == 403


def test_the_api_schema_documents_the_wing(db: Any) -> None:
    # The schema the product's tests read leaves the test-only wings out (`lianqi.testing.schema`).
    with override_settings(LIANQI_SCHEMA_WITH_TEST_WINGS=True):
        schema = Client().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/sample/"]) >= {"get"}
    assert set(paths["/api/v1/sample/{id}/"]) >= {"get"}
    step = paths["/api/v1/sample/{id}/steps/{name}/"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(step["responses"])
    assert "Sample" in schema["components"]["schemas"]


# --- The enterprise's code page ---------------------------------------------------------------


def test_the_code_page_shows_the_wing_s_tile_and_opens_its_page(world: World) -> None:
    make_sample(world)
    make_sample(world, SampleState.CLOSED)
    token = world.home.enterprise.code_token
    html = Client().get(f"/c/{token}/").content.decode()
    tile = re.search(r'<a [^>]*href="([^"]+)" data-entry="sample">(.*?)</a>', html, re.S)
    assert tile is not None
    assert tile.group(1) == f"/c/{token}/sample/" == reverse("codes:sample_list", args=[token])
    assert "件办理中" not in tile.group(2)  # counts are the enterprise's business
    # The tile's page shows the enterprise's own items: whoever holds the code confirms its phone.
    response = Client().get(tile.group(1))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("codes:confirm_phone", args=[token]))
    # The enterprise's own user sees the count and the page.
    member = Client()
    member.force_login(world.user(Role.ENTERPRISE))
    assert "1 件办理中" in member.get(f"/c/{token}/").content.decode()
    assert member.get(tile.group(1)).status_code == 200


# --- The enterprise's file --------------------------------------------------------------------


def test_the_enterprise_s_file_loads_the_wing_s_section_for_its_roles(world: World) -> None:
    """The file page renders each registered section as ``<section … data-section="<key>"
    hx-get="<url>" hx-trigger="load">`` for the roles the section names."""
    enterprise = world.home.enterprise
    section_url = reverse("sample:enterprise_section", args=[enterprise.pk])
    for role in (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN):
        html = client_for(world.user(role)).get(f"/enterprises/{enterprise.pk}/").content.decode()
        tag = re.search(r'<section\b[^>]*\bdata-section="sample"[^>]*>', html)
        assert tag is not None, role
        assert f'hx-get="{section_url}"' in tag.group(0), role
        assert 'hx-trigger="load"' in tag.group(0), role
    for role in (Role.LIAISON, Role.DEPARTMENT_HANDLER):
        response = client_for(world.user(role)).get(f"/enterprises/{enterprise.pk}/")
        assert response.status_code == 200
        assert 'data-section="sample"' not in response.content.decode(), role


def test_the_wing_s_section_of_the_file_is_scoped(world: World) -> None:
    make_sample(world)
    assert "sample" in [section.key for section in registry.enterprise_sections()]
    url = reverse("sample:enterprise_section", args=[world.home.enterprise.pk])
    shown = client_for(world.user(Role.SERVICE_OFFICE)).get(url)
    assert shown.status_code == 200 and TITLE in shown.content.decode()
    assert client_for(world.other_user(Role.SERVICE_OFFICE)).get(url).status_code == 404
    assert client_for(world.user(Role.LIAISON)).get(url).status_code == 403


# --- Measures ---------------------------------------------------------------------------------


def test_the_wing_s_measure_is_computed_by_its_key(world: World) -> None:
    make_sample(world)
    make_sample(world, SampleState.CLOSED)
    make_sample(world, side=world.other)
    measure = registry.measure("sample.registered")
    assert measure in registry.measures()
    assert (str(measure.label), str(measure.unit)) == ("登记事项数", "件")
    assert str(measure.definition)
    year = Period.year(timezone.localdate().year)
    assert measure.compute(world.home.park.path, year) == 2
    assert measure.compute(world.city.path, year) == 3
    assert measure.compute(world.home.park.path, Period.year(2000)) == 0
    with pytest.raises(KeyError, match=r"sample\.registered"):
        registry.measure("sample.unknown")
