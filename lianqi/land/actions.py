"""Every write of the land supermarket: registering parcels (one, or a GeoJSON export all or
nothing), the parcel's own steps, reserving a parcel, and one keyword-only, typed action per
step of the reservation's table on core's `take_step` (one transaction: lock, version, table,
event row). A reservation's step moves its parcel in the same transaction, and the parcel's
history records it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core import calendar_store, workdays
from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import StaleVersion, Step, required_text, take_step
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction

from . import geometry, messages
from .choices import (
    EXPIRING_STATES,
    LandUse,
    ParcelAction,
    ParcelStatus,
    PriceKind,
    ReservationAction,
    ReservationState,
)
from .models import M2_PER_MU, Parcel, Reservation
from .workflow import parcel_workflow, workflow

#: Working days a reservation holds its parcel before the office lists it.
DEFAULT_HOLD_WORKDAYS = 10
CENT = Decimal("0.01")

#: The date field each parcel status is stamped in when a parcel enters it.
STATUS_DATES = {
    ParcelStatus.PLANNED: "planned_on",
    ParcelStatus.AVAILABLE: "available_on",
    ParcelStatus.RESERVED: "reserved_on",
    ParcelStatus.IN_TRANSACTION: "transaction_on",
    ParcelStatus.SOLD: "sold_on",
    ParcelStatus.BUILT: "built_on",
}


def hold_workdays() -> int:
    return int(getattr(settings, "LIANQI_LAND_HOLD_WORKDAYS", DEFAULT_HOLD_WORKDAYS))


def _today(at: dt.datetime) -> dt.date:
    return workdays.shanghai_date(at)


# --- parcels ----------------------------------------------------------------------------------


#: What a parcel is registered with besides its code, boundary and area: the optional
#: planning conditions, infrastructure and indicators, as the model names them.
PARCEL_FIELDS = (
    "location",
    "zone",
    "barred_industries",
    "land_use",
    "plot_ratio_min",
    "plot_ratio_max",
    "building_density_max",
    "height_limit_m",
    "price_kind",
    "price",
    "power_kva",
    "water_tpd",
    "gas",
    "sewage",
    "road",
    "investment_per_mu_min",
    "tax_per_mu_min",
    "energy_per_output_max",
    "emissions_max",
    "note",
)
_DECIMALS = {
    "plot_ratio_min",
    "plot_ratio_max",
    "building_density_max",
    "height_limit_m",
    "price",
    "investment_per_mu_min",
    "tax_per_mu_min",
    "energy_per_output_max",
    "emissions_max",
}
_INTEGERS = {"power_kva", "water_tpd"}
_BOOLEANS = {"gas", "sewage"}


def _clean_parcel_values(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The parcel's fields typed, and a message per bad field."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in PARCEL_FIELDS:
        value = values.get(name)
        if isinstance(value, str):
            value = value.strip()
        if name in _DECIMALS:
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                number = Decimal(str(value).replace(",", ""))
            except InvalidOperation:
                errors[name] = _("请填写数字")
                continue
            if not number.is_finite() or number < 0:
                errors[name] = _("应为不小于零的数字")
                continue
            clean[name] = number.quantize(Decimal("0.001") if name == "energy_per_output_max" else CENT)
        elif name in _INTEGERS:
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                integer = int(str(value))
            except ValueError:
                errors[name] = _("请填写整数")
                continue
            if integer < 0:
                errors[name] = _("应为不小于零的整数")
                continue
            clean[name] = integer
        elif name in _BOOLEANS:
            clean[name] = value in (True, "true", "1", 1, "是", "yes")
        else:
            clean[name] = "" if value is None else str(value)
    if not clean.get("location"):
        errors["location"] = _("请填写坐落")
    if clean.get("land_use") not in LandUse.values:
        errors["land_use"] = _("用地性质应为 GB/T 21010 的一类：%(codes)s") % {
            "codes": "、".join(LandUse.values)
        }
    if not clean.get("price_kind"):
        clean["price_kind"] = PriceKind.RESERVE
    elif clean["price_kind"] not in PriceKind.values:
        errors["price_kind"] = _("价格类型不正确")
    if clean.get("price") is None and "price" not in errors:
        errors["price"] = _("请填写价格")
    low, high = clean.get("plot_ratio_min"), clean.get("plot_ratio_max")
    if low is not None and high is not None and low > high:
        errors["plot_ratio_max"] = _("容积率上限 %(high)s 小于下限 %(low)s") % {"high": high, "low": low}
    density = clean.get("building_density_max")
    if density is not None and density > 100:
        errors["building_density_max"] = _("建筑密度不能超过 100%")
    return clean, errors


def _shape_and_area(
    boundary: Any, area_m2: Any
) -> tuple[geometry.Polygon | None, Decimal | None, dict[str, str]]:
    errors: dict[str, str] = {}
    shape = None
    try:
        shape = geometry.polygon(boundary)
    except geometry.GeometryError as bad:
        errors["boundary"] = bad.message.render(_)
    area = None
    try:
        area = Decimal(str(area_m2).replace(",", "")).quantize(CENT)
    except (InvalidOperation, ValueError):
        errors["area_m2"] = _("请填写面积（平方米）")
    if area is not None and (not area.is_finite() or area <= 0):
        errors["area_m2"] = _("面积应大于零")
        area = None
    if shape is not None and area is not None:
        try:
            geometry.check_area(float(area), shape)
        except geometry.GeometryError as bad:
            errors["area_m2"] = bad.message.render(_)
    return shape, area, errors


def _new_parcel(
    jurisdiction: Jurisdiction, code: str, shape: geometry.Polygon, area: Decimal, values: dict[str, Any]
) -> Parcel:
    lon, lat = shape.centre()
    return Parcel(
        jurisdiction=jurisdiction,
        code=code,
        boundary=shape.geojson(),
        centre_lon=lon,
        centre_lat=lat,
        area_m2=area,
        area_mu=(area / M2_PER_MU).quantize(CENT),
        **values,
    )


def _check_jurisdiction(actor: Actor, jurisdiction: Jurisdiction) -> None:
    if not has_role(actor, (Role.SERVICE_OFFICE, Role.ADMIN)) or not path_visible(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("只能为您管辖范围内的园区登记地块")})


def create_parcel(
    *,
    jurisdiction: Jurisdiction,
    code: str,
    boundary: Any,
    area_m2: Any,
    actor: Actor,
    publish: bool = False,
    at: dt.datetime | None = None,
    **values: Any,
) -> Parcel:
    """Register one planned parcel (on the shelf at once with `publish`, as an import may):
    its boundary must be a valid polygon and its stated area within `geometry.AREA_TOLERANCE`
    of the boundary's. Every bad field is named at once."""
    at = at or timezone.now()
    _check_jurisdiction(actor, jurisdiction)
    clean, errors = _clean_parcel_values(values)
    code = (code or "").strip()
    if not code:
        errors["code"] = _("请填写地块编号")
    elif Parcel.objects.filter(jurisdiction=jurisdiction, code=code).exists():
        errors["code"] = _("地块编号 %(code)s 已存在") % {"code": code}
    shape, area, shape_errors = _shape_and_area(boundary, area_m2)
    errors.update(shape_errors)
    if errors or shape is None or area is None:
        raise ValidationError(errors)
    with transaction.atomic():
        row = _new_parcel(jurisdiction, code, shape, area, clean)
        row.planned_on = _today(at)
        if publish:
            row.state = ParcelStatus.AVAILABLE
            row.available_on = row.planned_on
        row.last_actor = actor  # type: ignore[assignment]
        row.last_changed_at = at
        row.save()
        parcel_workflow.record(row, action=ParcelAction.CREATE, from_state="", actor=actor, at=at)
    return row


#: The statuses in which a parcel's terms may still be edited: once reserved, the investor's
#: promises were made against the terms shown, so they stay as they were.
EDITABLE_STATES = (ParcelStatus.PLANNED, ParcelStatus.AVAILABLE)


def update_parcel(
    *,
    parcel: Parcel,
    code: str,
    boundary: Any,
    area_m2: Any,
    actor: Actor,
    expected_version: int,
    at: dt.datetime | None = None,
    **values: Any,
) -> Parcel:
    """Correct a planned or available parcel's terms (code, boundary, area, use, price,
    conditions, 标准地 indicators) with the checks of `create_parcel`, refusing a stale
    `expected_version`; the parcel's history records the edit."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Parcel.objects.select_for_update(of=("self",)).get(pk=parcel.pk)
        _check_jurisdiction(actor, locked.jurisdiction)
        if locked.version != expected_version:
            raise StaleVersion(parcel_workflow, locked)
        if locked.state not in EDITABLE_STATES:
            raise ValidationError(
                _("地块处于“%(state)s”状态，不能再修改") % {"state": ParcelStatus(locked.state).label}
            )
        clean, errors = _clean_parcel_values(values)
        code = (code or "").strip()
        if not code:
            errors["code"] = _("请填写地块编号")
        elif (
            Parcel.objects.filter(jurisdiction_id=locked.jurisdiction_id, code=code)
            .exclude(pk=locked.pk)
            .exists()
        ):
            errors["code"] = _("地块编号 %(code)s 已存在") % {"code": code}
        shape, area, shape_errors = _shape_and_area(boundary, area_m2)
        errors.update(shape_errors)
        if errors or shape is None or area is None:
            raise ValidationError(errors)
        fresh = _new_parcel(locked.jurisdiction, code, shape, area, clean)
        for name in ("code", "boundary", "centre_lon", "centre_lat", "area_m2", "area_mu", *PARCEL_FIELDS):
            setattr(locked, name, getattr(fresh, name))
        locked.version += 1
        locked.last_actor = actor  # type: ignore[assignment]
        locked.last_changed_at = at
        locked.save()
        parcel_workflow.record(locked, action=ParcelAction.EDIT, from_state=locked.state, actor=actor, at=at)
    return locked


@dataclass
class ImportResult:
    """What an import saved, or why it saved nothing: every problem, feature by feature."""

    created: list[Parcel]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def import_parcels(
    *,
    jurisdiction: Jurisdiction,
    data: Any,
    actor: Actor,
    publish: bool = False,
    at: dt.datetime | None = None,
) -> ImportResult:
    """Register the parcels of a GeoJSON FeatureCollection (each feature's properties name
    the model's fields: code, location, land_use, price, area_m2 or area_mu …). Every feature is
    checked first and every problem reported; nothing is saved unless all pass."""
    at = at or timezone.now()
    _check_jurisdiction(actor, jurisdiction)
    known = Parcel.objects.filter(jurisdiction=jurisdiction).values_list("code", flat=True)
    reading = geometry.read_features(
        data, required=("code", "location", "land_use", "price"), known_codes=known
    )
    problems = [p.render(_) for p in reading.problems]
    prepared: list[Parcel] = []
    for feature in reading.features:
        clean, errors = _clean_parcel_values(feature.properties)
        for name, message in errors.items():
            problems.append(
                geometry.FeatureProblem(
                    feature.index, str(feature.properties["code"]), name, messages.text(message)
                ).render(_)
            )
        if not errors:
            area = Decimal(str(feature.area_m2)).quantize(CENT)
            prepared.append(
                _new_parcel(jurisdiction, str(feature.properties["code"]).strip(), feature.shape, area, clean)
            )
    if problems:
        return ImportResult(created=[], problems=problems)
    today = _today(at)
    with transaction.atomic():
        for row in prepared:
            row.planned_on = today
            if publish:
                row.state = ParcelStatus.AVAILABLE
                row.available_on = today
            row.last_actor = actor  # type: ignore[assignment]
            row.last_changed_at = at
            row.save()
            parcel_workflow.record(row, action=ParcelAction.CREATE, from_state="", actor=actor, at=at)
    return ImportResult(created=prepared, problems=[])


def _stamp(step: Step[Parcel]) -> None:
    setattr(step.row, STATUS_DATES[ParcelStatus(step.row.state)], _today(step.at))


def publish_parcel(
    *, parcel: Parcel, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Parcel:
    """Put a planned parcel on the shelf (可供地): investors may reserve it from now on."""
    return take_step(
        parcel_workflow,
        row=parcel,
        action=ParcelAction.PUBLISH,
        actor=actor,
        expected_version=expected_version,
        at=at,
        entered=_stamp,
    )


def withdraw_parcel(
    *, parcel: Parcel, actor: Actor, expected_version: int, note: str, at: dt.datetime | None = None
) -> Parcel:
    """Take an unreserved parcel off the shelf, saying why."""

    def change(step: Step[Parcel]) -> None:
        step.note = required_text(note, "note", _("请填写下架原因"))

    return take_step(
        parcel_workflow,
        row=parcel,
        action=ParcelAction.WITHDRAW,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def mark_parcel_built(
    *, parcel: Parcel, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Parcel:
    """Confirm a sold parcel built on (已建成)."""
    return take_step(
        parcel_workflow,
        row=parcel,
        action=ParcelAction.MARK_BUILT,
        actor=actor,
        expected_version=expected_version,
        at=at,
        entered=_stamp,
    )


PARCEL_STEPS: dict[str, Callable[..., Parcel]] = {
    ParcelAction.PUBLISH: publish_parcel,
    ParcelAction.WITHDRAW: withdraw_parcel,
    ParcelAction.MARK_BUILT: mark_parcel_built,
}


def _move_parcel(
    parcel_id: int,
    to_state: str,
    *,
    action: str,
    actor: Actor | None,
    at: dt.datetime,
    note: str = "",
    clear: Iterable[str] = (),
) -> Parcel:
    """Move a parcel as its reservation's step says, locked, versioned and recorded."""
    parcel = Parcel.objects.select_for_update(of=("self",)).get(pk=parcel_id)
    from_state = parcel.state
    parcel.state = to_state
    setattr(parcel, STATUS_DATES[ParcelStatus(to_state)], _today(at))
    for name in clear:
        setattr(parcel, name, None)
    parcel.version += 1
    parcel.last_actor = actor  # type: ignore[assignment]
    parcel.last_changed_at = at
    parcel.save()
    event = parcel_workflow.event_model(  # type: ignore[misc]
        parcel=parcel,
        jurisdiction_path=parcel.jurisdiction_path,
        action=str(action),
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        by_enterprise=False,
        note=note,
        at=at,
    )
    event.save()
    return parcel


# --- reservations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFigures:
    """A project's key figures, as a reservation records them and selection reads them."""

    project_name: str
    industry_code: str
    total_investment: Decimal
    investment_per_mu: Decimal
    tax_per_mu: Decimal
    energy_per_output: Decimal | None = None
    emissions_tpa: Decimal | None = None


def _fig(value: Decimal) -> str:
    """A figure as people write it: 300, 0.45, 12.5 (no trailing zeros)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def project_problems(parcel: Parcel, project: ProjectFigures) -> dict[str, str]:
    """What a project's figures fail of a parcel's conditions, by field, with the figures."""
    errors: dict[str, str] = {}
    if not project.project_name.strip():
        errors["project_name"] = _("请填写项目名称")
    code = project.industry_code.strip().upper()
    if not code:
        errors["industry_code"] = _("请填写项目的国民经济行业代码")
    else:
        barred = next((prefix for prefix in parcel.barred if code.startswith(prefix.upper())), None)
        if barred:
            errors["industry_code"] = _("%(zone)s禁止 %(prefix)s 类行业入驻（项目行业 %(code)s）") % {
                "zone": parcel.zone or _("该地块所在分区"),
                "prefix": barred,
                "code": code,
            }
    if project.total_investment <= 0:
        errors["total_investment"] = _("项目总投资应大于零")
    minimum = parcel.investment_per_mu_min
    if minimum is not None and project.investment_per_mu < minimum:
        errors["investment_per_mu"] = _("承诺亩均投资 %(given)s 万元/亩，低于该地块标准 %(min)s 万元/亩") % {
            "given": _fig(project.investment_per_mu),
            "min": _fig(minimum),
        }
    minimum = parcel.tax_per_mu_min
    if minimum is not None and project.tax_per_mu < minimum:
        errors["tax_per_mu"] = _("承诺亩均税收 %(given)s 万元/亩·年，低于该地块标准 %(min)s 万元/亩·年") % {
            "given": _fig(project.tax_per_mu),
            "min": _fig(minimum),
        }
    maximum = parcel.energy_per_output_max
    if maximum is not None:
        if project.energy_per_output is None:
            errors["energy_per_output"] = _("该地块有能耗标准，请填写单位产出能耗")
        elif project.energy_per_output > maximum:
            errors["energy_per_output"] = _("单位产出能耗 %(given)s 吨标煤/万元，高于该地块上限 %(max)s") % {
                "given": _fig(project.energy_per_output),
                "max": _fig(maximum),
            }
    maximum = parcel.emissions_max
    if maximum is not None:
        if project.emissions_tpa is None:
            errors["emissions_tpa"] = _("该地块有排放标准，请填写主要污染物排放量")
        elif project.emissions_tpa > maximum:
            errors["emissions_tpa"] = _("主要污染物排放 %(given)s 吨/年，高于该地块上限 %(max)s 吨/年") % {
                "given": _fig(project.emissions_tpa),
                "max": _fig(maximum),
            }
    return errors


def _refuse_taken(parcel: Parcel) -> ValidationError:
    return ValidationError(
        {
            "parcel": _("地块 %(code)s 当前为「%(state)s」，不能预订")
            % {
                "code": parcel.code,
                "state": ParcelStatus(parcel.state).label,
            }
        }
    )


def reserve_parcel(
    *,
    parcel: Parcel,
    enterprise: Enterprise,
    project: ProjectFigures,
    actor: Actor | None,
    at: dt.datetime | None = None,
) -> Reservation:
    """Reserve an available parcel for `enterprise`'s project, held for `hold_workdays()`
    working days. The enterprise's own account reserves for itself, the office for an
    enterprise of its jurisdiction. The parcel is locked while it is checked, and the database
    refuses a second active reservation, so of two at the same moment one wins and the other is
    told the parcel is taken."""
    at = at or timezone.now()
    if (
        actor is not None
        and has_role(actor, (Role.ENTERPRISE,))
        and not has_role(actor, (Role.SERVICE_OFFICE,))
    ):
        if actor.enterprise_id != enterprise.pk:
            raise ValidationError({"enterprise": _("只能为本企业预订地块")})
    elif (
        actor is None
        or not has_role(actor, (Role.SERVICE_OFFICE,))
        or not path_visible(actor, enterprise.jurisdiction_path)
    ):
        raise ValidationError({"enterprise": _("不能为您管辖范围以外的企业预订地块")})
    if actor is not None and not path_visible(actor, parcel.jurisdiction_path):
        raise ValidationError({"parcel": _("不能预订您管辖范围以外的地块")})
    errors = project_problems(parcel, project)
    if errors:
        raise ValidationError(errors)
    today = _today(at)
    expires = workdays.add_workdays(today, hold_workdays(), calendar_store.get_calendar()).day
    try:
        with transaction.atomic():
            locked = Parcel.objects.select_for_update(of=("self",)).get(pk=parcel.pk)
            if locked.state != ParcelStatus.AVAILABLE:
                raise _refuse_taken(locked)
            row = Reservation.objects.create(
                jurisdiction_id=locked.jurisdiction_id,
                parcel=locked,
                enterprise=enterprise,
                project_name=project.project_name.strip(),
                industry_code=project.industry_code.strip().upper(),
                total_investment=project.total_investment,
                investment_per_mu=project.investment_per_mu,
                tax_per_mu=project.tax_per_mu,
                energy_per_output=project.energy_per_output,
                emissions_tpa=project.emissions_tpa,
                reserved_on=today,
                expires_on=expires,
                last_actor=actor,
                last_changed_at=at,
            )
            workflow.record(row, action=ReservationAction.CREATE, from_state="", actor=actor, at=at)
            _move_parcel(
                locked.pk,
                ParcelStatus.RESERVED,
                action=ParcelAction.RESERVE,
                actor=actor,
                at=at,
                note=f"{enterprise.name} · {row.project_name}",
            )
    except IntegrityError as clash:
        # The partial unique index: another reservation of the parcel committed first.
        raise _refuse_taken(Parcel.objects.get(pk=parcel.pk)) from clash
    return row


def _steps_kwargs(
    reservation: Reservation,
    action: str,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None,
    at: dt.datetime | None,
) -> dict[str, Any]:
    return {
        "row": reservation,
        "action": action,
        "actor": actor,
        "enterprise": enterprise,
        "expected_version": expected_version,
        "at": at,
    }


def approve_reservation(
    *,
    reservation: Reservation,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Reservation:
    """The office confirms the reservation: the parcel stays held until its last working day."""

    def entered(step: Step[Reservation]) -> None:
        step.row.approved_on = _today(step.at)

    return take_step(
        workflow,
        **_steps_kwargs(reservation, ReservationAction.APPROVE, actor, expected_version, enterprise, at),
        entered=entered,
    )


def _release(step: Step[Reservation], note: str) -> None:
    step.row.closed_note = note
    step.note = note
    _move_parcel(
        step.row.parcel_id,
        ParcelStatus.AVAILABLE,
        action=ParcelAction.RELEASE,
        actor=step.actor,
        at=step.at,
        note=note,
        clear=("reserved_on", "transaction_on"),
    )


def release_reservation(
    *,
    reservation: Reservation,
    actor: Actor | None,
    expected_version: int,
    note: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Reservation:
    """The office releases the reservation, saying why: the parcel is back on the shelf."""

    def change(step: Step[Reservation]) -> None:
        _release(step, required_text(note, "note", _("请填写释放原因")))

    return take_step(
        workflow,
        **_steps_kwargs(reservation, ReservationAction.RELEASE, actor, expected_version, enterprise, at),
        change=change,
    )


def withdraw_reservation(
    *,
    reservation: Reservation,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Reservation:
    """The enterprise withdraws its own reservation before listing."""

    def change(step: Step[Reservation]) -> None:
        _release(step, _("企业撤回预订"))

    return take_step(
        workflow,
        **_steps_kwargs(reservation, ReservationAction.WITHDRAW, actor, expected_version, enterprise, at),
        change=change,
    )


def list_reservation(
    *,
    reservation: Reservation,
    actor: Actor | None,
    expected_version: int,
    listing_starts: dt.date | None,
    listing_ends: dt.date | None,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Reservation:
    """List the parcel (挂牌) for the reserved project, from `listing_starts` to `listing_ends`
    (at least ten days by the rules on listing state land)."""

    def change(step: Step[Reservation]) -> None:
        errors: dict[str, str] = {}
        if listing_starts is None:
            errors["listing_starts"] = _("请填写挂牌起始日")
        if listing_ends is None:
            errors["listing_ends"] = _("请填写挂牌截止日")
        elif listing_starts is not None and (listing_ends - listing_starts).days < 10:
            errors["listing_ends"] = _("挂牌期不得少于 10 日")
        if errors:
            raise ValidationError(errors)
        step.row.listing_starts = listing_starts
        step.row.listing_ends = listing_ends
        step.note = f"{listing_starts:%Y-%m-%d} ～ {listing_ends:%Y-%m-%d}"  # type: ignore[str-format]
        _move_parcel(
            step.row.parcel_id,
            ParcelStatus.IN_TRANSACTION,
            action=ParcelAction.LIST,
            actor=step.actor,
            at=step.at,
            note=step.note,
        )

    return take_step(
        workflow,
        **_steps_kwargs(reservation, ReservationAction.LIST, actor, expected_version, enterprise, at),
        change=change,
    )


def deal_reservation(
    *,
    reservation: Reservation,
    actor: Actor | None,
    expected_version: int,
    deal_price: Decimal | None,
    contract_no: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Reservation:
    """Record the deal of a listed parcel: the price (not below the listed or reserve price) and
    the land-grant contract's number. The parcel is sold."""

    def change(step: Step[Reservation]) -> None:
        number = required_text(contract_no, "contract_no", _("请填写出让合同编号"))
        if deal_price is None or deal_price <= 0:
            raise ValidationError({"deal_price": _("请填写成交价")})
        parcel = step.row.parcel
        if deal_price < parcel.price:
            raise ValidationError(
                {
                    "deal_price": _("成交价 %(price)s 元低于%(kind)s %(floor)s 元")
                    % {
                        "price": f"{deal_price:,.2f}",
                        "kind": parcel.get_price_kind_display(),
                        "floor": f"{parcel.price:,.2f}",
                    }
                }
            )
        step.row.deal_price = deal_price.quantize(CENT)
        step.row.contract_no = number
        step.row.dealt_on = _today(step.at)
        step.note = f"{number} · ¥{deal_price:,.2f}"
        _move_parcel(
            step.row.parcel_id,
            ParcelStatus.SOLD,
            action=ParcelAction.DEAL,
            actor=step.actor,
            at=step.at,
            note=step.note,
        )

    return take_step(
        workflow,
        **_steps_kwargs(reservation, ReservationAction.DEAL, actor, expected_version, enterprise, at),
        change=change,
    )


def hand_over_reservation(
    *,
    reservation: Reservation,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Reservation:
    """Hand the sold parcel over to the enterprise (交地)."""

    def entered(step: Step[Reservation]) -> None:
        step.row.handed_over_on = _today(step.at)

    return take_step(
        workflow,
        **_steps_kwargs(reservation, ReservationAction.HAND_OVER, actor, expected_version, enterprise, at),
        entered=entered,
    )


def deal_parcel(
    *,
    parcel: Parcel,
    actor: Actor | None,
    deal_price: Decimal | None,
    contract_no: str,
    at: dt.datetime | None = None,
) -> Reservation:
    """Record a deal on a parcel: only through its listed reservation. A parcel nobody reserved
    (or not yet listed) has no deal to record, and the refusal names the reservation."""
    reservation = Reservation.objects.filter(parcel=parcel, state=ReservationState.LISTED).first()
    if reservation is None:
        raise ValidationError(
            {"reservation": _("地块 %(code)s 没有挂牌中的预订，不能成交") % {"code": parcel.code}}
        )
    return deal_reservation(
        reservation=reservation,
        actor=actor,
        expected_version=reservation.version,
        deal_price=deal_price,
        contract_no=contract_no,
        at=at,
    )


#: The action of each step by the table's name for it.
STEPS: dict[str, Callable[..., Reservation]] = {
    ReservationAction.APPROVE: approve_reservation,
    ReservationAction.RELEASE: release_reservation,
    ReservationAction.WITHDRAW: withdraw_reservation,
    ReservationAction.LIST: list_reservation,
    ReservationAction.DEAL: deal_reservation,
    ReservationAction.HAND_OVER: hand_over_reservation,
}


def expire_reservation(*, reservation_id: int, at: dt.datetime) -> bool:
    """Release one reservation whose hold ran out (the sweep's step, by the platform, outside
    the table): locked and checked again, so a sweep running twice expires it once and a
    reservation listed meanwhile stays. Returns whether it expired."""
    today = _today(at)
    with transaction.atomic():
        row = Reservation.objects.select_for_update(of=("self",)).filter(pk=reservation_id).first()
        if row is None or row.state not in EXPIRING_STATES or row.expires_on >= today:
            return False
        from_state = row.state
        row.state = ReservationState.EXPIRED
        row.closed_note = _("预留期满（%(day)s）未挂牌，自动释放") % {"day": f"{row.expires_on:%Y-%m-%d}"}
        row.version += 1
        row.last_actor = None
        row.last_changed_at = at
        row.save()
        workflow.event_model(  # type: ignore[misc]
            reservation=row,
            jurisdiction_path=row.jurisdiction_path,
            action=ReservationAction.EXPIRE,
            from_state=from_state,
            to_state=row.state,
            actor=None,
            by_enterprise=False,
            note=row.closed_note,
            at=at,
        ).save()
        _move_parcel(
            row.parcel_id,
            ParcelStatus.AVAILABLE,
            action=ParcelAction.RELEASE,
            actor=None,
            at=at,
            note=row.closed_note,
            clear=("reserved_on",),
        )
    return True
