"""Chinese search of the register as the list page runs it, and the PostgreSQL trigram index
that keeps it fast."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.world import World, make_enterprise


def listed(world: World, query: str) -> str:
    client = Client()
    client.force_login(world.user(Role.LIAISON))
    return client.get(reverse("enterprises:list"), {"q": query}).content.decode()


def test_search_by_words_in_any_order_and_spacing(world: World) -> None:
    target = make_enterprise(world.home.park, "湘潭华菱线缆电缆有限公司", address="湘潭市岳塘区滴水路")
    other = make_enterprise(world.home.park, "长沙电机有限公司", address="长沙市雨花区")
    for query in ("湘潭电缆", "湘潭 电缆", "电缆 湘潭", "华菱"):
        page = listed(world, query)
        assert target.name in page, query
        assert other.name not in page, query


def test_search_by_credit_code_fragment_and_address(world: World) -> None:
    target = make_enterprise(world.home.park, "湖南星城机械有限公司", address="高新区晓塘东路18号")
    page = listed(world, target.credit_code[-8:].lower())
    assert target.name in page
    assert target.name in listed(world, "晓塘东路")
    assert world.home.enterprise.name not in listed(world, "晓塘东路")


def test_search_never_crosses_the_jurisdiction(world: World) -> None:
    page = listed(world, "示范电缆")
    assert world.home.enterprise.name in page
    assert world.other.enterprise.name not in page


@pytest.mark.postgres
def test_trigram_index_exists_on_postgresql(db: object) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL-only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'enterprises_enterprise' AND indexdef LIKE %s",
            ["%gin_trgm_ops%"],
        )
        rows = cursor.fetchall()
    assert rows and "search_text" in rows[0][0]
