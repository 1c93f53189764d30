"""The credit actions with a real database: a whole repair with its dates, a step out of order
or a date before the previous step's, the Excel import's errors, the rule published and every
class following it, the conveniences an enterprise enjoys, and the measures."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed
from lianqi.testing.world import World

from .. import actions, queries
from ..choices import BenefitKind, RecordKind, RepairState
from ..models import DishonestyRecord, RecordEvent
from .factories import AT, INPUTS, make_record


def test_a_whole_repair(world: World) -> None:
    office, leader = world.user(Role.SERVICE_OFFICE), world.user(Role.LEADER)
    row = actions.record_dishonesty(
        enterprise=world.home.enterprise,
        kind=RecordKind.PENALTY,
        authority="县应急管理局",
        decided_on=dt.date(2024, 6, 1),
        summary="未按规定开展安全培训",
        actor=office,
        at=AT,
    )
    assert queries.grade_of(world.home.enterprise).credit_class == "C"  # 70 − 15
    own = world.home.enterprise
    row = actions.apply_repair(
        record=row, actor=None, enterprise=own, expected_version=1, applied_on=INPUTS["applied_on"], at=AT
    )
    row = actions.submit_repair_materials(
        record=row, actor=None, enterprise=own, expected_version=2, materials="整改报告", at=AT
    )
    row = actions.return_repair(record=row, actor=leader, expected_version=3, note="缺少培训证明", at=AT)
    row = actions.submit_repair_materials(
        record=row, actor=office, expected_version=4, materials="整改报告、培训证明", at=AT
    )
    row = actions.approve_repair(
        record=row, actor=leader, expected_version=5, reviewed_on=INPUTS["reviewed_on"], at=AT
    )
    row = actions.complete_repair(
        record=row, actor=office, expected_version=6, repaired_on=INPUTS["repaired_on"], at=AT
    )
    assert (row.state, row.repaired_on) == (RepairState.REPAIRED, INPUTS["repaired_on"])
    events = RecordEvent.objects.filter(record=row).order_by("pk")
    assert [e.action for e in events] == [
        "create",
        "apply",
        "submit_materials",
        "return",
        "submit_materials",
        "approve",
        "repair",
    ]
    assert queries.grade_of(world.home.enterprise).credit_class == "B"  # repaired: no longer counts


def test_a_step_out_of_order_is_refused(world: World) -> None:
    row = make_record(world, RepairState.APPLIED)
    with pytest.raises(TransitionNotAllowed):
        actions.complete_repair(
            record=row,
            actor=world.user(Role.SERVICE_OFFICE),
            expected_version=1,
            repaired_on=INPUTS["repaired_on"],
        )
    row.refresh_from_db()
    assert (row.state, row.repaired_on) == (RepairState.APPLIED, None)


@pytest.mark.parametrize(
    ("state", "step", "field", "day"),
    [
        (
            RepairState.IN_FORCE,
            actions.apply_repair,
            "applied_on",
            dt.date(2024, 5, 1),
        ),  # before the decision
        (
            RepairState.MATERIALS,
            actions.approve_repair,
            "reviewed_on",
            dt.date(2025, 2, 1),
        ),  # before applying
        (
            RepairState.REVIEWED,
            actions.complete_repair,
            "repaired_on",
            dt.date(2025, 2, 19),
        ),  # before the review
        (RepairState.REVIEWED, actions.complete_repair, "repaired_on", None),  # missing
        (RepairState.REVIEWED, actions.complete_repair, "repaired_on", dt.date(2025, 3, 4)),  # after `AT`
    ],
)
def test_a_step_s_date_out_of_order_is_refused_naming_the_field(
    world: World, state: str, step: Any, field: str, day: dt.date | None
) -> None:
    row = make_record(world, state)
    with pytest.raises(ValidationError) as invalid:
        step(record=row, actor=world.user(Role.SERVICE_OFFICE), expected_version=1, at=AT, **{field: day})
    assert field in invalid.value.message_dict
    row.refresh_from_db()
    assert (row.state, row.version) == (state, 1)
    assert not RecordEvent.objects.exists()


def _workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([header for header, _field in actions.IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_reports_every_bad_row_and_saves_nothing(world: World) -> None:
    code = world.home.enterprise.credit_code
    content = _workbook(
        [
            [code, "行政处罚", "县市场监督管理局", "邵市监罚〔2024〕12号", dt.date(2024, 5, 6), "虚假宣传"],
            ["91430000XXXXXXXXXX", "行政处罚", "县税务局", "", "2024-01-01", "逾期申报"],
            [world.other.enterprise.credit_code, "失信名单", "县法院", "", "2024-01-01", "拒不履行"],
            [code, "黑名单", "", "", "2024-13-01", ""],
            [code, "经营异常名录", "县市场监督管理局", "", "2099-01-01", "未按时年报"],
        ]
    )
    with pytest.raises(ValidationError) as invalid:
        actions.import_records(rows=actions.read_workbook(content), actor=world.user(Role.SERVICE_OFFICE))
    errors = invalid.value.message_dict["file"]
    assert [e.split(" ")[0] for e in errors] == ["第3行", "第4行", "第5行", "第6行"]
    assert "91430000XXXXXXXXXX" in errors[0]
    assert "认定日期" in errors[2] and "2024-13-01" in errors[2]
    assert "认定日期不能晚于今天" in errors[3]
    assert not DishonestyRecord.objects.exists()


def test_the_import_refuses_a_wrong_row_naming_each_field(world: World) -> None:
    content = _workbook([[world.home.enterprise.credit_code, "黑名单", "", "", "2024-02-01", ""]])
    with pytest.raises(ValidationError) as invalid:
        actions.import_records(rows=actions.read_workbook(content), actor=world.user(Role.SERVICE_OFFICE))
    (kind, authority, summary) = invalid.value.message_dict["file"]
    assert kind.startswith("第2行 记录类型") and authority.startswith("第2行 认定机关")
    assert summary.startswith("第2行 失信事由")


def test_a_good_import_saves_every_row_as_imported(world: World) -> None:
    code = world.home.enterprise.credit_code
    content = _workbook(
        [
            [code, "行政处罚", "县市场监督管理局", "邵市监罚〔2024〕12号", dt.date(2024, 5, 6), "虚假宣传"],
            [code.lower(), "经营异常名录", "县市场监督管理局", None, "2024/03/01", "未按时年报"],
        ]
    )
    made = actions.import_records(rows=actions.read_workbook(content), actor=world.user(Role.SERVICE_OFFICE))
    assert [(r.kind, r.source, r.state) for r in made] == [
        ("penalty", "imported", "in_force"),
        ("abnormal", "imported", "in_force"),
    ]
    assert made[1].decided_on == dt.date(2024, 3, 1)


def test_a_workbook_without_a_column_is_refused(world: World) -> None:
    book = Workbook()
    assert book.active is not None
    book.active.append(["企业名称", "认定日期"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as invalid:
        actions.read_workbook(out.getvalue())
    assert "统一社会信用代码" in invalid.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        actions.read_workbook(b"not a workbook")


def test_a_published_rule_changes_every_class_under_it(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    enterprise = world.home.enterprise
    actions.sign_commitment(
        enterprise=enterprise,
        text_version="2024年版",
        signed_on=dt.date(2024, 3, 1),
        signed_by="张三",
        actor=office,
    )
    actions.register_xindai(enterprise=enterprise, registered_on=dt.date(2024, 4, 1), actor=office)
    assert queries.grade_of(enterprise).credit_class == "B"  # 78
    values = {
        name: getattr(queries.rule_for(enterprise.jurisdiction_path), name) for name in actions.RULE_NAMES
    }
    row = actions.publish_rule(
        jurisdiction=world.home.park, values={**values, "a_min": 75}, actor=office, note="放宽A级"
    )
    assert row.version == 1
    assert queries.grade_of(enterprise).credit_class == "A"
    assert queries.grade_of(world.other.enterprise).credit_class == "B"  # another park keeps the default
    with pytest.raises(ValidationError) as invalid:
        actions.publish_rule(
            jurisdiction=world.home.park, values={**values, "b_min": 90, "c_min": 95}, actor=office
        )
    assert set(invalid.value.message_dict) == {"a_min", "b_min"}
    with pytest.raises(ValidationError) as elsewhere:
        actions.publish_rule(jurisdiction=world.other.park, values=values, actor=office)
    assert "jurisdiction" in elsewhere.value.message_dict


def test_the_conveniences_an_enterprise_enjoys_follow_its_class(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    park = world.home.park
    rent = actions.offer_convenience(
        jurisdiction=park,
        name="标准厂房租金减免10%",
        benefit=BenefitKind.RENT,
        description="信用租",
        lowest_class="A",
        actor=office,
    )
    fast = actions.offer_convenience(
        jurisdiction=park,
        name="容缺受理",
        benefit=BenefitKind.APPROVAL,
        description="容缺",
        lowest_class="B",
        actor=office,
        no_record_in_force=True,
    )
    enterprise = world.home.enterprise

    def enjoyed() -> set[str]:
        found = queries.conveniences_for(enterprise, queries.grade_of(enterprise))
        return {item.convenience.name for item in found if item.enjoyed}

    assert enjoyed() == {fast.name}
    actions.award_honour(enterprise=enterprise, title="诚信示范企业", year=dt.date.today().year, actor=office)
    actions.sign_commitment(
        enterprise=enterprise,
        text_version="2024年版",
        signed_on=dt.date(2024, 3, 1),
        signed_by="张三",
        actor=office,
    )
    assert enjoyed() == {rent.name, fast.name}  # 85: A
    make_record(world, kind=RecordKind.ABNORMAL)  # 75: B, with a record in force
    assert enjoyed() == set()
    assert queries.conveniences_for(world.other.enterprise, queries.grade_of(world.other.enterprise)) == []


def test_the_office_may_not_record_for_another_park(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    with pytest.raises(ValidationError) as invalid:
        actions.award_honour(enterprise=world.other.enterprise, title="诚信示范企业", year=2024, actor=office)
    assert "enterprise" in invalid.value.message_dict
    actions.award_honour(enterprise=world.home.enterprise, title="诚信示范企业", year=2024, actor=office)
    with pytest.raises(ValidationError) as twice:
        actions.award_honour(enterprise=world.home.enterprise, title="诚信示范企业", year=2024, actor=office)
    assert "title" in twice.value.message_dict


def test_the_measures_count_enterprises_in_the_period_and_the_jurisdiction(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    actions.sign_commitment(
        enterprise=world.home.enterprise,
        text_version="2024年版",
        signed_on=dt.date(2024, 3, 1),
        signed_by="李四",
        actor=office,
    )
    make_record(world, RepairState.REPAIRED)
    make_record(world, RepairState.REPAIRED, side=world.other)
    year = Period.year(2025)
    assert registry.measure("credit.committed").compute(world.home.park.path, Period.year(2024)) == 1
    assert registry.measure("credit.committed").compute(world.home.park.path, year) == 0
    assert registry.measure("credit.repaired").compute(world.home.park.path, year) == 1
    assert registry.measure("credit.repaired").compute(world.city.path, year) == 2
