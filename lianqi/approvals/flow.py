"""The approval flowchart engine (一图), in plain Python (no Django, so it is tested and
benchmarked on its own): the order in which a chart's items may run, which of them run side by
side (并联), the critical path in working days, and the checks of a chart (no item waits for
itself, directly or around a circle) and of a run (an item starts only once what it waits for is
done, its dates in order, a 容缺 promise kept).

An item is a `Node`: its key, its committed time limit in working days (承诺时限) and the keys of
the items it waits for. Items with no path of dependencies between them run in parallel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    """One item of a chart: `duration` working days once it may start, after every item of
    `prerequisites` is done."""

    key: int
    duration: int
    prerequisites: tuple[int, ...] = ()


class CycleError(ValueError):
    """The chart's dependencies go round a circle: `keys` are the items on it, in order."""

    def __init__(self, keys: Sequence[int]) -> None:
        self.keys = tuple(keys)
        super().__init__(f"dependency cycle through {' -> '.join(map(str, self.keys))}")


class UnknownPrerequisite(ValueError):
    """An item waits for a key that is not an item of the chart."""

    def __init__(self, key: int, missing: int) -> None:
        self.key = key
        self.missing = missing
        super().__init__(f"item {key} waits for unknown item {missing}")


def find_cycle(prerequisites: Mapping[int, Iterable[int]]) -> tuple[int, ...]:
    """A circle of dependencies in `prerequisites` (key -> the keys it waits for), as the keys on
    it with the first repeated at the end; empty when there is none."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(prerequisites, WHITE)
    for root in sorted(prerequisites):
        if colour[root] != WHITE:
            continue
        path: list[int] = [root]
        stack = [iter(sorted(prerequisites[root]))]
        colour[root] = GREY
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                colour[path.pop()] = BLACK
                continue
            state = colour.get(nxt, BLACK)  # an unknown key leads nowhere
            if state == GREY:
                return (*path[path.index(nxt) :], nxt)
            if state == WHITE:
                colour[nxt] = GREY
                path.append(nxt)
                stack.append(iter(sorted(prerequisites.get(nxt, ()))))
    return ()


def would_cycle(prerequisites: Mapping[int, Iterable[int]], key: int, new: Iterable[int]) -> tuple[int, ...]:
    """The circle that giving `key` the prerequisites `new` would close (empty when none)."""
    changed = {k: tuple(v) for k, v in prerequisites.items()}
    changed[key] = tuple(new)
    return find_cycle(changed)


def _check(nodes: Sequence[Node]) -> dict[int, Node]:
    by_key = {node.key: node for node in nodes}
    for node in nodes:
        if node.duration < 0:
            raise ValueError(f"item {node.key} has a negative duration")
        for pre in node.prerequisites:
            if pre not in by_key:
                raise UnknownPrerequisite(node.key, pre)
    cycle = find_cycle({node.key: node.prerequisites for node in nodes})
    if cycle:
        raise CycleError(cycle)
    return by_key


def topological_order(nodes: Sequence[Node]) -> list[int]:
    """The keys in an order where every item comes after what it waits for (ties by the nodes'
    given order); `CycleError` when there is none."""
    by_key = _check(nodes)
    position = {node.key: index for index, node in enumerate(nodes)}
    done: set[int] = set()
    order: list[int] = []
    pending = sorted(by_key, key=position.__getitem__)
    while pending:
        ready = [k for k in pending if all(p in done for p in by_key[k].prerequisites)]
        for key in ready:
            done.add(key)
            order.append(key)
        pending = [k for k in pending if k not in done]
    return order


def waves(nodes: Sequence[Node]) -> list[list[int]]:
    """The items by wave: the first wave waits for nothing, each later one for items of the
    waves before it. The items of one wave run in parallel (并联)."""
    by_key = _check(nodes)
    level: dict[int, int] = {}
    for key in topological_order(nodes):
        pres = by_key[key].prerequisites
        level[key] = 1 + max((level[p] for p in pres), default=-1)
    result: list[list[int]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for key in topological_order(nodes):
        result[level[key]].append(key)
    return result


@dataclass(frozen=True)
class Schedule:
    """A chart laid out at the earliest: each item's earliest start and finish (working days from
    the start of the run), its slack (how many days it may slip without delaying the whole), the
    critical path (the chain of items with no slack, in order) and the total length."""

    earliest_start: dict[int, int]
    earliest_finish: dict[int, int]
    slack: dict[int, int]
    critical_path: tuple[int, ...]
    length: int
    #: What the same items would take one after another (串联): the sum of their durations.
    serial_length: int

    @property
    def saved_by_parallel(self) -> int:
        """Working days running in parallel saves against running everything in series."""
        return self.serial_length - self.length


def schedule(nodes: Sequence[Node]) -> Schedule:
    """The critical path method over the chart: forward pass for the earliest times, backward
    pass for the latest, slack as their difference. The critical path follows zero-slack items
    from a start to the end, taking at each step the prerequisite that finishes last."""
    by_key = _check(nodes)
    order = topological_order(nodes)
    start: dict[int, int] = {}
    finish: dict[int, int] = {}
    for key in order:
        start[key] = max((finish[p] for p in by_key[key].prerequisites), default=0)
        finish[key] = start[key] + by_key[key].duration
    length = max(finish.values(), default=0)
    followers: dict[int, list[int]] = {key: [] for key in by_key}
    for node in nodes:
        for pre in node.prerequisites:
            followers[pre].append(node.key)
    latest_finish: dict[int, int] = {}
    for key in reversed(order):
        latest_finish[key] = min(
            (latest_finish[f] - by_key[f].duration for f in followers[key]), default=length
        )
    slack = {key: latest_finish[key] - finish[key] for key in order}
    path: list[int] = []
    ends = [k for k in order if finish[k] == length and slack[k] == 0]
    current = ends[-1] if ends else None
    while current is not None:
        path.append(current)
        pres = [p for p in by_key[current].prerequisites if slack[p] == 0 and finish[p] == start[current]]
        current = max(pres, key=lambda p: (finish[p], -order.index(p))) if pres else None
    return Schedule(
        earliest_start=start,
        earliest_finish=finish,
        slack=slack,
        critical_path=tuple(reversed(path)),
        length=length,
        serial_length=sum(node.duration for node in nodes),
    )


# --- A run of the chart for one project -----------------------------------------------------


def blocking(prerequisites: Iterable[int], approved_on: Mapping[int, dt.date | None]) -> list[int]:
    """The prerequisites not yet done (no approval date): an item may start only when this is empty."""
    return [p for p in prerequisites if approved_on.get(p) is None]


def earliest_start_day(
    prerequisites: Iterable[int], approved_on: Mapping[int, dt.date | None]
) -> dt.date | None:
    """The day the last prerequisite was done: an item is not submitted before it (None without any)."""
    days = [d for p in prerequisites if (d := approved_on.get(p)) is not None]
    return max(days, default=None)


def promise_overdue(promise_on: dt.date | None, supplied_on: dt.date | None, today: dt.date) -> bool:
    """Whether a 容缺 promise is broken: the missing materials came after the promised day, or
    have not come and the day is past."""
    if promise_on is None:
        return False
    if supplied_on is not None:
        return supplied_on > promise_on
    return today > promise_on
