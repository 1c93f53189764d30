"""A campaign's scope by an eligibility rule (the policies' rule format, evaluated by the rule
engine over the policies' enterprise records) and by an imported Excel list of credit codes:
which enterprises become targets, what coverage and the code page follow, and how a bad rule or
a bad list is told next to its field on the page and in the API."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from lianqi.core.roles import Role
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.models import Enterprise, YearFigure
from lianqi.testing.world import World, credit_code, make_enterprise

from .. import actions, queries
from ..choices import CampaignState, ScopeKind
from ..models import Campaign
from .factories import make_campaign, make_questionnaire

#: Manufacturing enterprises with at least 2000 万元 revenue in the year before the campaign.
BIG_MAKERS = {
    "all": [
        {"attribute": "industry", "op": "prefix", "value": ["C"]},
        {"attribute": "revenue", "year": "Y-1", "op": ">=", "value": 2000},
    ]
}
BIG_MAKERS_YAML = """all:
- {attribute: industry, op: prefix, value: [C]}
- {attribute: revenue, year: Y-1, op: '>=', value: 2000}
"""


@pytest.fixture
def park(world: World) -> dict[str, Enterprise]:
    """The home park's enterprises: two big makers (one of them the world's own), a small one,
    one whose revenue is not on record, and a big one that has moved out."""
    big = world.home.enterprise
    found = {
        "big": big,
        "big2": make_enterprise(world.home.park, "大型电机厂"),
        "small": make_enterprise(world.home.park, "小型五金厂"),
        "unknown": make_enterprise(world.home.park, "未报营收厂"),
        "gone": make_enterprise(world.home.park, "已迁出电器厂", status=EnterpriseStatus.MOVED_OUT),
    }
    for name, revenue in (("big", 2500), ("big2", 9000), ("small", 300), ("gone", 5000)):
        YearFigure.objects.create(enterprise=found[name], year=2024, revenue=Decimal(revenue))
    return found


def create(world: World, **scope: Any) -> Campaign:
    return actions.create_campaign(
        jurisdiction=world.home.park,
        title="规上工业企业专项走访",
        theme="助企纾困",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 4, 30),
        questionnaire=make_questionnaire(world.home),
        actor=world.user(Role.SERVICE_OFFICE),
        **scope,
    )


def names(campaign: Campaign) -> set[str]:
    return set(queries.campaign_targets(campaign).values_list("name", flat=True))


# --- The rule scope --------------------------------------------------------------------------


def test_a_rule_scope_targets_the_enterprises_the_rule_finds_eligible(
    world: World, park: dict[str, Enterprise]
) -> None:
    campaign = create(world, scope_kind=ScopeKind.RULE, scope_rule=BIG_MAKERS)
    # Stored as a rule file of one rule, as the policies keep theirs.
    assert len(campaign.scope_rule["rules"]) == 1
    # The undecided (no revenue on record) and the moved-out are not targets.
    assert names(Campaign.objects.get(pk=campaign.pk)) == {park["big"].name, park["big2"].name}


def test_the_rule_reads_the_year_before_the_campaign_starts(
    world: World, park: dict[str, Enterprise]
) -> None:
    campaign = create(world, scope_kind=ScopeKind.RULE, scope_rule=BIG_MAKERS)
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 4, 1))
    # In 2026 "last year" is 2025, for which nobody has a revenue on record.
    assert names(Campaign.objects.get(pk=campaign.pk)) == set()


def test_a_whole_rule_file_or_one_rule_is_accepted_too(world: World, park: dict[str, Enterprise]) -> None:
    rule = {"code": "GS-1", "name": "规上工业", "eligibility": BIG_MAKERS}
    one = create(world, scope_kind=ScopeKind.RULE, scope_rule=rule)
    whole = create(world, scope_kind=ScopeKind.RULE, scope_rule={"version": 1, "rules": [rule]})
    assert names(one) == names(whole) == {park["big"].name, park["big2"].name}


def test_coverage_and_visits_follow_the_rule(world: World, park: dict[str, Enterprise]) -> None:
    campaign = create(world, scope_kind=ScopeKind.RULE, scope_rule=BIG_MAKERS)
    actions.publish_campaign(campaign=campaign, actor=world.user(Role.SERVICE_OFFICE), expected_version=1)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert queries.coverage(campaign).total.targets == 2
    assert queries.takes_in(campaign, park["big2"]) and not queries.takes_in(campaign, park["small"])
    with pytest.raises(ValidationError) as refused:
        actions.record_visit(
            enterprise=park["small"],
            actor=world.user(Role.SERVICE_OFFICE),
            idempotency_key="rule-small",
            campaign=campaign,
            answers={"state": "良好", "finance": "否"},
        )
    assert "enterprise" in refused.value.message_dict
    # The code page offers the campaign's form to an enterprise the rule takes in only.
    assert campaign in queries.open_campaigns_covering(park["big2"])
    assert campaign not in queries.open_campaigns_covering(park["small"])


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ({"all": [{"attribute": "turnover", "op": ">=", "value": 1}]}, "turnover"),
        ({"all": [{"declare": "近三年未发生安全事故"}]}, "近三年未发生安全事故"),
        ({}, "请填写"),
        ({"version": 1, "rules": []}, "恰好包含一条规则"),
    ],
)
def test_a_bad_rule_is_refused_on_its_field(world: World, rule: Any, says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        create(world, scope_kind=ScopeKind.RULE, scope_rule=rule)
    assert says in " ".join(refused.value.message_dict["scope_rule"])
    assert not Campaign.objects.exists()


# --- The page --------------------------------------------------------------------------------


def office(world: World) -> Client:
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    return client


def form_data(world: World, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "规上工业企业专项走访",
        "theme": "助企纾困",
        "starts_on": "2025-03-01",
        "ends_on": "2025-04-30",
        "questionnaire": make_questionnaire(world.home).pk,
        "target_coverage": "100",
        "scope_kind": ScopeKind.RULE,
        "scope_value": "",
    }
    data.update(extra)
    return data


def test_the_page_creates_a_campaign_from_a_yaml_rule_and_shows_it(
    world: World, park: dict[str, Enterprise]
) -> None:
    response = office(world).post(
        reverse("visits:campaign_create"), form_data(world, scope_rule=BIG_MAKERS_YAML)
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.scope_kind == ScopeKind.RULE
    page = office(world).get(campaign.get_absolute_url()).content.decode()
    assert "上年度营业收入" in page and "2000" in page
    assert "目前符合范围的企业 2 家" in page


def test_the_page_names_the_line_of_a_bad_rule_and_keeps_what_was_typed(world: World) -> None:
    typed = (
        "all:\n- {attribute: industry, op: prefix, value: [C]}\n- {attribute: nothing, op: '>=', value: 1}\n"
    )
    response = office(world).post(reverse("visits:campaign_create"), form_data(world, scope_rule=typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-error-for="scope_rule"' in page and "nothing" in page
    assert "{attribute: industry, op: prefix, value: [C]}" in page
    assert not Campaign.objects.exists()


def test_the_page_refuses_text_that_is_not_yaml_on_the_rule_field(world: World) -> None:
    response = office(world).post(reverse("visits:campaign_create"), form_data(world, scope_rule="all: [ {"))
    assert response.status_code == 200
    assert 'data-error-for="scope_rule"' in response.content.decode()


def workbook(
    rows: list[list[Any]], header: tuple[str, ...] = ("统一社会信用代码", "企业名称")
) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("名单.xlsx", buffer.getvalue())


def test_an_imported_list_becomes_the_targets(world: World, park: dict[str, Enterprise]) -> None:
    upload = workbook([[park["big2"].credit_code, "大型电机厂"], [park["small"].credit_code.lower(), ""]])
    data = form_data(world, scope_kind=ScopeKind.LIST, scope_file=upload, enterprises=[park["unknown"].pk])
    response = office(world).post(reverse("visits:campaign_create"), data)
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    # The picked enterprise and the imported ones together.
    assert names(campaign) == {"大型电机厂", "小型五金厂", "未报营收厂"}


def test_an_imported_list_names_every_unknown_code_by_its_row(
    world: World, park: dict[str, Enterprise]
) -> None:
    other = world.other.enterprise.credit_code
    unknown = credit_code("430100")
    upload = workbook(
        [
            [park["big2"].credit_code, ""],
            [other, "另一园区企业"],
            ["12345", ""],
            [unknown, ""],
            [park["gone"].credit_code, ""],
        ]
    )
    response = office(world).post(
        reverse("visits:campaign_create"), form_data(world, scope_kind=ScopeKind.LIST, scope_file=upload)
    )
    assert response.status_code == 200
    page = response.content.decode()
    # One message per faulty row, next to the file field.
    assert page.count('data-error-for="scope_file"') == 4
    assert "第 3 行" in page and other in page
    assert "第 4 行：统一社会信用代码应为18位" in page
    assert "第 6 行" in page and "已迁出" in page
    assert "第 5 行" in page and unknown in page and "第 2 行" not in page
    assert not Campaign.objects.exists()


def test_an_imported_list_with_the_wrong_columns_says_which(world: World) -> None:
    upload = workbook([["x"]], header=("代码", "企业名称"))
    page = (
        office(world)
        .post(
            reverse("visits:campaign_create"), form_data(world, scope_kind=ScopeKind.LIST, scope_file=upload)
        )
        .content.decode()
    )
    assert "缺少列：统一社会信用代码" in page and "无法识别的列：代码" in page
    not_excel = SimpleUploadedFile("名单.xlsx", b"PK\x03\x04 not really")
    page = (
        office(world)
        .post(
            reverse("visits:campaign_create"),
            form_data(world, scope_kind=ScopeKind.LIST, scope_file=not_excel),
        )
        .content.decode()
    )
    assert "无法读取该文件" in page


def test_a_list_without_enterprises_is_refused_on_the_picker(world: World) -> None:
    response = office(world).post(
        reverse("visits:campaign_create"), form_data(world, scope_kind=ScopeKind.LIST)
    )
    assert 'data-error-for="enterprises"' in response.content.decode()


# --- The API ---------------------------------------------------------------------------------


def test_the_api_takes_a_rule_and_names_a_bad_one(world: World, park: dict[str, Enterprise]) -> None:
    client = office(world)
    body = {
        "title": "规上工业企业专项走访",
        "theme": "助企纾困",
        "starts_on": "2025-03-01",
        "ends_on": "2025-04-30",
        "questionnaire": make_questionnaire(world.home).pk,
        "scope_kind": "rule",
        "scope_rule": BIG_MAKERS,
    }
    url = reverse("api:visit-campaign-list")
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["scope_rule"]["rules"][0]["eligibility"]["all"][0]["attribute"] == "industry"
    campaign = Campaign.objects.get(pk=response.json()["id"])
    assert queries.coverage_total(campaign).targets == 2
    body["scope_rule"] = {"all": [{"attribute": "industry", "op": ">=", "value": 3}]}
    refused = client.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 400
    assert "scope_rule" in refused.json()["error"]["fields"]


def test_other_kinds_keep_no_rule(world: World) -> None:
    campaign = create(
        world, scope_kind=ScopeKind.KIND, scope_value=EnterpriseKind.ABOVE_SIZE, scope_rule=BIG_MAKERS
    )
    assert campaign.scope_rule == {}
    assert make_campaign(world, CampaignState.DRAFT).scope_rule == {}
