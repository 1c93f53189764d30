"""Liaison spreadsheets: every bad row reported with its reason, valid rows applied together."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.models import Job
from lianqi.core.roles import Role
from lianqi.enterprises.models import Enterprise
from lianqi.liaisons import actions
from lianqi.liaisons.choices import AssignmentMethod
from lianqi.liaisons.models import LiaisonChange
from lianqi.org.models import Staff
from lianqi.testing.world import World

from .helpers import enterprise, staff, xlsx

HEADER = ["统一社会信用代码", "联企干部", "联企干部手机号"]


def stage(world: World, rows: list[list[object]], header: list[str] = HEADER) -> Job:
    return actions.stage_liaison_import(
        actor=world.user(Role.SERVICE_OFFICE), source=xlsx(header, rows), original_name="联企干部.xlsx"
    )


def reasons(job: Job) -> dict[int, str]:
    return {e["row"]: e["reason"] for e in job.result["errors"]}


def test_good_and_bad_rows_are_told_apart(world: World) -> None:
    home = world.home
    a, b, c, d, e, f = (enterprise(home, f"企业{i}") for i in "甲乙丙丁戊己")
    zhang1 = staff(home, "张伟", phone="13900000001")
    staff(home, "张伟", phone="13900000002")
    staff(home, "离岗者", is_active=False)
    liu = staff(home, "刘洋")

    job = stage(
        world,
        [
            [a.credit_code, "刘洋", None],  # 2: good
            [b.credit_code, "张伟", 13900000001],  # 3: namesake told apart by a numeric phone cell
            [c.credit_code, "张伟", None],  # 4: ambiguous namesake
            [d.credit_code, "离岗者", None],  # 5: left
            [world.other.enterprise.credit_code, "刘洋", None],  # 6: not in this park
            ["91430300MA4L000000", "刘洋", None],  # 7: not a valid code
            [a.credit_code.lower(), "刘洋", None],  # 8: same enterprise again (typed in lower case)
            [e.credit_code, "查无此人", None],  # 9: unknown staff
            [home.enterprise.credit_code, home.liaison_staff.name, None],  # 10: unchanged
            [f.credit_code, "张伟", "13600000000"],  # 11: phone does not match
            [None, "刘洋", None],  # 12: no code
        ],
    )

    assert job.status == Job.Status.READY
    assert [(r["enterprise"], r["staff"]) for r in job.result["valid"]] == [(a.pk, liu.pk), (b.pk, zhang1.pk)]
    assert job.result["unchanged"] == 1
    found = reasons(job)
    assert set(found) == {4, 5, 6, 7, 8, 9, 11, 12}
    assert "手机号" in found[4] and "2 名" in found[4]
    assert "已离岗" in found[5]
    assert "本辖区没有该统一社会信用代码" in found[6]
    assert "格式不正确" in found[7]
    assert "第 2 行" in found[8]
    assert "查无此人" in found[9]
    assert "不符" in found[11]
    assert "缺少统一社会信用代码" in found[12]
    # Staging changes nothing.
    assert not LiaisonChange.objects.exists()

    changed = actions.apply_liaison_import(job=job, actor=world.user(Role.SERVICE_OFFICE))

    assert changed == 2
    assert Enterprise.objects.get(pk=a.pk).liaison == liu
    assert Enterprise.objects.get(pk=b.pk).liaison == zhang1
    assert Enterprise.objects.get(pk=c.pk).liaison is None
    assert set(LiaisonChange.objects.values_list("method", flat=True)) == {AssignmentMethod.EXCEL}
    with pytest.raises(ValidationError, match="重复"):
        actions.apply_liaison_import(job=job, actor=world.user(Role.SERVICE_OFFICE))


def test_apply_is_all_or_nothing_when_a_cadre_leaves_in_between(world: World) -> None:
    home = world.home
    a, b = enterprise(home, "企业A"), enterprise(home, "企业B")
    stays, leaves = staff(home, "留任者"), staff(home, "将离岗")
    job = stage(world, [[a.credit_code, "留任者"], [b.credit_code, "将离岗"]], header=HEADER[:2])
    assert len(job.result["valid"]) == 2 and stays.pk
    Staff.objects.filter(pk=leaves.pk).update(is_active=False)

    with pytest.raises(ValidationError):
        actions.apply_liaison_import(job=job, actor=world.user(Role.SERVICE_OFFICE))

    assert Enterprise.objects.get(pk=a.pk).liaison_id is None
    job.refresh_from_db()
    assert job.status == Job.Status.READY


def test_a_file_with_the_wrong_columns_is_refused_with_their_names(world: World) -> None:
    job = stage(world, [["x", "y"]], header=["企业", "干部姓名"])
    assert job.status == Job.Status.FAILED
    assert "统一社会信用代码" in job.error and "干部姓名" in job.error


def test_an_exported_register_with_extra_columns_is_accepted(world: World) -> None:
    home = world.home
    firm = enterprise(home, "导出再导入")
    staff(home, "孙八")
    job = stage(
        world,
        [[firm.credit_code, "导出再导入", "孙八", None]],
        header=["统一社会信用代码", "企业名称", "联企干部", "联企干部手机号"],
    )
    assert job.result["errors"] == [] and len(job.result["valid"]) == 1
