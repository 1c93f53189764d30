"""Template helpers for demand pages: who took a step (as staff see it, or as the public code
page may show it), the label of a step, and whether a deadline has passed or is near."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import actions, queries
from ..choices import DemandAction
from ..models import Demand, DemandEvent

register = template.Library()

#: Labels of the events that start or annotate a history without being a step of the table.
EVENT_LABELS = {
    actions.SUBMIT: gettext_lazy("提交诉求"),
    actions.ATTACH: gettext_lazy("上传附件"),
    actions.MERGED_IN: gettext_lazy("合并重复诉求"),
}


@register.filter
def action_label(code: str) -> str:
    """The Chinese name of an event's action (a step of the table or one of `EVENT_LABELS`)."""
    if code in DemandAction.values:
        return str(DemandAction(code).label)
    if code in EVENT_LABELS:
        return str(EVENT_LABELS[code])
    return code


@register.simple_tag
def event_actor(event: DemandEvent | Any, public: bool = False) -> str:
    """Who took a step: staff by name and department ("胡强波（营商办）"), an enterprise's user by
    the enterprise and their name, the enterprise acting through its code as such. On the
    public code page staff are shown by their department only, never by name."""
    if getattr(event, "by_enterprise", False) or getattr(event, "actor", None) is None:
        return _("企业（营商码）")
    user: Any = event.actor
    staff = getattr(user, "staff", None)
    if getattr(user, "enterprise_id", None) and staff is None:
        return _("企业") if public else f"{user.enterprise}（{user}）"
    department = getattr(staff, "department", None) if staff is not None else None
    if not public:
        return (
            f"{user}（{department.short_name or department.name}）" if department is not None else str(user)
        )
    return str(department) if department is not None else _("园区工作人员")


@register.simple_tag
def deadline_status(demand: Demand) -> str:
    """ "overdue", "due_soon" or "": the rule of `queries.overdue` and `queries.due_soon`,
    applied to this one demand so that the page and the lists never disagree."""
    if demand.due_on is None or demand.pk is None:
        return ""
    now = timezone.now()
    one = Demand.objects.filter(pk=demand.pk)
    if queries.overdue(at=now, queryset=one).exists():
        return "overdue"
    if queries.due_soon(at=now, queryset=one).exists():
        return "due_soon"
    return ""
