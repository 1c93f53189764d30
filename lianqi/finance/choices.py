"""The kinds, states and steps of the finance supermarket as `TextChoices`: the workflow
table, the pages, the API and the docs read their labels from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    """What kind of financial institution publishes products on the shelf."""

    BANK = "bank", _("银行")
    GUARANTEE = "guarantee", _("融资担保公司")
    MICROLENDER = "microlender", _("小额贷款公司")
    INSURER = "insurer", _("保险公司")
    FUND = "fund", _("投资基金")


class ProductKind(models.TextChoices):
    """The kinds of financial product the supermarket lists (DOMAIN.md M6)."""

    CREDIT = "credit", _("信用贷")
    MORTGAGE = "mortgage", _("抵押贷")
    GUARANTEED = "guaranteed", _("担保贷")
    MOVABLE_PLEDGE = "movable_pledge", _("动产质押")
    IP_PLEDGE = "ip_pledge", _("知识产权质押")
    KNOWLEDGE_VALUE = "knowledge_value", _("知识价值信用贷")
    SUPPLY_CHAIN = "supply_chain", _("供应链金融")
    INSURANCE = "insurance", _("保险")
    EQUITY = "equity", _("股权投资")


class VersionState(models.TextChoices):
    """Where a new version of a product's terms stands: submitted by its institution, returned
    by the office with its comments, or published (in force from its first day)."""

    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已发布")


class ProductState(models.TextChoices):
    """Whether a product is on the shelf: drafts are the institution's own, withdrawn ones stay
    for the applications made while it was published."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已上架")
    WITHDRAWN = "withdrawn", _("已下架")


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("已申请")
    ACCEPTED = "accepted", _("已受理")
    DILIGENCE = "diligence", _("尽职调查中")
    APPROVED = "approved", _("已授信")
    DECLINED = "declined", _("未通过")
    DISBURSED = "disbursed", _("已放款")
    WITHDRAWN = "withdrawn", _("已撤回")
    CLOSED = "closed", _("已办结")


class ApplicationAction(models.TextChoices):
    # Applying and raising a demand are events of the history but no steps of the table.
    APPLY = "apply", _("提交申请")
    ACCEPT = "accept", _("受理")
    INVESTIGATE = "investigate", _("开始尽职调查")
    APPROVE = "approve", _("审批通过")
    DECLINE = "decline", _("审批不通过")
    DISBURSE = "disburse", _("放款")
    WITHDRAW = "withdraw", _("撤回申请")
    CLOSE = "close", _("办结")
    RAISE_DEMAND = "raise_demand", _("转为融资诉求")


#: The states in which an application still waits on the institution.
OPEN_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.ACCEPTED,
    ApplicationState.DILIGENCE,
    ApplicationState.APPROVED,
)
#: The states in which the institution owes a decision (by the application's `decide_due`).
DECIDING_STATES = (ApplicationState.ACCEPTED, ApplicationState.DILIGENCE)
#: The states in which loans may have been made (a closed application keeps its tranches).
LENT_STATES = (ApplicationState.DISBURSED, ApplicationState.CLOSED)


class FigureDimension(models.TextChoices):
    """What a day cell of the finance figures is counted by (`FigureCell.dimension`)."""

    TOTAL = "total", _("合计")
    INSTITUTION = "institution", _("金融机构")
    PRODUCT_KIND = "product_kind", _("产品类型")
    INDUSTRY = "industry", _("行业门类")
    ENTERPRISE_KIND = "enterprise_kind", _("企业类型")
    STATE = "state", _("申请状态")
    # Histograms of how many working days a step took: the key is "<step>:<days>".
    STEP_DAYS = "step_days", _("办理用时")


class FigureStep(models.TextChoices):
    """The steps whose working days the figures time, each from the step before."""

    ACCEPT = "accept", _("受理（申请至受理）")
    DECIDE = "decide", _("审批（受理至授信或不通过）")
    DISBURSE = "disburse", _("放款（授信至首笔放款）")


#: The demand category a stalled or refused application becomes (demands' seeded catalogue),
#: and whose closing by a loan the figures follow.
FINANCING_CATEGORY = "融资困难"
