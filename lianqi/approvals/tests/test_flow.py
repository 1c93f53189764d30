"""The flowchart engine on its own: which items run side by side, the critical path in working
days, circles refused, and a 容缺 promise's lateness."""

from __future__ import annotations

import datetime as dt

import pytest

from .. import flow

N = flow.Node
#: 立项 (2) → 用地 (5) ∥ 规划 (3) → 施工 (4); 环评 (6) waits for nothing.
CHART = [N(1, 2), N(2, 5, (1,)), N(3, 3, (1,)), N(4, 4, (2, 3)), N(5, 6)]


def test_items_without_mutual_dependency_run_in_parallel() -> None:
    assert flow.waves(CHART) == [[1, 5], [2, 3], [4]]


def test_every_item_comes_after_what_it_waits_for() -> None:
    order = flow.topological_order(CHART)
    for node in CHART:
        assert all(order.index(p) < order.index(node.key) for p in node.prerequisites)


def test_the_critical_path_is_the_longest_chain_in_working_days() -> None:
    plan = flow.schedule(CHART)
    assert plan.critical_path == (1, 2, 4)
    assert plan.length == 11
    assert plan.earliest_start[4] == 7  # after 用地 (2 + 5), not 规划 (2 + 3)
    assert plan.slack == {1: 0, 2: 0, 3: 2, 4: 0, 5: 5}
    assert (plan.serial_length, plan.saved_by_parallel) == (20, 9)


def test_a_longer_parallel_branch_takes_the_critical_path() -> None:
    longer = [*CHART[:2], N(3, 9, (1,)), *CHART[3:]]
    plan = flow.schedule(longer)
    assert plan.critical_path == (1, 3, 4) and plan.length == 15


def test_an_empty_chart_takes_no_time() -> None:
    assert flow.schedule([]).length == 0 and flow.waves([]) == []


def test_a_circle_is_refused_naming_its_items() -> None:
    with pytest.raises(flow.CycleError) as refused:
        flow.schedule([N(1, 2, (3,)), N(2, 2, (1,)), N(3, 2, (2,))])
    assert set(refused.value.keys) == {1, 2, 3}
    assert flow.find_cycle({1: [1]}) == (1, 1)
    assert flow.would_cycle({1: [], 2: [1], 3: [2]}, 1, [3]) != ()
    assert flow.would_cycle({1: [], 2: [1], 3: [2]}, 3, [1, 2]) == ()


def test_an_unknown_prerequisite_is_refused() -> None:
    with pytest.raises(flow.UnknownPrerequisite):
        flow.schedule([N(1, 2, (9,))])


def test_an_item_waits_until_its_prerequisites_are_done() -> None:
    done = {1: dt.date(2025, 3, 4), 2: None}
    assert flow.blocking([1, 2], done) == [2]
    assert flow.blocking([1], done) == []
    assert flow.earliest_start_day([1, 2], done) == dt.date(2025, 3, 4)


def test_a_lenient_promise_is_late_only_after_its_day() -> None:
    promise = dt.date(2025, 3, 20)
    assert not flow.promise_overdue(promise, None, dt.date(2025, 3, 20))
    assert flow.promise_overdue(promise, None, dt.date(2025, 3, 21))
    assert not flow.promise_overdue(promise, dt.date(2025, 3, 19), dt.date(2025, 4, 30))
    assert flow.promise_overdue(promise, dt.date(2025, 3, 21), dt.date(2025, 3, 21))
    assert not flow.promise_overdue(None, None, dt.date(2030, 1, 1))
