"""The chain engine alone (no database): coverage and missing nodes, the local supporting rate
by node and for the chain against a hand computation, and Shaoshan's subsidy rule."""

from __future__ import annotations

from decimal import Decimal as D

from .. import chainmap as cm

NODES = [
    cm.Node(1, None, "整车"),
    cm.Node(2, 1, "电驱动"),
    cm.Node(3, 1, "电池"),
    cm.Node(4, 3, "正负极材料"),
    cm.Node(5, 3, "隔膜"),
]


def test_tree_order_puts_parents_first_with_depth() -> None:
    order = [(n.name, depth) for n, depth in cm.tree_order(reversed(NODES))]
    assert order == [("整车", 0), ("电驱动", 1), ("电池", 1), ("正负极材料", 2), ("隔膜", 2)]


def test_rate_by_node_and_chain_by_hand() -> None:
    placements = [
        cm.Placement(1, 10, "leader", cm.PARK),  # maker: 60 local of 100
        cm.Placement(2, 11, "key", cm.PARK),  # 10 local of 40
        cm.Placement(3, 12, "supporting", cm.CITY),  # 0 of 50
        cm.Placement(3, 11, "supporting", cm.PARK),  # firm 11 on two nodes
        cm.Placement(4, 13, "supporting", cm.CITY),  # no purchases on record
    ]
    spend = {
        10: cm.Spend(D("60"), D("100")),
        11: cm.Spend(D("10"), D("40")),
        12: cm.Spend(D("0"), D("50")),
    }
    found = cm.chain_figures(NODES, placements, spend)
    by_name = {f.node.name: f for f in found.nodes}
    assert by_name["整车"].rate == D("0.6000")
    assert by_name["电驱动"].rate == D("0.2500")
    # 电池: firms 12 and 11 → (0 + 10) / (50 + 40)
    assert by_name["电池"].rate == D("0.1111")
    assert by_name["正负极材料"].rate is None
    # The chain counts firm 11 once: (60 + 10 + 0) / (100 + 40 + 50) = 70 / 190
    assert found.firms == 4
    assert found.rate == D("0.3684")
    assert [n.node.name for n in found.missing] == ["隔膜"]
    assert [n.node.name for n in found.city_only] == ["正负极材料"]
    assert by_name["电池"].coverage == cm.COVERED_PARK


def test_growth() -> None:
    assert cm.growth(D("120"), D("100")) == D("0.2000")
    assert cm.growth(D("120"), None) is None


def test_subsidy_first_year_over_threshold_only() -> None:
    yearly = {
        1: {2023: D("299999.99"), 2024: D("400000.00")},  # first reaches it in 2024
        2: {2023: D("500000.00"), 2024: D("600000.00")},  # reached it in 2023: not again
        3: {2024: D("300000.00")},  # exactly the threshold
        4: {2024: D("100.00")},
    }
    due = cm.subsidies_due(yearly, 2024)
    assert [(d.enterprise, d.amount) for d in due] == [(1, D("12000.00")), (3, D("9000.00"))]
    assert [d.enterprise for d in cm.subsidies_due(yearly, 2023)] == [2]
