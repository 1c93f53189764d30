"""The tag vocabulary pages: a contract per page, then what the office sees and does — counts
limited to its own jurisdiction, duplicate names refused, merge and delete. What belongs to
which jurisdiction is in `test_tag_jurisdictions.py`."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.enterprises import permissions
from lianqi.enterprises.actions import tags as actions
from lianqi.enterprises.models import Enterprise, Tag
from lianqi.org.models import Jurisdiction
from lianqi.testing.contracts import ListPageContract, ObjectPageContract, PageContract
from lianqi.testing.world import World, make_enterprise

REGISTER = permissions.REGISTER_ROLES
EDIT = permissions.EDIT_ROLES
READ_ONLY = tuple(r for r in REGISTER if r not in EDIT)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tag(name: str, jurisdiction: Jurisdiction | None = None, **extra: Any) -> Tag:
    """A tag of `jurisdiction`'s vocabulary; national without one."""
    return Tag.objects.create(name=name, jurisdiction=jurisdiction, **extra)


def home_tag(world: World, name: str) -> Tag:
    return Tag.objects.get_or_create(name=name, jurisdiction=world.home.park)[0]


# --- Contracts, one per page -----------------------------------------------------------------


class TestTagListContract(ListPageContract):
    allowed_roles = REGISTER
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_tag(world, "亩均效益A类企业")
        return reverse("enterprises:tags")

    def marker(self, world: World) -> str:
        return "亩均效益A类企业"


class TestTagCreateContract(PageContract):
    allowed_roles = EDIT
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("enterprises:tag_create")


class TestTagCreatePostContract(PageContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.LEADER
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("enterprises:tag_create")

    def data(self, world: World) -> dict[str, Any]:
        return {"name": "专精特新", "description": "", "order": 10, "jurisdiction": world.home.park.pk}


class TestTagEditContract(ObjectPageContract):
    allowed_roles = EDIT
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("enterprises:tag_edit", args=[home_tag(world, "小巨人").pk])


class TestTagEditPostContract(ObjectPageContract):
    method = "post"
    allowed_roles = EDIT
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("enterprises:tag_edit", args=[home_tag(world, "小巨人").pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"name": "小巨人", "description": "改过", "order": 5}


class TestTagMergeContract(ObjectPageContract):
    allowed_roles = EDIT
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("enterprises:tag_merge", args=[home_tag(world, "高企").pk])


class TestTagDeleteContract(ObjectPageContract):
    allowed_roles = EDIT
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("enterprises:tag_delete", args=[home_tag(world, "待删").pk])


class TestTagDeletePostContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.LEADER
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("enterprises:tag_delete", args=[home_tag(world, "待删").pk])


# --- The list ----------------------------------------------------------------------------------


def test_counts_are_limited_to_the_users_jurisdiction(world: World) -> None:
    label = tag("专精特新")
    world.home.enterprise.tags.add(label)
    for n in range(3):
        make_enterprise(world.other.park, f"经开区标签企业{n}").tags.add(label)
    tag("未使用标签")

    home = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("enterprises:tags"))
    other = client_for(world.other_user(Role.SERVICE_OFFICE)).get(reverse("enterprises:tags"))

    assert {r["tag"].name: r["count"] for r in home.context["rows"]} == {"专精特新": 1, "未使用标签": 0}
    assert {r["tag"].name: r["count"] for r in other.context["rows"]} == {"专精特新": 3, "未使用标签": 0}
    assert f'href="/enterprises/?tag={label.pk}"' in home.content.decode()


def test_count_link_opens_the_register_filtered_by_that_tag(world: World) -> None:
    label = tag("小巨人")
    world.home.enterprise.tags.add(label)
    make_enterprise(world.home.park, "不带标签的企业")
    client = client_for(world.user(Role.LEADER))
    response = client.get(reverse("enterprises:list"), {"tag": label.pk})
    body = response.content.decode()
    assert world.home.enterprise.name in body
    assert "不带标签的企业" not in body


def test_read_only_roles_see_the_list_without_write_buttons(world: World) -> None:
    label = tag("亩均效益A类企业", world.home.park)
    for role in READ_ONLY:
        body = client_for(world.user(role)).get(reverse("enterprises:tags")).content.decode()
        assert label.name in body
        assert reverse("enterprises:tag_edit", args=[label.pk]) not in body
    office = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("enterprises:tags")).content.decode()
    assert reverse("enterprises:tag_edit", args=[label.pk]) in office


def test_the_menu_shows_tags_to_the_office_only(world: World) -> None:
    url = reverse("enterprises:tags")
    office = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("enterprises:list"))
    liaison = client_for(world.user(Role.LIAISON)).get(reverse("enterprises:list"))
    assert f'href="{url}"' in office.content.decode()
    assert f'href="{url}"' not in liaison.content.decode()


# --- Create and edit ---------------------------------------------------------------------------


def test_office_creates_a_tag(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("enterprises:tag_create"),
        {
            "name": "  科技型中小企业 ",
            "description": "省科技厅入库",
            "order": 5,
            "jurisdiction": world.home.park.pk,
        },
    )
    assert response.status_code == 302
    created = Tag.objects.get(name="科技型中小企业")
    assert (created.description, created.order) == ("省科技厅入库", 5)
    assert (created.jurisdiction, created.jurisdiction_path) == (world.home.park, world.home.park.path)


@pytest.mark.parametrize("typed", ["专精特新", "  专精特新  "])
def test_duplicate_name_is_refused_next_to_the_field(world: World, typed: str) -> None:
    tag("专精特新", world.home.park)
    client = client_for(world.user(Role.ADMIN))
    response = client.post(
        reverse("enterprises:tag_create"),
        {"name": typed, "description": "我写的说明", "order": 7, "jurisdiction": world.home.park.pk},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-error-for="name"' in body
    assert "已有名为“专精特新”的标签，不能重复" in body
    assert "我写的说明" in body  # what was typed is kept
    assert Tag.objects.filter(name__contains="专精特新").count() == 1


def test_duplicate_name_ignores_letter_case(world: World) -> None:
    tag("ABC")
    with pytest.raises(ValidationError) as caught:
        actions.create_tag(actor=None, name="abc", jurisdiction=None)
    assert "name" in caught.value.message_dict
    assert Tag.objects.count() == 1


def test_renaming_onto_another_tags_name_is_refused(world: World) -> None:
    tag("小巨人", world.home.park)
    renamed = tag("小巨人企业", world.home.park)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("enterprises:tag_edit", args=[renamed.pk]), {"name": "小巨人", "description": "", "order": 1}
    )
    assert response.status_code == 200
    assert "已有名为“小巨人”的标签，不能重复" in response.content.decode()
    renamed.refresh_from_db()
    assert (renamed.name, renamed.order) == ("小巨人企业", 100)


def test_edit_keeps_the_tag_on_its_enterprises(world: World) -> None:
    label = tag("高企", world.home.park)
    world.home.enterprise.tags.add(label)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("enterprises:tag_edit", args=[label.pk]),
        {"name": "高新技术企业", "description": "国家认定", "order": 3},
    )
    assert response.status_code == 302
    assert list(world.home.enterprise.tags.values_list("name", flat=True)) == ["高新技术企业"]


def test_saving_under_its_own_name_is_allowed(world: World) -> None:
    label = tag("专精特新", order=9)
    actions.update_tag(tag=label, actor=None, name="专精特新", description="改了说明", order=2)
    label.refresh_from_db()
    assert (label.description, label.order) == ("改了说明", 2)


# --- Merge -------------------------------------------------------------------------------------


def test_merge_moves_every_jurisdictions_enterprises_and_removes_the_source(world: World) -> None:
    source, target = tag("高企"), tag("高新技术企业")
    both = make_enterprise(world.home.park, "两个标签都有的企业")
    both.tags.add(source, target)
    world.home.enterprise.tags.add(source)
    world.other.enterprise.tags.add(source)
    untouched = make_enterprise(world.home.park, "无关企业")

    # National tags, which only an administrator merges.
    client = client_for(world.user(Role.ADMIN))
    response = client.post(reverse("enterprises:tag_merge", args=[source.pk]), {"target": target.pk})

    assert response.status_code == 302
    assert not Tag.objects.filter(pk=source.pk).exists()
    carriers = set(Enterprise.objects.filter(tags=target).values_list("pk", flat=True))
    assert carriers == {both.pk, world.home.enterprise.pk, world.other.enterprise.pk}
    assert Enterprise.tags.through.objects.filter(enterprise=both).count() == 1
    assert not untouched.tags.exists()
    note = world.other.enterprise.history.order_by("-history_id").first()
    assert note is not None
    assert note.history_change_reason == "标签“高企”并入“高新技术企业”"
    assert note.history_user == world.user(Role.ADMIN)
    assert not untouched.history.filter(history_change_reason__contains="并入").exists()


def test_merge_is_all_or_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = tag("高企"), tag("高新技术企业")
    world.home.enterprise.tags.add(source)
    world.other.enterprise.tags.add(source)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("history store unavailable")

    # The last step fails after the tags were moved and the source deleted: all must roll back.
    monkeypatch.setattr(actions, "bulk_update_with_history", broken)
    with pytest.raises(RuntimeError):
        actions.merge_tags(source=source, target=target, actor=None)

    assert Tag.objects.filter(pk=source.pk).exists()
    assert set(Enterprise.objects.filter(tags=source)) == {world.home.enterprise, world.other.enterprise}
    assert not Enterprise.objects.filter(tags=target).exists()


def test_merge_into_itself_is_not_offered_nor_accepted(world: World) -> None:
    source = tag("高企", world.home.park)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(reverse("enterprises:tag_merge", args=[source.pk]), {"target": source.pk})
    assert response.status_code == 200
    assert 'data-error-for="target"' in response.content.decode()
    assert Tag.objects.filter(pk=source.pk).exists()
    with pytest.raises(ValidationError):
        actions.merge_tags(source=source, target=source, actor=None)


def test_merge_page_counts_only_the_users_jurisdiction(world: World) -> None:
    source = tag("高企")
    world.other.enterprise.tags.add(source)
    response = client_for(world.user(Role.ADMIN)).get(reverse("enterprises:tag_merge", args=[source.pk]))
    assert response.context["count"] == 0


# --- Delete ------------------------------------------------------------------------------------


def test_unused_tag_is_deleted(world: World) -> None:
    label = tag("错别字标签")
    client = client_for(world.user(Role.ADMIN))
    response = client.post(reverse("enterprises:tag_delete", args=[label.pk]))
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=label.pk).exists()


def test_tag_used_in_another_jurisdiction_is_not_deleted(world: World) -> None:
    label = tag("专精特新")
    world.other.enterprise.tags.add(label)
    client = client_for(world.user(Role.ADMIN))

    page = client.get(reverse("enterprises:tag_delete", args=[label.pk])).content.decode()
    assert reverse("enterprises:tag_merge", args=[label.pk]) in page

    response = client.post(reverse("enterprises:tag_delete", args=[label.pk]))
    assert response.status_code == 409
    assert "请把它合并到另一个标签" in response.content.decode()
    assert Tag.objects.filter(pk=label.pk).exists()
    assert world.other.enterprise.tags.filter(pk=label.pk).exists()


# --- Who may write -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*READ_ONLY, Role.ENTERPRISE, Role.FINANCE])
def test_other_roles_cannot_write(world: World, role: str) -> None:
    label, other = tag("高企"), tag("高新技术企业")
    world.home.enterprise.tags.add(label)
    client = client_for(world.user(role))
    attempts = [
        (reverse("enterprises:tag_create"), {"name": "新标签", "description": "", "order": 1}),
        (reverse("enterprises:tag_edit", args=[label.pk]), {"name": "改名", "description": "", "order": 1}),
        (reverse("enterprises:tag_merge", args=[label.pk]), {"target": other.pk}),
        (reverse("enterprises:tag_delete", args=[other.pk]), {}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["高企", "高新技术企业"]
    assert world.home.enterprise.tags.filter(pk=label.pk).exists()


def test_enterprise_and_finance_users_cannot_read_the_list(world: World) -> None:
    for role in (Role.ENTERPRISE, Role.FINANCE):
        assert client_for(world.user(role)).get(reverse("enterprises:tags")).status_code == 403


def test_unknown_tag_answers_404(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    for name in ("tag_edit", "tag_merge", "tag_delete"):
        assert client.get(reverse(f"enterprises:{name}", args=[999999])).status_code == 404
