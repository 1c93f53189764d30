"""The land supermarket in a real browser: an enterprise filters the park's map to available
industrial land, the rest of the parcels grey out behind them; it opens a parcel from the map,
reads what it needs, reserves it for its project — a promise below the parcel's 标准地
indicator is told next to its field first — and lands on its reservation, held for working
days. The map is drawn by the server from the parcels' own GeoJSON: nothing is fetched from
elsewhere."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.testing.browser import DESKTOP, log_in, new_page, screenshot
from lianqi.testing.world import PASSWORD, World

from ..choices import ParcelStatus, ReservationState
from ..models import Reservation
from .factories import LAT, LON, make_parcel, rectangle

pytestmark = pytest.mark.browser


def test_an_enterprise_filters_the_map_opens_a_parcel_and_reserves_it(
    browser: Any, live_server: Any, world: World
) -> None:
    from django.urls import reverse
    from playwright.sync_api import expect

    # A row of blocks along a street: industrial, commercial, one already sold.
    make_parcel(world, code="XT-A01", boundary=rectangle(200, 150, LON, LAT))
    make_parcel(world, code="XT-A02", boundary=rectangle(180, 150, LON + 0.0022, LAT))
    make_parcel(world, code="XT-B01", land_use="0505", boundary=rectangle(120, 150, LON + 0.0043, LAT))
    make_parcel(world, ParcelStatus.SOLD, code="XT-C01", boundary=rectangle(200, 120, LON, LAT + 0.0016))
    page = new_page(browser, live_server.url, DESKTOP)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, world.user(Role.ENTERPRISE).username, PASSWORD, reverse("land:map"))
    expect(page.locator("[data-testid=land-map] a")).to_have_count(4)
    page.select_option("[name=state]", "available")
    page.select_option("[name=land_use]", "0601")
    page.click("[data-testid=filters] button[type=submit]")
    expect(page.locator("[data-testid=land-map] a[data-dimmed]")).to_have_count(2)
    expect(page.locator("[data-testid=list] tbody tr")).to_have_count(2)
    screenshot(page, "land-map-filtered")
    assert all(url.startswith(live_server.url) for url in requests), [
        u for u in requests if not u.startswith(live_server.url)
    ]

    page.locator('[data-testid=land-map] a[data-code="XT-A02"] path').click()
    expect(page.locator("[data-testid=summary]")).to_contain_text("XT-A02")
    expect(page.locator("[data-testid=indicators]")).to_contain_text("≥ 300 万元/亩")
    expect(page.locator("[data-testid=infrastructure]")).to_contain_text("2000 千伏安")
    form = page.locator("[data-testid=reserve]")
    form.locator("[name=reserve-project_name]").fill("年产5万吨特种电缆")
    form.locator("[name=reserve-industry_code]").fill("C3831")
    form.locator("[name=reserve-total_investment_wan]").fill("12000")
    form.locator("[name=reserve-investment_per_mu]").fill("250")
    form.locator("[name=reserve-tax_per_mu]").fill("30")
    form.locator("[name=reserve-energy_per_output]").fill("0.3")
    form.locator("[name=reserve-emissions_tpa]").fill("5")
    form.locator("button[type=submit]").click()
    expect(page.locator('[data-error-for="investment_per_mu"]')).to_contain_text("低于该地块标准 300 万元/亩")
    assert not Reservation.objects.exists()
    page.locator("[data-testid=reserve] [name=reserve-investment_per_mu]").fill("420")
    page.locator("[data-testid=reserve] button[type=submit]").click()
    expect(page.locator("[data-testid=state]")).to_have_text("待确认")
    row = Reservation.objects.get()
    assert (row.parcel.code, row.state, row.enterprise) == (
        "XT-A02",
        ReservationState.REQUESTED,
        world.home.enterprise,
    )
    expect(page.locator("[data-testid=expires]")).to_have_text(f"{row.expires_on:%Y-%m-%d}")
    screenshot(page, "land-reservation")
    page.goto(live_server.url + reverse("land:map"))
    expect(page.locator('[data-testid=land-map] a[data-code="XT-A02"] path')).to_have_attribute(
        "fill", "#f59f00"
    )


def test_the_office_registers_a_parcel_from_a_page(browser: Any, live_server: Any, world: World) -> None:
    """An open boundary is told next to its field with everything typed kept; closed, the
    parcel is saved and drawn from its own points."""
    from django.urls import reverse
    from playwright.sync_api import expect

    from ..models import Parcel

    page = new_page(browser, live_server.url, DESKTOP)
    log_in(page, world.user(Role.SERVICE_OFFICE).username, PASSWORD, reverse("land:map"))
    page.get_by_role("link", name="登记地块").click()
    ring = rectangle(200, 100, LON, LAT)["coordinates"][0]
    form = page.locator("[data-testid=parcel-form]")
    form.locator("[name=code]").fill("XT-NEW-01")
    form.locator("[name=location]").fill("晓塘路以北新地块")
    form.locator("[name=land_use]").select_option("0601")
    form.locator("[name=area_mu]").fill("30")
    form.locator("[name=price]").fill("6000000")
    form.locator("[name=investment_per_mu_min]").fill("300")
    form.locator("[name=boundary]").fill("\n".join(f"{lon},{lat}" for lon, lat in ring[:-1]))
    form.locator("button[type=submit]").click()
    expect(page.locator('[data-error-for="boundary"]')).to_contain_text("未闭合")
    expect(page.locator("[name=location]")).to_have_value("晓塘路以北新地块")
    screenshot(page, "land-parcel-form-refused")
    page.locator("[name=boundary]").fill("\n".join(f"{lon},{lat}" for lon, lat in ring))
    page.locator("[data-testid=parcel-form] button[type=submit]").click()
    expect(page.locator("[data-testid=summary]")).to_contain_text("XT-NEW-01")
    expect(page.locator("[data-testid=area]")).to_contain_text("30.00 亩")
    expect(page.locator("[data-testid=parcel-shape] path")).to_have_count(1)
    screenshot(page, "land-parcel-registered")
    assert Parcel.objects.get(code="XT-NEW-01").area_mu == 30
