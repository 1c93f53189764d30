"""The checks made when an inspection is registered, apart from the write itself: whether
each inspector may go, whether the enterprise is in a quiet period, and how often it has
already been inspected (the frequency caps). Reads only; `actions.register_inspection` turns
their answers into field messages or into warnings kept on the inspection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department
from lianqi.policies.subjects import eligible_ids

from .choices import InspectionState
from .models import FrequencyCaps, Inspection, InspectionItem, Inspector, QuietPeriod

#: By default at most this many inspections of one enterprise per day, per calendar week
#: (Monday to Sunday) and per calendar month (Chengdu's 一码检查); a jurisdiction may set its
#: own (`FrequencyCaps`). One more is refused unless the service office approves it.
CAPS: tuple[tuple[str, int], ...] = (("day", 1), ("week", 2), ("month", 3))
#: The states that do not count towards a cap: the visit will not happen.
NOT_COUNTED = (InspectionState.CANCELLED, InspectionState.REFUSED)


def settings_for(path: str) -> FrequencyCaps | None:
    """The caps and quiet rule that hold at `path`: the jurisdiction's own row, else the
    nearest one above it (None: the defaults, no quiet rule)."""
    parts = [p for p in path.split("/") if p]
    paths = ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]
    return FrequencyCaps.objects.filter(jurisdiction_path__in=paths).order_by("-jurisdiction_path").first()


def caps_for(path: str) -> tuple[tuple[str, int], ...]:
    """The caps of the jurisdiction at `path`: its own row, else the nearest above, else `CAPS`."""
    row = settings_for(path)
    if row is None:
        return CAPS
    return (("day", row.per_day), ("week", row.per_week), ("month", row.per_month))


def quiet_by_rule(enterprise: Enterprise, on: dt.date) -> str:
    """The quiet rule's description (无事不扰, e.g. "信用A级企业") when the enterprise meets its
    jurisdiction's quiet rule on `on`; "" when it does not or there is none."""
    row = settings_for(enterprise.jurisdiction_path)
    if row is None or not row.quiet_rule:
        return ""
    return (
        row.quiet_note
        if eligible_ids(Enterprise.objects.filter(pk=enterprise.pk), row.quiet_rule, on)
        else ""
    )


def quiet_by_rule_ids(path: str, enterprise_ids: list[int], on: dt.date) -> set[int]:
    """Those of `enterprise_ids` (all of the jurisdiction at `path`) that its quiet rule keeps
    out of routine inspections on `on`, in one run of the engine."""
    row = settings_for(path)
    if row is None or not row.quiet_rule or not enterprise_ids:
        return set()
    return eligible_ids(Enterprise.objects.filter(pk__in=enterprise_ids), row.quiet_rule, on)


def applies_to(item: InspectionItem, enterprise: Enterprise, on: dt.date) -> bool:
    """Whether the enterprise meets the item's rule on `on` (an empty rule: every enterprise;
    an unknown answer is not a yes — the register must show that the item applies)."""
    if not item.rule:
        return True
    return enterprise.pk in eligible_ids(Enterprise.objects.filter(pk=enterprise.pk), item.rule, on)


def item_problem(item: InspectionItem, enterprise: Enterprise, department: Department, on: dt.date) -> str:
    """Why `item` may not be used for this inspection ('' when it may): not the department's,
    not published, or the enterprise outside its rule."""
    if item.department_id != department.pk:
        return _("“%(item)s”不是%(department)s公布的检查事项") % {
            "item": item.name,
            "department": department.name,
        }
    if not item.is_published:
        return _("“%(item)s”未公布或已撤回，不能据此登记检查") % {"item": item.name}
    if not applies_to(item, enterprise, on):
        note = item.rule_note or _("该事项的适用条件")
        return _("该企业不属于“%(item)s”的适用范围（%(note)s）") % {"item": item.name, "note": note}
    return ""


def yearly_cap_warning(item: InspectionItem, enterprise: Enterprise, on: dt.date) -> str:
    """The item's yearly cap one more inspection of `enterprise` in `on`'s calendar year would
    exceed ('' when within it)."""
    count = (
        Inspection.objects.filter(enterprise=enterprise, item=item, planned_on__year=on.year)
        .exclude(state__in=NOT_COUNTED)
        .count()
    )
    if count + 1 <= item.yearly_cap:
        return ""
    return _("%(year)s 年已按“%(item)s”检查该企业 %(count)s 次，超过每年 %(cap)s 次的上限") % {
        "year": on.year,
        "item": item.name,
        "count": count,
        "cap": item.yearly_cap,
    }


def inspector_problems(inspectors: Iterable[Inspector], department: Department, on: dt.date) -> list[str]:
    """Why some of `inspectors` may not inspect for `department` on `on`: not in its pool,
    out of the pool, or their qualification expired."""
    problems = []
    for inspector in inspectors:
        if inspector.department_id != department.pk:
            problems.append(
                _("%(name)s 不在%(department)s的执法人员库中")
                % {"name": inspector, "department": department.name}
            )
        elif not inspector.is_active:
            problems.append(_("%(name)s 已移出执法人员库") % {"name": inspector})
        elif inspector.qualified_until < on:
            problems.append(
                _("%(name)s 的执法资格已于 %(date)s 到期")
                % {"name": inspector, "date": inspector.qualified_until}
            )
    return problems


def quiet_period(enterprise: Enterprise, on: dt.date) -> QuietPeriod | None:
    """The quiet period (免检) the enterprise is in on `on`, if any."""
    return QuietPeriod.objects.filter(enterprise=enterprise, starts_on__lte=on, ends_on__gte=on).first()


def joint_window(path: str) -> int:
    """How many days before or after its own day a registration at `path` is offered another
    department's visit to join (the jurisdiction's setting, else the nearest above; 0: the same
    day)."""
    row = settings_for(path)
    return row.joint_window_days if row is not None else 0


def joint_candidates(
    enterprise: Enterprise, department: Department | None, on: dt.date
) -> QuerySet[Inspection]:
    """Other departments' registered inspections of `enterprise` within the jurisdiction's
    joint window of `on` (the same day by default), not yet under way: what a new registration
    is offered to join (综合查一次), the earliest first."""
    days = dt.timedelta(days=joint_window(enterprise.jurisdiction_path))
    rows = Inspection.objects.filter(
        enterprise=enterprise,
        planned_on__gte=on - days,
        planned_on__lte=on + days,
        state=InspectionState.REGISTERED,
    )
    if department is not None:
        rows = rows.exclude(department=department)
    return rows.select_related("department").order_by("planned_on", "pk")


def in_quiet_period(path: str, on: dt.date) -> set[int]:
    """The enterprises of the jurisdiction at `path` (and below) in a quiet period (免检) on
    `on`, in one query: a draw's pool leaves them all out at once."""
    return set(
        QuietPeriod.objects.filter(
            enterprise__jurisdiction_path__startswith=path, starts_on__lte=on, ends_on__gte=on
        ).values_list("enterprise_id", flat=True)
    )


def cap_warnings(
    enterprise: Enterprise, on: dt.date, *, joint_visit_id: int | None = None, joins: Inspection | None = None
) -> list[str]:
    """The frequency caps one more inspection of `enterprise` on `on` would exceed. Inspections
    merged into one joint visit count as one visit (the firm opens its gate once); so does one
    that `joins` another department's inspection of that day."""
    if joins is not None:
        joint_visit_id = joins.joint_visit_id
    live = Inspection.objects.filter(enterprise=enterprise).exclude(state__in=NOT_COUNTED)
    windows = {
        "day": (on, on),
        "week": (on - dt.timedelta(days=on.weekday()), on + dt.timedelta(days=6 - on.weekday())),
        "month": (on.replace(day=1), _month_end(on)),
    }
    labels = {"day": _("同一天"), "week": _("同一周内"), "month": _("同一个月内")}
    warnings = []
    for window, cap in caps_for(enterprise.jurisdiction_path):
        start, end = windows[window]
        rows = live.filter(planned_on__gte=start, planned_on__lte=end)
        visits = {("joint", j) if j else ("one", pk) for pk, j in rows.values_list("pk", "joint_visit_id")}
        if joint_visit_id and ("joint", joint_visit_id) in visits:
            continue
        if joins is not None and ("one", joins.pk) in visits:
            continue
        if len(visits) + 1 > cap:
            warnings.append(
                _("%(window)s已登记 %(count)s 次检查，超过每%(unit)s %(cap)s 次的上限，建议合并为联合检查")
                % {"window": labels[window], "count": len(visits), "unit": _unit(window), "cap": cap}
            )
    return warnings


def _unit(window: str) -> str:
    return {"day": _("天"), "week": _("周"), "month": _("月")}[window]


def _month_end(day: dt.date) -> dt.date:
    first_of_next = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_of_next - dt.timedelta(days=1)
