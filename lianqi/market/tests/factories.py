"""Builders for the market's tests: industries of GB/T 4754 down to the class, enterprises
placed in a park, the city or elsewhere, and offers and needs placed directly in the database
(the actions are tested on their own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.models import Enterprise, Industry
from lianqi.org.choices import JurisdictionLevel
from lianqi.org.models import Jurisdiction
from lianqi.testing.world import Side, World, ensure_industries, make_enterprise

from ..choices import IntroductionState, Visibility
from ..models import Introduction, Need, Offer

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
TODAY = AT.date()


def industry(code: str, name: str) -> Industry:
    """A group (3 digits) or class (4 digits) of division 38, made on first use."""
    division = ensure_industries()
    parent = division if len(code) == 3 else industry(code[:3], f"{name}（中类）")
    row, _ = Industry.objects.get_or_create(
        code=code, defaults={"level": len(code), "name": name, "section": "C", "parent": parent}
    )
    return row


def cable_class() -> Industry:
    """3831 电线、电缆制造."""
    return industry("3831", "电线、电缆制造")


def enterprise_in(world: World, name: str, where: str = "home") -> Enterprise:
    """An enterprise in the home park ("home"), the other park of the city ("city"), or a park
    of another province ("elsewhere")."""
    if where == "home":
        return make_enterprise(world.home.park, name)
    if where == "city":
        return make_enterprise(world.other.park, name)
    province, _ = Jurisdiction.objects.get_or_create(
        code="440000", defaults={"name": "广东省", "level": JurisdictionLevel.PROVINCE}
    )
    city, _ = Jurisdiction.objects.get_or_create(
        code="440300", defaults={"name": "深圳市", "level": JurisdictionLevel.CITY, "parent": province}
    )
    return make_enterprise(city, name)


def make_offer(enterprise: Enterprise, product: str = "铜芯电力电缆", **fields: Any) -> Offer:
    values: dict[str, Any] = {
        "jurisdiction": enterprise.jurisdiction,
        "enterprise": enterprise,
        "product": product,
        "industry": cable_class(),
        "keywords": "电缆 铜芯",
        "visibility": Visibility.ENTERPRISES,
    }
    values.update(fields)
    return Offer.objects.create(**values)


def make_need(side_or_enterprise: Side | Enterprise, item: str = "铜芯电力电缆", **fields: Any) -> Need:
    enterprise = side_or_enterprise.enterprise if isinstance(side_or_enterprise, Side) else side_or_enterprise
    values: dict[str, Any] = {
        "jurisdiction": enterprise.jurisdiction,
        "enterprise": enterprise,
        "item": item,
        "industry": cable_class(),
        "keywords": "电缆",
        "quantity": Decimal("500"),
        "unit": "千米",
        "wanted_by": dt.date(2099, 6, 1),
        "valid_until": dt.date(2099, 12, 31),
        "visibility": Visibility.ENTERPRISES,
    }
    values.update(fields)
    return Need.objects.create(**values)


def make_introduction(world: World, state: str = IntroductionState.INTRODUCED, **fields: Any) -> Introduction:
    """An introduction of a home-park supplier to the home enterprise's need."""
    need = make_need(world.home)
    offer = make_offer(enterprise_in(world, "湘潭华菱线缆有限公司"))
    values: dict[str, Any] = {"jurisdiction": need.jurisdiction, "need": need, "offer": offer, "state": state}
    if state == IntroductionState.DEAL:
        values.update(deal_amount=Decimal("1200000.55"), deal_on=TODAY)
    if state == IntroductionState.DROPPED:
        values["drop_reason"] = "价格偏高"
    values.update(fields)
    return Introduction.objects.create(**values)
