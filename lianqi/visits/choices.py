"""The statuses, steps and kinds of visit campaigns (走访活动) and visits (走访记录) as
`TextChoices`: the workflow table, the pages, the API and the docs read their labels here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class CampaignAction(models.TextChoices):
    # Creating a campaign is an event of its history but no step of the table.
    CREATE = "create", _("创建")
    PUBLISH = "publish", _("发布")
    CLOSE = "close", _("结束")


class ScopeKind(models.TextChoices):
    """Which enterprises of the campaign's jurisdiction it sets out to visit."""

    ALL = "all", _("全部企业")
    KIND = "kind", _("按主体类型")
    INDUSTRY = "industry", _("按行业代码")
    TAG = "tag", _("按标签")
    LIST = "list", _("指定企业名单")
    #: An eligibility rule in the rule engine's format (`lianqi.rules`), as policies use.
    RULE = "rule", _("按条件规则")


class VisitChannel(models.TextChoices):
    """How the form was collected: a liaison's visit, or the enterprise's own electronic form."""

    LIAISON = "liaison", _("联企干部走访")
    ELECTRONIC = "electronic", _("企业电子问卷")


#: The themes of the year's visit rounds (seed 001), offered when a campaign is created.
THEMES = ("助企纾困", "安全生产", "贴息贷款", "疫情防控", "营商环境")
