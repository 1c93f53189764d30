"""The industrial chain's map in plain Python (no Django): which nodes have firms in the park,
in the city or none (a missing link, 缺链), and the local supporting rate (本地配套率) by node
and for the chain, from the purchases of the chain's enterprises.

Definitions (shown on the chain's page, `docs/market.md`):

- a node's firms are the enterprises placed on the node itself; the park's firms are those
  registered in the chain's home park, the city's those registered anywhere else in the city;
- a node is **covered in the park** when it has a firm in the park, **covered in the city**
  when its firms are all elsewhere in the city, and **missing** when it has none: a missing
  node is a target of chain investment attraction (延链补链);
- the **local supporting rate** of a set of enterprises in a year is their purchases from local
  suppliers (registered in the park or elsewhere in the city) divided by their total purchases
  in that year. A node's rate is over its own firms; the chain's over every firm of the chain,
  each counted once however many nodes it sits on. A set without purchases has no rate (None),
  never 0 %.

Amounts are `Decimal` yuan; the rate is a `Decimal` fraction (0.4123 = 41.23 %).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

#: Where a firm is registered, seen from the chain.
PARK = "park"
CITY = "city"
#: What a node is covered by.
COVERED_PARK = "park"
COVERED_CITY = "city"
MISSING = "missing"

ZERO = Decimal("0")


@dataclass(frozen=True)
class Node:
    """One node of the chain's tree (its parent None for a root)."""

    key: int
    parent: int | None
    name: str
    order: int = 0


@dataclass(frozen=True)
class Placement:
    """An enterprise placed on a node with its role, and where it is registered (PARK, CITY)."""

    node: int
    enterprise: int
    role: str
    place: str


@dataclass(frozen=True)
class Spend:
    """One enterprise's purchases in the year: from local suppliers and in all."""

    local: Decimal
    total: Decimal


@dataclass
class NodeFigures:
    """One node on the map: its firms by place, coverage, purchases and rate."""

    node: Node
    depth: int
    park_firms: list[int] = field(default_factory=list)
    city_firms: list[int] = field(default_factory=list)
    local: Decimal = ZERO
    total: Decimal = ZERO

    @property
    def coverage(self) -> str:
        if self.park_firms:
            return COVERED_PARK
        if self.city_firms:
            return COVERED_CITY
        return MISSING

    @property
    def rate(self) -> Decimal | None:
        return rate(self.local, self.total)


@dataclass
class ChainFigures:
    """The whole map: the nodes in tree order (parents before children), the chain's totals,
    its rate and its missing nodes."""

    nodes: list[NodeFigures]
    firms: int
    local: Decimal
    total: Decimal

    @property
    def rate(self) -> Decimal | None:
        return rate(self.local, self.total)

    @property
    def missing(self) -> list[NodeFigures]:
        return [n for n in self.nodes if n.coverage == MISSING]

    @property
    def city_only(self) -> list[NodeFigures]:
        return [n for n in self.nodes if n.coverage == COVERED_CITY]


def rate(local: Decimal, total: Decimal) -> Decimal | None:
    """local ÷ total to four places (None without purchases)."""
    if total <= 0:
        return None
    return (local / total).quantize(Decimal("0.0001"))


def tree_order(nodes: Iterable[Node]) -> list[tuple[Node, int]]:
    """The nodes depth-first, siblings by (order, key), each with its depth (roots at 0). A node
    whose parent is not among `nodes` is taken as a root; a cycle cannot hide a node."""
    nodes = list(nodes)
    keys = {n.key for n in nodes}
    children: dict[int | None, list[Node]] = defaultdict(list)
    for node in nodes:
        children[node.parent if node.parent in keys else None].append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.order, n.key))
    ordered: list[tuple[Node, int]] = []
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(n, 0) for n in reversed(children[None])]
    while stack:
        node, depth = stack.pop()
        if node.key in seen:
            continue
        seen.add(node.key)
        ordered.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(node.key, [])))
    # Nodes caught in a cycle (no root above them) still appear, at the end.
    ordered.extend((n, 0) for n in nodes if n.key not in seen)
    return ordered


def chain_figures(
    nodes: Iterable[Node], placements: Iterable[Placement], spend: Mapping[int, Spend]
) -> ChainFigures:
    """The map of a chain (see the module's docstring): `spend` maps an enterprise to its
    purchases in the year (an enterprise without an entry bought nothing on record)."""
    figures = {node.key: NodeFigures(node, depth) for node, depth in tree_order(nodes)}
    firms: set[int] = set()
    seen: set[tuple[int, int]] = set()
    for placement in placements:
        figure = figures.get(placement.node)
        if figure is None or (placement.node, placement.enterprise) in seen:
            continue
        seen.add((placement.node, placement.enterprise))
        (figure.park_firms if placement.place == PARK else figure.city_firms).append(placement.enterprise)
        bought = spend.get(placement.enterprise)
        if bought is not None:
            figure.local += bought.local
            figure.total += bought.total
        firms.add(placement.enterprise)
    local = sum((spend[e].local for e in firms if e in spend), ZERO)
    total = sum((spend[e].total for e in firms if e in spend), ZERO)
    return ChainFigures(nodes=list(figures.values()), firms=len(firms), local=local, total=total)


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Year-on-year growth as a fraction to four places (None without a base)."""
    if current is None or previous is None or previous <= 0:
        return None
    return ((current - previous) / previous).quantize(Decimal("0.0001"))


# --- The local-purchase subsidy (Shaoshan) ---------------------------------------------------

#: Shaoshan's rule: the year an enterprise's purchases of local strategic-industry products (from
#: suppliers not affiliated with it) first reach ¥300,000, it receives 3 % of them, once.
SUBSIDY_THRESHOLD = Decimal("300000.00")
SUBSIDY_RATE = Decimal("0.03")


@dataclass(frozen=True)
class SubsidyDue:
    """One enterprise's local-purchase subsidy for a year: the purchases it is computed from and
    the amount (yuan to the fen)."""

    enterprise: int
    purchases: Decimal
    amount: Decimal


def subsidies_due(
    yearly: Mapping[int, Mapping[int, Decimal]],
    year: int,
    *,
    threshold: Decimal = SUBSIDY_THRESHOLD,
    share: Decimal = SUBSIDY_RATE,
) -> list[SubsidyDue]:
    """Who is owed the subsidy for `year`: `yearly` maps an enterprise to its qualifying
    purchases (local, strategic-industry, not affiliated) by year. An enterprise qualifies when
    `year` is the first year its purchases reach `threshold`; an earlier year that reached it
    means the subsidy was due then, not now. The amount is `share` of that year's purchases,
    rounded half up to the fen."""
    due: list[SubsidyDue] = []
    for enterprise, by_year in sorted(yearly.items()):
        amount = by_year.get(year, ZERO)
        if amount < threshold:
            continue
        if any(y < year and v >= threshold for y, v in by_year.items()):
            continue
        subsidy = (amount * share).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        due.append(SubsidyDue(enterprise, amount, subsidy))
    return due
