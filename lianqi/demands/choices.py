"""Choices of the demand (诉求) lifecycle: channels, states, outcomes, ratings, escalations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a demand reached the administration."""

    LIAISON = "liaison", _("联企干部走访")
    ENTERPRISE_CODE = "enterprise_code", _("企业码上填报")
    ENTERPRISE_ACCOUNT = "enterprise_account", _("企业账号提交")
    HOTLINE = "hotline", _("12345热线")
    ROUNDTABLE = "roundtable", _("企业接待日圆桌会")
    DISPATCH_MEETING = "dispatch_meeting", _("重点项目调度会")
    LETTER = "letter", _("来信来访")
    API = "api", _("接口对接")


class DemandState(models.TextChoices):
    """Where a demand stands. `closed` says only that the loop is closed; whether it was
    solved is the `Outcome`."""

    RECEIVED = "received", _("已受理")
    ASSIGNED = "assigned", _("已交办")
    SIGNED = "signed", _("已签收")
    HANDLING = "handling", _("办理中")
    SENT_BACK = "sent_back", _("已退回")
    REPLIED = "replied", _("已答复")
    ESCALATED = "escalated", _("已提级协调")
    CLOSED = "closed", _("已办结")


#: States in which the demand is still open (counted as pending, may be overdue).
OPEN_STATES = tuple(s for s in DemandState if s != DemandState.CLOSED)
#: States in which a department's reply deadline runs.
CLOCK_STATES = (DemandState.ASSIGNED, DemandState.SIGNED, DemandState.HANDLING, DemandState.SENT_BACK)


class Outcome(models.TextChoices):
    """How a demand ended. Only `solved` counts as solved."""

    SOLVED = "solved", _("已解决")
    EXPLAINED = "explained", _("已解释说明，暂不具备解决条件")
    NOT_REMIT = "not_remit", _("非职责范围")
    DUPLICATE = "duplicate", _("重复诉求")
    WITHDRAWN = "withdrawn", _("企业撤回")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RatingSource(models.TextChoices):
    """Who gave the three answers: the enterprise itself, or the office's return visit."""

    ENTERPRISE = "enterprise", _("企业评价")
    RETURN_VISIT = "return_visit", _("回访")


class Venue(models.TextChoices):
    """The forums a demand is escalated to, in the order of the resolution ladder."""

    ROUNDTABLE = "roundtable", _("亲商优商企业接待日")
    DISPATCH_MEETING = "dispatch_meeting", _("重点项目调度会")
    EXPERT = "expert", _("专家专项协商")


class DemandAction(models.TextChoices):
    """Every step a user can take on a demand; the actions of `workflow.TABLE`."""

    SOLVE_ON_SPOT = "solve_on_spot", _("当即解决")
    ASSIGN = "assign", _("交办")
    SIGN = "sign", _("签收")
    START = "start", _("开始办理")
    SEND_BACK = "send_back", _("退回")
    REROUTE = "reroute", _("重新交办")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("同意延期")
    REJECT_EXTENSION = "reject_extension", _("不同意延期")
    REPLY = "reply", _("答复")
    RATE = "rate", _("评价")
    RATE_REDO = "rate_redo", _("评价后重办")
    RETURN_VISIT = "return_visit", _("回访")
    RETURN_VISIT_REDO = "return_visit_redo", _("回访后重办")
    ESCALATE = "escalate", _("提级协调")
    DECIDE_REASSIGN = "decide_reassign", _("协调后交办")
    DECIDE_CLOSE = "decide_close", _("协调后办结")
    CLOSE = "close", _("办结")
    WITHDRAW = "withdraw", _("撤回")
    MERGE = "merge", _("合并为重复诉求")
    SUPERVISE = "supervise", _("督办")
    REMIND = "remind", _("催办")
