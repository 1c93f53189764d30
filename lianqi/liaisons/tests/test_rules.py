"""The layout rules alone, on plain records (no database)."""

from __future__ import annotations

import random
from typing import Any

from lianqi.liaisons import rules
from lianqi.liaisons.rules import DepartmentRecord, EnterpriseRecord, StaffRecord

PARK = "430000/430300/430371/"


def firm(
    id: int, kind: str = "below_size", code: str = "3811", section: str = "C", **extra: Any
) -> EnterpriseRecord:
    return EnterpriseRecord(
        id=id, kind=kind, industry_code=code, industry_section=section, path=PARK, **extra
    )


def cadre(id: int, tier: str = "staff", department_id: int | None = None, path: str = PARK) -> StaffRecord:
    return StaffRecord(id=id, tier=tier, department_id=department_id, path=path)


def test_largest_above_size_firms_go_to_leaders_within_quota() -> None:
    firms = [firm(i, kind="above_size", registered_capital=float(1000 * i)) for i in range(1, 8)]
    staff = [cadre(100, tier="leader"), cadre(200, department_id=1)]
    departments = [DepartmentRecord.parse(1, "经发局", "C")]

    layout = rules.plan_layout(firms, staff, departments, leader_quota=3)

    by_leader = sorted(eid for eid, d in layout.decisions.items() if d.staff_id == 100)
    assert by_leader == [5, 6, 7]  # the three largest by capital
    assert all(layout.decisions[eid].rule == rules.RULE_LEADER for eid in by_leader)
    assert "第 1 位" in layout.decisions[7].reason
    assert {layout.decisions[eid].staff_id for eid in (1, 2, 3, 4)} == {200}


def test_employees_break_capital_ties_and_below_size_firms_never_go_to_leaders() -> None:
    firms = [
        firm(1, kind="above_size", registered_capital=500.0, employees=10),
        firm(2, kind="above_size", registered_capital=500.0, employees=900),
        firm(3, kind="below_size", registered_capital=99999.0),
    ]
    staff = [cadre(100, tier="leader"), cadre(200)]

    layout = rules.plan_layout(firms, staff, [], leader_quota=1)

    assert layout.decisions[2].staff_id == 100
    assert layout.decisions[1].staff_id == 200
    assert layout.decisions[3].staff_id == 200


def test_longest_prefix_wins_in_either_spelling() -> None:
    departments = [
        DepartmentRecord.parse(1, "经发局", "C"),
        DepartmentRecord.parse(2, "科技局", "38, 39"),
        DepartmentRecord.parse(3, "电池专班", "C3841"),
    ]
    staff = [cadre(10, department_id=1), cadre(20, department_id=2), cadre(30, department_id=3)]
    firms = [firm(1, code="3841"), firm(2, code="3811"), firm(3, code="2610"), firm(4, code="F", section="F")]

    layout = rules.plan_layout(firms, staff, departments)

    assert layout.decisions[1].staff_id == 30
    assert "C3841" in layout.decisions[1].reason
    assert layout.decisions[2].staff_id == 20
    assert layout.decisions[3].staff_id == 10
    assert layout.decisions[4].rule == rules.RULE_POOL


def test_unclaimed_industry_and_empty_department_fall_back_to_general_pool() -> None:
    departments = [DepartmentRecord.parse(1, "经发局", "C"), DepartmentRecord.parse(2, "商务局", "F")]
    staff = [cadre(10, department_id=1), cadre(11, department_id=1), cadre(99, tier="leader")]
    firms = [firm(1, code="5110", section="F"), firm(2, code="6510", section="I")]

    layout = rules.plan_layout(firms, staff, departments)

    assert layout.decisions[1].rule == rules.RULE_POOL
    assert "商务局" in layout.decisions[1].reason and "无在岗干部" in layout.decisions[1].reason
    assert layout.decisions[2].rule == rules.RULE_POOL
    assert "无对口部门" in layout.decisions[2].reason
    # The general pool is the non-leader staff; the leader takes none of it.
    assert {d.staff_id for d in layout.decisions.values()} == {10, 11}


def test_load_is_balanced_counting_existing_enterprises() -> None:
    staff = [cadre(10, department_id=1), cadre(20, department_id=1), cadre(30, department_id=1)]
    departments = [DepartmentRecord.parse(1, "经发局", "C")]
    existing = [firm(i, liaison_id=10) for i in range(1, 5)]  # staff 10 already holds four
    new = [firm(i) for i in range(10, 18)]

    layout = rules.plan_layout(existing + new, staff, departments)

    assert set(layout.decisions) == {f.id for f in new}
    assert layout.loads == {10: 4, 20: 4, 30: 4}


def test_relayout_from_scratch_reassigns_everyone() -> None:
    staff = [cadre(10), cadre(20)]
    firms = [firm(i, liaison_id=10) for i in range(1, 5)]

    kept = rules.plan_layout(firms, staff, [], only_uncovered=True)
    fresh = rules.plan_layout(firms, staff, [], only_uncovered=False)

    assert kept.decisions == {}
    assert set(fresh.decisions) == {1, 2, 3, 4}
    assert fresh.loads == {10: 2, 20: 2}


def test_enterprise_held_by_someone_not_on_duty_is_reassigned() -> None:
    layout = rules.plan_layout([firm(1, liaison_id=555)], [cadre(10)], [])
    assert layout.decisions[1].staff_id == 10


def test_same_input_in_any_order_gives_the_same_layout() -> None:
    firms = [
        firm(
            i,
            kind="above_size" if i % 3 == 0 else "below_size",
            code=str(1300 + i % 7 * 100),
            registered_capital=float(i * 37 % 101),
        )
        for i in range(1, 80)
    ]
    staff = [cadre(1, tier="leader"), cadre(2, tier="leader")] + [
        cadre(i, department_id=i % 3) for i in range(3, 15)
    ]
    departments = [
        DepartmentRecord.parse(0, "甲", "13,14"),
        DepartmentRecord.parse(1, "乙", "15"),
        DepartmentRecord.parse(2, "丙", "C16"),
    ]

    first = rules.plan_layout(firms, staff, departments)
    shuffled = firms[:]
    random.Random(7).shuffle(shuffled)
    staff_shuffled = staff[::-1]
    second = rules.plan_layout(shuffled, staff_shuffled, departments[::-1])

    assert first.decisions == second.decisions
    assert len(first.decisions) == len(firms)


def test_staff_of_another_jurisdiction_are_never_proposed() -> None:
    elsewhere = cadre(10, path="430000/430300/430372/")
    here = cadre(20)
    layout = rules.plan_layout([firm(1), firm(2)], [elsewhere, here], [])
    assert {d.staff_id for d in layout.decisions.values()} == {20}

    nobody = rules.plan_layout([firm(3)], [elsewhere], [])
    assert nobody.unassigned == [3] and nobody.decisions == {}


def test_spread_by_load_fills_the_least_loaded_first() -> None:
    candidates = [cadre(10), cadre(20), cadre(30)]
    held = [firm(i) for i in range(1, 7)]

    layout = rules.spread_by_load(held, candidates, {10: 5, 20: 1, 30: 0}, pool_name="经发局")

    assert set(layout.decisions) == {1, 2, 3, 4, 5, 6}
    counts = {sid: sum(1 for d in layout.decisions.values() if d.staff_id == sid) for sid in (10, 20, 30)}
    assert counts == {10: 0, 20: 3, 30: 3}
    assert layout.loads == {10: 5, 20: 4, 30: 3}
    assert "经发局" in layout.decisions[1].reason
    assert rules.spread_by_load(held, [], {}).unassigned == [1, 2, 3, 4, 5, 6]
