"""Every write of supply and demand: recording an offer or a need (by the enterprise's account,
its liaison or the office), withdrawing one, introducing a supplier to a buyer and following the
introduction to a deal or dropping it, and recording matching events with their participants
and deals. Steps run on core's `take_step` (one transaction, row lock, version, event row);
creations write their first event row in the same transaction. Bad input is a
`ValidationError` naming its field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import StaleVersion, Step, required_text, take_step
from lianqi.enterprises.models import Enterprise, Industry
from lianqi.policies.money import MAX_YUAN, to_fen

from .. import matching
from ..choices import (
    IntroductionAction,
    IntroductionState,
    ListingAction,
    ListingState,
    ParticipantRole,
    SupplierRegion,
    Visibility,
)
from ..listings import need_listing, offer_listing
from ..models import FairDeal, FairParticipant, Introduction, MatchingFair, Need, Offer
from ..texts import reasons_text
from ..workflow import introduction_workflow, need_workflow, offer_workflow, serves


def may_record_for(actor: Actor, enterprise: Enterprise) -> bool:
    """Whether `actor` records offers and needs for `enterprise`: its own account, the liaison
    serving it, or the service office of its jurisdiction."""
    if has_role(actor, (Role.ENTERPRISE,)) and actor.enterprise_id == enterprise.pk:
        return True
    if not path_visible(actor, enterprise.jurisdiction_path):
        return False
    return has_role(actor, (Role.SERVICE_OFFICE,)) or (
        has_role(actor, (Role.LIAISON,)) and serves(actor, enterprise)
    )


def may_introduce(actor: Actor, path: str) -> bool:
    """Whether `actor` introduces parties in the jurisdiction at `path`: its office or liaisons."""
    return has_role(actor, (Role.SERVICE_OFFICE, Role.LIAISON)) and path_visible(actor, path)


def _industry(code: str) -> Industry:
    industry = Industry.objects.filter(code=(code or "").strip().upper()).first()
    if industry is None:
        raise ValidationError({"industry": _("请填写有效的国民经济行业分类代码（GB/T 4754）")})
    return industry


def yuan(value: Any, field_name: str, *, required: bool) -> Decimal | None:
    """An amount in yuan as typed: more than zero, below the largest amount stored, at most
    two decimals (a third decimal is refused, not rounded). None when optional and empty."""
    if value in (None, ""):
        if required:
            raise ValidationError({field_name: _("请填写金额")})
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({field_name: _("请填写数字金额（元）")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field_name: _("金额须大于零")})
    if amount > MAX_YUAN:
        raise ValidationError({field_name: _("金额过大")})
    if to_fen(amount) != amount:
        raise ValidationError({field_name: _("金额最多保留两位小数（精确到分）")})
    return to_fen(amount)


def _positive(value: Any, field_name: str, message: str, *, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field_name: message})
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field_name: message}) from None
    if not number.is_finite() or number <= 0 or number >= Decimal("1e12"):
        raise ValidationError({field_name: message})
    return number


def _check_recorder(actor: Actor, enterprise: Enterprise) -> None:
    if not may_record_for(actor, enterprise):
        raise ValidationError({"enterprise": _("您不能为该企业登记供需信息")})


def _offer_values(
    *,
    product: str,
    industry_code: str,
    keywords: str = "",
    specification: str = "",
    capacity: Any = None,
    unit: str = "",
    certifications: str = "",
    price_band: str = "",
    visibility: str = Visibility.OFFICE,
) -> dict[str, Any]:
    """An offer's fields as stored, or a `ValidationError` naming every bad one."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, check in (
        ("product", lambda: required_text(product, "product", _("请填写产品名称"))),
        ("industry", lambda: _industry(industry_code)),
        ("capacity", lambda: _positive(capacity, "capacity", _("年产能须为正数"), required=False)),
    ):
        try:
            values[name] = check()
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
    if values.get("capacity") is not None and not unit.strip():
        errors["unit"] = [_("填写产能时请填写计量单位")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("请选择公开范围")]
    if errors:
        raise ValidationError(errors)
    return {
        **values,
        "keywords": keywords.strip(),
        "specification": specification.strip(),
        "unit": unit.strip(),
        "certifications": certifications.strip(),
        "price_band": price_band.strip(),
        "visibility": visibility,
    }


def _need_values(
    *,
    today: dt.date,
    item: str,
    industry_code: str,
    quantity: Any,
    unit: str,
    wanted_by: dt.date | None,
    valid_until: dt.date | None,
    keywords: str = "",
    budget: Any = None,
    certifications: str = "",
    current_supplier_region: str = SupplierRegion.NONE,
    visibility: str = Visibility.OFFICE,
) -> dict[str, Any]:
    """A need's fields as stored, or a `ValidationError` naming every bad one."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, check in (
        ("item", lambda: required_text(item, "item", _("请填写采购品名称"))),
        ("industry", lambda: _industry(industry_code)),
        ("quantity", lambda: _positive(quantity, "quantity", _("请填写大于零的采购数量"), required=True)),
        ("unit", lambda: required_text(unit, "unit", _("请填写计量单位"))),
        ("budget", lambda: yuan(budget, "budget", required=False)),
    ):
        try:
            values[name] = check()
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
    if wanted_by is None:
        errors["wanted_by"] = [_("请填写需求日期")]
    if valid_until is None:
        errors["valid_until"] = [_("请填写有效期")]
    elif valid_until < today:
        errors["valid_until"] = [_("有效期不能早于今天")]
    if current_supplier_region not in SupplierRegion.values:
        errors["current_supplier_region"] = [_("请选择现供应商所在地")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("请选择公开范围")]
    if errors:
        raise ValidationError(errors)
    return {
        **values,
        "keywords": keywords.strip(),
        "certifications": certifications.strip(),
        "wanted_by": wanted_by,
        "valid_until": valid_until,
        "current_supplier_region": current_supplier_region,
        "visibility": visibility,
    }


def create_offer(
    *,
    enterprise: Enterprise,
    actor: Actor,
    product: str,
    industry_code: str,
    keywords: str = "",
    specification: str = "",
    capacity: Any = None,
    unit: str = "",
    certifications: str = "",
    price_band: str = "",
    visibility: str = Visibility.OFFICE,
    at: dt.datetime | None = None,
) -> Offer:
    """Record what `enterprise` sells, open, with the first event of its history. By the
    enterprise's account, the liaison serving it or the office of its jurisdiction."""
    at = at or timezone.now()
    _check_recorder(actor, enterprise)
    values = _offer_values(
        product=product,
        industry_code=industry_code,
        keywords=keywords,
        specification=specification,
        capacity=capacity,
        unit=unit,
        certifications=certifications,
        price_band=price_band,
        visibility=visibility,
    )
    return _create_listing(Offer, offer_workflow, enterprise=enterprise, actor=actor, at=at, values=values)


def create_need(
    *,
    enterprise: Enterprise,
    actor: Actor,
    item: str,
    industry_code: str,
    quantity: Any,
    unit: str,
    wanted_by: dt.date | None,
    valid_until: dt.date | None,
    keywords: str = "",
    budget: Any = None,
    certifications: str = "",
    current_supplier_region: str = SupplierRegion.NONE,
    visibility: str = Visibility.OFFICE,
    at: dt.datetime | None = None,
) -> Need:
    """Record what `enterprise` buys, open until `valid_until`, with the first event of its
    history. A need says how much (quantity and unit), by when, and until when it is valid."""
    at = at or timezone.now()
    _check_recorder(actor, enterprise)
    values = _need_values(
        today=timezone.localdate(at),
        item=item,
        industry_code=industry_code,
        quantity=quantity,
        unit=unit,
        wanted_by=wanted_by,
        valid_until=valid_until,
        keywords=keywords,
        budget=budget,
        certifications=certifications,
        current_supplier_region=current_supplier_region,
        visibility=visibility,
    )
    return _create_listing(Need, need_workflow, enterprise=enterprise, actor=actor, at=at, values=values)


def _create_listing(
    model: type[Offer] | type[Need],
    workflow: Any,
    *,
    enterprise: Enterprise,
    actor: Actor,
    at: dt.datetime,
    values: dict[str, Any],
) -> Any:
    """Save a checked offer or need of `enterprise`, open, with the first event of its history."""
    with transaction.atomic():
        row = model.objects.create(
            jurisdiction_id=enterprise.jurisdiction_id,
            enterprise=enterprise,
            last_actor=actor,
            last_changed_at=at,
            **values,
        )
        workflow.record(row, action=ListingAction.CREATE, from_state="", actor=actor, at=at)
    return row


def _locked_open(row: Offer | Need, workflow: Any, actor: Actor, expected_version: int) -> Any:
    """The listing locked for an edit: by one who may record for its enterprise, still open,
    at the version the page showed (else `StaleVersion`, naming who changed it)."""
    locked = type(row).objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=row.pk)
    _check_recorder(actor, locked.enterprise)
    if locked.version != expected_version:
        raise StaleVersion(workflow, locked)
    if locked.state != ListingState.OPEN:
        raise ValidationError(_("已撤回的供需信息不能再修改"))
    return locked


def _save_edit(locked: Any, workflow: Any, actor: Actor, at: dt.datetime, values: dict[str, Any]) -> Any:
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.last_actor = actor
    locked.last_changed_at = at
    locked.save()
    workflow.record(locked, action=ListingAction.EDIT, from_state=locked.state, actor=actor, at=at)
    return locked


def update_offer(
    *,
    offer: Offer,
    actor: Actor,
    expected_version: int,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Offer:
    """Correct an open offer after it was recorded (the fields of `create_offer`, checked the
    same way), by whoever may record for its enterprise; the offer's history records the edit.
    Matching reads the offer as it is, so the ranked needs follow at once."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked_open(offer, offer_workflow, actor, expected_version)
        values = _offer_values(**fields)
        return _save_edit(locked, offer_workflow, actor, at, values)  # type: ignore[no-any-return]


def update_need(
    *,
    need: Need,
    actor: Actor,
    expected_version: int,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Need:
    """Correct an open need after it was recorded (the fields of `create_need`, checked the
    same way), by whoever may record for its enterprise; the need's history records the edit."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked_open(need, need_workflow, actor, expected_version)
        values = _need_values(today=timezone.localdate(at), **fields)
        return _save_edit(locked, need_workflow, actor, at, values)  # type: ignore[no-any-return]


def withdraw_offer(
    *,
    offer: Offer,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Offer:
    """Withdraw an offer: it is no longer matched (its history stays)."""
    return take_step(
        offer_workflow,
        row=offer,
        action=ListingAction.WITHDRAW,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
    )


def withdraw_need(
    *,
    need: Need,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Need:
    """Withdraw a need: it is no longer matched (its history stays)."""
    return take_step(
        need_workflow,
        row=need,
        action=ListingAction.WITHDRAW,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
    )


def introduce(*, need: Need, offer: Offer, actor: Actor, at: dt.datetime | None = None) -> Introduction:
    """Introduce the supplier of `offer` to the buyer of `need` (the office or a liaison of the
    need's jurisdiction, for an offer it may see), keeping the match's fit and reasons as they
    stood. Both must be open, the need still valid, and the pair not introduced already."""
    at = at or timezone.now()
    if not may_introduce(actor, need.jurisdiction_path) or not path_visible(actor, offer.jurisdiction_path):
        raise ValidationError({"need": _("只有本辖区的营商办或联企干部可以对接供需")})
    with transaction.atomic():
        need = Need.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=need.pk)
        offer = Offer.objects.select_related("enterprise").get(pk=offer.pk)
        if need.state != ListingState.OPEN or need.valid_until < timezone.localdate(at):
            raise ValidationError({"need": _("该需求已撤回或已过有效期")})
        if offer.state != ListingState.OPEN:
            raise ValidationError({"offer": _("该供应已撤回")})
        if offer.enterprise_id == need.enterprise_id:
            raise ValidationError({"offer": _("不能把企业自己的供应对接给自己")})
        if Introduction.objects.filter(need=need, offer=offer, state=IntroductionState.INTRODUCED).exists():
            raise ValidationError({"offer": _("该供应已与此需求对接，正在跟进")})
        found = matching.suppliers_for(need_listing(need), [offer_listing(offer)], limit=1)
        score, reasons = (found[0].score, reasons_text(found[0].reasons)) if found else (0, "")
        row = Introduction.objects.create(
            jurisdiction_id=need.jurisdiction_id,
            need=need,
            offer=offer,
            score=score,
            reasons=reasons,
            last_actor=actor,
            last_changed_at=at,
        )
        introduction_workflow.record(
            row, action=IntroductionAction.INTRODUCE, from_state="", actor=actor, at=at
        )
    return row


def record_deal(
    *,
    introduction: Introduction,
    actor: Actor,
    expected_version: int,
    deal_amount: Any,
    deal_on: dt.date | None,
    at: dt.datetime | None = None,
) -> Introduction:
    """An introduction ended in a deal: its amount (yuan to the fen) and the date it was signed
    (not in the future)."""

    def change(step: Step[Introduction]) -> None:
        errors: dict[str, list[str]] = {}
        try:
            step.row.deal_amount = yuan(deal_amount, "deal_amount", required=True)
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
        if deal_on is None:
            errors["deal_on"] = [_("请填写成交日期")]
        elif deal_on > timezone.localdate(step.at):
            errors["deal_on"] = [_("成交日期不能晚于今天")]
        if errors:
            raise ValidationError(errors)
        step.row.deal_on = deal_on
        step.note = _("成交 %(amount)s 元") % {"amount": f"{step.row.deal_amount:,.2f}"}

    return take_step(
        introduction_workflow,
        row=introduction,
        action=IntroductionAction.RECORD_DEAL,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def drop_introduction(
    *,
    introduction: Introduction,
    actor: Actor,
    expected_version: int,
    drop_reason: str,
    at: dt.datetime | None = None,
) -> Introduction:
    """An introduction that led nowhere, with the reason (price, quality, capacity …)."""

    def change(step: Step[Introduction]) -> None:
        step.row.drop_reason = required_text(drop_reason, "drop_reason", _("请填写终止原因"))
        step.note = step.row.drop_reason

    return take_step(
        introduction_workflow,
        row=introduction,
        action=IntroductionAction.DROP,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


#: The action of each introduction step by the table's name for it.
STEPS: dict[str, Callable[..., Introduction]] = {
    IntroductionAction.RECORD_DEAL: record_deal,
    IntroductionAction.DROP: drop_introduction,
}


def create_fair(
    *,
    actor: Actor,
    held_on: dt.date | None,
    theme: str,
    industry_code: str = "",
    at: dt.datetime | None = None,
) -> MatchingFair:
    """Record a matching event (供需对接会) in the actor's jurisdiction (the office only)."""
    if not has_role(actor, (Role.SERVICE_OFFICE,)) or actor.jurisdiction_id is None:
        raise ValidationError({"theme": _("只有营商办可以登记供需对接会")})
    errors: dict[str, list[str]] = {}
    industry = None
    try:
        theme = required_text(theme, "theme", _("请填写对接会主题"))
        if industry_code.strip():
            industry = _industry(industry_code)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if held_on is None:
        errors["held_on"] = [_("请填写举办日期")]
    if errors or held_on is None:
        raise ValidationError(errors)
    return MatchingFair.objects.create(
        jurisdiction_id=actor.jurisdiction_id,
        held_on=held_on,
        theme=theme,
        industry=industry,
        recorded_by=actor,
    )


def _fair_enterprise(actor: Actor, fair: MatchingFair, enterprise: Enterprise, field_name: str) -> None:
    if not path_visible(actor, enterprise.jurisdiction_path):
        raise ValidationError({field_name: _("该企业不在您的管辖范围内")})


def invite(
    *, fair: MatchingFair, enterprise: Enterprise, role: str, actor: Actor, attended: bool = False
) -> FairParticipant:
    """Invite an enterprise to a matching event as a buyer or a supplier (again: mark whether
    it came)."""
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("请选择参会身份")})
    _fair_enterprise(actor, fair, enterprise, "enterprise")
    row, _created = FairParticipant.objects.update_or_create(
        fair=fair,
        enterprise=enterprise,
        role=role,
        defaults={"attended": attended},
        create_defaults={"attended": attended, "invited_by": actor, "reason": _("营商办邀请")},
    )
    return row


def record_fair_deal(
    *, fair: MatchingFair, buyer: Enterprise, supplier: Enterprise, subject: str, amount: Any, actor: Actor
) -> FairDeal:
    """A deal signed at a matching event between two of its enterprises, in yuan to the fen."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, check in (
        ("subject", lambda: required_text(subject, "subject", _("请填写合作内容"))),
        ("amount", lambda: yuan(amount, "amount", required=True)),
        ("buyer", lambda: _fair_enterprise(actor, fair, buyer, "buyer")),
        ("supplier", lambda: _fair_enterprise(actor, fair, supplier, "supplier")),
    ):
        try:
            values[name] = check()
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
    if buyer.pk == supplier.pk:
        errors["supplier"] = [_("采购方与供应方不能是同一家企业")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for enterprise, role in ((buyer, ParticipantRole.BUYER), (supplier, ParticipantRole.SUPPLIER)):
            FairParticipant.objects.update_or_create(
                fair=fair, enterprise=enterprise, role=role, defaults={"attended": True}
            )
        return FairDeal.objects.create(
            fair=fair, buyer=buyer, supplier=supplier, subject=values["subject"], amount=values["amount"]
        )
