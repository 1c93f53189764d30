"""The statuses, steps and choice sets of supply and demand (供需对接) as `TextChoices`: the
workflow tables, the pages, the API and the docs read their labels from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who besides the enterprise itself sees an offer or a need."""

    OFFICE = "office", _("仅园区可见")
    ENTERPRISES = "enterprises", _("对其他企业公开")


class ListingState(models.TextChoices):
    """An offer's or a need's lifecycle: open until the enterprise or the park withdraws it."""

    OPEN = "open", _("有效")
    WITHDRAWN = "withdrawn", _("已撤回")


class ListingAction(models.TextChoices):
    # Recording a listing is an event of its history but no step of the table.
    CREATE = "create", _("登记")
    EDIT = "edit", _("修改")
    WITHDRAW = "withdraw", _("撤回")


class IntroductionState(models.TextChoices):
    """An introduction of a supplier to a buyer, followed until it ends in a deal or is dropped."""

    INTRODUCED = "introduced", _("已对接")
    DEAL = "deal", _("已成交")
    DROPPED = "dropped", _("未成交")


class IntroductionAction(models.TextChoices):
    INTRODUCE = "introduce", _("对接")
    RECORD_DEAL = "record_deal", _("登记成交")
    DROP = "drop", _("终止对接")


class SupplierRegion(models.TextChoices):
    """Where a buyer's current supplier is, from the park outwards (a need from elsewhere is
    one a local supplier could take over)."""

    NONE = "", _("暂无供应商")
    PARK = "park", _("本园区")
    CITY = "city", _("本市")
    PROVINCE = "province", _("本省")
    ELSEWHERE = "elsewhere", _("省外")


class ParticipantRole(models.TextChoices):
    """What an enterprise comes to a matching event as."""

    BUYER = "buyer", _("采购方")
    SUPPLIER = "supplier", _("供应方")


#: The introductions still waiting on an outcome.
OPEN_INTRODUCTIONS = (IntroductionState.INTRODUCED,)


class SupplierPlace(models.TextChoices):
    """Where a purchase's supplier is registered, seen from the buyer: in its park or elsewhere in
    its city counts as local (本地)."""

    PARK = "park", _("本园区")
    CITY = "city", _("本市")
    PROVINCE = "province", _("本省")
    ELSEWHERE = "elsewhere", _("省外")


#: The places whose suppliers count as local.
LOCAL_PLACES = (SupplierPlace.PARK, SupplierPlace.CITY)


class PurchaseSource(models.TextChoices):
    """How a purchase came on record."""

    ENTERPRISE = "enterprise", _("企业填报")
    OFFICE = "office", _("营商办录入")
    IMPORT = "import", _("发票导入")


class ChainRole(models.TextChoices):
    """An enterprise's role on a node of an industrial chain."""

    LEADER = "leader", _("链主企业")
    KEY = "key", _("重点企业")
    SUPPORTING = "supporting", _("配套企业")


class NodeCoverage(models.TextChoices):
    """What a chain's node is covered by: firms in the park, only elsewhere in the city, none."""

    PARK = "park", _("园区有企业")
    CITY = "city", _("仅市内有企业")
    MISSING = "missing", _("缺链")
