"""The checks made when an inspection is registered, apart from the write itself: whether
each inspector may go, whether the enterprise is in a quiet period, and how often it has
already been inspected (the frequency caps). Reads only; `actions.register_inspection` turns
their answers into field messages or into warnings kept on the inspection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department

from .choices import InspectionState
from .models import Inspection, Inspector, QuietPeriod

#: At most this many inspections of one enterprise per day, per calendar week (Monday to Sunday) and per calendar month;
#: one more is flagged (频次提示), so that repeated inspections are seen and can be merged.
CAPS: tuple[tuple[str, int], ...] = (("day", 1), ("week", 2), ("month", 3))


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


def cap_warnings(enterprise: Enterprise, on: dt.date, *, joint_visit_id: int | None = None) -> list[str]:
    """The frequency caps one more inspection of `enterprise` on `on` would exceed. Inspections
    merged into one joint visit count as one visit (the firm opens its gate once)."""
    live = Inspection.objects.filter(enterprise=enterprise).exclude(state=InspectionState.CANCELLED)
    windows = {
        "day": (on, on),
        "week": (on - dt.timedelta(days=on.weekday()), on + dt.timedelta(days=6 - on.weekday())),
        "month": (on.replace(day=1), _month_end(on)),
    }
    labels = {"day": _("同一天"), "week": _("同一周内"), "month": _("同一个月内")}
    warnings = []
    for window, cap in CAPS:
        start, end = windows[window]
        rows = live.filter(planned_on__gte=start, planned_on__lte=end)
        visits = {("joint", j) if j else ("one", pk) for pk, j in rows.values_list("pk", "joint_visit_id")}
        if joint_visit_id and ("joint", joint_visit_id) in visits:
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
