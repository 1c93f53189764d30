"""The visits' actions with a real database: questionnaires and their versions, creating,
publishing and closing campaigns, and recording visits — idempotent on their key, checked
against their questionnaire version, raising demands through the demands' intake action."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lianqi.core.roles import Role
from lianqi.demands.choices import Channel, DemandState
from lianqi.demands.models import Demand, DemandEvent
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.testing.world import World, make_enterprise

from .. import actions
from ..choices import CampaignState, ScopeKind, VisitChannel
from ..models import Campaign, CampaignEvent, QuestionnaireVersion, RaisedDemand, Visit
from .factories import AT, DEFINITION, NEEDY, QUIET, key, make_campaign, make_questionnaire

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 64


def photo(name: str = "现场.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def record(world: World, campaign: Campaign | None, answers: dict[str, Any], **extra: Any) -> Visit:
    values: dict[str, Any] = {
        "enterprise": world.home.enterprise,
        "actor": world.user(Role.LIAISON),
        "idempotency_key": key(),
        "campaign": campaign,
        "answers": answers,
        "people_met": "王总经理",
        "at": AT,
    }
    values.update(extra)
    return actions.record_visit(**values)


# --- Questionnaires and their versions -------------------------------------------------------


def test_a_questionnaire_is_edited_in_place_until_it_is_used(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    first = actions.save_questionnaire(
        questionnaire=None, jurisdiction=world.home.park, title="问卷", definition=DEFINITION, actor=office
    )
    assert first.number == 1 and first.questionnaire.jurisdiction_path == world.home.park.path
    edited = copy.deepcopy(DEFINITION)
    edited["sections"][0]["title"] = "经营状况"
    again = actions.save_questionnaire(
        questionnaire=first.questionnaire, title="问卷", definition=edited, actor=office
    )
    assert again.pk == first.pk and again.definition["sections"][0]["title"] == "经营状况"


def test_editing_a_questionnaire_in_use_makes_a_new_version_and_answers_keep_theirs(world: World) -> None:
    campaign = make_campaign(world)
    visit = record(world, campaign, QUIET)
    v1 = campaign.questionnaire_version
    assert v1 is not None
    edited = copy.deepcopy(DEFINITION)
    edited["sections"][0]["questions"][0]["options"] = ["好", "坏"]
    v2 = actions.save_questionnaire(
        questionnaire=campaign.questionnaire,
        title="问卷",
        definition=edited,
        actor=world.user(Role.SERVICE_OFFICE),
    )
    assert (v2.number, QuestionnaireVersion.objects.filter(questionnaire=campaign.questionnaire).count()) == (
        2,
        2,
    )
    visit.refresh_from_db()
    v1.refresh_from_db()
    assert visit.questionnaire_version == v1
    assert v1.definition["sections"][0]["questions"][0]["options"] == ["良好", "一般", "困难"]
    # The open campaign still takes answers on the version it pinned.
    assert record(world, campaign, {"state": "一般", "finance": "否"}).questionnaire_version == v1


def test_only_the_office_of_the_jurisdiction_saves_questionnaires(world: World) -> None:
    for actor, park in (
        (world.user(Role.LIAISON), world.home.park),
        (world.user(Role.SERVICE_OFFICE), world.other.park),
    ):
        with pytest.raises(ValidationError) as refused:
            actions.save_questionnaire(
                questionnaire=None, jurisdiction=park, title="问卷", definition=DEFINITION, actor=actor
            )
        assert "jurisdiction" in refused.value.message_dict
    with pytest.raises(ValidationError) as bad:
        actions.save_questionnaire(
            questionnaire=None,
            jurisdiction=world.home.park,
            title="问卷",
            definition={"questions": []},
            actor=world.user(Role.SERVICE_OFFICE),
        )
    assert bad.value.message_dict["definition"] == ["问卷定义格式不正确"]


# --- Campaigns -------------------------------------------------------------------------------


def create(world: World, **changes: Any) -> Campaign:
    values: dict[str, Any] = {
        "jurisdiction": world.home.park,
        "title": "安全生产大走访",
        "theme": "安全生产",
        "starts_on": dt.date(2025, 5, 1),
        "ends_on": dt.date(2025, 5, 31),
        "questionnaire": make_questionnaire(world.home),
        "actor": world.user(Role.SERVICE_OFFICE),
        "departments": [world.home.department],
        "at": AT,
    }
    values.update(changes)
    return actions.create_campaign(**values)


def test_a_campaign_is_created_as_a_draft_with_its_first_event(world: World) -> None:
    campaign = create(world)
    assert (campaign.state, campaign.version, campaign.questionnaire_version) == (
        CampaignState.DRAFT,
        1,
        None,
    )
    assert list(campaign.departments.all()) == [world.home.department]
    event = CampaignEvent.objects.get(campaign=campaign)
    assert (event.action, event.to_state, event.actor) == ("create", "draft", world.user(Role.SERVICE_OFFICE))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"ends_on": dt.date(2025, 4, 1)}, "ends_on"),
        ({"target_coverage": 0}, "target_coverage"),
        ({"scope_kind": ScopeKind.LIST}, "enterprises"),
        ({"scope_kind": ScopeKind.KIND, "scope_value": "factory"}, "scope_value"),
    ],
)
def test_a_campaign_with_bad_input_is_refused_naming_the_field(
    world: World, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        create(world, **changes)
    assert field in refused.value.message_dict
    assert not Campaign.objects.exists()


def test_a_campaign_takes_nothing_from_another_park(world: World) -> None:
    with pytest.raises(ValidationError) as questionnaire:
        create(world, questionnaire=make_questionnaire(world.other))
    assert "questionnaire" in questionnaire.value.message_dict
    with pytest.raises(ValidationError) as departments:
        create(world, departments=[world.other.department])
    assert "departments" in departments.value.message_dict
    with pytest.raises(ValidationError) as elsewhere:
        create(world, jurisdiction=world.other.park)
    assert "jurisdiction" in elsewhere.value.message_dict


def test_publishing_pins_the_questionnaire_s_newest_version(world: World) -> None:
    campaign = create(world)
    campaign = actions.publish_campaign(
        campaign=campaign, actor=world.user(Role.SERVICE_OFFICE), expected_version=1
    )
    assert campaign.state == CampaignState.OPEN
    assert campaign.questionnaire_version == campaign.questionnaire.latest_version()
    assert CampaignEvent.objects.filter(campaign=campaign).last().note == "问卷第 1 版"  # type: ignore[union-attr]
    closed = actions.close_campaign(campaign=campaign, actor=world.user(Role.LEADER), expected_version=2)
    assert closed.state == CampaignState.CLOSED


def test_a_questionnaire_that_cannot_be_answered_is_not_published_and_says_why(world: World) -> None:
    broken = copy.deepcopy(DEFINITION)
    broken["sections"][0]["questions"][0]["show_if"] = {"question": "finance", "equals": "是"}
    broken["sections"][1]["questions"][1]["min"] = 500
    broken["sections"][1]["questions"][1]["max"] = 5
    broken["sections"][1]["questions"][0]["raises"] = [{"answer": "是", "category": "不存在的类别"}]
    campaign = create(world, questionnaire=make_questionnaire(world.home, broken))
    with pytest.raises(ValidationError) as refused:
        actions.publish_campaign(campaign=campaign, actor=world.user(Role.SERVICE_OFFICE), expected_version=1)
    assert refused.value.message_dict["questionnaire"] == [
        "第 1 题“企业经营状况”的显示条件引用了它之后的题目 finance",
        "第 3 题“是否有融资需求”映射的诉求类别“不存在的类别”不存在或已停用",
        "第 4 题“融资金额”的最小值 500 大于最大值 5",
    ]
    campaign.refresh_from_db()
    assert (campaign.state, campaign.version, campaign.questionnaire_version) == (
        CampaignState.DRAFT,
        1,
        None,
    )


# --- Recording a visit -----------------------------------------------------------------------


def test_a_visit_keeps_its_answers_with_their_version(world: World) -> None:
    campaign = make_campaign(world)
    visit = record(world, campaign, {**QUIET, "amount": "99"}, latitude="27.8", longitude="112.9")
    assert visit.answers == {"state": "良好", "finance": "no"}  # the hidden amount is dropped
    assert visit.questionnaire_version == campaign.questionnaire_version
    assert (visit.channel, visit.liaison, visit.people_met) == (
        VisitChannel.LIAISON,
        world.home.liaison_staff,
        "王总经理",
    )
    assert str(visit.latitude) == "27.800000"
    assert not RaisedDemand.objects.exists()


def test_the_same_visit_posted_twice_is_recorded_once(world: World) -> None:
    campaign = make_campaign(world)
    same = key()
    first = record(world, campaign, NEEDY, idempotency_key=same)
    again = record(world, campaign, NEEDY, idempotency_key=same)
    assert again.pk == first.pk
    assert Visit.objects.count() == 1
    assert Demand.objects.count() == 2
    # Another user cannot take over a key already used.
    with pytest.raises(ValidationError) as taken:
        record(world, campaign, NEEDY, idempotency_key=same, actor=world.user(Role.SERVICE_OFFICE))
    assert "idempotency_key" in taken.value.message_dict


def test_wrong_answers_are_refused_question_by_question_and_nothing_is_kept(world: World) -> None:
    campaign = make_campaign(world)
    with pytest.raises(ValidationError) as refused:
        record(world, campaign, {"state": "", "finance": "是", "amount": "-3"})
    assert refused.value.message_dict == {"answer_state": ["此题必答"], "answer_amount": ["不能小于 0"]}
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_answers_raise_demands_through_the_intake_and_the_timeline_shows_the_visit(world: World) -> None:
    campaign = make_campaign(world)
    visit = record(world, campaign, NEEDY, details={"finance:yes": "流动资金贷款到期续贷困难"})
    raised = {
        r.demand.category.name: r
        for r in RaisedDemand.objects.filter(visit=visit).select_related("demand__category")
    }
    assert set(raised) == {"融资困难", "用工招聘"}
    demand = raised["融资困难"].demand
    assert (demand.channel, demand.state, demand.enterprise, demand.raised_by) == (
        Channel.LIAISON,
        DemandState.RECEIVED,
        world.home.enterprise,
        world.user(Role.LIAISON),
    )
    first = DemandEvent.objects.filter(demand=demand).first()
    assert first is not None
    assert first.note == (
        "是否有融资需求：是\n流动资金贷款到期续贷困难\n来自走访：2025年第一轮助企纾困大走访，2025-03-03，湘潭高新区联企干部"
    )
    assert (raised["融资困难"].question, raised["融资困难"].answer) == ("finance", "yes")


def test_a_raised_demand_may_be_solved_on_the_spot(world: World) -> None:
    campaign = make_campaign(world)
    visit = record(world, campaign, NEEDY, solved={"needs:用工": "已推送园区招聘会信息"})
    demands = {r.demand.category.name: r.demand for r in visit.raised.select_related("demand__category")}
    assert demands["用工招聘"].state == DemandState.CLOSED and demands["用工招聘"].solved_on_spot
    assert demands["用工招聘"].reply == "已推送园区招聘会信息"
    assert demands["融资困难"].state == DemandState.RECEIVED


def test_a_photo_is_stored_and_becomes_the_answer(world: World) -> None:
    campaign = make_campaign(world)
    visit = record(world, campaign, QUIET, files={"photo": [photo()]})
    [stored] = visit.files.all()
    assert (stored.name, stored.question) == ("现场.jpg", "photo")
    assert visit.answers["photo"] == [stored.file.name]
    with pytest.raises(ValidationError) as refused:
        record(world, campaign, QUIET, files={"photo": [SimpleUploadedFile("a.exe", b"MZ")]})
    assert "answer_photo" in refused.value.message_dict


def test_a_liaison_records_visits_of_their_own_enterprises_only(world: World) -> None:
    campaign = make_campaign(world)
    stranger = make_enterprise(world.home.park, "湘潭别家机械有限公司")
    with pytest.raises(ValidationError) as refused:
        record(world, campaign, QUIET, enterprise=stranger)
    assert "enterprise" in refused.value.message_dict
    with pytest.raises(ValidationError):
        record(world, None, {}, enterprise=world.other.enterprise, actor=world.user(Role.SERVICE_OFFICE))
    assert not Visit.objects.exists()


def test_a_visit_needs_an_open_campaign_that_covers_the_enterprise(world: World) -> None:
    draft = make_campaign(world, CampaignState.DRAFT)
    with pytest.raises(ValidationError) as not_open:
        record(world, draft, QUIET)
    assert "campaign" in not_open.value.message_dict
    shops = make_campaign(world, scope_kind=ScopeKind.KIND, scope_value=EnterpriseKind.SHOP)
    with pytest.raises(ValidationError) as outside:
        record(world, shops, QUIET)
    assert "enterprise" in outside.value.message_dict


def test_a_routine_visit_has_no_campaign_and_no_answers(world: World) -> None:
    visit = record(world, None, {"state": "良好"}, summary="了解近期订单情况")
    assert (visit.campaign, visit.questionnaire_version, visit.answers) == (None, None, {})
    assert visit.summary == "了解近期订单情况"


def test_the_enterprise_fills_the_form_itself(world: World) -> None:
    campaign = make_campaign(world)
    visit = record(world, campaign, NEEDY, actor=world.user(Role.ENTERPRISE), solved={"needs:用工": "x"})
    assert visit.channel == VisitChannel.ELECTRONIC
    assert {r.demand.channel for r in visit.raised.select_related("demand")} == {Channel.ENTERPRISE_CODE}
    assert not visit.raised.filter(demand__solved_on_spot=True).exists()
