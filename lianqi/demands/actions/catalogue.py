"""Every write to the demand category catalogue and to its routing per jurisdiction. Each
action is keyword-only, runs in one transaction and locks the category it changes, so two
office users saving at once cannot interleave. The catalogue is shared by every jurisdiction;
the routing (which department leads on a category, how fast) belongs to one jurisdiction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import OFFICE_ROLES, Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.org.models import Department, Jurisdiction

from ..models import Category, CategoryRouting

#: A reply deadline, in working days, that a category or a routing may set.
MIN_DEADLINE, MAX_DEADLINE = 1, 60
#: The largest position in the list (a PositiveSmallIntegerField).
MAX_ORDER = 32767
NAME_LENGTH = Category._meta.get_field("name").max_length or 40


def _check_office(actor: Actor | None) -> None:
    # A jurisdiction's routing decides where its demands go: its service office and the
    # administrator set it (None is a management command).
    if actor is not None and not has_role(actor, OFFICE_ROLES):
        raise PermissionDenied(_("只有营商办或管理员可以维护诉求类别"))


def _check_administrator(actor: Actor | None) -> None:
    # The catalogue itself is shared by every jurisdiction: one park's office renaming a
    # category would rename it for all, so only the administrator changes it.
    if actor is not None and not has_role(actor, (Role.ADMIN,)):
        raise PermissionDenied(_("诉求类别为各辖区共用，只有管理员可以增改"))


def _check_deadline(value: Any, field: str = "deadline_workdays") -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_DEADLINE <= value <= MAX_DEADLINE:
        raise ValidationError(
            {field: _("时限须为 %(min)s 至 %(max)s 个工作日") % {"min": MIN_DEADLINE, "max": MAX_DEADLINE}}
        )


def _name_taken(name: str, exclude_pk: int | None) -> bool:
    others = Category.objects.filter(name=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _clean_values(name: str, deadline_workdays: int, order: int, exclude_pk: int | None) -> str:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写类别名称")
    elif len(name) > NAME_LENGTH:
        errors["name"] = _("类别名称不能超过 %(n)d 个字") % {"n": NAME_LENGTH}
    elif _name_taken(name, exclude_pk):
        errors["name"] = _("已有名为“%(name)s”的诉求类别") % {"name": name}
    try:
        _check_deadline(deadline_workdays)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_ORDER:
        errors["order"] = _("排序须为 0 至 %(max)s 的整数") % {"max": MAX_ORDER}
    if errors:
        raise ValidationError(errors)
    return name


def _save_unique(category: Category, name: str) -> Category:
    # The check above can race with a colleague creating the same name; the database's unique
    # constraint is the final word, and its error is shown as the same field message.
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise ValidationError({"name": _("已有名为“%(name)s”的诉求类别") % {"name": name}}) from None
    return category


def create_category(
    *, actor: Actor | None, name: str, deadline_workdays: int, order: int = 100, is_active: bool = True
) -> Category:
    """Add a category to the shared catalogue, with its default reply deadline (1–60 working
    days) and its position in the lists. Names are unique."""
    _check_administrator(actor)
    name = _clean_values(name, deadline_workdays, order, exclude_pk=None)
    with transaction.atomic():
        category = Category(name=name, deadline_workdays=deadline_workdays, order=order, is_active=is_active)
        return _save_unique(category, name)


def update_category(
    *, category: Category, actor: Actor | None, name: str, deadline_workdays: int, order: int, is_active: bool
) -> Category:
    """Rename a category, change its default deadline, its position, or switch it off. A
    switched-off category is no longer offered for new demands; existing demands keep it."""
    _check_administrator(actor)
    with transaction.atomic():
        locked = Category.objects.select_for_update().get(pk=category.pk)
        name = _clean_values(name, deadline_workdays, order, exclude_pk=locked.pk)
        locked.name, locked.deadline_workdays, locked.order, locked.is_active = (
            name,
            deadline_workdays,
            order,
            is_active,
        )
        return _save_unique(locked, name)


def set_routing(
    *,
    category: Category,
    jurisdiction: Jurisdiction,
    department: Department | None,
    deadline_workdays: int | None,
    actor: Actor | None,
) -> CategoryRouting | None:
    """Set which department of `jurisdiction` leads on demands of `category` by default, and
    optionally the jurisdiction's own reply deadline for it (else the category's). Without a
    department the jurisdiction's routing is removed and demands fall back to the defaults.
    The department must be an active one of the jurisdiction (or of one above it): another
    park's department is refused."""
    _check_office(actor)
    if actor is not None and not path_visible(actor, jurisdiction.path):
        raise PermissionDenied(_("不能修改其他辖区的分办规则"))
    if department is not None and (
        not jurisdiction.path.startswith(department.jurisdiction_path) or not department.is_active
    ):
        raise ValidationError({"department": _("该部门不属于本辖区或已停用")})
    if deadline_workdays is not None:
        _check_deadline(deadline_workdays)
    with transaction.atomic():
        Category.objects.select_for_update().get(pk=category.pk)
        existing = CategoryRouting.objects.filter(category=category, jurisdiction=jurisdiction).first()
        if department is None:
            if existing is not None:
                existing.delete()
            return None
        routing = existing or CategoryRouting(category=category, jurisdiction=jurisdiction)
        routing.department = department
        routing.deadline_workdays = deadline_workdays
        routing.save()
        return routing
