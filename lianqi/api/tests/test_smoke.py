"""Every list endpoint the router knows answers 200 with a page of results for a user who may
call it, so that a newly registered endpoint cannot be broken without a test noticing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from lianqi.api.urls import router
from lianqi.core.roles import Role
from lianqi.testing.world import World


def test_every_list_endpoint_answers_200(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    listed = []
    for prefix, viewset, basename in router.registry:
        if not hasattr(viewset, "list"):
            continue
        response = client.get(reverse(f"api:{basename}-list"))
        assert response.status_code == 200, (prefix, response.status_code, response.content[:300])
        body = response.json()
        if body.get("type") == "FeatureCollection":
            # A map's GeoJSON is one collection, as its schema says, not a page.
            assert isinstance(body["features"], list), prefix
        else:
            assert set(body) == {"count", "next", "previous", "results"}, prefix
        listed.append(prefix)
    assert {
        "enterprises",
        "staff",
        "departments",
        "jurisdictions",
        "liaison-changes",
        "industries",
        "tags",
    } <= set(listed)


def test_me_answers_200_for_every_role(world: World) -> None:
    for role in Role:
        client = Client()
        client.force_login(world.user(role))
        assert client.get(reverse("api:me")).status_code == 200, role
