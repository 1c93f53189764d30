"""Builders for the inspections' tests: inspectors in a department's pool, and the input of a
valid registration that a test changes one field of."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.models import Enterprise
from lianqi.org.choices import StaffTier
from lianqi.org.models import Department, Staff
from lianqi.testing.world import Side, World

from .. import cells
from ..choices import InspectionState
from ..models import Inspection, InspectionItem, Inspector
from ..workflow import ENTERPRISE, HANDLER, INSPECTOR

PLANNED = dt.date(2025, 3, 12)  # a Wednesday


def make_inspector(
    side: Side, number: int, *, qualified_until: dt.date = dt.date(2030, 1, 1), **fields: Any
) -> Inspector:
    """A qualified inspector of the park's department (the same one when asked twice)."""
    certificate_no = f"{side.park.code}-{number:04d}"
    existing = Inspector.objects.filter(certificate_no=certificate_no).first()
    if existing is not None:
        return existing
    staff = Staff.objects.create(
        jurisdiction=side.park, name=f"检查员{number}", department=side.department, tier=StaffTier.STAFF
    )
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "staff": staff,
        "department": side.department,
        "certificate_no": certificate_no,
        "qualified_until": qualified_until,
    }
    values.update(fields)
    return Inspector.objects.create(**values)


def make_item(
    side: Side, name: str = "安全生产检查", *, published: bool = True, **fields: Any
) -> InspectionItem:
    """An item of the park department's inspection list (the same one when asked twice), for
    every enterprise and at most 12 times a year unless `fields` say otherwise."""
    existing = InspectionItem.objects.filter(department=side.department, name=name).first()
    if existing is not None:
        return existing
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "department": side.department,
        "name": name,
        "law": "《安全生产法》",
        "article": "第六十五条",
        "kind": "targeted",
        "yearly_cap": 12,
        "is_published": published,
    }
    values.update(fields)
    return InspectionItem.objects.create(**values)


def registration(world: World, side: Side | None = None, **changes: Any) -> dict[str, Any]:
    """The keyword arguments of a valid `register_inspection` on plan, by the service office,
    against a published item of the department (``task=`` names the item)."""
    side = side or world.home
    inspectors = changes.pop("inspectors", None) or [make_inspector(side, 1), make_inspector(side, 2)]
    values: dict[str, Any] = {
        "enterprise": side.enterprise,
        "department": side.department,
        "item": make_item(side, changes.pop("task", "安全生产检查")),
        "inspectors": inspectors,
        "planned_on": PLANNED,
        "trigger": "plan",
        "plan_reference": "湘潭高新经发〔2025〕3号",
        "actor": world.user("service_office"),
    }
    values.update(changes)
    return values


def register_over_cap(world: World, **changes: Any) -> Inspection:
    """Register an inspection over a cap with the handler's reason, approved by the office."""
    from .. import actions

    row = actions.register_inspection(**registration(world, exception_reason="同日另有投诉须核查", **changes))
    assert row.state == InspectionState.AWAITING and row.code is None
    return actions.approve_inspection(
        inspection=row, actor=world.user(Role.SERVICE_OFFICE), expected_version=row.version, note="同意"
    )


AT = dt.datetime(2025, 3, 12, 9, 30, tzinfo=SHANGHAI)


def make_inspection(world: World, state: str = InspectionState.REGISTERED, **fields: Any) -> Inspection:
    """An inspection of the home park's enterprise placed directly in `state`, inspected by the
    park's liaison (whose account then holds the inspector role) and one more inspector."""
    side = world.home
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "enterprise": side.enterprise,
        "department": side.department,
        "legal_basis": "《安全生产法》",
        "task": "安全生产检查",
        "trigger": "plan",
        "plan_reference": "计划〔2025〕1号",
        "planned_on": PLANNED,
        "state": state,
    }
    if state == InspectionState.CLOSED:
        values["finding"] = "no_problem"
    values.update(fields)
    row = Inspection.objects.create(**values)
    # Written past the actions: its statistics day is marked as an import's would be.
    cells.mark_inspection(row)
    liaison = Inspector.objects.create(
        jurisdiction=side.park,
        staff=side.liaison_staff,
        department=side.department,
        certificate_no=f"L-{row.pk}",
        qualified_until=dt.date(2030, 1, 1),
    )
    row.inspectors.set([liaison, make_inspector(side, 1)])
    return row


def actor_for(world: World, role: str) -> tuple[User | None, Enterprise | None]:
    """Who takes a step in a workflow role: the service office, the liaison registered as an
    inspector, or the enterprise through its code (no account)."""
    if role == ENTERPRISE:
        return None, world.home.enterprise
    if role == INSPECTOR:
        return world.user(Role.LIAISON), None
    if role == HANDLER:
        from lianqi.demands.tests.factories import handler

        return handler(world.home), None
    return world.user(Role.SERVICE_OFFICE), None


def inputs(world: World) -> dict[str, Any]:
    """Input that satisfies every step's needs (`workflow.needs_of`)."""
    return {
        "scanned_code": world.home.enterprise.code_token,
        "finding": "no_problem",
        "result": "未发现问题",
        "note": "计划调整",
        "rectified_on": PLANNED,
        "rectification_days": "",
        "lenient_item": "",
    }


#: A closed inspection whose rectification order still waits for its follow-up.
AWAITING_FOLLOW_UP = {
    "finding": "rectification",
    "rectification_days": 10,
    "rectification_due_on": PLANNED + dt.timedelta(days=14),
}


def other_department_inspection(world: World, planned_on: dt.date) -> Inspection:
    """The fire brigade (another department of the park) registers an inspection of the home
    enterprise on `planned_on`: what a registration of that day is offered to join."""
    from .. import actions

    side = world.home
    fire = Department.objects.create(jurisdiction=side.park, name="消防救援大队")
    inspectors = [
        Inspector.objects.create(
            jurisdiction=side.park,
            staff=Staff.objects.create(jurisdiction=side.park, name=f"消防员{n}", department=fire),
            department=fire,
            certificate_no=f"{side.park.code}-F{n}",
            qualified_until=dt.date(2030, 1, 1),
        )
        for n in (1, 2)
    ]
    item = InspectionItem.objects.create(
        jurisdiction=side.park,
        department=fire,
        name="消防安全检查",
        law="《消防法》",
        article="第五十三条",
        kind="targeted",
        yearly_cap=12,
        is_published=True,
    )
    return actions.register_inspection(
        **registration(world, department=fire, item=item, inspectors=inspectors, planned_on=planned_on)
    )
