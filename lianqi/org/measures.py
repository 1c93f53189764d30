"""The organisation's named figures (`lianqi.core.registry.Measure`), counted by the same
queries as the leader's cards and the jurisdiction tree (`queries.staff_in_post`,
`queries.departments_in_use`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure, Period

from . import queries


def active_staff(jurisdiction_path: str, period: Period) -> int:
    """Staff of the jurisdiction and those below it in post at the period's end."""
    return queries.staff_in_post(queries.staff_under(jurisdiction_path), on=period.end).count()


def departments(jurisdiction_path: str, period: Period) -> int:
    """Departments of the jurisdiction and those below it in use at the period's end."""
    return queries.departments_in_use(queries.departments_under(jurisdiction_path), on=period.end).count()


MEASURES = (
    Measure(
        "org.active_staff",
        _("在岗干部"),
        _("期末在岗的干部数：期末前登记，且未标记离岗或离岗日期在期末之后，按所属辖区及下级辖区计。"),
        _("人"),
        active_staff,
    ),
    Measure(
        "org.departments",
        _("部门"),
        _("期末前设立且仍在启用的部门数，按所属辖区及下级辖区计。"),
        _("个"),
        departments,
    ),
)
