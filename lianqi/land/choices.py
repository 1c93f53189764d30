"""The statuses, steps and classes of the land supermarket as `TextChoices`: the workflow
tables, the pages, the map, the API and the docs read their labels from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParcelStatus(models.TextChoices):
    """Where a parcel stands: planned, on the shelf, held for a project, being sold by listing
    (挂牌), sold, built on."""

    PLANNED = "planned", _("规划中")
    AVAILABLE = "available", _("可供地")
    RESERVED = "reserved", _("已预订")
    IN_TRANSACTION = "in_transaction", _("交易中")
    SOLD = "sold", _("已出让")
    BUILT = "built", _("已建成")


class ParcelAction(models.TextChoices):
    CREATE = "create", _("登记")
    EDIT = "edit", _("修改")
    PUBLISH = "publish", _("上架供地")
    WITHDRAW = "withdraw", _("下架")
    MARK_BUILT = "mark_built", _("确认建成")
    # Moves the reservation's steps cause, recorded in the parcel's history too.
    RESERVE = "reserve", _("预订")
    RELEASE = "release", _("释放")
    LIST = "list", _("挂牌")
    DEAL = "deal", _("成交")


class LandUse(models.TextChoices):
    """Land-use classes of GB/T 21010-2017 that a park sells or keeps."""

    INDUSTRIAL = "0601", _("工业用地")
    WAREHOUSE = "0604", _("仓储用地")
    LOGISTICS = "0508", _("物流仓储用地")
    BUSINESS = "0505", _("商务金融用地")
    RETAIL = "0501", _("零售商业用地")
    SCIENCE = "0805", _("科研用地")
    UTILITIES = "0809", _("公用设施用地")


class PriceKind(models.TextChoices):
    LISTED = "listed", _("挂牌价")
    RESERVE = "reserve", _("起始价（底价）")


class ReservationState(models.TextChoices):
    REQUESTED = "requested", _("待确认")
    APPROVED = "approved", _("已确认预留")
    LISTED = "listed", _("挂牌中")
    DEALT = "dealt", _("已成交")
    HANDED_OVER = "handed_over", _("已交地")
    RELEASED = "released", _("已释放")
    EXPIRED = "expired", _("已过期")


class ReservationAction(models.TextChoices):
    CREATE = "create", _("预订")
    APPROVE = "approve", _("确认预留")
    RELEASE = "release", _("释放")
    WITHDRAW = "withdraw", _("撤回预订")
    LIST = "list", _("挂牌")
    DEAL = "deal", _("成交")
    HAND_OVER = "hand_over", _("交地")
    EXPIRE = "expire", _("到期释放")


#: A reservation in these states holds its parcel: at most one per parcel (the database keeps it).
ACTIVE_STATES = (
    ReservationState.REQUESTED,
    ReservationState.APPROVED,
    ReservationState.LISTED,
    ReservationState.DEALT,
    ReservationState.HANDED_OVER,
)
#: A reservation in these states runs out after its working days unless the office lists it.
EXPIRING_STATES = (ReservationState.REQUESTED, ReservationState.APPROVED)
#: States in which a reservation still waits on someone.
OPEN_STATES = (ReservationState.REQUESTED, ReservationState.APPROVED, ReservationState.LISTED)

#: The map's colour of each status (fill), and of each use (outline).
STATUS_COLOURS: dict[str, str] = {
    ParcelStatus.PLANNED: "#adb5bd",
    ParcelStatus.AVAILABLE: "#2fb344",
    ParcelStatus.RESERVED: "#f59f00",
    ParcelStatus.IN_TRANSACTION: "#f76707",
    ParcelStatus.SOLD: "#d63939",
    ParcelStatus.BUILT: "#626976",
}
USE_COLOURS: dict[str, str] = {
    LandUse.INDUSTRIAL: "#1d4ed8",
    LandUse.WAREHOUSE: "#7c3aed",
    LandUse.LOGISTICS: "#9333ea",
    LandUse.BUSINESS: "#db2777",
    LandUse.RETAIL: "#e11d48",
    LandUse.SCIENCE: "#0891b2",
    LandUse.UTILITIES: "#475569",
}
