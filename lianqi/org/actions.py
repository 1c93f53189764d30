"""Every write to the organisation: jurisdictions, departments and staff. Each action is
keyword-only, checks that the actor may act in the target jurisdiction, validates the whole row
before saving and runs in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible

from .choices import ALLOWED_CHILD_LEVELS
from .models import Department, Jurisdiction, Staff
from .queries import jurisdiction_code_taken
from .validators import normalise_mobile, parse_industry_prefixes, validate_mobile

log = logging.getLogger(__name__)

DEPARTMENT_FIELDS = ("name", "short_name", "order", "industry_prefixes", "is_active")
STAFF_FIELDS = ("name", "department", "position", "tier", "phone", "is_active", "left_on")


def _check_scope(actor: Actor | None, jurisdiction: Jurisdiction, field: str = "jurisdiction") -> None:
    if actor is not None and not path_visible(actor, jurisdiction.path):
        raise ValidationError({field: _("该辖区不在您的管辖范围内")})


def create_jurisdiction(
    *,
    actor: Actor | None,
    parent: Jurisdiction,
    code: str,
    name: str,
    level: str,
    short_name: str = "",
) -> Jurisdiction:
    """Add a child to the jurisdiction tree. The level must be one that `ALLOWED_CHILD_LEVELS`
    permits under the parent's level, and the code must be unique nationwide."""
    _check_scope(actor, parent, "parent")
    code = code.strip()
    if level not in ALLOWED_CHILD_LEVELS.get(parent.level, ()):
        raise ValidationError(
            {"level": _("%(parent)s之下不能设立该层级") % {"parent": parent.get_level_display()}}
        )
    with transaction.atomic():
        # Lock the parent so that its path cannot change while the child copies it.
        parent = Jurisdiction.objects.select_for_update().get(pk=parent.pk)
        if jurisdiction_code_taken(code):
            raise ValidationError({"code": _("行政区划代码 %(code)s 已存在") % {"code": code}})
        child = Jurisdiction(
            parent=parent, code=code, name=name.strip(), short_name=short_name.strip(), level=level
        )
        child.full_clean(exclude=["path", "depth"])
        child.save()
    log.info("jurisdiction %s created under %s by %s", child.code, parent.code, actor)
    return child


def _apply_department_values(department: Department, values: Mapping[str, Any]) -> None:
    for name in DEPARTMENT_FIELDS:
        if name in values:
            setattr(department, name, values[name])
    department.industry_prefixes = ",".join(parse_industry_prefixes(department.industry_prefixes))
    clash = Department.objects.filter(jurisdiction=department.jurisdiction, name=department.name).exclude(
        pk=department.pk
    )
    if clash.exists():
        raise ValidationError({"name": _("本辖区已有名为“%(name)s”的部门") % {"name": department.name}})
    department.full_clean(validate_constraints=False)


def create_department(
    *, actor: Actor | None, jurisdiction: Jurisdiction, values: Mapping[str, Any]
) -> Department:
    """Add a department to a jurisdiction's administration; `values` holds DEPARTMENT_FIELDS."""
    _check_scope(actor, jurisdiction)
    with transaction.atomic():
        department = Department(jurisdiction=jurisdiction)
        _apply_department_values(department, values)
        department.save()
    return department


def update_department(
    *, department: Department, actor: Actor | None, values: Mapping[str, Any]
) -> Department:
    """Change a department's name, order, industries or whether it is in use. Its jurisdiction
    does not change: its staff and demands stay where they are."""
    with transaction.atomic():
        locked = Department.objects.select_for_update().get(pk=department.pk)
        _check_scope(actor, locked.jurisdiction)
        _apply_department_values(locked, values)
        locked.save()
    return locked


def _apply_staff_values(staff: Staff, values: Mapping[str, Any]) -> None:
    for name in STAFF_FIELDS:
        if name in values:
            setattr(staff, name, values[name])
    if staff.phone:
        phone = normalise_mobile(staff.phone)
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
        staff.phone = phone
    department = staff.department
    if department is not None and not staff.jurisdiction.path.startswith(department.jurisdiction_path):
        raise ValidationError({"department": _("部门不属于该干部所在辖区")})
    if staff.is_active:
        staff.left_on = None
    staff.full_clean(exclude=["user"])


def create_staff(*, actor: Actor | None, jurisdiction: Jurisdiction, values: Mapping[str, Any]) -> Staff:
    """Register a cadre of a jurisdiction; `values` holds STAFF_FIELDS. A login is bound
    separately, from the account pages, because many liaisons never log in."""
    _check_scope(actor, jurisdiction)
    department = values.get("department")
    if department is not None:
        _check_scope(actor, department.jurisdiction, "department")
    with transaction.atomic():
        staff = Staff(jurisdiction=jurisdiction)
        _apply_staff_values(staff, values)
        staff.save()
    return staff


def update_staff(*, staff: Staff, actor: Actor | None, values: Mapping[str, Any]) -> Staff:
    """Change a cadre's details. Marking someone as left does not move their enterprises:
    that is the handover, which records every change of liaison."""
    department = values.get("department")
    if department is not None:
        _check_scope(actor, department.jurisdiction, "department")
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        _check_scope(actor, locked.jurisdiction)
        _apply_staff_values(locked, values)
        locked.save()
    return locked
