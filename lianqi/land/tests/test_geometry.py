"""Parcel boundaries without a database: what a valid polygon is, its area on the ellipsoid
against known figures, and a GeoJSON export read with every bad feature reported."""

from __future__ import annotations

import math
from typing import Any

import pytest

from .. import geometry
from ..geometry import GeometryError, check_area, polygon, read_features
from .factories import LAT, LON, rectangle


def poly(ring: list[list[Any]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.mark.parametrize(("width", "height"), [(100, 100), (200, 100), (1000, 600), (35, 20)])
def test_a_rectangle_s_area_is_its_width_times_its_height(width: float, height: float) -> None:
    shape = polygon(rectangle(width, height))
    # The local radii draw the rectangle: its edges are true to a few millimetres.
    assert shape.area_m2() == pytest.approx(width * height, rel=2e-4)


def test_one_degree_square_at_the_equator_matches_the_ellipsoid() -> None:
    # The area between the equator and 1°N over 1° of longitude on WGS84: 12,308,463,894 m²
    # (the exact zone area 2πb²·[…]/360 of the ellipsoid).
    shape = polygon(poly([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]))
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    e = math.sqrt(e2)
    b2 = (a * (1 - f)) ** 2

    def zone(phi: float) -> float:
        s = math.sin(phi)
        return s / (2 * (1 - e2 * s * s)) + math.log((1 + e * s) / (1 - e * s)) / (4 * e)

    exact = 2 * math.pi * b2 * (zone(math.radians(1)) - zone(0)) / 360
    assert shape.area_m2() == pytest.approx(exact, rel=1e-9)
    assert shape.area_m2() == pytest.approx(12_308_463_894, rel=1e-9)


def test_a_hole_is_taken_out_and_the_area_is_the_same_either_way_round() -> None:
    outer = rectangle(200, 200)["coordinates"][0]
    hole = rectangle(50, 50, LON + 0.0005, LAT + 0.0005)["coordinates"][0]
    shape = polygon({"type": "Polygon", "coordinates": [outer, hole[::-1]]})
    assert shape.area_m2() == pytest.approx(200 * 200 - 50 * 50, rel=5e-4)
    assert polygon(poly(outer[::-1])).area_m2() == pytest.approx(40_000, rel=2e-4)


def test_mu() -> None:
    assert geometry.M2_PER_MU == 666.67
    assert polygon(rectangle(200, 100)).area_mu() == pytest.approx(20_000 / 666.67, rel=2e-4)


def test_the_centre_is_inside_and_in_the_middle() -> None:
    shape = polygon(rectangle(200, 100))
    west, south, east, north = shape.bbox()
    lon, lat = shape.centre()
    assert lon == pytest.approx((west + east) / 2, abs=1e-7)
    assert lat == pytest.approx((south + north) / 2, abs=1e-7)


@pytest.mark.parametrize(
    ("geometry_in", "words"),
    [
        (poly([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]), "自相交"),
        (poly([[0, 0], [1, 0], [0, 1]]), "至少需要 4 个坐标点"),
        (poly([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0.5]]), "未闭合"),
        (poly([[0, 0], [181, 0], [1, 1], [0, 0]]), "经度 181 超出 WGS84 范围"),
        (poly([[0, 0], [1, 0], [1, 91], [0, 0]]), "纬度 91 超出 WGS84 范围"),
        (poly([[0, 0], [1, 0], [2, 0], [0, 0]]), "自相交"),
        (poly([[0, 0], ["1", 0], [1, 1], [0, 0]]), "经度不是数字"),
        (poly([[0, 0], [1, 0], [1, 0], [1, 1], [0, 0]]), "重复"),
        ({"type": "Point", "coordinates": [0, 0]}, "Polygon"),
        ({"type": "Polygon", "coordinates": []}, "缺少坐标"),
        ("POLYGON((0 0, 1 0, 1 1, 0 0))", "GeoJSON"),
    ],
)
def test_an_invalid_polygon_is_refused_saying_what_is_wrong(geometry_in: Any, words: str) -> None:
    with pytest.raises(GeometryError) as bad:
        polygon(geometry_in)
    assert words in str(bad.value)


def test_a_figure_eight_touching_at_one_vertex_is_refused() -> None:
    with pytest.raises(GeometryError, match="自相交"):
        polygon(poly([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]))


def test_a_stated_area_is_refused_beyond_five_percent() -> None:
    shape = polygon(rectangle(100, 100))  # 10,000 m²
    check_area(10_450, shape)
    check_area(9_550, shape)
    with pytest.raises(GeometryError) as bad:
        check_area(10_600, shape)
    assert "10,600.00" in str(bad.value) and "超过允许的 5%" in str(bad.value)


def feature(code: str, shape: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": shape, "properties": {"code": code, **properties}}


def test_an_export_reports_every_bad_feature() -> None:
    good = feature("A-1", rectangle(100, 100), area_m2=10_000)
    by_mu = feature("A-2", rectangle(100, 100, LON + 0.01), area_mu=15)
    crossing = feature("A-3", poly([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]), area_m2=1)
    too_big = feature("A-4", rectangle(100, 100, LON + 0.02), area_m2=12_000)
    twice = feature("A-1", rectangle(100, 100, LON + 0.03), area_m2=10_000)
    no_area = feature("", rectangle(100, 100, LON + 0.04))
    reading = read_features(
        {"type": "FeatureCollection", "features": [good, by_mu, crossing, too_big, twice, no_area]}
    )
    assert not reading.ok
    assert [f.properties["code"] for f in reading.features] == ["A-1", "A-2"]
    found = {(p.index, p.field) for p in reading.problems}
    assert found == {(3, "geometry"), (4, "area_m2"), (5, "code"), (6, "code"), (6, "area_m2")}
    assert "与第 1 个要素的编号重复" in str(next(p for p in reading.problems if p.index == 5))


def test_an_export_that_is_not_a_feature_collection() -> None:
    assert read_features({"type": "Feature"}).problems[0].field == "type"
    assert read_features({"type": "FeatureCollection", "features": []}).problems[0].field == "features"


def test_a_code_already_registered_is_a_problem() -> None:
    reading = read_features(
        {"type": "FeatureCollection", "features": [feature("B-1", rectangle(50, 50), area_m2=2500)]},
        known_codes=["B-1"],
    )
    assert [(p.field, str(p.message)) for p in reading.problems] == [("code", "地块编号已存在")]
