"""The office's workbench: a policy created and its rule written in forms, faults shown on the
row that has them, test cases run on save, the sandbox, publishing, and rule files in and out."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import OFFICE_ROLES, Role
from lianqi.rules import read_xlsx
from lianqi.testing.contracts import ObjectPageContract, PageContract
from lianqi.testing.world import World, make_enterprise

from .. import actions, queries
from ..choices import VersionState
from ..models import Policy, PolicyMatch
from .test_actions import make_policy, revenue, rule


def home_policy(world: World) -> Policy:
    return Policy.objects.filter(code="XT-2025-001").first() or make_policy(world)


class TestPolicyCreateContract(PageContract):
    allowed_roles = tuple(OFFICE_ROLES)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("policies:create")


class TestPolicyUpdateContract(ObjectPageContract):
    allowed_roles = tuple(OFFICE_ROLES)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("policies:update", args=[home_policy(world).pk])


class TestWorkbenchContract(ObjectPageContract):
    allowed_roles = tuple(OFFICE_ROLES)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("policies:workbench", args=[home_policy(world).pk])


class TestRuleImportContract(ObjectPageContract):
    method = "post"
    allowed_roles = tuple(OFFICE_ROLES)
    denied_role = Role.LEADER
    ok_statuses = (400,)  # no file: the form says so

    def url(self, world: World) -> str:
        return reverse("policies:rule_import", args=[home_policy(world).pk])


class TestRuleExportContract(ObjectPageContract):
    allowed_roles = tuple(OFFICE_ROLES)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        policy = home_policy(world)
        if not policy.versions.exists():
            actions.save_policy_draft(
                policy=policy, actor=None, rule=rule(policy.code), valid_from=dt.date(2025, 1, 1)
            )
        return reverse("policies:rule_export", args=[policy.pk, "json"])


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    return client


def _formset(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def workbench_post(
    threshold: str = "2000", intent: str = "save", tests: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "intent": intent,
        "rule_name": "规上工业企业培育奖励",
        **_formset(
            "node",
            [
                {"path": "1", "node": "全部满足"},
                {"path": "1.1", "node": "条件", "attribute": "industry", "op": "prefix", "value": "C"},
                {
                    "path": "1.2",
                    "node": "条件",
                    "attribute": "revenue",
                    "year": "Y-1",
                    "op": ">=",
                    "value": threshold,
                },
                {"path": "1.3", "node": "自主申报", "text": "近三年未发生重大安全生产事故"},
                {"path": "", "node": "条件"},  # an empty row is ignored
            ],
        ),
        "benefit-benefit": "定额",
        "benefit-amount": "15",
        "benefit-unit": "万元",
        **_formset("parameter", []),
        **_formset("test", tests or []),
        "version-valid_from": "2025-01-01",
        "version-valid_to": "",
        "version-note": "首次发布",
    }


def test_the_office_creates_a_policy_and_writes_its_rule_in_forms(world: World) -> None:
    client = _client(world)
    response = client.post(
        reverse("policies:create"),
        {
            "code": "XT-2025-009",
            "title": "技改贴息",
            "level": "park",
            "kind": "award",
            "needs_application": "on",
            "is_active": "on",
        },
    )
    policy = Policy.objects.get(code="XT-2025-009")
    assert response.status_code == 302 and policy.jurisdiction == world.home.park
    passing = [
        {
            "name": "营收 2300 万元待申报",
            "as_of": "2025-06-30",
            "subject": json.dumps({"industry": "3811", "revenue": {"2024": 2300}}),
            "verdict": "unknown",
        }
    ]
    response = client.post(reverse("policies:workbench", args=[policy.pk]), workbench_post(tests=passing))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="test-passed"' in html
    draft = policy.versions.get()
    assert draft.state == VersionState.DRAFT
    assert draft.rule["rules"][0]["eligibility"]["all"][2] == {"declare": "近三年未发生重大安全生产事故"}
    assert draft.rule["rules"][0]["benefit"] == {"type": "fixed", "amount": 15.0, "unit": "万元"}


def test_a_fault_is_shown_on_the_row_and_nothing_is_saved(world: World) -> None:
    policy = home_policy(world)
    data = workbench_post()
    data["node-2-op"] = "prefix"  # a prefix test on a yearly figure
    response = _client(world).post(reverse("policies:workbench", args=[policy.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-error-for="node-2-op"' in html or 'data-error-for="node-2-' in html
    assert not policy.versions.exists()
    assert 'value="2000"' in html  # what was typed stays


def test_failing_test_cases_block_publishing(world: World) -> None:
    policy = home_policy(world)
    wrong = [
        {
            "name": "应当符合",
            "as_of": "2025-06-30",
            "subject": json.dumps({"industry": "3811", "revenue": {"2024": 100}}),
            "verdict": "eligible",
        }
    ]
    response = _client(world).post(
        reverse("policies:workbench", args=[policy.pk]), workbench_post(intent="publish", tests=wrong)
    )
    assert response.status_code == 400 and "应当符合" in response.content.decode()
    assert policy.versions.get().state == VersionState.DRAFT


def test_the_sandbox_names_who_enters_and_publishing_matches(world: World) -> None:
    policy = home_policy(world)
    big = world.home.enterprise
    middling = make_enterprise(world.home.park, "中型电气有限公司")
    # Last year's figures both for the sandbox's day (mid 2025) and for today.
    for year in {2024, timezone.localdate().year - 1}:
        revenue(big, year, 2600)
        revenue(middling, year, 1600)
    client = _client(world)
    url = reverse("policies:workbench", args=[policy.pk])
    client.post(url, workbench_post(intent="publish"))
    assert queries.version_on(policy, timezone.localdate()) is not None
    response = client.post(
        url, {**workbench_post(threshold="1500", intent="sandbox"), "version-valid_from": "2025-06-30"}
    )
    html = response.content.decode()
    entering = html.split('data-testid="entering"')[1].split("</div>")[0]
    assert "中型电气有限公司" in entering and big.name not in entering
    actions.rematch_policy(policy=policy)
    assert PolicyMatch.objects.filter(policy=policy).count() == 1


def test_rule_files_go_out_and_come_back(world: World) -> None:
    policy = home_policy(world)
    actions.save_policy_draft(
        policy=policy, actor=None, rule=rule(policy.code), valid_from=dt.date(2025, 1, 1)
    )
    client = _client(world)
    exported = client.get(reverse("policies:rule_export", args=[policy.pk, "xlsx"]))
    assert read_xlsx(exported.content).rules[0].code == policy.code
    as_json = client.get(reverse("policies:rule_export", args=[policy.pk, "json"])).content
    changed = json.loads(as_json)
    changed["rules"][0]["eligibility"]["all"][1]["value"] = 3000
    upload = SimpleUploadedFile(
        "rule.json", json.dumps(changed, ensure_ascii=False).encode(), "application/json"
    )
    response = client.post(reverse("policies:rule_import", args=[policy.pk]), {"file": upload})
    assert response.status_code == 302
    draft = policy.versions.get(state=VersionState.DRAFT)
    assert draft.rule["rules"][0]["eligibility"]["all"][1]["value"] == 3000


def test_a_bad_rule_file_is_refused_whole_with_its_line(world: World) -> None:
    policy = home_policy(world)
    broken = json.dumps(rule(policy.code), ensure_ascii=False, indent=1).replace('"revenue"', '"turnover"', 1)
    upload = SimpleUploadedFile("rule.json", broken.encode(), "application/json")
    response = _client(world).post(reverse("policies:rule_import", args=[policy.pk]), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400 and "turnover" in html and "第 " in html
    assert not policy.versions.exists()


def test_the_workbench_reads_each_row_as_a_sentence_above_its_fields(world: World) -> None:
    policy = home_policy(world)
    actions.save_policy_draft(
        policy=policy,
        actor=world.user(Role.SERVICE_OFFICE),
        rule=rule(policy.code),
        valid_from=timezone.localdate(),
    )
    html = _client(world).get(reverse("policies:workbench", args=[policy.pk])).content.decode()
    rows = html.split('data-testid="condition-row"')[1:]
    sentences = [row.split('data-testid="condition-sentence">')[1].split("</div>")[0] for row in rows[:5]]
    year = timezone.localdate().year - 1
    assert [s.replace("· ", "") for s in sentences] == [
        "满足以下全部条件",
        "所属行业在制造业（C）范围内",
        f"{year} 年营业收入不低于 2000 万元",
        "（以下条件取反）",
        "企业没有“失信企业”标签",
    ]
    # Still editable rows: every row keeps its fields, and node types read in full.
    value = rows[2].split('name="node-2-value"')[1].split(">")[0]
    assert 'value="2000"' in value
    assert ">全部满足</option>" in html and ">任一满足</option>" in html and ">研发投入</option>" in html
