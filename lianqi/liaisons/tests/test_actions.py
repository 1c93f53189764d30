"""The liaison actions against a real database: history, refusals, all-or-nothing, rules and
the coverage invariant when staff leave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.roles import Role
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.liaisons import actions, queries
from lianqi.liaisons.choices import AssignmentMethod
from lianqi.liaisons.models import LiaisonChange
from lianqi.org.choices import StaffTier
from lianqi.org.models import Department, Staff
from lianqi.testing.world import World

from .helpers import enterprise, industry, staff

LEFT_ON = dt.date(2026, 3, 2)


def liaisons_of(*firms: Enterprise) -> list[int | None]:
    return [Enterprise.objects.get(pk=f.pk).liaison_id for f in firms]


def test_assigning_writes_one_history_row_with_who_and_why(world: World) -> None:
    firm = world.home.enterprise
    before = firm.liaison
    successor = staff(world.home, "李四")
    office = world.user(Role.SERVICE_OFFICE)

    actions.assign_liaison(enterprise=firm, staff=successor, actor=office, reason="企业要求更换")

    firm.refresh_from_db()
    assert firm.liaison == successor
    change = queries.history_for(firm).get()
    assert (change.from_staff, change.to_staff, change.actor) == (before, successor, office)
    assert change.method == AssignmentMethod.MANUAL and change.reason == "企业要求更换"
    assert change.jurisdiction_path == firm.jurisdiction_path


def test_assigning_the_same_liaison_again_changes_nothing(world: World) -> None:
    firm = world.home.enterprise
    changed = actions.set_liaisons(
        plan={firm.pk: world.home.liaison_staff},
        actor=world.user(Role.SERVICE_OFFICE),
        method=AssignmentMethod.BULK,
    )
    assert changed == 0
    assert not LiaisonChange.objects.filter(enterprise=firm).exists()


def test_staff_who_left_cannot_take_an_enterprise(world: World) -> None:
    gone = staff(world.home, "王五", is_active=False, left_on=LEFT_ON)
    with pytest.raises(ValidationError, match="已离岗"):
        actions.assign_liaison(
            enterprise=world.home.enterprise, staff=gone, actor=world.user(Role.SERVICE_OFFICE)
        )
    assert liaisons_of(world.home.enterprise) == [world.home.liaison_staff.pk]


def test_staff_of_another_park_cannot_take_an_enterprise(world: World) -> None:
    with pytest.raises(ValidationError, match="不在该企业所在辖区"):
        actions.assign_liaison(enterprise=world.home.enterprise, staff=world.other.liaison_staff, actor=None)
    assert liaisons_of(world.home.enterprise) == [world.home.liaison_staff.pk]


def test_a_user_cannot_change_another_parks_enterprise(world: World) -> None:
    with pytest.raises(ValidationError, match="管辖范围"):
        actions.assign_liaison(
            enterprise=world.other.enterprise,
            staff=world.other.liaison_staff,
            actor=world.user(Role.SERVICE_OFFICE),
        )


def test_one_bad_entry_leaves_the_whole_plan_unapplied(world: World) -> None:
    a, b = enterprise(world.home, "甲公司"), enterprise(world.home, "乙公司")
    good = staff(world.home, "赵六")
    gone = staff(world.home, "钱七", is_active=False)

    with pytest.raises(ValidationError):
        actions.set_liaisons(plan={a.pk: good, b.pk: gone}, actor=None, method=AssignmentMethod.BULK)

    assert liaisons_of(a, b) == [None, None]
    assert not LiaisonChange.objects.exists()


def test_rules_cover_every_uncovered_active_enterprise_by_tier_and_industry(world: World) -> None:
    home = world.home
    leader = staff(home, "园区主任", tier=StaffTier.LEADER, department=None)
    battery = Department.objects.create(jurisdiction=home.park, name="新能源专班", industry_prefixes="C384")
    specialist = staff(home, "专班干部", department=battery)
    big = enterprise(home, "大型整车厂", registered_capital=Decimal("90000"), employees=3000)
    cells = enterprise(home, "电芯公司", kind=EnterpriseKind.BELOW_SIZE, industry=industry("3841"))
    cables = enterprise(home, "线缆公司", kind=EnterpriseKind.BELOW_SIZE, industry=industry("3831"))
    shop = enterprise(home, "便利店", kind=EnterpriseKind.SHOP, industry=industry("F", "批发和零售业"))
    closed = enterprise(home, "已注销公司", status=EnterpriseStatus.CLOSED)
    other_uncovered = enterprise(world.other, "经开区新企业")

    changed = actions.assign_by_rules(jurisdiction=home.park, actor=world.user(Role.ADMIN))

    assert changed == 4
    assert liaisons_of(big, cells, closed, other_uncovered) == [leader.pk, specialist.pk, None, None]
    # 38xx falls to the department claiming "C"; the shop's section F to the general pool.
    cables_liaison = Enterprise.objects.get(pk=cables.pk).liaison
    assert cables_liaison is not None and cables_liaison.department == home.department
    assert Enterprise.objects.get(pk=shop.pk).liaison_id is not None
    rows = LiaisonChange.objects.filter(method=AssignmentMethod.RULE)
    assert rows.count() == 4 and all(row.reason for row in rows)
    assert "新能源专班" in rows.get(enterprise=cells).reason
    assert queries.coverage_summary(world.user(Role.LEADER)).uncovered == 0
    # Already covered: a second run has nothing to do.
    assert actions.assign_by_rules(jurisdiction=home.park, actor=None) == 0


def test_handover_keeps_coverage_complete_and_marks_the_member_as_left(world: World) -> None:
    home = world.home
    departing = home.liaison_staff
    colleagues = [staff(home, "同事甲"), staff(home, "同事乙")]
    firms = [home.enterprise] + [enterprise(home, f"企业{i}", liaison=departing) for i in range(5)]

    pool, layout = queries.handover_spread(departing)
    assert {s.pk for s in pool.candidates} == {c.pk for c in colleagues}
    assert set(layout.decisions) == {f.pk for f in firms}
    plan = {eid: Staff.objects.get(pk=d.staff_id) for eid, d in layout.decisions.items()}

    moved = actions.hand_over_and_deactivate(
        departing=departing, plan=plan, actor=world.user(Role.SERVICE_OFFICE), left_on=LEFT_ON
    )

    assert moved == 6
    departing.refresh_from_db()
    assert not departing.is_active and departing.left_on == LEFT_ON
    assert not Enterprise.objects.filter(liaison=departing).exists()
    assert sorted(
        Enterprise.objects.filter(pk__in=[f.pk for f in firms]).values_list("liaison", flat=True)
    ) == sorted([colleagues[0].pk] * 3 + [colleagues[1].pk] * 3)
    summary = queries.coverage_summary(world.user(Role.LEADER))
    assert summary.uncovered == 0 and summary.left_holding == 0 and summary.rate == 100.0
    assert LiaisonChange.objects.filter(method=AssignmentMethod.HANDOVER).count() == 6


def test_handover_plan_missing_one_enterprise_changes_nothing(world: World) -> None:
    home = world.home
    departing = home.liaison_staff
    successor = staff(home, "接替者")
    extra = enterprise(home, "第二家", liaison=departing)

    with pytest.raises(ValidationError, match="没有指定接替"):
        actions.hand_over_and_deactivate(
            departing=departing, plan={home.enterprise.pk: successor}, actor=None, left_on=LEFT_ON
        )

    departing.refresh_from_db()
    assert departing.is_active and departing.left_on is None
    assert liaisons_of(home.enterprise, extra) == [departing.pk, departing.pk]
    assert not LiaisonChange.objects.exists()


def test_handover_refuses_enterprises_the_member_does_not_serve(world: World) -> None:
    home = world.home
    successor = staff(home, "接替者")
    stranger = enterprise(home, "别人的企业", liaison=successor)
    with pytest.raises(ValidationError, match="并非由"):
        actions.hand_over_and_deactivate(
            departing=home.liaison_staff,
            plan={home.enterprise.pk: successor, stranger.pk: successor},
            actor=None,
            left_on=LEFT_ON,
        )
    assert Staff.objects.get(pk=home.liaison_staff.pk).is_active


def test_handover_to_a_member_who_has_left_changes_nothing(world: World) -> None:
    home = world.home
    gone = staff(home, "早已离岗", is_active=False)
    with pytest.raises(ValidationError, match="已离岗"):
        actions.hand_over_and_deactivate(
            departing=home.liaison_staff, plan={home.enterprise.pk: gone}, actor=None, left_on=LEFT_ON
        )
    assert Staff.objects.get(pk=home.liaison_staff.pk).is_active
    assert liaisons_of(home.enterprise) == [home.liaison_staff.pk]


def test_coverage_counts_enterprises_of_staff_who_left_as_uncovered(world: World) -> None:
    Staff.objects.filter(pk=world.home.liaison_staff.pk).update(is_active=False, left_on=LEFT_ON)
    enterprise(world.home, "无人联系")
    summary = queries.coverage_summary(world.user(Role.LEADER))
    assert (summary.total, summary.uncovered, summary.left_holding) == (2, 2, 1)
    assert summary.rate == 0.0
    # The other park is unaffected and unseen.
    assert queries.coverage_summary(world.other_user(Role.LEADER)).uncovered == 0


def test_the_liaison_history_cannot_be_rewritten(world: World) -> None:
    firm = world.home.enterprise
    successor = Staff.objects.create(
        jurisdiction=world.home.park, name="接任干部", department=world.home.department
    )
    actions.assign_liaison(enterprise=firm, staff=successor, actor=world.user(Role.SERVICE_OFFICE))
    change = LiaisonChange.objects.get(enterprise=firm, to_staff=successor)
    change.reason = "改写"
    with pytest.raises(RuntimeError, match="append-only"):
        change.save()
    with pytest.raises(RuntimeError, match="append-only"):
        change.delete()
    with pytest.raises(RuntimeError, match="append-only"):
        LiaisonChange.objects.filter(enterprise=firm).update(reason="改写")
    with pytest.raises(RuntimeError, match="append-only"):
        LiaisonChange.objects.filter(enterprise=firm).delete()
    change.refresh_from_db()
    assert change.reason == "" and change.to_staff_id == successor.pk
