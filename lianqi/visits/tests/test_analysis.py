"""A campaign's analysis page: who may open it, the statistics it shows over every version its
forms used, the text answers searched and paged, and reminding the liaisons who are behind."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.notifications.models import Channel, Notification
from lianqi.org.models import Staff
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World, make_enterprise

from .. import queries
from ..choices import CampaignState, VisitChannel
from ..models import Campaign, QuestionnaireVersion, Visit
from ..permissions import MANAGERS
from .factories import AT, DEFINITION, NEEDY, QUIET, handler, key, make_campaign, make_questionnaire
from .test_queries import visit
from .test_views import client_for, home_campaign

#: The factories' questionnaire with a free-text question added.
WITH_TEXT: dict[str, Any] = copy.deepcopy(DEFINITION)
WITH_TEXT["sections"][1]["questions"].append({"key": "advice", "type": "text", "text": "意见建议"})


def analysis_url(campaign: Campaign) -> str:
    return reverse("visits:campaign_analysis", args=[campaign.pk])


class TestAnalysisContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return analysis_url(home_campaign(world))


class TestRemindContract(ObjectPageContract):
    method = "post"
    allowed_roles = MANAGERS
    denied_role = Role.DEPARTMENT_HANDLER
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("visits:campaign_remind", args=[home_campaign(world).pk])


def test_a_department_sees_the_analysis_of_the_campaigns_it_takes_part_in(world: World) -> None:
    campaign = make_campaign(world)
    user = handler(world.home)
    assert client_for(user).get(analysis_url(campaign)).status_code == 404
    campaign.departments.add(world.home.department)
    assert client_for(user).get(analysis_url(campaign)).status_code == 200
    draft = make_campaign(world, CampaignState.DRAFT)
    assert client_for(world.user(Role.SERVICE_OFFICE)).get(analysis_url(draft)).status_code == 404


def test_the_page_shows_each_question_s_answers_over_every_version(world: World) -> None:
    campaign = make_campaign(world)
    second = make_enterprise(world.home.park, "湘潭二号机械有限公司", liaison=world.home.liaison_staff)
    visit(world, campaign, world.home.enterprise, answers=NEEDY)
    visit(world, campaign, second, answers=QUIET)
    # A form kept from an older version that asked one more question.
    older = copy.deepcopy(DEFINITION)
    older["sections"][0]["questions"].append(
        {"key": "staff", "type": "number", "text": "员工人数", "unit": "人"}
    )
    old = QuestionnaireVersion.objects.create(
        questionnaire=campaign.questionnaire, number=0, definition=older, created_at=AT, updated_at=AT
    )
    Visit.objects.create(
        jurisdiction=world.home.park,
        enterprise=second,
        campaign=campaign,
        channel=VisitChannel.ELECTRONIC,
        checked_in_at=AT,
        idempotency_key=key(),
        questionnaire_version=old,
        answers={"state": "良好", "finance": "否", "staff": "120"},
    )

    response = client_for(world.user(Role.LEADER)).get(analysis_url(campaign))
    assert response.status_code == 200
    analysis = response.context["analysis"]
    found = {stats.key: stats for stats in analysis.questions}
    assert analysis.forms == 3
    assert [(b.label, b.count) for b in found["state"].bars] == [("良好", 2), ("一般", 0), ("困难", 1)]
    assert [(b.label, b.count) for b in found["finance"].bars] == [("yes", 1), ("no", 2)]
    assert found["amount"].numbers.mean == Decimal("300.00")
    assert found["staff"].versions == (0,)
    page = response.content.decode()
    assert "仅第 0 版问卷有此题" in page
    assert "2 · 66.7%" in page  # 良好: 2 of 3 forms
    assert "300.00 万元" in page
    assert "融资困难" in page  # demands raised, by category


def test_text_answers_are_listed_searched_and_paged(world: World) -> None:
    campaign = make_campaign(world, questionnaire=make_questionnaire(world.home, WITH_TEXT))
    for number in range(23):
        advice = "希望加快审批" if number % 2 else f"建议增加培训{number}"
        visit(world, campaign, world.home.enterprise, answers={**QUIET, "advice": advice})
    visit(world, campaign, world.home.enterprise)  # no advice given
    client = client_for(world.user(Role.SERVICE_OFFICE))
    assert "texts-link" in client.get(analysis_url(campaign)).content.decode()
    url = reverse("visits:campaign_texts", args=[campaign.pk, "advice"])
    first = client.get(url)
    assert first.context["paginator"].count == 23
    assert len(first.context["page_obj"].object_list) == 20
    assert len(client.get(url, {"page": 2}).context["page_obj"].object_list) == 3
    searched = client.get(url, {"search": "审批"})
    assert searched.context["paginator"].count == 11
    assert "希望加快审批" in searched.content.decode() and "建议增加培训" not in searched.content.decode()
    # Only a text question of the campaign's questionnaire has such a list.
    assert client.get(reverse("visits:campaign_texts", args=[campaign.pk, "state"])).status_code == 404
    assert client.get(reverse("visits:campaign_texts", args=[campaign.pk, "nothing"])).status_code == 404


def test_liaisons_behind_the_period_s_pace_are_listed_and_reminded_once_a_day(world: World) -> None:
    park = world.home.park
    keen = Staff.objects.create(jurisdiction=park, name="勤快干部")
    done = make_enterprise(park, "已走访企业", liaison=keen)
    make_enterprise(park, "湘潭二号机械有限公司", liaison=world.home.liaison_staff)
    campaign = make_campaign(
        world, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 10), target_coverage=80
    )
    visit(world, campaign, done)
    # Day 5 of 10: 40% expected; the home liaison visited none of their two.
    assert queries.expected_rate(campaign, dt.date(2025, 3, 5)) == Decimal("40.0")
    assert queries.expected_rate(campaign, dt.date(2025, 2, 1)) == Decimal("0.0")
    behind = queries.liaisons_behind(campaign, dt.date(2025, 3, 5))
    assert [(row.staff.name, row.targets, row.visited) for row in behind] == [("湘潭高新区联企干部", 2, 0)]
    assert queries.liaisons_behind(campaign, dt.date(2025, 2, 28)) == []  # before it starts

    office = client_for(world.user(Role.SERVICE_OFFICE))
    page = office.get(analysis_url(campaign)).content.decode()
    assert "湘潭高新区联企干部" in page and 'data-testid="remind"' in page
    remind = reverse("visits:campaign_remind", args=[campaign.pk])
    assert office.post(remind).status_code == 302
    office.post(remind)  # a double click
    sent = Notification.objects.filter(recipient=world.user(Role.LIAISON), channel=Channel.IN_APP)
    assert sent.count() == 1
    assert campaign.title in sent.get().subject
    assert not Notification.objects.exclude(recipient=world.user(Role.LIAISON)).exists()
    # The leader sees who is behind; the other park's office cannot remind them.
    assert client_for(world.other_user(Role.SERVICE_OFFICE)).post(remind).status_code == 404


def test_the_coverage_rate_measure_adds_up_the_published_campaigns_of_the_period(world: World) -> None:
    from lianqi.core.registry import Period, measure

    park = world.home.park
    make_enterprise(park, "湘潭二号机械有限公司")
    spring = make_campaign(world, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 31))
    autumn = make_campaign(world, starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2025, 9, 30))
    make_campaign(world, CampaignState.DRAFT, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 31))
    visit(world, spring, world.home.enterprise)
    visit(world, spring, world.home.enterprise)  # the same enterprise again counts once
    rate = measure("visits.coverage_rate")
    assert rate.compute(park.path, Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))) == Decimal("50.0")
    visit(world, autumn, world.home.enterprise)
    assert rate.compute(park.path, Period.year(2025)) == Decimal("50.0")  # 2 of 4 targets
    assert rate.compute(world.other.park.path, Period.year(2025)) is None
    assert rate.compute(park.path, Period.year(2024)) is None


def test_the_campaign_page_leads_to_its_analysis_once_published(world: World) -> None:
    office = client_for(world.user(Role.SERVICE_OFFICE))
    published = make_campaign(world)
    page = office.get(reverse("visits:campaign_detail", args=[published.pk])).content.decode()
    assert f'href="{analysis_url(published)}"' in page
    draft = make_campaign(world, CampaignState.DRAFT)
    assert (
        'data-testid="analysis-link"'
        not in office.get(reverse("visits:campaign_detail", args=[draft.pk])).content.decode()
    )


def test_a_long_list_of_liaisons_behind_names_the_ten_furthest_and_points_to_the_table(world: World) -> None:
    park = world.home.park
    for number in range(12):
        person = Staff.objects.create(jurisdiction=park, name=f"落后干部{number:02d}")
        make_enterprise(park, f"湘潭落后{number:02d}号机械有限公司", liaison=person)
    campaign = make_campaign(world, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 10))
    office = client_for(world.user(Role.SERVICE_OFFICE))
    page = office.get(analysis_url(campaign)).content.decode()
    named = [number for number in range(12) if f"落后干部{number:02d}" in page]
    # The home liaison and the twelve are all behind: ten are named, three are counted.
    assert len(named) + ("湘潭高新区联企干部" in page) == 10
    assert 'data-testid="behind-more"' in page and "另有 3 名" in page
    assert f"{campaign.get_absolute_url()}#by-liaison" in page


def test_a_campaign_that_is_over_reminds_no_one(world: World) -> None:
    campaign = make_campaign(
        world, CampaignState.CLOSED, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 10)
    )
    office = client_for(world.user(Role.SERVICE_OFFICE))
    page = office.get(analysis_url(campaign)).content.decode()
    assert "湘潭高新区联企干部" in page  # still shown as behind: the record of the campaign
    assert 'data-testid="remind"' not in page
    office.post(reverse("visits:campaign_remind", args=[campaign.pk]))
    assert not Notification.objects.filter(recipient=world.user(Role.LIAISON)).exists()


def test_a_liaison_who_also_handles_for_a_department_analyses_only_its_department_s_campaigns(
    world: World,
) -> None:
    from django.contrib.auth.models import Group

    liaison = world.user(Role.LIAISON)  # the home liaison's staff row is of the home department
    liaison.groups.add(Group.objects.get_or_create(name=Role.DEPARTMENT_HANDLER)[0])
    campaign = make_campaign(world)  # names no liaisons: every liaison of the park takes part
    client = client_for(liaison)
    detail = client.get(campaign.get_absolute_url())
    assert detail.status_code == 200 and 'data-testid="analysis-link"' not in detail.content.decode()
    # The analysis lists every liaison's forms: taking part as a liaison does not open it.
    assert client.get(analysis_url(campaign)).status_code == 404
    assert client.get(reverse("visits:campaign_export", args=[campaign.pk])).status_code == 404
    campaign.departments.add(world.home.department)
    assert 'data-testid="analysis-link"' in client.get(campaign.get_absolute_url()).content.decode()
    assert client.get(analysis_url(campaign)).status_code == 200
