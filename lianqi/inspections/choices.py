"""The statuses, steps and triggers of enforcement inspections as `TextChoices`: the workflow
table, the pages, the API and the docs read their labels from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionState(models.TextChoices):
    # Over a frequency cap, with the handler's reason: no code until the service office approves.
    AWAITING = "awaiting", _("待营商办审批")
    REFUSED = "refused", _("营商办不予批准")
    REGISTERED = "registered", _("已登记")
    CHECKED_IN = "checked_in", _("已入企")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class InspectionAction(models.TextChoices):
    # Registering an inspection is an event of its history but no step of the table.
    CREATE = "create", _("登记")
    APPROVE = "approve", _("批准超频次检查")
    REFUSE = "refuse", _("不予批准")
    CHECK_IN = "check_in", _("扫码入企")
    CLOSE = "close", _("录入检查结果")
    CANCEL = "cancel", _("取消")
    # The follow-up of a rectification order, recorded after its deadline or before it.
    CONFIRM_RECTIFIED = "confirm_rectified", _("确认整改完成")
    ESCALATE = "escalate", _("未整改，升级处理")


class Finding(models.TextChoices):
    """What an inspection found: the result recorded when it is closed."""

    NO_PROBLEM = "no_problem", _("未发现问题")
    RECTIFICATION = "rectification", _("责令限期整改")
    PENALTY = "penalty", _("行政处罚")


class FollowUp(models.TextChoices):
    """How a rectification order ended: rectified on a date, or not (escalated, e.g. to a
    penalty). Empty while it is still open."""

    RECTIFIED = "rectified", _("已整改")
    ESCALATED = "escalated", _("未整改，已升级处理")


class Trigger(models.TextChoices):
    """Why an inspection happens: no inspection is registered without one of these."""

    PLAN = "plan", _("年度检查计划")
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("转办交办")
    DRAW = "draw", _("双随机抽查")


class VisitKind(models.TextChoices):
    """What an entry is: an enforcement inspection, or a service visit (帮扶指导) that checks
    nothing against the enterprise. Both are registered and counted towards the caps: either
    opens the enterprise's gate."""

    ENFORCEMENT = "enforcement", _("执法检查")
    SERVICE = "service", _("服务性检查（帮扶指导）")


class ItemKind(models.TextChoices):
    """The kinds of a published inspection item (检查事项清单)."""

    RANDOM = "random", _("双随机抽查")
    TARGETED = "targeted", _("重点检查")
    COMPLAINT = "complaint", _("投诉举报、转办交办")
    JOINT = "joint", _("联合检查")


class LenientKind(models.TextChoices):
    """The three lenient-enforcement lists (柔性执法三张清单)."""

    EXEMPT = "exempt", _("免罚清单")
    LIGHTER = "lighter", _("轻罚清单")
    REDUCED = "reduced", _("减罚清单")


#: The states in which an inspection is still ahead or under way.
OPEN_STATES = (InspectionState.REGISTERED, InspectionState.CHECKED_IN)
# Inspections that hold no code (awaiting the office's approval, refused) or were called off:
# the statistics do not count them and the enterprise's code page does not list them.
NOT_REGISTERED_STATES = (InspectionState.AWAITING, InspectionState.REFUSED, InspectionState.CANCELLED)
#: Triggers that come from outside the plan, so a quiet period (免检) does not stop them.
REACTIVE_TRIGGERS = (Trigger.COMPLAINT, Trigger.REFERRAL)
