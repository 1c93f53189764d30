"""The staff's one search box finds enterprises, demands and policies — only what the user may
see — and leads to each kind's own list for every match."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.demands.choices import DemandState
from lianqi.demands.tests.factories import make_demand
from lianqi.policies.choices import PolicyKind, PolicyLevel
from lianqi.policies.models import Policy
from lianqi.testing.world import World, make_enterprise


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def results(response: Any) -> dict[str, list[str]]:
    return {group["key"]: [hit.title for hit in group["hits"]] for group in response.context["groups"]}


def test_an_enterprise_is_found_by_name_or_credit_code_in_one_s_own_park_only(world: World) -> None:
    office = client_for(world.user(Role.SERVICE_OFFICE))
    home, other = world.home.enterprise, world.other.enterprise
    found = results(office.get(reverse("search"), {"q": home.name[-4:]}))
    assert home.name in found["enterprises"]
    assert results(office.get(reverse("search"), {"q": home.credit_code}))["enterprises"] == [home.name]
    assert results(office.get(reverse("search"), {"q": other.name}))["enterprises"] == []


def test_a_demand_is_found_by_its_number_or_its_words(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED, description="光伏屋顶并网手续办理慢")
    office = client_for(world.user(Role.SERVICE_OFFICE))
    for q in (f"#{demand.pk}", str(demand.pk), "光伏"):
        titles = results(office.get(reverse("search"), {"q": q}))["demands"]
        assert f"#{demand.pk} {demand.enterprise.name}" in titles, q
    # Another park's office does not find it, by number or by words.
    stranger = client_for(world.other_user(Role.SERVICE_OFFICE))
    assert results(stranger.get(reverse("search"), {"q": str(demand.pk)}))["demands"] == []
    assert results(stranger.get(reverse("search"), {"q": "光伏"}))["demands"] == []


def test_a_policy_is_found_by_its_title(world: World) -> None:
    Policy.objects.create(
        jurisdiction=world.home.park,
        code="XT-2026-009",
        title="湘潭高新区光伏应用示范补贴",
        level=PolicyLevel.PARK,
        kind=PolicyKind.AWARD,
    )
    found = results(client_for(world.user(Role.LEADER)).get(reverse("search"), {"q": "光伏应用"}))
    assert found["policies"] == ["湘潭高新区光伏应用示范补贴"]


def test_many_matches_lead_to_the_kind_s_own_list(world: World) -> None:
    for number in range(10):
        make_enterprise(world.home.park, f"湘潭星火电子第{number}分厂")
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("search"), {"q": "星火电子"})
    group = next(g for g in response.context["groups"] if g["key"] == "enterprises")
    assert len(group["hits"]) == 8
    assert group["more_url"] == f"{reverse('enterprises:list')}?q=%E6%98%9F%E7%81%AB%E7%94%B5%E5%AD%90"
    listing = client_for(world.user(Role.SERVICE_OFFICE)).get(group["more_url"]).content.decode()
    assert listing.count("湘潭星火电子第") >= 10


def test_the_search_box_is_for_staff(world: World) -> None:
    home = client_for(world.user(Role.LIAISON)).get(reverse("home")).content.decode()
    assert 'data-testid="global-search"' in home
    enterprise = client_for(world.user(Role.ENTERPRISE))
    assert 'data-testid="global-search"' not in enterprise.get(reverse("home")).content.decode()
    assert enterprise.get(reverse("search"), {"q": "x"}).status_code == 403
