"""The visits' pages: one shared contract per page (anonymous, a role that may not, the other
park, a role that may), then what the pages show and do for each role — the liaison's phone
form end to end (a condition, a raised demand, a retried submission), coverage, publishing."""

from __future__ import annotations

import copy
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.demands.models import Demand
from lianqi.org.models import Staff
from lianqi.testing.contracts import ListPageContract, ObjectPageContract
from lianqi.testing.world import World

from .. import actions
from ..choices import CampaignState
from ..models import Campaign, Visit
from ..permissions import BUILDERS, MANAGERS, RECORDERS
from ..views.recording import SECTION_ROLES
from .factories import AT, DEFINITION, QUIET, handler, key, make_campaign, make_questionnaire

STAFF_READERS = (*MANAGERS, Role.LIAISON)


def home_campaign(world: World, state: str = CampaignState.OPEN) -> Campaign:
    """The home park's one campaign, made on first use (a contract asks for its URL many times)."""
    return Campaign.objects.filter(jurisdiction=world.home.park).first() or make_campaign(
        world, state, title="高新区专属走访"
    )


def home_visit(world: World) -> Visit:
    return Visit.objects.filter(enterprise=world.home.enterprise).first() or actions.record_visit(
        enterprise=world.home.enterprise,
        actor=world.user(Role.LIAISON),
        idempotency_key=key(),
        campaign=home_campaign(world),
        answers=QUIET,
        at=AT,
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestCampaignListContract(ListPageContract):
    allowed_roles = STAFF_READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_campaign(world)
        return reverse("visits:campaign_list")

    def marker(self, world: World) -> str:
        return "高新区专属走访"


class TestCampaignDetailContract(ObjectPageContract):
    allowed_roles = STAFF_READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return home_campaign(world).get_absolute_url()


class TestCampaignCreateContract(ObjectPageContract):
    allowed_roles = BUILDERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("visits:campaign_create")

    def test_other_jurisdiction_gets_404(self, world: World) -> None:
        # A form of one's own jurisdiction: nothing of the home park is on it.
        html = self.client_for(world.other_user(Role.SERVICE_OFFICE)).get(self.url(world)).content.decode()
        make_questionnaire(world.home, title="高新区问卷")
        assert (
            "高新区问卷"
            not in self.client_for(world.other_user(Role.SERVICE_OFFICE))
            .get(self.url(world))
            .content.decode()
        )
        assert "经济发展局" in html


class TestCampaignStepContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("visits:campaign_step", args=[home_campaign(world, CampaignState.DRAFT).pk, "publish"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": home_campaign(world).version}


class TestVisitFormContract(ObjectPageContract):
    allowed_roles = RECORDERS
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return f"{reverse('visits:visit_create')}?campaign={home_campaign(world).pk}"


class TestVisitDetailContract(ObjectPageContract):
    allowed_roles = STAFF_READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return home_visit(world).get_absolute_url()


class TestEnterpriseSectionContract(ObjectPageContract):
    allowed_roles = SECTION_ROLES
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_visit(world)
        return reverse("visits:enterprise_section", args=[world.home.enterprise.pk])


class TestQuestionnaireListContract(ListPageContract):
    allowed_roles = BUILDERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        if not Campaign.objects.exists():
            make_questionnaire(world.home, title="高新区问卷")
            make_campaign(world)
        return reverse("visits:questionnaire_list")

    def marker(self, world: World) -> str:
        return "高新区问卷"


# --- The liaison's phone form ----------------------------------------------------------------


def form_page(client: Client, campaign: Campaign) -> tuple[str, str]:
    url = f"{reverse('visits:visit_create')}?campaign={campaign.pk}"
    html = client.get(url).content.decode()
    found = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html)
    assert found is not None
    return url, found.group(1)


def test_the_liaison_fills_a_visit_that_raises_a_demand_and_coverage_changes(world: World) -> None:
    campaign = make_campaign(world)
    office = client_for(world.user(Role.SERVICE_OFFICE))
    before = office.get(campaign.get_absolute_url()).content.decode()
    assert re.search(r'data-testid="visited">0<', before)
    liaison = client_for(world.user(Role.LIAISON))
    url, idempotency = form_page(liaison, campaign)
    post = {
        "idempotency_key": idempotency,
        "enterprise": world.home.enterprise.pk,
        "checked_in_at": "2025-03-03T10:00",
        "people_met": "王总经理",
        "answer_state": "困难",
        "answer_finance": "yes",
        "answer_amount": "300",
        "detail__finance__yes": "续贷困难",
    }
    response = liaison.post(url, post)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.answers == {"state": "困难", "finance": "yes", "amount": "300"}
    # The network dropped the answer: the phone sends the same form again.
    assert liaison.post(url, post)["Location"] == visit.get_absolute_url()
    assert Visit.objects.count() == 1 and Demand.objects.count() == 1
    detail = liaison.get(visit.get_absolute_url()).content.decode()
    assert "融资困难" in detail and "300 万元" in detail
    after = office.get(campaign.get_absolute_url()).content.decode()
    assert re.search(r'data-testid="visited">1<', after)


def test_a_wrong_answer_is_shown_next_to_its_question_and_what_was_typed_is_kept(world: World) -> None:
    campaign = make_campaign(world)
    liaison = client_for(world.user(Role.LIAISON))
    url, idempotency = form_page(liaison, campaign)
    response = liaison.post(
        url,
        {
            "idempotency_key": idempotency,
            "enterprise": world.home.enterprise.pk,
            "checked_in_at": "2025-03-03T10:00",
            "people_met": "王总经理",
            "answer_state": "良好",
            "answer_finance": "yes",
            "answer_amount": "-5",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-error-for="answer_amount">不能小于 0<', html)
    assert 'value="-5"' in html and 'value="王总经理"' in html
    assert not Visit.objects.exists()


def test_the_form_offers_the_liaison_s_enterprises_not_yet_visited_first_with_conditions(
    world: World,
) -> None:
    campaign = make_campaign(world)
    html = (
        client_for(world.user(Role.LIAISON))
        .get(f"{reverse('visits:visit_create')}?campaign={campaign.pk}")
        .content.decode()
    )
    assert world.home.enterprise.name in html
    assert 'data-show-if="finance" data-show-values="yes"' in html
    assert 'data-raise-question="finance" data-raise-answer="yes"' in html
    # The campaign chooser lists it.
    chooser = client_for(world.user(Role.LIAISON)).get(reverse("visits:visit_create")).content.decode()
    assert campaign.title in chooser


def test_a_closed_or_other_park_s_campaign_takes_no_visits(world: World) -> None:
    closed = make_campaign(world, CampaignState.CLOSED)
    client = client_for(world.user(Role.LIAISON))
    assert client.get(f"{reverse('visits:visit_create')}?campaign={closed.pk}").status_code == 404
    other = make_campaign(world, side=world.other)
    assert client.get(f"{reverse('visits:visit_create')}?campaign={other.pk}").status_code == 404


# --- Campaigns -------------------------------------------------------------------------------


def test_the_office_creates_a_campaign_and_publishing_an_unanswerable_one_says_why(world: World) -> None:
    broken = copy.deepcopy(DEFINITION)
    broken["sections"][0]["questions"][0]["options"] = []
    questionnaire = make_questionnaire(world.home, broken)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("visits:campaign_create")
    form = {
        "title": "安全生产大走访",
        "theme": "安全生产",
        "starts_on": "2025-06-01",
        "ends_on": "2025-05-01",
        "questionnaire": questionnaire.pk,
        "target_coverage": 90,
        "scope_kind": "all",
    }
    refused = client.post(url, form).content.decode()
    assert 'data-error-for="ends_on"' in refused
    response = client.post(url, {**form, "ends_on": "2025-06-30", "departments": [world.home.department.pk]})
    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "第 1 题“企业经营状况”是选择题，但没有选项" in page and 'data-testid="step-publish"' in page
    step = reverse("visits:campaign_step", args=[campaign.pk, "publish"])
    answer = client.post(step, {"expected_version": 1}).content.decode()
    assert 'data-testid="step-errors"' in answer and "但没有选项" in answer
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT


def test_a_department_opens_only_the_campaigns_it_takes_part_in(world: World) -> None:
    ours = make_campaign(world, title="本部门参与")
    ours.departments.set([world.home.department])
    theirs = make_campaign(world, title="他部门参与")
    client = client_for(handler(world.home))
    assert client.get(ours.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    listed = client.get(reverse("visits:campaign_list")).content.decode()
    assert "本部门参与" in listed and "他部门参与" not in listed


def test_an_old_visit_reads_with_the_questions_of_its_own_version(world: World) -> None:
    visit = home_visit(world)
    edited = copy.deepcopy(DEFINITION)
    edited["sections"][0]["questions"][0]["text"] = "改过的题干"
    actions.save_questionnaire(
        questionnaire=visit.campaign.questionnaire,  # type: ignore[union-attr]
        title="问卷",
        definition=edited,
        actor=world.user(Role.SERVICE_OFFICE),
    )
    html = client_for(world.user(Role.SERVICE_OFFICE)).get(visit.get_absolute_url()).content.decode()
    assert "企业经营状况" in html and "改过的题干" not in html and "第 1 版" in html


def test_the_enterprise_file_section_lists_its_visits(world: World) -> None:
    visit = home_visit(world)
    html = (
        client_for(world.user(Role.LIAISON))
        .get(reverse("visits:enterprise_section", args=[world.home.enterprise.pk]))
        .content.decode()
    )
    assert visit.get_absolute_url() in html and "高新区专属走访" in html


def test_the_campaign_form_picks_its_liaisons_by_search_not_from_every_cadre(world: World) -> None:
    # A park has hundreds of cadres: the form renders none of them, the scoped staff picker
    # finds them by name, and a liaison chosen and refused elsewhere is still the field's.
    for number in range(60):
        Staff.objects.create(jurisdiction=world.home.park, name=f"走访干部{number:02d}")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    html = client.get(reverse("visits:campaign_create")).content.decode()
    assert f'data-picker="{reverse("org:pick_staff")}"' in html
    assert "走访干部00" not in html
    found = client.get(reverse("org:pick_staff"), {"q": "联企干部"}).json()
    assert [row["text"] for row in found if world.other.liaison_staff.name in row["text"]] == []
    assert any(world.home.liaison_staff.name in row["text"] for row in found)
