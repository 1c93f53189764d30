"""The shipped theme templates: each can be published as it is (its conditions point back, its
mappings name categories of the demands' catalogue), and the office starts a campaign from one
on the create page — a draft with its own copy of the questionnaire, in its own park only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.demands.models import Category
from lianqi.testing.world import World

from .. import actions
from ..choices import THEMES, CampaignState
from ..models import Campaign, Questionnaire
from ..questionnaire import QuestionType, parse, publish_problems, raised
from ..themes import BY_KEY, TEMPLATES
from .factories import AT


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_every_theme_of_the_year_has_a_template() -> None:
    assert {t.theme for t in TEMPLATES} == set(THEMES)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.key)
def test_templates_publish_as_shipped(db: object, template: object) -> None:
    categories = set(Category.objects.filter(is_active=True).values_list("name", flat=True))
    assert publish_problems(template.definition, categories) == []  # type: ignore[attr-defined]
    questionnaire = parse(template.definition)  # type: ignore[attr-defined]
    types = {q.type for q in questionnaire.questions()}
    # Several kinds of question, at least one condition and one mapping in each.
    assert len(types) >= 4
    assert any(q.show_if for q in questionnaire.questions())
    assert any(q.raises for q in questionnaire.questions())


def test_relief_finance_yes_shows_amount_and_raises_a_financing_demand() -> None:
    questionnaire = parse(BY_KEY["relief"].definition)
    amount = questionnaire.by_key()["finance_amount"]
    assert amount.type == QuestionType.NUMBER and amount.show_if is not None
    assert amount.show_if.question == "finance"
    found = raised(questionnaire, {"relief_state": "困难", "finance": "yes", "finance_amount": "200"})
    assert [r.category for r in found] == ["融资困难"]


def test_start_from_template_makes_a_draft_with_a_copy(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    campaign = actions.start_from_template(
        template="safety", jurisdiction=world.home.park, actor=office, at=AT
    )
    assert campaign.state == CampaignState.DRAFT
    assert campaign.theme == "安全生产"
    assert campaign.title == "2025年3月安全生产走访"
    assert campaign.questionnaire.jurisdiction_id == world.home.park.pk
    assert campaign.questionnaire.latest_version().definition == BY_KEY["safety"].definition
    # Publishing works straight away: the template is answerable.
    actions.publish_campaign(campaign=campaign, actor=office, expected_version=campaign.version)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.OPEN


def test_start_from_unknown_template_says_why(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.start_from_template(
            template="nope", jurisdiction=world.home.park, actor=world.user(Role.SERVICE_OFFICE)
        )
    assert "没有这个问卷模板" in str(refused.value)
    assert not Campaign.objects.exists()


def test_create_page_offers_the_templates_and_a_button_starts_one(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(reverse("visits:campaign_create")).content.decode()
    for template in TEMPLATES:
        assert f'value="{template.key}"' in page
        assert template.theme in page
    response = client.post(reverse("visits:campaign_from_template"), {"template": "loans"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.theme == "贴息贷款" and campaign.jurisdiction_id == world.home.park.pk
    detail = client.get(campaign.get_absolute_url()).content.decode()
    assert "贴息贷款" in detail


def test_bad_template_on_the_page_is_a_message_not_a_500(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(reverse("visits:campaign_from_template"), {"template": "x"}, follow=True)
    assert response.status_code == 200
    assert "没有这个问卷模板" in response.content.decode()
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize("role", [Role.LIAISON, Role.ENTERPRISE, Role.DEPARTMENT_HANDLER])
def test_only_the_office_starts_from_a_template(world: World, role: str) -> None:
    response = client_for(world.user(role)).post(
        reverse("visits:campaign_from_template"), {"template": "relief"}
    )
    assert response.status_code in (403, 404)
    assert not Campaign.objects.exists()
