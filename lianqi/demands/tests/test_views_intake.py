"""Intake pages: the liaison's phone view, the intake form for liaisons, the office and
enterprise users, the duplicate check and the office's enterprise picker."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListPageContract, ObjectPageContract, PageContract
from lianqi.testing.world import World, make_enterprise

from ..choices import Channel, DemandState, Outcome
from ..models import Demand, DemandAttachment
from .factories import category, make_demand

pytestmark = pytest.mark.django_db

INTAKE_ROLES = (Role.LIAISON, Role.SERVICE_OFFICE, Role.ADMIN, Role.ENTERPRISE)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def intake(world: World, **fields: Any) -> dict[str, Any]:
    """A filled-in intake form for the home enterprise."""
    values: dict[str, Any] = {
        "enterprise": world.home.enterprise.pk,
        "category": category().pk,
        "description": "厂区门口道路破损，货车进出困难",
    }
    values.update(fields)
    return values


# --- Contracts --------------------------------------------------------------------------------


class TestLiaisonHomeContract(ListPageContract):
    allowed_roles = (Role.LIAISON,)
    denied_role = Role.SERVICE_OFFICE

    def url(self, world: World) -> str:
        return reverse("demands:liaison_home")


class TestCreateContract(PageContract):
    allowed_roles = INTAKE_ROLES
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("demands:create")


class TestCreateForEnterpriseContract(ObjectPageContract):
    """`?enterprise=` names an enterprise: another park's user gets 404."""

    allowed_roles = INTAKE_ROLES
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return f"{reverse('demands:create')}?enterprise={world.home.enterprise.pk}"


class TestDuplicatesContract(ObjectPageContract):
    allowed_roles = INTAKE_ROLES
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("demands:duplicates")

    def data(self, world: World) -> dict[str, Any]:
        return {"enterprise": world.home.enterprise.pk, "category": category().pk, "description": "贷款审批"}


class TestEnterpriseOptionsContract(ListPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("demands:intake_enterprises")


# --- The liaison's phone view -----------------------------------------------------------------


def test_liaison_sees_own_enterprises_with_open_counts_and_search(world: World) -> None:
    make_demand(world, DemandState.HANDLING)
    make_demand(world, DemandState.CLOSED)
    other_liaisons = make_enterprise(world.home.park, "湘潭另一家机电有限公司")
    client = client_for(world.user(Role.LIAISON))
    page = client.get(reverse("demands:liaison_home")).content.decode()
    assert world.home.enterprise.name in page
    assert "1 件在办" in page
    assert other_liaisons.name not in page
    assert f"{reverse('demands:create')}?enterprise={world.home.enterprise.pk}" in page
    found = client.get(reverse("demands:liaison_home"), {"q": "示范电缆"}).content.decode()
    assert world.home.enterprise.name in found
    missing = client.get(reverse("demands:liaison_home"), {"q": "不存在的名字"}).content.decode()
    assert "没有找到匹配的企业" in missing


def test_liaison_raises_a_demand_from_the_phone_view_and_sees_it_listed(world: World) -> None:
    client = client_for(world.user(Role.LIAISON))
    form = client.get(f"{reverse('demands:create')}?enterprise={world.home.enterprise.pk}")
    assert form.status_code == 200
    # The channel is fixed for a liaison: no choice is offered.
    assert 'name="channel"' not in form.content.decode()
    response = client.post(reverse("demands:create"), intake(world), follow=True)
    assert response.redirect_chain[-1][0] == reverse("demands:liaison_home")
    demand = Demand.objects.get()
    assert demand.channel == Channel.LIAISON and demand.state == DemandState.RECEIVED
    assert demand.raised_by == world.user(Role.LIAISON)
    recent = response.content.decode().split('data-testid="recent-demands"')[1]
    assert "厂区门口道路破损" in recent and "已受理" in recent
    assert reverse("demands:detail", args=[demand.pk]) in recent


def test_liaison_records_a_demand_solved_on_the_spot_in_one_go(world: World) -> None:
    client = client_for(world.user(Role.LIAISON))
    response = client.post(
        reverse("demands:create"),
        intake(world, solved_on_spot="on", solved_on_spot_note="现场联系住建局安排修补"),
    )
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.state == DemandState.CLOSED and demand.outcome == Outcome.SOLVED
    assert demand.solved_on_spot and demand.reply == "现场联系住建局安排修补"
    assert list(demand.events.values_list("action", flat=True)) == ["submit", "solve_on_spot"]


def test_ticking_solved_on_the_spot_without_the_way_is_a_field_error(world: World) -> None:
    client = client_for(world.user(Role.LIAISON))
    response = client.post(reverse("demands:create"), intake(world, solved_on_spot="on"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-error-for="solved_on_spot_note"' in page and "请填写解决办法" in page
    assert "厂区门口道路破损，货车进出困难" in page
    assert not Demand.objects.exists()


def test_liaison_cannot_file_for_an_enterprise_they_do_not_serve(world: World) -> None:
    neighbour = make_enterprise(world.home.park, "湘潭邻居材料有限公司")
    client = client_for(world.user(Role.LIAISON))
    assert client.get(reverse("demands:create"), {"enterprise": neighbour.pk}).status_code == 404
    response = client.post(reverse("demands:create"), intake(world, enterprise=neighbour.pk))
    assert 'data-error-for="enterprise"' in response.content.decode()
    assert not Demand.objects.exists()


# --- Duplicates -------------------------------------------------------------------------------


def test_a_likely_duplicate_is_shown_before_submitting_and_the_text_is_kept(world: World) -> None:
    existing = make_demand(world, DemandState.HANDLING, description="流动资金贷款审批进度慢")
    client = client_for(world.user(Role.LIAISON))
    text = "流动资金贷款审批进度太慢"
    listed = client.get(
        reverse("demands:duplicates"),
        {"enterprise": str(world.home.enterprise.pk), "category": str(category().pk), "description": text},
    ).content.decode()
    assert reverse("demands:detail", args=[existing.pk]) in listed

    response = client.post(reverse("demands:create"), intake(world, category=category().pk, description=text))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="duplicate-confirm"' in page and "附件需要重新选择" in page
    assert reverse("demands:detail", args=[existing.pk]) in page
    assert text in page
    assert Demand.objects.count() == 1

    confirmed = client.post(
        reverse("demands:create"), intake(world, description=text, confirm_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Demand.objects.count() == 2


def test_unrelated_text_or_a_closed_demand_is_not_a_duplicate(world: World) -> None:
    make_demand(world, DemandState.CLOSED, description="流动资金贷款审批进度慢")
    make_demand(world, DemandState.HANDLING, description="招工难，缺少电焊工")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    listed = client.get(
        reverse("demands:duplicates"),
        {
            "enterprise": str(world.home.enterprise.pk),
            "category": str(category().pk),
            "description": "贷款审批进度慢",
        },
    )
    assert listed.status_code == 200 and 'data-testid="duplicates"' not in listed.content.decode()
    # Half-filled forms ask too: nothing to compare yet is an empty answer, not an error.
    for half_filled in (
        {"enterprise": "", "category": "x"},
        {"enterprise": str(world.home.enterprise.pk), "category": "x", "description": "贷款"},
    ):
        empty = client.get(reverse("demands:duplicates"), half_filled)
        assert empty.status_code == 200 and not empty.content.strip()


# --- Attachments ------------------------------------------------------------------------------


@override_settings(LIANQI_ATTACHMENT_MAX_BYTES=1024 * 1024)
def test_an_oversized_attachment_shows_the_limit_and_stores_nothing(world: World) -> None:
    big = SimpleUploadedFile("现场照片.png", PNG + b"\x00" * (1024 * 1024), "image/png")
    client = client_for(world.user(Role.LIAISON))
    response = client.post(reverse("demands:create"), {**intake(world), "attachments": [big]})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-error-for="attachments"' in page and "1 MB" in page
    assert 'data-testid="files-dropped"' in page
    assert not Demand.objects.exists() and not DemandAttachment.objects.exists()


def test_a_refused_file_type_names_the_accepted_types(world: World) -> None:
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("demands:create"), {**intake(world, channel=Channel.HOTLINE), "attachments": [exe]}
    )
    assert "文件类型不被接受" in response.content.decode()
    assert not Demand.objects.exists()


def test_several_files_are_stored_with_the_demand(world: World) -> None:
    files = [
        SimpleUploadedFile("一.png", PNG, "image/png"),
        SimpleUploadedFile("二.pdf", b"%PDF-1.4\n", "application/pdf"),
    ]
    client = client_for(world.user(Role.LIAISON))
    assert client.post(reverse("demands:create"), {**intake(world), "attachments": files}).status_code == 302
    assert sorted(Demand.objects.get().attachments.values_list("name", flat=True)) == ["一.png", "二.pdf"]


# --- The office and enterprise users ----------------------------------------------------------


def test_office_registers_a_hotline_demand_and_goes_to_its_page(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(reverse("demands:create")).content.decode()
    assert 'name="channel"' in page and "12345热线" in page and "联企干部走访" not in page
    response = client.post(reverse("demands:create"), intake(world, channel=Channel.HOTLINE))
    demand = Demand.objects.get()
    assert response["Location"] == reverse("demands:detail", args=[demand.pk])
    assert demand.channel == Channel.HOTLINE


def test_office_cannot_pick_a_liaison_only_channel(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(reverse("demands:create"), intake(world, channel=Channel.LIAISON))
    assert 'data-error-for="channel"' in response.content.decode()
    assert not Demand.objects.exists()


def test_office_picking_another_parks_enterprise_gets_a_field_error(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("demands:create"), intake(world, enterprise=world.other.enterprise.pk, channel=Channel.LETTER)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-error-for="enterprise"' in page and "不在您的服务范围内" in page
    assert not Demand.objects.exists()
    assert client.get(reverse("demands:create"), {"enterprise": world.other.enterprise.pk}).status_code == 404
    assert client.get(reverse("demands:create"), {"enterprise": "abc"}).status_code == 404


def test_office_searches_the_enterprise_picker(world: World) -> None:
    make_enterprise(world.home.park, "湘潭轴承制造有限公司")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    found = client.get(reverse("demands:intake_enterprises"), {"enterprise_q": "轴承"}).content.decode()
    assert "湘潭轴承制造有限公司" in found and world.home.enterprise.name not in found
    assert world.other.enterprise.name not in found


def test_office_may_also_record_a_demand_solved_on_the_spot(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    client.post(
        reverse("demands:create"),
        intake(world, channel=Channel.ROUNDTABLE, solved_on_spot="on", solved_on_spot_note="会上当场答复"),
    )
    demand = Demand.objects.get()
    assert demand.state == DemandState.CLOSED and demand.channel == Channel.ROUNDTABLE


def test_enterprise_user_files_for_its_own_enterprise_only(world: World) -> None:
    client = client_for(world.user(Role.ENTERPRISE))
    page = client.get(reverse("demands:create")).content.decode()
    assert world.home.enterprise.name in page
    assert 'name="solved_on_spot"' not in page and 'name="channel"' not in page
    refused = client.post(reverse("demands:create"), intake(world, enterprise=world.other.enterprise.pk))
    assert 'data-error-for="enterprise"' in refused.content.decode()
    assert world.home.enterprise.name in refused.content.decode()
    assert not Demand.objects.exists()
    # Ticking 当即解决 is not the enterprise's to do: the field is ignored, the demand stays open.
    client.post(reverse("demands:create"), intake(world, solved_on_spot="on", solved_on_spot_note="x"))
    demand = Demand.objects.get()
    assert demand.channel == Channel.ENTERPRISE_ACCOUNT and demand.state == DemandState.RECEIVED
    assert demand.raised_by == world.user(Role.ENTERPRISE)


def test_an_inactive_category_is_not_offered(world: World) -> None:
    closed = category("用工招聘")
    closed.is_active = False
    closed.save()
    client = client_for(world.user(Role.LIAISON))
    page = client.get(reverse("demands:create")).content.decode()
    assert f'value="{closed.pk}"' not in page
    response = client.post(reverse("demands:create"), intake(world, category=closed.pk))
    assert 'data-error-for="category"' in response.content.decode()
    assert not Demand.objects.exists()
