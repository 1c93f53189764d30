"""The enterprise's code (营商码) is printed on the factory gate: a walk of every page registered
under `/c/<token>/`, by whoever holds the code and nothing more, finds only the pages meant for
anyone (the code page and confirming a phone), and neither of them shows the enterprise's
demands, replies, policies or figures. Pages that a later app registers are walked too."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lianqi.demands.choices import DemandState
from lianqi.demands.tests.factories import make_demand
from lianqi.policies.tests.test_api import TITLE, policy_in_force
from lianqi.testing.world import World

from ..views.code import CodeAccess

#: The only pages anyone holding the code may open.
PUBLIC_PAGES = {"public", "confirm_phone"}


def code_patterns() -> list[URLPattern]:
    """Every URL pattern in the ``codes`` namespace, as the apps registered them."""
    resolver = get_resolver()
    found: list[URLPattern] = []

    def walk(patterns: list[Any], inside: bool) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, inside or entry.namespace == "codes")
            elif inside and isinstance(entry, URLPattern):
                found.append(entry)

    walk(resolver.url_patterns, False)
    return found


def fill(pattern: URLPattern, token: str, pk: int) -> str:
    """The pattern's address with the token and an object of the enterprise filled in."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
    kwargs = {name: token if name == "token" else pk for name in names}
    return reverse(f"codes:{pattern.name}", kwargs=kwargs)


def private_world(world: World) -> tuple[str, int, list[str]]:
    """The home enterprise with a replied demand, a matched policy and yearly figures; its
    token, the demand's key, and texts that must not be shown to a stranger."""
    demand = make_demand(
        world, DemandState.REPLIED, description="厂区道路积水需要疏通", contact_phone="13700001111"
    )
    policy_in_force(world)  # also records the enterprise's revenue: 2600 万元
    return (
        world.home.enterprise.code_token,
        demand.pk,
        ["厂区道路积水需要疏通", TITLE, "2600", "13700001111", "件办理中"],
    )


def test_the_pages_meant_for_anyone_are_only_the_code_page_and_the_phone_confirmation() -> None:
    patterns = code_patterns()
    assert {p.name for p in patterns} >= PUBLIC_PAGES | {"demand_list", "policy_list"}
    public = {p.name for p in patterns if getattr(p.callback, "view_class", None).access is CodeAccess.PUBLIC}  # type: ignore[union-attr]
    assert public == PUBLIC_PAGES


def test_a_stranger_holding_the_code_finds_nothing_private(world: World) -> None:
    token, pk, secrets = private_world(world)
    confirm = reverse("codes:confirm_phone", args=[token])
    walked = 0
    for pattern in code_patterns():
        url = fill(pattern, token, pk)
        for method in ("get", "post"):
            response = getattr(Client(), method)(url, {})
            body = response.content.decode()
            for secret in secrets:
                assert secret not in body, (method, url, secret)
            if pattern.name in PUBLIC_PAGES:
                assert response.status_code in (200, 400, 405), (method, url)
            else:
                assert response.status_code == 302, (method, url)
                assert response["Location"].startswith(confirm), (method, url)
            walked += 1
    assert walked >= 2 * len(PUBLIC_PAGES | {"demand_list", "demand_detail", "policy_list", "policy_detail"})
