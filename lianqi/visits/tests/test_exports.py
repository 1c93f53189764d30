"""The campaign list and the questionnaire list as Excel: scoped like the lists (the shared
export contract), written down in the export log, and the phone of whoever acted last shown by
the one phone rule (masked, and the column marked, for those who may not see it whole)."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.models import ExportRecord
from lianqi.core.roles import Role
from lianqi.org.models import Staff
from lianqi.testing.contracts import ListExportContract
from lianqi.testing.world import World, make_user

from ..choices import CampaignState, ScopeKind
from ..models import Campaign, Questionnaire, Visit
from ..permissions import BUILDERS, MANAGERS
from .factories import make_campaign, make_questionnaire
from .test_views import home_visit


def campaign(world: World) -> Campaign:
    return Campaign.objects.filter(jurisdiction=world.home.park).first() or make_campaign(
        world, title="高新区专属走访"
    )


class TestCampaignListExportContract(ListExportContract):
    allowed_roles = (*MANAGERS, Role.LIAISON)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        campaign(world)
        return reverse("visits:campaign_list_export")

    def marker(self, world: World) -> str:
        return "高新区专属走访"


class TestQuestionnaireListExportContract(ListExportContract):
    allowed_roles = BUILDERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        if not Questionnaire.objects.filter(jurisdiction=world.home.park).exists():
            make_questionnaire(world.home, title="高新区专属问卷")
        return reverse("visits:questionnaire_list_export")

    def marker(self, world: World) -> str:
        return "高新区专属问卷"


def sheet(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    rows = (
        load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    return [list(row) for row in rows]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def office_staff(world: World) -> Staff:
    return Staff.objects.create(
        jurisdiction=world.home.park,
        name="营商办王主任",
        phone="13900001111",
        user=world.user(Role.SERVICE_OFFICE),
    )


def test_the_campaign_list_masks_the_actor_phone_for_a_liaison_and_logs_the_export(world: World) -> None:
    office_staff(world)
    row = campaign(world)
    Campaign.objects.filter(pk=row.pk).update(last_actor=world.user(Role.SERVICE_OFFICE))
    home_visit(world)
    liaison = sheet(client_for(world.user(Role.LIAISON)).get(reverse("visits:campaign_list_export")))
    header, first = liaison[0], liaison[1]
    assert "操作人手机号（已脱敏）" in header
    assert first[header.index("最后操作人")] == "营商办王主任"
    assert first[header.index("操作人手机号（已脱敏）")] == "139****1111"
    # The campaign is open: its coverage so far is in the row (one of the park's one target).
    assert first[header.index("应走访企业")] == 1 and first[header.index("已走访企业")] == 1
    assert first[header.index("已收问卷")] == Visit.objects.count() == 1
    office = sheet(client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("visits:campaign_list_export")))
    assert office[1][office[0].index("操作人手机号")] == "13900001111"
    record = ExportRecord.objects.filter(export="visits.campaigns").order_by("at").first()
    assert record is not None and record.user == world.user(Role.LIAISON) and record.rows == 1
    assert record.masked_columns


def test_the_campaign_list_export_follows_the_state_filter_and_describes_the_scope(world: World) -> None:
    make_campaign(
        world, CampaignState.DRAFT, title="草稿活动", scope_kind=ScopeKind.TAG, scope_value="专精特新"
    )
    campaign(world)
    rows = sheet(
        client_for(world.user(Role.SERVICE_OFFICE)).get(
            reverse("visits:campaign_list_export"), {"state": "draft"}
        )
    )
    assert [row[0] for row in rows[1:]] == ["草稿活动"]
    header = rows[0]
    assert rows[1][header.index("走访范围")] == "按标签：专精特新"
    # A draft has no coverage yet: left empty rather than 0%.
    assert rows[1][header.index("走访率（%）")] is None


def test_the_questionnaire_list_masks_an_editor_outside_the_jurisdiction(world: World) -> None:
    questionnaire = make_questionnaire(world.home, title="高新区专属问卷")
    city_office = make_user("city_office", Role.SERVICE_OFFICE, world.city)
    Staff.objects.create(
        jurisdiction=world.city, name="市营商办李科长", phone="13700002222", user=city_office
    )
    questionnaire.versions.update(created_by=city_office)
    rows = sheet(client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("visits:questionnaire_list_export")))
    header, first = rows[0], rows[1]
    assert first[header.index("问卷名称")] == "高新区专属问卷"
    assert first[header.index("题目数")] == 5 and first[header.index("版本数")] == 1
    assert first[header.index("最后编辑人")] == "市营商办李科长"
    # The park's office sees its own jurisdiction's numbers whole, not the city cadre's.
    assert first[header.index("编辑人手机号")] == "137****2222"
    own = sheet(client_for(city_office).get(reverse("visits:questionnaire_list_export")))
    assert own[1][own[0].index("编辑人手机号")] == "13700002222"
    assert ExportRecord.objects.filter(export="visits.questionnaires").count() == 2


def test_the_lists_offer_their_exports(world: World) -> None:
    office = client_for(world.user(Role.SERVICE_OFFICE))
    page = office.get(reverse("visits:campaign_list"), {"state": "open"}).content.decode()
    assert reverse("visits:campaign_list_export") + "?state=open" in page
    assert (
        reverse("visits:questionnaire_list_export")
        in office.get(reverse("visits:questionnaire_list")).content.decode()
    )


def test_the_headers_follow_the_users_language(world: World) -> None:
    campaign(world)
    make_questionnaire(world.home)
    for url, header in (
        (reverse("visits:campaign_list_export"), "Campaign name"),
        (reverse("visits:questionnaire_list_export"), "Questionnaire name"),
    ):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(world.user(Role.SERVICE_OFFICE))
        response = client.get(url)
        assert response["Content-Disposition"].startswith("attachment;")
        assert header in sheet(response)[0]
