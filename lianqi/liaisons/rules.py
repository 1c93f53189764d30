"""The liaison layout by tier and industry (分层级、行业排布), in plain Python.

Given plain records of a jurisdiction's enterprises, staff and departments, decide who serves
whom, and say why in words:

1. The largest above-size firms (规上, ranked by registered capital, then employees) go to the
   leader-tier staff, each taking at most `leader_quota` of them.
2. Every other firm goes to the department whose industry prefixes (GB/T 4754) match the firm's
   industry code; the longest matching prefix wins.
3. A firm that no department claims, or whose department has nobody on duty, goes to the
   general pool: every active non-leader staff member of the jurisdiction.

Within a pool the member with the fewest enterprises takes the next one (ties go to the lowest
staff id), and firms are taken largest first, so the same input always gives the same layout.

The reasons are stored with each change as part of the record, in the park's working language;
this module imports nothing from Django so that it can be tested and timed alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ABOVE_SIZE = "above_size"
LEADER = "leader"
#: How many of the largest firms each leader-tier cadre takes at most.
DEFAULT_LEADER_QUOTA = 5

RULE_LEADER = "leader"
RULE_DEPARTMENT = "department"
RULE_POOL = "pool"
RULE_HANDOVER = "handover"


@dataclass(frozen=True)
class EnterpriseRecord:
    """What the rules need to know about one enterprise."""

    id: int
    kind: str
    industry_code: str = ""
    industry_section: str = ""
    registered_capital: float | None = None
    employees: int | None = None
    liaison_id: int | None = None
    path: str = ""
    name: str = ""


@dataclass(frozen=True)
class StaffRecord:
    """One active staff member who may take enterprises."""

    id: int
    tier: str
    department_id: int | None = None
    path: str = ""
    name: str = ""


@dataclass(frozen=True)
class DepartmentRecord:
    """A department and the GB/T 4754 code prefixes of the industries it looks after."""

    id: int
    name: str
    industry_prefixes: tuple[str, ...] = ()

    @classmethod
    def parse(cls, id: int, name: str, prefixes: str) -> DepartmentRecord:
        """Build a record from the comma-separated form stored on the department."""
        cleaned = tuple(p.strip().upper() for p in prefixes.replace("，", ",").split(",") if p.strip())
        return cls(id=id, name=name, industry_prefixes=cleaned)


@dataclass(frozen=True)
class Decision:
    """Who should serve one enterprise, by which rule, and why (in words)."""

    staff_id: int
    rule: str
    reason: str


@dataclass
class Layout:
    """The result of the rules: a decision per enterprise, and the enterprises nobody can take
    (no active staff member whose jurisdiction fits)."""

    decisions: dict[int, Decision] = field(default_factory=dict)
    unassigned: list[int] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)


def size_key(enterprise: EnterpriseRecord) -> tuple[float, int, int]:
    """Sort key, largest first: registered capital, then employees, then the lowest id."""
    return (-(enterprise.registered_capital or 0.0), -(enterprise.employees or 0), enterprise.id)


def can_serve(staff: StaffRecord, enterprise: EnterpriseRecord) -> bool:
    """A staff member may serve an enterprise of their own jurisdiction, of one below it, or of
    the one above it (a park cadre for a park-level firm): the same test the database action
    applies, so the rules never propose what would be refused."""
    if not staff.path or not enterprise.path:
        return True
    return enterprise.path.startswith(staff.path) or staff.path.startswith(enterprise.path)


def industry_keys(enterprise: EnterpriseRecord) -> tuple[str, str]:
    """The industry code in two spellings: digits only (``3811``) and with its section letter
    (``C3811``), so that a department may list either ``38`` or ``C`` / ``C38``."""
    code = enterprise.industry_code.strip().upper()
    section = enterprise.industry_section.strip().upper()
    if code.isalpha():
        return code, code
    return code, f"{section}{code}"


def matching_department(
    enterprise: EnterpriseRecord, departments: Sequence[DepartmentRecord]
) -> tuple[DepartmentRecord, str] | None:
    """The department whose prefix matches the enterprise's industry best (the longest prefix;
    on a tie, the lowest department id), with the prefix that matched."""
    digits, lettered = industry_keys(enterprise)
    best: tuple[int, int, DepartmentRecord, str] | None = None
    for department in departments:
        for prefix in department.industry_prefixes:
            target = lettered if prefix[:1].isalpha() else digits
            if not target or not target.startswith(prefix):
                continue
            candidate = (-len(prefix), department.id, department, prefix)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
    return (best[2], best[3]) if best else None


def _least_loaded(
    pool: Iterable[StaffRecord], loads: Mapping[int, int], enterprise: EnterpriseRecord
) -> StaffRecord | None:
    eligible = [s for s in pool if can_serve(s, enterprise)]
    if not eligible:
        return None
    return min(eligible, key=lambda s: (loads.get(s.id, 0), s.id))


def plan_layout(
    enterprises: Sequence[EnterpriseRecord],
    staff: Sequence[StaffRecord],
    departments: Sequence[DepartmentRecord],
    *,
    only_uncovered: bool = True,
    leader_quota: int = DEFAULT_LEADER_QUOTA,
    top_n: int | None = None,
) -> Layout:
    """Lay out liaisons for `enterprises` (all active enterprises of the jurisdiction).

    With `only_uncovered`, enterprises already served by one of `staff` keep their liaison and
    count towards that liaison's load; the others (no liaison, or one who is not among the
    active `staff`) are assigned. Without it, every enterprise is laid out afresh from zero
    loads. `top_n` (default: `leader_quota` × the number of leaders) is how many of the largest
    above-size firms the leaders take."""
    staff_by_id = {s.id: s for s in staff}
    loads: dict[int, int] = dict.fromkeys(staff_by_id, 0)
    to_assign: list[EnterpriseRecord] = []
    for enterprise in enterprises:
        if only_uncovered and enterprise.liaison_id in staff_by_id:
            loads[enterprise.liaison_id] += 1  # type: ignore[index]
        else:
            to_assign.append(enterprise)

    leaders = sorted((s for s in staff if s.tier == LEADER), key=lambda s: s.id)
    others = sorted((s for s in staff if s.tier != LEADER), key=lambda s: s.id)
    general_pool = others or leaders
    by_department: dict[int, list[StaffRecord]] = {}
    for member in others:
        if member.department_id is not None:
            by_department.setdefault(member.department_id, []).append(member)

    largest = top_n if top_n is not None else leader_quota * len(leaders)
    ranked = sorted((e for e in enterprises if e.kind == ABOVE_SIZE), key=size_key)
    rank = {e.id: position for position, e in enumerate(ranked[: max(largest, 0)], start=1)}

    layout = Layout(loads=loads)
    for enterprise in sorted(to_assign, key=size_key):
        decision = _decide(
            enterprise, rank, largest, leaders, leader_quota, departments, by_department, general_pool, loads
        )
        if decision is None:
            layout.unassigned.append(enterprise.id)
            continue
        layout.decisions[enterprise.id] = decision
        loads[decision.staff_id] += 1
    layout.unassigned.sort()
    return layout


def _decide(
    enterprise: EnterpriseRecord,
    rank: Mapping[int, int],
    largest: int,
    leaders: Sequence[StaffRecord],
    leader_quota: int,
    departments: Sequence[DepartmentRecord],
    by_department: Mapping[int, Sequence[StaffRecord]],
    general_pool: Sequence[StaffRecord],
    loads: Mapping[int, int],
) -> Decision | None:
    prefix_note = ""
    if enterprise.id in rank:
        open_leaders = [s for s in leaders if loads.get(s.id, 0) < leader_quota]
        chosen = _least_loaded(open_leaders, loads, enterprise)
        if chosen is not None:
            return Decision(
                chosen.id,
                RULE_LEADER,
                f"规上企业规模第 {rank[enterprise.id]} 位（前 {largest} 名由园区领导联系），"
                f"分给联系企业最少的领导（原有 {loads.get(chosen.id, 0)} 家）",
            )
        prefix_note = "园区领导联系名额已满；"

    match = matching_department(enterprise, departments)
    code = enterprise.industry_code or "—"
    if match is not None:
        department, prefix = match
        chosen = _least_loaded(by_department.get(department.id, ()), loads, enterprise)
        if chosen is not None:
            return Decision(
                chosen.id,
                RULE_DEPARTMENT,
                f"{prefix_note}行业代码 {code} 对口「{department.name}」（前缀 {prefix}），"
                f"分给该部门联系企业最少的干部（原有 {loads.get(chosen.id, 0)} 家）",
            )
        prefix_note += f"对口部门「{department.name}」无在岗干部；"
    else:
        prefix_note += f"行业代码 {code} 无对口部门；"

    chosen = _least_loaded(general_pool, loads, enterprise)
    if chosen is None:
        return None
    return Decision(
        chosen.id,
        RULE_POOL,
        f"{prefix_note}从全体在岗干部中分给联系企业最少的干部（原有 {loads.get(chosen.id, 0)} 家）",
    )


def spread_by_load(
    enterprises: Sequence[EnterpriseRecord],
    candidates: Sequence[StaffRecord],
    loads: Mapping[int, int],
    *,
    pool_name: str = "",
) -> Layout:
    """Spread a departing member's enterprises over `candidates`, the fewest-loaded first
    (largest firm first, ties to the lowest staff id). Enterprises no candidate may serve are
    listed in `unassigned`, so the caller can refuse an incomplete handover."""
    current = {s.id: loads.get(s.id, 0) for s in candidates}
    layout = Layout(loads=current)
    where = f"「{pool_name}」" if pool_name else ""
    for enterprise in sorted(enterprises, key=size_key):
        chosen = _least_loaded(candidates, current, enterprise)
        if chosen is None:
            layout.unassigned.append(enterprise.id)
            continue
        layout.decisions[enterprise.id] = Decision(
            chosen.id,
            RULE_HANDOVER,
            f"离岗移交：分给{where}联系企业最少的干部（原有 {current[chosen.id]} 家）",
        )
        current[chosen.id] += 1
    layout.unassigned.sort()
    return layout
