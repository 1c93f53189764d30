"""The draw itself: deterministic for a seed, different for another seed or other pools,
recusals always honoured, teams of the right departments with balanced loads, refusals that
say by how many — and on random pools the engine agrees with the reference implementation
printed in the documentation."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from lianqi.inspections.draw import (
    DrawRefused,
    Parameters,
    Pools,
    Shortage,
    Shortfall,
    check,
    commitment,
    draw,
    publication,
)

from . import reference
from .helpers import SMALL_ENTERPRISES, draws, seed, small_pools

DEPARTMENT_OF = {i.id: i.department for i in small_pools().inspectors}


def test_the_same_seed_and_pools_give_the_same_draw():
    pools = small_pools()
    parameters = Parameters.build(6, {"*": 2})
    first = draw(pools, parameters, seed(1))
    # Rebuilt from scratch, in another order: still the same draw.
    again = draw(
        Pools.build(SMALL_ENTERPRISES[::-1], [(i.id, i.department) for i in pools.inspectors][::-1]),
        Parameters.build(6, 2),
        seed(1),
    )
    assert first == again
    assert len(set(first.enterprises)) == 6 and set(first.enterprises) <= set(SMALL_ENTERPRISES)


def test_another_seed_entropy_or_pool_gives_another_draw():
    pools = small_pools()
    parameters = Parameters.build(6, 2)
    base = draw(pools, parameters, seed(1)).assignments
    assert draw(pools, parameters, seed(2)).assignments != base
    assert draw(pools, parameters, seed(1), entropy="253").assignments != base
    # One enterprise more in the pool: the key changes with the fingerprint, so does the draw.
    bigger = Pools.build([*SMALL_ENTERPRISES, "91430300MA4LZZZZZX"], pools.inspectors)
    assert draw(bigger, parameters, seed(1)).assignments != base


def test_commitment_is_the_prefixed_hash_of_the_seed():
    assert commitment(seed(1)) == draw(small_pools(), Parameters.build(1, 1), seed(1)).commitment
    assert commitment(seed(1)) != commitment(seed(2))
    assert len(commitment(seed(1))) == 64


def test_recusals_hold_even_when_they_leave_exactly_enough():
    # Every enterprise but two of its market inspectors recused: the third must go, every time.
    recusals = [(e, i, "liaison") for e in SMALL_ENTERPRISES for i in ("SC01", "SC02")]
    recusals += [(SMALL_ENTERPRISES[3], "YJ01", "conflict")]
    pools = small_pools(tuple(recusals))
    for n in range(20):
        result = draw(pools, Parameters.build(20, {"市场监管": 1, "*": 2}), seed(n))
        for assignment in result.assignments:
            assert assignment.inspectors[0] == "SC03"
            assert not {"SC01", "SC02"} & set(assignment.inspectors)
            if assignment.enterprise == SMALL_ENTERPRISES[3]:
                assert "YJ01" not in assignment.inspectors


def test_teams_take_each_department_and_loads_stay_balanced():
    result = draw(small_pools(), Parameters.build(20, {"市场监管": 1, "应急管理": 1, "生态环境": 1}), seed(7))
    for assignment in result.assignments:
        assert [DEPARTMENT_OF[i] for i in assignment.inspectors] == ["市场监管", "应急管理", "生态环境"]
    loads = result.loads()
    # 20 enterprises: 3 market inspectors share 20 (7/7/6), 3 safety 20, 2 environment 10 each.
    assert sorted(loads[i] for i in ("SC01", "SC02", "SC03")) == [6, 7, 7]
    assert sorted(loads[i] for i in ("YJ01", "YJ02", "YJ03")) == [6, 7, 7]
    assert loads["HB01"] == loads["HB02"] == 10


def test_a_team_of_any_department_spreads_over_everyone():
    result = draw(small_pools(), Parameters.build(12, 2), seed(3))
    loads = result.loads()
    assert len(loads) == 8 and max(loads.values()) - min(loads.values()) <= 1
    assert all(len(set(a.inspectors)) == 2 for a in result.assignments)


def test_too_many_enterprises_is_refused_by_how_many():
    with pytest.raises(DrawRefused) as refused:
        draw(small_pools(), Parameters.build(25, 2), seed(1))
    assert refused.value.shortfalls == [Shortfall(Shortage.ENTERPRISES, 25, 20)]
    assert refused.value.shortfalls[0].short == 5
    assert str(refused.value) == "要抽取 25 户企业，企业名录库只有 20 户，少 5 户"
    assert refused.value.shortfalls[0].message.english() == (
        "The draw asks for 25 enterprises but the pool holds 20: 5 short"
    )


def test_too_few_inspectors_is_refused_per_department_and_in_all():
    shortfalls = check(small_pools(), Parameters.build(3, {"生态环境": 3, "交通运输": 1, "*": 6}))
    assert shortfalls == [
        Shortfall(Shortage.DEPARTMENT, 1, 0, department="交通运输"),
        Shortfall(Shortage.DEPARTMENT, 3, 2, department="生态环境"),
        Shortfall(Shortage.INSPECTORS, 10, 8),
    ]
    assert [s.short for s in shortfalls] == [1, 1, 2]
    assert str(shortfalls[1].message) == (
        "每户企业需要部门 生态环境 的检查人员 3 名，该部门在执法检查人员库中只有 2 名，少 1 名"
    )


def test_recusals_that_leave_too_few_are_refused_naming_the_enterprise():
    target, other = SMALL_ENTERPRISES[4], SMALL_ENTERPRISES[9]
    pools = small_pools(
        (
            (target, "HB01", "liaison"),
            (target, "HB02", "conflict"),
            (target, "HB02", "liaison"),  # the same inspector twice counts once
            (other, "SC01", "liaison"),
        )
    )
    shortfalls = check(pools, Parameters.build(2, {"生态环境": 1, "*": 7}))
    assert shortfalls == [
        Shortfall(Shortage.RECUSALS_DEPARTMENT, 1, 0, enterprise=target, department="生态环境"),
        Shortfall(Shortage.RECUSALS_TOTAL, 8, 6, enterprise=target),
        Shortfall(Shortage.RECUSALS_TOTAL, 8, 7, enterprise=other),
    ]
    # The refusal does not depend on whether the enterprise would have been drawn.
    for n in range(5):
        with pytest.raises(DrawRefused) as refused:
            draw(pools, Parameters.build(2, {"生态环境": 1, "*": 7}), seed(n))
        assert refused.value.shortfalls == shortfalls
    assert str(shortfalls[1].message) == f"企业 {target}：回避后只剩 6 名检查人员，需要 8 名，少 2 名"


@settings(max_examples=300, deadline=None)
@given(draws())
def test_random_pools_agree_with_the_reference_implementation(case):
    pools, team, count, key = case
    parameters = Parameters.build(count, team)
    shortfalls = check(pools, parameters)
    if shortfalls:
        with pytest.raises(DrawRefused):
            draw(pools, parameters, key)
        assert all(s.short > 0 for s in shortfalls)
        return
    result = draw(pools, parameters, key, entropy="x")
    expected = reference.recompute(publication(pools, result))
    assert [(a.enterprise, list(a.inspectors)) for a in result.assignments] == [
        (e["enterprise"], e["inspectors"]) for e in expected
    ]
    recused = {(enterprise, inspector) for enterprise, inspector, _ in pools.recusals}
    department_of = {i.id: i.department for i in pools.inspectors}
    for assignment in result.assignments:
        assert len(set(assignment.inspectors)) == parameters.team_size
        assert not any((assignment.enterprise, i) in recused for i in assignment.inspectors)
        got = Counter(department_of[i] for i in assignment.inspectors)
        for department, needed in parameters.team:
            if department != "*":
                assert got[department] >= needed
    if not pools.recusals and dict(parameters.team).keys() == {"*"}:
        loads = [result.loads()[i.id] for i in pools.inspectors]
        assert max(loads) - min(loads) <= 1
