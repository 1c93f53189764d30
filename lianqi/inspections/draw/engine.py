"""The draw: which enterprises are inspected, and by whom (docs/inspection-draws.md, "The
draw" and "Teams").

1. `check` refuses a draw the pools cannot serve, saying where and by how many: too few
   enterprises, too few inspectors (of a department, or in all), or an enterprise whose
   recusals leave too few. Every enterprise of the pool is checked, not just those drawn, so
   the refusal never depends on the seed and is known before the commitment is published.
2. The enterprises are the first N of the enterprise pool's shuffle (stream "enterprises"),
   in that order.
3. The inspectors are ranked by their own shuffle (stream "inspectors"). Each drawn
   enterprise, in draw order, fills its team group by group (departments by code, then any
   department); each place goes to the eligible inspector — of the group's department, not
   on the team already, not recused — with the fewest enterprises so far in this draw, the
   lower rank breaking ties. Load is thus balanced (within a department, with no recusals,
   no two inspectors differ by more than one enterprise) and every pairing equally likely.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass

from .errors import DrawRefused, Shortage, Shortfall
from .pools import ANY, Parameters, Pools
from .randomness import (
    ENTERPRISE_STREAM,
    INSPECTOR_STREAM,
    SEED_BYTES,
    Stream,
    commitment,
    draw_key,
    shuffled,
)


@dataclass(frozen=True)
class Assignment:
    """One drawn enterprise and its inspectors, in the order they were chosen."""

    enterprise: str
    inspectors: tuple[str, ...]


@dataclass(frozen=True)
class Draw:
    """A completed draw: what it was drawn from (fingerprint, parameters), the seed and its
    commitment, the public entropy mixed in, and the result in draw order."""

    fingerprint: str
    parameters: Parameters
    seed: bytes
    entropy: str
    assignments: tuple[Assignment, ...]

    @property
    def commitment(self) -> str:
        return commitment(self.seed)

    @property
    def enterprises(self) -> list[str]:
        return [a.enterprise for a in self.assignments]

    def loads(self) -> Counter[str]:
        """How many drawn enterprises each inspector got."""
        return Counter(i for a in self.assignments for i in a.inspectors)


def check(pools: Pools, parameters: Parameters) -> list[Shortfall]:
    """Why the pools cannot serve this draw (empty when they can): the draw's own shortfalls
    first, then each enterprise's once recused, by enterprise. When a department or the pool
    as a whole is short, every enterprise is, and they are not listed one by one."""
    shortfalls = []
    if parameters.enterprises > len(pools.enterprises):
        shortfalls.append(Shortfall(Shortage.ENTERPRISES, parameters.enterprises, len(pools.enterprises)))
    size = Counter(i.department for i in pools.inspectors)
    total = len(pools.inspectors)
    # A group of any department needs the whole team's size in all: the departments' groups
    # take their places first and the rest must still be found.
    needs = [
        (
            department,
            parameters.team_size if department == ANY else count,
            total if department == ANY else size[department],
        )
        for department, count in parameters.team
    ]
    for department, required, available in needs:
        if available < required:
            kind = Shortage.INSPECTORS if department == ANY else Shortage.DEPARTMENT
            shortfalls.append(Shortfall(kind, required, available, department=_named(department)))
    if any(available < required for _, required, available in needs):
        return shortfalls
    department_of = {i.id: i.department for i in pools.inspectors}
    # Only enterprises with more recusals than a group's slack can fall short.
    least_slack = min(available - required for _, required, available in needs)
    for enterprise in sorted(e for e, count in pools.recusal_counts.items() if count > least_slack):
        barred = pools.recused(enterprise)
        for department, required, available in needs:
            if department == ANY:
                left = available - len(barred)
            else:
                left = available - sum(department_of[i] == department for i in barred)
            if left < required:
                kind = Shortage.RECUSALS_TOTAL if department == ANY else Shortage.RECUSALS_DEPARTMENT
                shortfalls.append(
                    Shortfall(kind, required, left, enterprise=enterprise, department=_named(department))
                )
    return shortfalls


def _named(department: str) -> str:
    return "" if department == ANY else department


def draw(pools: Pools, parameters: Parameters, seed: bytes, *, entropy: str = "") -> Draw:
    """The draw keyed by `seed` (and the public `entropy`, if any). Raises `DrawRefused` when
    `check` finds shortfalls."""
    if len(seed) != SEED_BYTES:
        raise ValueError(f"the seed must be {SEED_BYTES} bytes")
    shortfalls = check(pools, parameters)
    if shortfalls:
        raise DrawRefused(shortfalls)
    key = draw_key(seed, pools.fingerprint, parameters.canonical, entropy)
    chosen = shuffled(Stream(key, ENTERPRISE_STREAM), pools.enterprises, parameters.enterprises)
    ranked = shuffled(Stream(key, INSPECTOR_STREAM), pools.inspectors)
    rank_of = {inspector.id: rank for rank, inspector in enumerate(ranked)}
    counts = pools.recusal_counts
    barred = {e: {rank_of[i] for i in pools.recused(e)} for e in chosen if e in counts}
    teams = _teams(chosen, [i.department for i in ranked], barred, parameters)
    return Draw(
        fingerprint=pools.fingerprint,
        parameters=parameters,
        seed=seed,
        entropy=entropy,
        assignments=tuple(
            Assignment(enterprise, tuple(ranked[r].id for r in team))
            for enterprise, team in zip(chosen, teams, strict=True)
        ),
    )


def _teams(
    chosen: list[str], departments: list[str], barred: dict[str, set[int]], parameters: Parameters
) -> list[list[int]]:
    """Each chosen enterprise's team as ranks, by the rule in the module's docstring.

    One heap of (load, rank) per group holds the group's inspectors; when an inspector's load
    grows a fresh entry is pushed to every heap it belongs to and the old ones are skipped as
    stale when popped (their load no longer matches). Inspectors skipped for one enterprise
    (recused, or on its team) are set aside and pushed back afterwards, so the cost grows with
    the recusals met, not with the pool."""
    load = [0] * len(departments)
    heaps: dict[str, list[tuple[int, int]]] = {}
    for department, _ in parameters.team:
        heaps[department] = [
            (0, rank) for rank, own in enumerate(departments) if department in (ANY, own)
        ]  # sorted by rank, so already a heap
    member_of = [
        [heaps[h] for h in (own, ANY) if h in heaps] for own in departments
    ]  # the heaps each inspector is in
    teams = []
    for enterprise in chosen:
        skip = barred.get(enterprise, set())
        team: list[int] = []
        for department, count in parameters.team:
            heap = heaps[department]
            aside = []
            for _ in range(count):
                while True:
                    entry = heapq.heappop(heap)  # never empty: `check` made sure
                    rank = entry[1]
                    if entry[0] != load[rank]:
                        continue  # stale
                    if rank in skip or rank in team:
                        aside.append(entry)
                        continue
                    break
                team.append(rank)
                load[rank] += 1
                for member in member_of[rank]:
                    heapq.heappush(member, (load[rank], rank))
            for entry in aside:
                heapq.heappush(heap, entry)
        teams.append(team)
    return teams
