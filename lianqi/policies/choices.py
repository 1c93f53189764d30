"""Choices of the policy supermarket: levels, kinds, version states, match verdicts and the
fulfilment ledger's steps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyLevel(models.TextChoices):
    """Which tier of government issued the policy."""

    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    PARK = "park", _("园区级")


class PolicyKind(models.TextChoices):
    """What the policy gives: a reduction, a subsidy or award, a right, or a qualification."""

    REDUCTION = "reduction", _("减免")
    AWARD = "award", _("奖补")
    ENTITLEMENT = "entitlement", _("权益")
    QUALIFICATION = "qualification", _("资质")


class VersionState(models.TextChoices):
    """A version is drafted, then published (its rule applies over its validity dates), and
    may be withdrawn before it takes effect or replaced by a later one."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class MatchVerdict(models.TextChoices):
    """A stored match: the enterprise fits (eligible) or may fit once data or a declaration
    is in (unknown). Ineligible pairs are not stored."""

    ELIGIBLE = "eligible", _("符合")
    UNKNOWN = "unknown", _("待定")


class FulfilmentState(models.TextChoices):
    """Where a promised benefit stands, from the match to the money (承诺兑现)."""

    MATCHED = "matched", _("已匹配")
    NOTIFIED = "notified", _("已告知")
    APPLIED = "applied", _("已申报")
    REVIEWED = "reviewed", _("已审核")
    APPROVED = "approved", _("已批准")
    DISBURSED = "disbursed", _("已兑付")
    REJECTED = "rejected", _("未通过")


class FulfilmentAction(models.TextChoices):
    """The steps of the ledger; keys of `workflow.TRANSITIONS`."""

    NOTIFY = "notify", _("告知企业")
    APPLY = "apply", _("提交申报")
    REVIEW = "review", _("审核通过")
    APPROVE = "approve", _("批准")
    APPROVE_WITHOUT_APPLICATION = "approve_without_application", _("免申批准")
    DISBURSE = "disburse", _("兑付")
    REJECT = "reject", _("不予通过")
    REVISE = "revise", _("修订金额")
    REVOKE = "revoke", _("撤销兑现")
