"""The land supermarket's actions with a real database: registering parcels (one, or an export
all or nothing), reserving with the project's figures, one active reservation per parcel, the
lifecycle moving the parcel with it, a deal only through a reservation, and the measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.testing.world import World

from .. import actions
from ..actions import ProjectFigures
from ..choices import ParcelStatus, ReservationState
from ..models import Parcel, ParcelEvent, Reservation, ReservationEvent
from .factories import AT, LON, PROJECT, make_parcel, make_reservation, rectangle


def office(world: World) -> Any:
    return world.user(Role.SERVICE_OFFICE)


VALUES: dict[str, Any] = {
    "location": "晓塘路以北",
    "land_use": "0601",
    "price": "6000000",
    "power_kva": "2000",
}


def test_a_parcel_is_registered_with_its_measured_boundary(world: World) -> None:
    row = actions.create_parcel(
        jurisdiction=world.home.park,
        code="XT-A1",
        boundary=rectangle(200, 100),
        area_m2="20150.00",  # 0.75 % from the boundary's 20,000 m²
        actor=office(world),
        at=AT,
        **VALUES,
    )
    assert (row.state, row.area_m2, row.area_mu) == (
        ParcelStatus.PLANNED,
        Decimal("20150.00"),
        Decimal("30.22"),
    )
    assert row.planned_on == AT.date() and row.power_kva == 2000
    assert abs(row.centre_lon - LON) < 0.002
    assert ParcelEvent.objects.get(parcel=row).action == "create"


def test_a_parcel_is_refused_with_every_bad_field_named(world: World) -> None:
    crossing = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(ValidationError) as bad:
        actions.create_parcel(
            jurisdiction=world.home.park,
            code="",
            boundary=crossing,
            area_m2="100",
            actor=office(world),
            location="",
            land_use="9999",
            price="abc",
            plot_ratio_min="3",
            plot_ratio_max="2",
        )
    assert set(bad.value.message_dict) == {
        "code",
        "boundary",
        "location",
        "land_use",
        "price",
        "plot_ratio_max",
    }
    assert "自相交" in bad.value.message_dict["boundary"][0]
    assert not Parcel.objects.exists()


def test_an_area_off_by_more_than_five_percent_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as bad:
        actions.create_parcel(
            jurisdiction=world.home.park,
            code="XT-A2",
            boundary=rectangle(200, 100),
            area_m2="22000",
            actor=office(world),
            **VALUES,
        )
    assert list(bad.value.message_dict) == ["area_m2"]
    assert "相差 10.0%" in bad.value.message_dict["area_m2"][0]


def test_only_the_office_of_the_park_registers_parcels(world: World) -> None:
    for actor in (world.user(Role.ENTERPRISE), world.other_user(Role.SERVICE_OFFICE)):
        with pytest.raises(ValidationError) as bad:
            actions.create_parcel(
                jurisdiction=world.home.park,
                code="X",
                boundary=rectangle(10, 10),
                area_m2=100,
                actor=actor,
                **VALUES,
            )
        assert "jurisdiction" in bad.value.message_dict


def feature(code: str, shape: dict[str, Any], **properties: Any) -> dict[str, Any]:
    props = {"code": code, "location": "杉山路以东", "land_use": "0601", "price": "3000000", **properties}
    return {"type": "Feature", "geometry": shape, "properties": props}


def test_an_export_is_imported_whole_or_not_at_all(world: World) -> None:
    good = [feature(f"G-{i}", rectangle(100, 100, LON + 0.01 * i), area_m2=10_000) for i in range(3)]
    bad_area = feature("B-1", rectangle(100, 100, LON + 0.05), area_m2=20_000)
    bad_use = feature("B-2", rectangle(100, 100, LON + 0.06), area_m2=10_000, land_use="07")
    result = actions.import_parcels(
        jurisdiction=world.home.park,
        data={"type": "FeatureCollection", "features": [*good, bad_area, bad_use]},
        actor=office(world),
    )
    assert not result.ok and not Parcel.objects.exists()
    assert len(result.problems) == 2
    assert result.problems[0].startswith("第 4 个要素（B-1） area_m2：")
    assert result.problems[1].startswith("第 5 个要素（B-2） land_use：")
    result = actions.import_parcels(
        jurisdiction=world.home.park,
        data={"type": "FeatureCollection", "features": good},
        actor=office(world),
        publish=True,
    )
    assert result.ok and len(result.created) == 3
    assert set(Parcel.objects.values_list("state", flat=True)) == {ParcelStatus.AVAILABLE}
    again = actions.import_parcels(
        jurisdiction=world.home.park,
        data={"type": "FeatureCollection", "features": good[:1]},
        actor=office(world),
    )
    assert again.problems == ["第 1 个要素（G-0） code：地块编号已存在"]


def test_a_reservation_holds_the_parcel_for_working_days(world: World) -> None:
    parcel = make_parcel(world)
    # Thursday 12 February 2026, before the Spring Festival (15–23 February off, Saturdays
    # 14 and 28 February worked): ten working days run to Wednesday 4 March.
    at = dt.datetime(2026, 2, 12, 10, tzinfo=AT.tzinfo)
    row = actions.reserve_parcel(
        parcel=parcel,
        enterprise=world.home.enterprise,
        project=PROJECT,
        actor=world.user(Role.ENTERPRISE),
        at=at,
    )
    assert (row.state, row.reserved_on, row.expires_on) == (
        ReservationState.REQUESTED,
        dt.date(2026, 2, 12),
        dt.date(2026, 3, 4),
    )
    parcel.refresh_from_db()
    assert (parcel.state, parcel.reserved_on, parcel.version) == (
        ParcelStatus.RESERVED,
        dt.date(2026, 2, 12),
        2,
    )
    assert ParcelEvent.objects.get(parcel=parcel, action="reserve").note.endswith(PROJECT.project_name)
    assert ReservationEvent.objects.get(reservation=row).by_enterprise is False


def test_a_second_reservation_of_a_reserved_parcel_is_refused_naming_the_parcel(world: World) -> None:
    parcel = make_parcel(world)
    actions.reserve_parcel(
        parcel=parcel, enterprise=world.home.enterprise, project=PROJECT, actor=office(world)
    )
    with pytest.raises(ValidationError) as taken:
        actions.reserve_parcel(
            parcel=parcel,
            enterprise=world.home.enterprise,
            project=PROJECT,
            actor=world.user(Role.ENTERPRISE),
        )
    assert "已预订" in taken.value.message_dict["parcel"][0]
    assert Reservation.objects.count() == 1


def test_the_database_keeps_one_active_reservation_per_parcel(world: World) -> None:
    first = make_reservation(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_reservation(world, parcel=first.parcel)
    # Released and expired ones do not count: the parcel may be reserved again.
    Reservation.objects.filter(pk=first.pk).update(state=ReservationState.RELEASED)
    make_reservation(world, ReservationState.EXPIRED, parcel=first.parcel)
    make_reservation(world, parcel=first.parcel)
    assert Reservation.objects.filter(parcel=first.parcel).count() == 3


def test_a_project_below_the_standard_land_indicators_is_refused_field_by_field(world: World) -> None:
    parcel = make_parcel(world)
    weak = ProjectFigures(
        project_name="化工中间体",
        industry_code="C2614",
        total_investment=Decimal("1000000"),
        investment_per_mu=Decimal("250"),
        tax_per_mu=Decimal("10"),
        energy_per_output=Decimal("0.9"),
        emissions_tpa=None,
    )
    with pytest.raises(ValidationError) as bad:
        actions.reserve_parcel(
            parcel=parcel, enterprise=world.home.enterprise, project=weak, actor=office(world)
        )
    errors = {k: v[0] for k, v in bad.value.message_dict.items()}
    assert set(errors) == {
        "industry_code",
        "investment_per_mu",
        "tax_per_mu",
        "energy_per_output",
        "emissions_tpa",
    }
    assert errors["industry_code"] == "先进制造产业园禁止 C26 类行业入驻（项目行业 C2614）"
    assert errors["investment_per_mu"] == "承诺亩均投资 250 万元/亩，低于该地块标准 300 万元/亩"
    parcel.refresh_from_db()
    assert parcel.state == ParcelStatus.AVAILABLE and not Reservation.objects.exists()


def test_who_may_reserve(world: World) -> None:
    parcel = make_parcel(world)
    other = make_parcel(world, side=world.other)
    cases = [
        (world.user(Role.ENTERPRISE), world.other.enterprise, parcel, "enterprise"),
        (world.user(Role.LEADER), world.home.enterprise, parcel, "enterprise"),
        (world.other_user(Role.SERVICE_OFFICE), world.home.enterprise, parcel, "enterprise"),
        (world.user(Role.SERVICE_OFFICE), world.home.enterprise, other, "parcel"),
    ]
    for actor, enterprise, target, field in cases:
        with pytest.raises(ValidationError) as refused:
            actions.reserve_parcel(parcel=target, enterprise=enterprise, project=PROJECT, actor=actor)
        assert field in refused.value.message_dict, (actor, field)


def test_a_whole_purchase_moves_the_parcel_with_each_step(world: World) -> None:
    parcel = make_parcel(world, price=Decimal("6000000"))
    staff = office(world)
    row = actions.reserve_parcel(
        parcel=parcel, enterprise=world.home.enterprise, project=PROJECT, actor=staff, at=AT
    )
    row = actions.approve_reservation(
        reservation=row, actor=world.user(Role.LEADER), expected_version=1, at=AT
    )
    with pytest.raises(ValidationError) as short:
        actions.list_reservation(
            reservation=row,
            actor=staff,
            expected_version=2,
            listing_starts=dt.date(2026, 3, 5),
            listing_ends=dt.date(2026, 3, 10),
        )
    assert "listing_ends" in short.value.message_dict
    row = actions.list_reservation(
        reservation=row,
        actor=staff,
        expected_version=2,
        listing_starts=dt.date(2026, 3, 5),
        listing_ends=dt.date(2026, 3, 16),
        at=AT,
    )
    parcel.refresh_from_db()
    assert parcel.state == ParcelStatus.IN_TRANSACTION
    with pytest.raises(ValidationError) as cheap:
        actions.deal_reservation(
            reservation=row, actor=staff, expected_version=3, deal_price=Decimal("5000000"), contract_no="C-1"
        )
    assert "低于起始价（底价）" in cheap.value.message_dict["deal_price"][0]
    row = actions.deal_reservation(
        reservation=row,
        actor=staff,
        expected_version=3,
        deal_price=Decimal("6180000"),
        contract_no="湘潭高新〔2026〕7号",
        at=AT,
    )
    row = actions.hand_over_reservation(reservation=row, actor=staff, expected_version=4, at=AT)
    assert (row.state, row.deal_price, row.dealt_on, row.handed_over_on) == (
        ReservationState.HANDED_OVER,
        Decimal("6180000.00"),
        AT.date(),
        AT.date(),
    )
    parcel.refresh_from_db()
    assert (parcel.state, parcel.sold_on) == (ParcelStatus.SOLD, AT.date())
    parcel = actions.mark_parcel_built(parcel=parcel, actor=staff, expected_version=parcel.version, at=AT)
    assert (parcel.state, parcel.built_on) == (ParcelStatus.BUILT, AT.date())
    assert list(ParcelEvent.objects.filter(parcel=parcel).values_list("to_state", flat=True)) == [
        "reserved",
        "in_transaction",
        "sold",
        "built",
    ]


def test_releasing_puts_the_parcel_back_on_the_shelf(world: World) -> None:
    row = make_reservation(world, ReservationState.APPROVED)
    with pytest.raises(ValidationError):
        actions.release_reservation(reservation=row, actor=office(world), expected_version=1, note=" ")
    row = actions.release_reservation(
        reservation=row, actor=office(world), expected_version=1, note="企业融资未到位"
    )
    parcel = Parcel.objects.get(pk=row.parcel_id)
    assert (row.state, row.closed_note, parcel.state, parcel.reserved_on) == (
        ReservationState.RELEASED,
        "企业融资未到位",
        ParcelStatus.AVAILABLE,
        None,
    )


def test_a_deal_without_a_reservation_is_refused_naming_it(world: World) -> None:
    parcel = make_parcel(world)
    with pytest.raises(ValidationError) as bad:
        actions.deal_parcel(
            parcel=parcel, actor=office(world), deal_price=Decimal("7000000"), contract_no="C-9"
        )
    assert "没有挂牌中的预订" in bad.value.message_dict["reservation"][0]
    # Reserved but not yet listed is no deal either.
    make_reservation(world, ReservationState.APPROVED, parcel=parcel)
    with pytest.raises(ValidationError) as early:
        actions.deal_parcel(
            parcel=parcel, actor=office(world), deal_price=Decimal("7000000"), contract_no="C-9"
        )
    assert "reservation" in early.value.message_dict
    parcel.refresh_from_db()
    assert parcel.state == ParcelStatus.AVAILABLE  # as the factory left it


def test_the_measures(world: World) -> None:
    make_parcel(world, area_mu=Decimal("30.00"))
    make_parcel(world, area_mu=Decimal("12.50"))
    make_parcel(world, ParcelStatus.PLANNED, area_mu=Decimal("99"))
    make_parcel(world, side=world.other, area_mu=Decimal("40"))
    dealt = make_reservation(
        world, ReservationState.DEALT, reserved_on=dt.date(2026, 3, 2), dealt_on=dt.date(2026, 4, 1)
    )
    make_reservation(world, reserved_on=dt.date(2025, 12, 30))
    year = Period.year(2026)
    assert registry.measure("land.available_mu").compute(world.home.park.path, year) == Decimal("42.50")
    assert registry.measure("land.available_mu").compute(world.city.path, year) == Decimal("82.50")
    assert registry.measure("land.reserved").compute(world.home.park.path, year) == 1
    assert registry.measure("land.sold_mu").compute(world.home.park.path, year) == dealt.parcel.area_mu
