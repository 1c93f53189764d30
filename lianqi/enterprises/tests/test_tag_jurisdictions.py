"""Tags belong to a jurisdiction: a park sees the national tags, its city's and its own, never a
sibling park's; it changes only its own; national tags are the administrator's. Names are
unique along a line of the tree; an enterprise carries only tags its jurisdiction sees (form,
API, Excel import); the migration puts today's tags where their enterprises are."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.enterprises.actions import tags as actions
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.importing import check_records
from lianqi.enterprises.models import Enterprise, Tag
from lianqi.enterprises.tests.fixtures_import import row
from lianqi.org.choices import JurisdictionLevel
from lianqi.org.models import Jurisdiction
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World, credit_code, make_enterprise, make_user

migration = importlib.import_module("lianqi.enterprises.migrations.0008_tags_by_jurisdiction")

ALL_ROLES = tuple(Role)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Vocabulary:
    national: Tag
    city: Tag
    home: Tag
    other: Tag


@pytest.fixture
def tags(world: World) -> Vocabulary:
    return Vocabulary(
        national=Tag.objects.create(name="专精特新"),
        city=Tag.objects.create(name="链主企业", jurisdiction=world.city),
        home=Tag.objects.create(name="亩均效益A类企业", jurisdiction=world.home.park),
        other=Tag.objects.create(name="汽车零部件配套企业", jurisdiction=world.other.park),
    )


def city_office(world: World) -> User:
    return make_user("city_office", Role.SERVICE_OFFICE, world.city, display_name="湘潭市营商办")


def names_listed(client: Client) -> set[str]:
    response = client.get(reverse("enterprises:tags"))
    assert response.status_code == 200
    return {r["tag"].name for r in response.context["rows"]}


def api_names(client: Client) -> set[str]:
    response = client.get("/api/v1/tags/")
    assert response.status_code == 200
    return {t["name"] for t in response.json()["results"]}


def change_pages(tag: Tag) -> list[tuple[str, dict[str, Any]]]:
    return [
        (reverse("enterprises:tag_edit", args=[tag.pk]), {"name": "改名", "description": "", "order": 1}),
        (reverse("enterprises:tag_merge", args=[tag.pk]), {"target": tag.pk}),
        (reverse("enterprises:tag_delete", args=[tag.pk]), {}),
    ]


# --- Contracts of the API -----------------------------------------------------------------------


class TestTagApiDetailContract(ApiObjectContract):
    allowed_roles = ALL_ROLES

    def url(self, world: World) -> str:
        tag = Tag.objects.get_or_create(name="亩均效益A类企业", jurisdiction=world.home.park)[0]
        return f"/api/v1/tags/{tag.pk}/"


class TestTagApiListContract(ApiListContract):
    allowed_roles = ALL_ROLES

    def url(self, world: World) -> str:
        Tag.objects.get_or_create(name="亩均效益A类企业", jurisdiction=world.home.park)
        return "/api/v1/tags/"

    def marker(self, world: World) -> str:
        return "亩均效益A类企业"


# --- Who sees and changes what ------------------------------------------------------------------


def test_another_parks_office_can_neither_see_nor_change_the_parks_tag(
    world: World, tags: Vocabulary
) -> None:
    """The flaw found in review: 湘潭经开区's office renamed a tag of 湘潭高新区's enterprises."""
    world.home.enterprise.tags.add(tags.home)
    client = client_for(world.other_user(Role.SERVICE_OFFICE))

    assert tags.home.name not in names_listed(client)
    for url, data in change_pages(tags.home):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert client.get(f"/api/v1/tags/{tags.home.pk}/").status_code == 404
    assert tags.home.name not in api_names(client)
    # Nor can it filter by it: the id is refused as if it did not exist.
    assert client.get("/api/v1/enterprises/", {"tag": tags.home.pk}).status_code == 400
    assert tags.home.name not in client.get(reverse("enterprises:list")).content.decode()

    tags.home.refresh_from_db()
    assert tags.home.name == "亩均效益A类企业"
    assert world.home.enterprise.tags.filter(pk=tags.home.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.update_tag(
            tag=tags.home, actor=world.other_user(Role.SERVICE_OFFICE), name="改名", description="", order=1
        )


def test_a_park_sees_national_city_and_own_tags_and_changes_only_its_own(
    world: World, tags: Vocabulary
) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    client = client_for(office)
    seen = {tags.national.name, tags.city.name, tags.home.name}

    assert names_listed(client) == seen
    assert api_names(client) == seen
    assert api_names(client_for(world.user(Role.LIAISON))) == seen
    page = client.get(reverse("enterprises:tags")).content.decode()
    assert reverse("enterprises:tag_edit", args=[tags.home.pk]) in page
    for tag in (tags.city, tags.national):
        assert reverse("enterprises:tag_edit", args=[tag.pk]) not in page
        for url, data in change_pages(tag):
            assert client.get(url).status_code == 404, url
            assert client.post(url, data).status_code == 404, url
    assert set(Tag.objects.values_list("name", flat=True)) == {*seen, tags.other.name}
    assert client.get(reverse("enterprises:tag_edit", args=[tags.home.pk])).status_code == 200


def test_the_city_sees_its_parks_tags_and_changes_its_own(world: World, tags: Vocabulary) -> None:
    client = client_for(city_office(world))
    assert names_listed(client) == {tags.national.name, tags.city.name, tags.home.name, tags.other.name}
    response = client.post(
        reverse("enterprises:tag_edit", args=[tags.city.pk]),
        {"name": "产业链链主企业", "description": "", "order": 1},
    )
    assert response.status_code == 302
    tags.city.refresh_from_db()
    assert tags.city.name == "产业链链主企业"
    # A city user sees two parks' tags of one name apart.
    Tag.objects.create(name="汽车零部件配套企业", jurisdiction=world.home.park)
    body = client.get(reverse("enterprises:list")).content.decode()
    assert "汽车零部件配套企业（湘潭高新区）" in body and "汽车零部件配套企业（湘潭经开区）" in body


def test_national_tags_are_changed_by_administrators_only(world: World, tags: Vocabulary) -> None:
    office = client_for(world.user(Role.SERVICE_OFFICE))
    assert office.get(reverse("enterprises:tag_edit", args=[tags.national.pk])).status_code == 404

    admin = client_for(world.user(Role.ADMIN))
    response = admin.post(
        reverse("enterprises:tag_edit", args=[tags.national.pk]),
        {"name": "专精特新", "description": "省级专精特新中小企业", "order": 1},
    )
    assert response.status_code == 302
    tags.national.refresh_from_db()
    assert tags.national.description == "省级专精特新中小企业"

    superuser = User.objects.create_superuser(username="root", password="x-Lianqi-2026")
    assert (
        client_for(superuser).get(reverse("enterprises:tag_delete", args=[tags.national.pk])).status_code
        == 200
    )


def test_only_an_administrator_adds_a_national_tag(world: World) -> None:
    data = {"name": "制造业单项冠军", "description": "", "order": 1, "jurisdiction": "national"}
    office = client_for(world.user(Role.SERVICE_OFFICE)).post(reverse("enterprises:tag_create"), data)
    assert office.status_code == 200
    assert 'data-error-for="jurisdiction"' in office.content.decode()
    assert not Tag.objects.filter(name="制造业单项冠军").exists()
    with pytest.raises(ValidationError) as caught:
        actions.create_tag(actor=world.user(Role.SERVICE_OFFICE), name="制造业单项冠军", jurisdiction=None)
    assert "jurisdiction" in caught.value.message_dict

    admin = client_for(world.user(Role.ADMIN)).post(reverse("enterprises:tag_create"), data)
    assert admin.status_code == 302
    assert Tag.objects.get(name="制造业单项冠军").is_national


def test_an_office_adds_tags_only_to_its_own_jurisdiction(world: World) -> None:
    data = {"name": "园区新标签", "description": "", "order": 1, "jurisdiction": world.other.park.pk}
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(reverse("enterprises:tag_create"), data)
    assert response.status_code == 200
    assert 'data-error-for="jurisdiction"' in response.content.decode()
    with pytest.raises(ValidationError):
        actions.create_tag(
            actor=world.user(Role.SERVICE_OFFICE), name="园区新标签", jurisdiction=world.other.park
        )
    assert not Tag.objects.filter(name="园区新标签").exists()


# --- Names ---------------------------------------------------------------------------------------


def test_two_parks_may_each_have_a_tag_of_one_name(world: World, tags: Vocabulary) -> None:
    mine = actions.create_tag(
        actor=world.other_user(Role.SERVICE_OFFICE), name="亩均效益A类企业", jurisdiction=world.other.park
    )
    assert mine.pk != tags.home.pk
    assert Tag.objects.filter(name="亩均效益A类企业").count() == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("链主企业", "上级辖区“湘潭市”已有标签“链主企业”，本辖区可以直接使用，不必新增"),
        ("专精特新", "“专精特新”已是全国通用标签，本辖区可以直接使用，不必新增"),
        ("亩均效益A类企业", "已有名为“亩均效益A类企业”的标签，不能重复"),
    ],
)
def test_a_park_cannot_repeat_a_name_it_already_sees(
    world: World, tags: Vocabulary, typed: str, message: str
) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:tag_create"),
        {"name": typed, "description": "", "order": 1, "jurisdiction": world.home.park.pk},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-error-for="name"' in body and message in body
    assert Tag.objects.filter(name=typed).count() == 1


def test_names_are_compared_without_case_along_the_line(world: World) -> None:
    Tag.objects.create(name="ABC企业", jurisdiction=world.city)
    with pytest.raises(ValidationError) as caught:
        actions.create_tag(actor=None, name="abc企业", jurisdiction=world.home.park)
    assert "name" in caught.value.message_dict


def test_a_name_used_below_is_refused_above(world: World, tags: Vocabulary) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_tag(actor=city_office(world), name="亩均效益A类企业", jurisdiction=world.city)
    assert "下级辖区已有" in caught.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        actions.create_tag(actor=world.user(Role.ADMIN), name="汽车零部件配套企业", jurisdiction=None)


def test_renaming_onto_a_name_seen_from_above_is_refused(world: World, tags: Vocabulary) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:tag_edit", args=[tags.home.pk]),
        {"name": "链主企业", "description": "", "order": 1},
    )
    assert response.status_code == 200
    assert "上级辖区“湘潭市”已有标签“链主企业”" in response.content.decode()
    tags.home.refresh_from_db()
    assert tags.home.name == "亩均效益A类企业"


@pytest.mark.parametrize("place", ["park", "national"])
def test_the_database_refuses_a_second_tag_of_one_name_in_one_vocabulary(world: World, place: str) -> None:
    jurisdiction = world.home.park if place == "park" else None
    Tag.objects.create(name="重复", jurisdiction=jurisdiction)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="重复", jurisdiction=jurisdiction)


# --- Merging -------------------------------------------------------------------------------------


def test_a_park_merges_its_tag_into_a_national_one(world: World, tags: Vocabulary) -> None:
    local = Tag.objects.create(name="高企", jurisdiction=world.home.park)
    national = Tag.objects.create(name="高新技术企业")
    world.home.enterprise.tags.add(local)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(reverse("enterprises:tag_merge", args=[local.pk]), {"target": national.pk})
    assert response.status_code == 302
    assert list(world.home.enterprise.tags.all()) == [national]
    assert not Tag.objects.filter(pk=local.pk).exists()


def test_merge_offers_only_tags_every_carrier_may_carry(world: World, tags: Vocabulary) -> None:
    below = Jurisdiction.objects.create(
        code="430371001", name="双马街道", level=JurisdictionLevel.TOWNSHIP, parent=world.home.park
    )
    township = Tag.objects.create(name="街道标签", jurisdiction=below)
    sibling = Tag.objects.create(name="园区另一标签", jurisdiction=world.home.park)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("enterprises:tag_merge", args=[tags.home.pk])

    offered = set(client.get(url).context["form"].fields["target"].queryset)
    assert offered == {tags.national, tags.city, sibling}
    for refused in (tags.other, township):
        response = client.post(url, {"target": refused.pk})
        assert response.status_code == 200
        assert 'data-error-for="target"' in response.content.decode()
    assert Tag.objects.filter(pk=tags.home.pk).exists()

    for source, target in ((tags.city, tags.home), (tags.national, tags.city), (tags.home, tags.other)):
        with pytest.raises(ValidationError) as caught:
            actions.merge_tags(source=source, target=target, actor=None)
        assert "target" in caught.value.message_dict


# --- Putting tags on enterprises -----------------------------------------------------------------


def enterprise_data(world: World, tag_ids: list[int]) -> dict[str, Any]:
    enterprise = world.home.enterprise
    return {
        "name": enterprise.name,
        "kind": EnterpriseKind.ABOVE_SIZE,
        "status": "active",
        "industry": "38",
        "jurisdiction": world.home.park.pk,
        "address": enterprise.address,
        "tags": tag_ids,
    }


def test_the_form_refuses_another_parks_tag_next_to_the_field(world: World, tags: Vocabulary) -> None:
    url = reverse("enterprises:edit", args=[world.home.enterprise.pk])
    office = client_for(world.user(Role.SERVICE_OFFICE))
    response = office.post(url, enterprise_data(world, [tags.other.pk]))
    assert response.status_code == 200
    assert 'data-error-for="tags"' in response.content.decode()

    # A city user sees both parks' tags; the action refuses the one the enterprise's park does not.
    city = client_for(city_office(world))
    response = city.post(url, enterprise_data(world, [tags.home.pk, tags.other.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-error-for="tags"' in body and "以下标签不适用于企业所在辖区：汽车零部件配套企业" in body
    assert not world.home.enterprise.tags.exists()

    fine = [tags.national.pk, tags.city.pk, tags.home.pk]
    assert office.post(url, enterprise_data(world, fine)).status_code == 302
    assert set(world.home.enterprise.tags.values_list("pk", flat=True)) == set(fine)


def patch(client: Client, enterprise: Enterprise, data: dict[str, Any]) -> Any:
    return client.patch(
        f"/api/v1/enterprises/{enterprise.pk}/", json.dumps(data), content_type="application/json"
    )


def test_the_api_refuses_a_tag_the_enterprise_may_not_carry(world: World, tags: Vocabulary) -> None:
    enterprise = world.home.enterprise
    office = client_for(world.user(Role.SERVICE_OFFICE))
    response = patch(office, enterprise, {"tags": [tags.other.pk]})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"tags"}

    city = client_for(city_office(world))
    response = patch(city, enterprise, {"tags": [tags.other.pk]})
    assert response.status_code == 400
    assert "汽车零部件配套企业" in json.dumps(response.json()["error"]["fields"]["tags"], ensure_ascii=False)

    assert (
        patch(office, enterprise, {"tags": [tags.national.pk, tags.city.pk, tags.home.pk]}).status_code == 200
    )
    # Moved to the other park, it may not take the first park's tag along.
    response = patch(city, enterprise, {"jurisdiction": world.other.park.code})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"jurisdiction"}
    enterprise.refresh_from_db()
    assert enterprise.jurisdiction == world.home.park


def test_creating_an_enterprise_refuses_a_tag_of_another_park(world: World, tags: Vocabulary) -> None:
    response = client_for(city_office(world)).post(
        "/api/v1/enterprises/",
        json.dumps(
            {
                "credit_code": credit_code(),
                "name": "湘潭新建电机有限公司",
                "kind": "above_size",
                "industry": "38",
                "jurisdiction": world.home.park.code,
                "tags": [tags.other.pk],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"tags"}
    assert not Enterprise.objects.filter(name="湘潭新建电机有限公司").exists()


def test_the_import_refuses_tags_the_rows_jurisdiction_does_not_see(world: World, tags: Vocabulary) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    mine = check_records(records=[(2, row(tags="亩均效益A类企业、链主企业、专精特新"))], user=office).rows[0]
    assert mine.errors == []
    assert mine.tag_ids == sorted([tags.home.pk, tags.city.pk, tags.national.pk])

    theirs = check_records(records=[(2, row(tags="汽车零部件配套企业"))], user=office).rows[0]
    assert theirs.errors == [("tags", "标签不存在：汽车零部件配套企业")]

    city = city_office(world)
    records = [(2, row(jurisdiction=world.home.park.code, tags="汽车零部件配套企业、专精特新"))]
    wrong = check_records(records=records, user=city).rows[0]
    assert wrong.errors == [("tags", "以下标签不适用于企业所在辖区：汽车零部件配套企业")]


def test_the_import_does_not_move_an_enterprise_with_its_parks_tags(world: World, tags: Vocabulary) -> None:
    enterprise = world.home.enterprise
    enterprise.tags.add(tags.home)
    record = row(credit_code=enterprise.credit_code, name=enterprise.name, jurisdiction=world.other.park.code)
    moved = check_records(records=[(2, record)], user=city_office(world)).rows[0]
    assert [column for column, _message in moved.errors] == ["jurisdiction"]
    assert "亩均效益A类企业" in moved.errors[0][1]


# --- The migration -------------------------------------------------------------------------------

LEVELS = {
    "430000/": "province",
    "430000/430300/": "city",
    "430000/430300/430371/": "park",
    "430000/430300/430372/": "park",
    "430000/430300/430371/430371001/": "township",
    "430000/430300/430371/430371002/": "township",
    "430000/430300/430371/430371001/430371001001/": "village",
    "440000/": "province",
}
HOME = "430000/430300/430371/"


@pytest.mark.parametrize(
    ("name", "carriers", "expected"),
    [
        ("专精特新", [HOME, "430000/430300/430372/"], None),  # national by nature
        (" 高新技术企业 ", [HOME], None),
        ("亩均效益A类企业", [HOME, HOME], HOME),  # one park
        ("亩均效益A类企业", [f"{HOME}430371001/430371001001/", f"{HOME}430371002/"], HOME),
        ("街道标签", [f"{HOME}430371001/", f"{HOME}430371001/430371001001/"], HOME),  # no township lists
        ("两园共用", [HOME, "430000/430300/430372/"], "430000/430300/"),  # the city
        ("两园共用", [HOME, "430000/430300/"], "430000/430300/"),
        ("跨省", [HOME, "440000/"], None),  # no common ancestor
        ("没人用", [], None),  # unused: national, as it was
    ],
)
def test_the_migration_puts_a_tag_where_its_enterprises_are(
    name: str, carriers: list[str], expected: str | None
) -> None:
    assert migration.tag_home(name, carriers, LEVELS) == expected


def test_common_path() -> None:
    assert migration.common_path(["1/2/3/", "1/2/4/"]) == "1/2/"
    assert migration.common_path(["1/2/3/"]) == "1/2/3/"
    assert migration.common_path(["1/23/", "1/2/"]) == "1/"
    assert migration.common_path([]) == ""


def test_the_migration_assigns_existing_tags(world: World) -> None:
    township = Jurisdiction.objects.create(
        code="430371001", name="双马街道", level=JurisdictionLevel.TOWNSHIP, parent=world.home.park
    )
    shop = make_enterprise(township, "双马街道示范门店")
    national = Tag.objects.create(name="专精特新")
    park = Tag.objects.create(name="亩均效益A类企业")
    shared = Tag.objects.create(name="两园共用")
    unused = Tag.objects.create(name="没人用")
    national.enterprises.add(world.home.enterprise)
    park.enterprises.add(world.home.enterprise, shop)
    shared.enterprises.add(world.home.enterprise, world.other.enterprise)

    migration.assign_jurisdictions(apps, None)

    homes = {t.name: (t.jurisdiction, t.jurisdiction_path) for t in Tag.objects.all()}
    assert homes == {
        "专精特新": (None, ""),
        "亩均效益A类企业": (world.home.park, world.home.park.path),
        "两园共用": (world.city, world.city.path),
        "没人用": (None, ""),
    }
    assert unused.enterprises.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_on_existing_data() -> None:
    """Back to the global vocabulary, some tags as they were, then forward through both
    migrations: on whichever database the suite runs (CI runs SQLite and PostgreSQL)."""
    before, after = ("enterprises", "0006_phone_code_address"), ("enterprises", "0008_tags_by_jurisdiction")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps
        place = old.get_model("org", "Jurisdiction")

        def node(code: str, level: str, parent: Any = None) -> Any:
            path = f"{parent.path if parent else ''}{code}/"
            return place.objects.create(
                code=code, name=code, level=level, parent=parent, path=path, depth=path.count("/") - 1
            )

        province = node("430000", "province")
        city = node("430300", "city", province)
        home, other = node("430371", "park", city), node("430372", "park", city)
        industry = old.get_model("enterprises", "Industry").objects.get(code="38")  # shipped
        firm = old.get_model("enterprises", "Enterprise")
        Old = old.get_model("enterprises", "Tag")
        carriers = {}
        for park in (home, other):
            carriers[park.code] = firm.objects.create(
                credit_code=credit_code(),
                name=f"{park.code}示范企业",
                kind="above_size",
                industry=industry,
                jurisdiction=park,
                jurisdiction_path=park.path,
            )
        Old.objects.create(name="专精特新").enterprises.add(*carriers.values())
        Old.objects.create(name="亩均效益A类企业").enterprises.add(carriers["430371"])
        Old.objects.create(name="两园共用").enterprises.add(*carriers.values())
        Old.objects.create(name="没人用")

        executor = MigrationExecutor(connection)
        executor.migrate([after])
        new = executor.loader.project_state([after]).apps.get_model("enterprises", "Tag")
        homes = dict(new.objects.values_list("name", "jurisdiction_path"))
        assert homes == {
            "专精特新": "",
            "亩均效益A类企业": "430000/430300/430371/",
            "两园共用": "430000/430300/",
            "没人用": "",
        }
        assert new.objects.get(name="两园共用").jurisdiction_id == city.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
