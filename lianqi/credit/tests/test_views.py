"""The credit pages: one shared contract per page (anonymous, a role that may not, the other
park, a role that may), then what the pages show and do."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListPageContract, ObjectPageContract, PageContract
from lianqi.testing.world import World

from .. import actions
from ..choices import BenefitKind, RecordKind, RepairState
from ..models import Commitment, Convenience, DishonestyRecord, Honour, Interview, ScoringRule
from ..permissions import MANAGERS, PUBLISHERS, READERS
from .factories import INPUTS, SUMMARY, make_record


def home_record(world: World, state: str = RepairState.IN_FORCE) -> DishonestyRecord:
    """The home park's one record, made on first use (a contract asks for its URL many times)."""
    return DishonestyRecord.objects.filter(enterprise=world.home.enterprise).first() or make_record(
        world, state
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _home_credit(world: World) -> None:
    """One of everything for the home enterprise (idempotent)."""
    enterprise, office = world.home.enterprise, world.user(Role.SERVICE_OFFICE)
    if Commitment.objects.filter(enterprise=enterprise).exists():
        return
    actions.sign_commitment(
        enterprise=enterprise,
        text_version="2024年版",
        signed_on=dt.date(2024, 3, 1),
        signed_by="张三",
        actor=office,
    )
    actions.award_honour(enterprise=enterprise, title="诚信示范企业", year=2024, actor=office)
    actions.hold_interview(
        jurisdiction=world.home.park,
        held_on=dt.date(2024, 9, 1),
        topic="失信企业集体约谈",
        enterprises=[enterprise],
        actor=office,
    )
    home_record(world, RepairState.APPLIED)


class TestClassesContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("credit:classes")


class TestCommitmentsContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        _home_credit(world)
        return reverse("credit:commitments")


class TestHonoursContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        _home_credit(world)
        return reverse("credit:honours")


class TestRecordsContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        _home_credit(world)
        return reverse("credit:records")


class TestRepairsContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        _home_credit(world)
        return reverse("credit:repairs")


class TestInterviewsContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        _home_credit(world)
        return reverse("credit:interviews")


class TestConveniencesContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def marker(self, world: World) -> str:
        return "标准厂房租金减免"

    def url(self, world: World) -> str:
        if not Convenience.objects.exists():
            actions.offer_convenience(
                jurisdiction=world.home.park,
                name="标准厂房租金减免",
                benefit=BenefitKind.RENT,
                description="A级企业租金九折",
                lowest_class="A",
                actor=world.user(Role.SERVICE_OFFICE),
            )
        return reverse("credit:conveniences")


class TestRecordContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("credit:record", args=[home_record(world).pk])


class TestStepContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("credit:step", args=[home_record(world, RepairState.MATERIALS).pk, "approve"])

    def data(self, world: World) -> dict[str, Any]:
        return {"approve-expected_version": home_record(world).version, "approve-reviewed_on": "2025-02-20"}


class TestSectionContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("credit:enterprise_section", args=[world.home.enterprise.pk])


class TestHonourCreateContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("credit:honour_create", args=[world.home.enterprise.pk])


class TestRecordCreateContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("credit:record_create", args=[world.home.enterprise.pk])


class TestRuleEditContract(PageContract):
    allowed_roles = PUBLISHERS
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("credit:rule_edit")


class TestImportContract(PageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("credit:import")


def test_the_section_shows_the_class_with_its_reasons_and_the_conveniences(world: World) -> None:
    _home_credit(world)
    actions.offer_convenience(
        jurisdiction=world.home.park,
        name="容缺受理",
        benefit=BenefitKind.APPROVAL,
        description="B级及以上企业可容缺受理",
        lowest_class="B",
        actor=world.user(Role.SERVICE_OFFICE),
    )
    url = reverse("credit:enterprise_section", args=[world.home.enterprise.pk])
    page = client_for(world.user(Role.SERVICE_OFFICE)).get(url).content.decode()
    # 70 + 5 (commitment) + 10 (honour) − 15 (penalty) − 5 (interview) = 65: C.
    assert "C级（警示）" in page and "得分 65" in page
    assert "已签署信用承诺书" in page and "未修复的行政处罚记录" in page
    assert "✗</span> 容缺受理" in page
    assert "不能手工填写" in page


def test_the_classes_page_shows_the_rule_and_filters_by_class(world: World) -> None:
    make_record(world, kind=RecordKind.BLACKLIST)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(reverse("credit:classes")).content.decode()
    assert "默认规则" in page and "A级最低分" in page and "一票否决" in page
    only_d = client.get(reverse("credit:classes"), {"class": "D"}).content.decode()
    assert world.home.enterprise.name in only_d
    only_a = client.get(reverse("credit:classes"), {"class": "A"}).content.decode()
    assert world.home.enterprise.name not in only_a


def test_the_office_publishes_a_new_rule_and_a_bad_one_is_shown_by_field(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    form = client.get(reverse("credit:rule_edit")).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not False}
    bad = client.post(reverse("credit:rule_edit"), {**data, "b_min": 40})
    assert 'data-error-for="b_min"' in bad.content.decode()
    assert not ScoringRule.objects.exists()
    good = client.post(reverse("credit:rule_edit"), {**data, "a_min": 80, "note": "调整A级"})
    assert good.status_code == 302
    rule = ScoringRule.objects.get()
    assert (rule.version, rule.a_min, rule.blacklist_veto, rule.jurisdiction) == (
        1,
        80,
        True,
        world.home.park,
    )
    assert "第 1 版" in client.get(reverse("credit:classes")).content.decode()


def test_a_repair_step_from_the_page_and_a_date_out_of_order_shown_by_its_field(world: World) -> None:
    row = make_record(world, RepairState.REVIEWED)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("credit:step", args=[row.pk, "repair"])
    early = client.post(url, {"repair-expected_version": 1, "repair-repaired_on": "2025-01-01"})
    assert early.status_code == 200 and 'data-error-for="repaired_on"' in early.content.decode()
    done = client.post(
        url, {"repair-expected_version": 1, "repair-repaired_on": INPUTS["repaired_on"].isoformat()}
    )
    assert done.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.repaired_on) == (RepairState.REPAIRED, INPUTS["repaired_on"])


def test_the_enterprise_applies_for_repair_on_its_own_record(world: World) -> None:
    row = make_record(world)
    client = client_for(world.user(Role.ENTERPRISE))
    page = client.get(row.get_absolute_url()).content.decode()
    assert SUMMARY in page and 'data-testid="step-apply"' in page
    client.post(
        reverse("credit:step", args=[row.pk, "apply"]),
        {"apply-expected_version": 1, "apply-applied_on": "2025-02-10"},
    )
    row.refresh_from_db()
    assert row.state == RepairState.APPLIED


def test_recording_from_the_file(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    pk = world.home.enterprise.pk
    scan = SimpleUploadedFile("承诺书.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        reverse("credit:commitment_create", args=[pk]),
        {"text_version": "2024年版", "signed_on": "2024-03-01", "signed_by": "王五", "scan": scan},
    )
    assert response.status_code == 302 and response["Location"].endswith("#section-credit")
    assert str(Commitment.objects.get().scan.name).endswith(".pdf")
    future = client.post(reverse("credit:honour_create", args=[pk]), {"title": "诚信示范企业", "year": 2099})
    assert 'data-error-for="year"' in future.content.decode() and not Honour.objects.exists()
    client.post(
        reverse("credit:record_create", args=[pk]),
        {"kind": "penalty", "authority": "县税务局", "decided_on": "2024-01-05", "summary": "逾期申报"},
    )
    client.post(reverse("credit:xindai_create", args=[pk]), {"registered_on": "2024-05-01"})
    section = client.get(reverse("credit:enterprise_section", args=[pk])).content.decode()
    assert "王五" in section and "行政处罚" in section and "2024-05-01 已注册" in section


def test_an_interview_is_recorded_for_enterprises_of_the_park(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("credit:interview_create")
    elsewhere = client.post(
        url, {"held_on": "2024-09-01", "topic": "约谈", "enterprises": [world.other.enterprise.pk]}
    )
    assert 'data-error-for="enterprises"' in elsewhere.content.decode()
    client.post(
        url,
        {"held_on": "2024-09-01", "topic": "失信企业集体约谈会", "enterprises": [world.home.enterprise.pk]},
    )
    assert list(Interview.objects.get().enterprises.all()) == [world.home.enterprise]


def test_the_import_page_lists_every_bad_row(world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([header for header, _field in actions.IMPORT_COLUMNS])
    sheet.append(["91430000XXXXXXXXXX", "行政处罚", "县税务局", "", "2024-01-01", "逾期申报"])
    sheet.append([world.home.enterprise.credit_code, "行政处罚", "", "", "2024-01-01", "逾期申报"])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("records.xlsx", out.getvalue())
    page = client_for(world.user(Role.SERVICE_OFFICE)).post(reverse("credit:import"), {"file": upload})
    text = page.content.decode()
    assert "第2行" in text and "第3行 认定机关" in text
    assert not DishonestyRecord.objects.exists()


def test_the_code_page_asks_for_the_phone_first(world: World) -> None:
    url = reverse("codes:credit", args=[world.home.enterprise.code_token])
    response = Client().get(url)
    assert response.status_code == 302
    assert reverse("codes:confirm_phone", args=[world.home.enterprise.code_token]) in response["Location"]


def test_the_enterprise_sees_its_class_and_the_conveniences_it_enjoys_on_its_code(world: World) -> None:
    for name, lowest in (("标准厂房信用租", "A"), ("信易+法律援助", "B")):
        actions.offer_convenience(
            jurisdiction=world.home.park,
            name=name,
            benefit=BenefitKind.RENT if lowest == "A" else BenefitKind.LEGAL_AID,
            description="园区信用便利",
            lowest_class=lowest,
            actor=world.user(Role.SERVICE_OFFICE),
        )
    make_record(world, kind=RecordKind.ABNORMAL)  # 60: C
    url = reverse("codes:credit", args=[world.home.enterprise.code_token])
    page = client_for(world.user(Role.ENTERPRISE)).get(url).content.decode()
    assert "C级（警示）" in page and "未修复的经营异常记录" in page
    assert page.count("暂不满足条件") == 2 and "可享受" not in page
    assert "如需信用修复" in page
    other = client_for(world.other_user(Role.ENTERPRISE)).get(url)
    assert "C级（警示）" not in other.content.decode()
