"""Parcel boundaries in plain Python: a GeoJSON polygon checked (closed rings, at least four
positions, WGS84 ranges, no ring crossing itself), its area in square metres on the WGS84
ellipsoid, its centre and box for the map, and a GeoJSON export read feature by feature with
every bad feature reported before anything is saved.

The area is exact for the polygon drawn straight in Lambert's cylindrical equal-area projection
of the ellipsoid (x = R·λ, y = R·q(φ)/q_p, the authalic radius R): an equal-area projection keeps
every area, and a parcel's edges (tens to hundreds of metres) differ from geodesics by far less
than a surveyor's rounding. No Django import (the import-linter's "no Django" contract)."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import messages as m
from .messages import Message

#: One mu (亩) in square metres, as land registers round it.
M2_PER_MU = 666.67
#: How far a parcel's stated area may be from its boundary's before it is refused.
AREA_TOLERANCE = 0.05

# WGS84
_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)


def _q(sin_phi: float) -> float:
    """Snyder's q(φ) (Map Projections, 3-12): the authalic latitude's sine is q/q_p."""
    es = _E * sin_phi
    return (1 - _E2) * (sin_phi / (1 - _E2 * sin_phi * sin_phi) - math.log((1 - es) / (1 + es)) / (2 * _E))


_QP = _q(1.0)
#: The radius of the sphere of the ellipsoid's area.
AUTHALIC_RADIUS = _A * math.sqrt(_QP / 2)


class GeometryError(ValueError):
    """A boundary that cannot be a parcel's: `message` (a `Message`, rendered in the user's
    language where it is shown) for the field it came from; ``str()`` gives the Chinese."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


Position = tuple[float, float]
Ring = list[Position]


def _position(value: Any, where: Message) -> Position:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise GeometryError(Message(m.GEO_POSITION_SHAPE, {"where": where}))
    lon, lat = value[0], value[1]
    if isinstance(lon, bool) or isinstance(lat, bool) or not isinstance(lon, int | float):
        raise GeometryError(Message(m.GEO_LON_NOT_NUMBER, {"where": where}))
    if not isinstance(lat, int | float):
        raise GeometryError(Message(m.GEO_LAT_NOT_NUMBER, {"where": where}))
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise GeometryError(Message(m.GEO_NOT_FINITE, {"where": where}))
    if not -180 <= lon <= 180:
        raise GeometryError(Message(m.GEO_LON_RANGE, {"where": where, "value": f"{lon:g}"}))
    if not -90 <= lat <= 90:
        raise GeometryError(Message(m.GEO_LAT_RANGE, {"where": where, "value": f"{lat:g}"}))
    return (float(lon), float(lat))


def _project(ring: Sequence[Position], origin: Position | None = None) -> list[tuple[float, float]]:
    """The ring in metres on the cylindrical equal-area projection, from `origin` (the ring's
    first position unless given), so that the products stay small and exact."""
    r = AUTHALIC_RADIUS
    lon0, lat0 = origin or ring[0]
    y0 = r * _q(math.sin(math.radians(lat0))) / _QP
    return [
        (r * math.radians(lon - lon0), r * _q(math.sin(math.radians(lat))) / _QP - y0) for lon, lat in ring
    ]


def _signed_area(points: Sequence[tuple[float, float]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        total += x1 * y2 - x2 * y1
    return total / 2


def _orientation(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a: tuple[float, float], b: tuple[float, float], p: tuple[float, float]) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def _cross(p1: Any, p2: Any, p3: Any, p4: Any, eps: float) -> bool:
    """Whether segments p1p2 and p3p4 meet (touching or overlapping counts)."""
    d1, d2 = _orientation(p3, p4, p1), _orientation(p3, p4, p2)
    d3, d4 = _orientation(p1, p2, p3), _orientation(p1, p2, p4)
    if ((d1 > eps and d2 < -eps) or (d1 < -eps and d2 > eps)) and (
        (d3 > eps and d4 < -eps) or (d3 < -eps and d4 > eps)
    ):
        return True
    return (
        (abs(d1) <= eps and _on_segment(p3, p4, p1))
        or (abs(d2) <= eps and _on_segment(p3, p4, p2))
        or (abs(d3) <= eps and _on_segment(p1, p2, p3))
        or (abs(d4) <= eps and _on_segment(p1, p2, p4))
    )


def _crosses_itself(points: Sequence[tuple[float, float]]) -> bool:
    """Whether two edges of a closed ring meet anywhere but at the vertex two neighbours share.
    Quadratic, which is nothing for a parcel's tens of vertices."""
    edges = list(itertools.pairwise(points))
    n = len(edges)
    eps = 1e-6  # square metres: the cross products are in m²
    for i in range(n):
        a1, a2 = edges[i]
        for j in range(i + 1, n):
            b1, b2 = edges[j]
            if j == i + 1 or (i == 0 and j == n - 1):
                # Neighbours share one vertex; they are wrong only when they fold back on each other.
                shared = a2 if j == i + 1 else a1
                other_a = a1 if j == i + 1 else a2
                other_b = b2 if j == i + 1 else b1
                if abs(_orientation(other_a, shared, other_b)) <= eps and (
                    (other_a[0] - shared[0]) * (other_b[0] - shared[0])
                    + (other_a[1] - shared[1]) * (other_b[1] - shared[1])
                    > 0
                ):
                    return True
                continue
            if _cross(a1, a2, b1, b2, eps):
                return True
    return False


def _ring(value: Any, name: Message) -> Ring:
    if not isinstance(value, list | tuple):
        raise GeometryError(Message(m.GEO_RING_NOT_ARRAY, {"ring": name}))
    if len(value) < 4:
        raise GeometryError(Message(m.GEO_RING_TOO_SHORT, {"ring": name, "count": len(value)}))
    ring = [
        _position(p, Message(m.GEO_RING_POINT, {"ring": name, "number": i + 1})) for i, p in enumerate(value)
    ]
    if ring[0] != ring[-1]:
        raise GeometryError(Message(m.GEO_RING_OPEN, {"ring": name}))
    if len(set(ring)) < 3:
        raise GeometryError(Message(m.GEO_RING_TOO_FEW, {"ring": name}))
    for i in range(len(ring) - 1):
        if ring[i] == ring[i + 1]:
            raise GeometryError(Message(m.GEO_RING_REPEATED, {"ring": name, "first": i + 1, "second": i + 2}))
    points = _project(ring)
    if _crosses_itself(points):
        raise GeometryError(Message(m.GEO_RING_CROSSES, {"ring": name}))
    if abs(_signed_area(points)) < 1.0:
        raise GeometryError(Message(m.GEO_RING_NO_AREA, {"ring": name}))
    return ring


@dataclass(frozen=True)
class Polygon:
    """A checked polygon: its outer ring and holes, as (longitude, latitude)."""

    rings: tuple[tuple[Position, ...], ...]

    @property
    def outer(self) -> tuple[Position, ...]:
        return self.rings[0]

    def area_m2(self) -> float:
        outer = abs(_signed_area(_project(self.outer)))
        holes = sum(abs(_signed_area(_project(r))) for r in self.rings[1:])
        return outer - holes

    def area_mu(self) -> float:
        return self.area_m2() / M2_PER_MU

    def bbox(self) -> tuple[float, float, float, float]:
        lons = [p[0] for p in self.outer]
        lats = [p[1] for p in self.outer]
        return (min(lons), min(lats), max(lons), max(lats))

    def centre(self) -> Position:
        """The outer ring's centroid (in the projection, then back): where the map writes the code."""
        points = _project(self.outer)
        a = _signed_area(points)
        cx = cy = 0.0
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            cross = x1 * y2 - x2 * y1
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        lon0, lat0 = self.outer[0]
        cx = cx / (6 * a)
        cy = cy / (6 * a) + AUTHALIC_RADIUS * _q(math.sin(math.radians(lat0))) / _QP
        lon = lon0 + math.degrees(cx / AUTHALIC_RADIUS)
        lat = _latitude_of_q(cy * _QP / AUTHALIC_RADIUS)
        return (lon, lat)

    def geojson(self) -> dict[str, Any]:
        return {"type": "Polygon", "coordinates": [[list(p) for p in ring] for ring in self.rings]}


def _latitude_of_q(q: float) -> float:
    """The latitude whose q is `q` (Snyder 3-16, iterated)."""
    phi = math.asin(max(-1.0, min(1.0, q / 2)))
    for _ in range(8):
        s = math.sin(phi)
        c = math.cos(phi)
        if abs(c) < 1e-12:
            break
        es = _E * s
        phi += ((1 - _E2 * s * s) ** 2 / (2 * c)) * (
            q / (1 - _E2) - s / (1 - _E2 * s * s) + math.log((1 - es) / (1 + es)) / (2 * _E)
        )
    return math.degrees(phi)


def polygon(geometry: Any) -> Polygon:
    """Check a GeoJSON geometry as a parcel's boundary: a Polygon whose rings are closed, have
    at least four positions within WGS84's ranges and do not cross themselves. Raises
    `GeometryError` saying what is wrong."""
    if not isinstance(geometry, Mapping):
        raise GeometryError(Message(m.GEO_NOT_GEOMETRY))
    kind = geometry.get("type")
    if kind != "Polygon":
        raise GeometryError(
            Message(m.GEO_NOT_POLYGON, {"kind": m.text(str(kind)) if kind else Message(m.GEO_UNKNOWN_KIND)})
        )
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list | tuple) or not coordinates:
        raise GeometryError(Message(m.GEO_NO_COORDINATES))
    rings = [
        _ring(r, Message(m.GEO_OUTER_RING) if i == 0 else Message(m.GEO_INNER_RING, {"number": i}))
        for i, r in enumerate(coordinates)
    ]
    return Polygon(tuple(tuple(r) for r in rings))


def boundary_from_text(text: str) -> dict[str, Any]:
    """A boundary typed on a page: a GeoJSON Polygon (or a Feature holding one), or the outer
    ring's points as "经度,纬度" pairs, one per line or separated by semicolons. The pairs are
    taken as given (the first point repeated last), so `polygon` refuses an open ring."""
    text = (text or "").strip()
    if not text:
        raise GeometryError(Message(m.GEO_EMPTY))
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError as bad:
            raise GeometryError(Message(m.GEO_BAD_JSON, {"error": bad})) from bad
        if isinstance(value, Mapping) and value.get("type") == "Feature":
            value = value.get("geometry")
        if not isinstance(value, dict):
            raise GeometryError(Message(m.GEO_NOT_GEOMETRY))
        return value
    ring: list[list[float]] = []
    for number, chunk in enumerate((c for c in text.replace(";", "\n").splitlines() if c.strip()), 1):
        parts = chunk.replace("，", ",").replace(",", " ").split()
        if len(parts) != 2:
            raise GeometryError(Message(m.GEO_PAIR_SHAPE, {"number": number}))
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except ValueError as bad:
            raise GeometryError(Message(m.GEO_PAIR_NOT_NUMBER, {"number": number})) from bad
        ring.append([lon, lat])
    return {"type": "Polygon", "coordinates": [ring]}


def area_disagreement(stated_m2: float, computed_m2: float) -> float:
    """How far a stated area is from the boundary's, as a share of the boundary's."""
    if computed_m2 <= 0:
        return math.inf
    return abs(stated_m2 - computed_m2) / computed_m2


def check_area(stated_m2: float, shape: Polygon, tolerance: float = AREA_TOLERANCE) -> None:
    """Refuse a stated area more than `tolerance` away from the boundary's own."""
    computed = shape.area_m2()
    off = area_disagreement(stated_m2, computed)
    if off > tolerance:
        raise GeometryError(
            Message(
                m.GEO_AREA_DISAGREES,
                {
                    "stated": f"{stated_m2:,.2f}",
                    "computed": f"{computed:,.2f}",
                    "off": f"{off:.1%}",
                    "tolerance": f"{tolerance:.0%}",
                },
            )
        )


# --- reading an export ------------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureProblem:
    """One thing wrong with one feature of an export: its position (from 1), its code if it
    has one, the field and what is wrong (a `Message`, rendered in the reader's language)."""

    index: int
    code: str
    field: str
    message: Message

    def render(self, translate: Callable[[str], str] = m._) -> str:
        """The line of the import report in the language `translate` gives."""
        if self.code:
            who = Message(m.FEATURE_WITH_CODE, {"index": self.index, "code": m.text(self.code)})
        else:
            who = Message(m.FEATURE, {"index": self.index})
        return Message(
            m.FEATURE_PROBLEM, {"who": who, "field": m.text(self.field), "message": self.message}
        ).render(translate)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class Feature:
    """A feature that passed: its properties, its checked boundary and that boundary's area."""

    index: int
    properties: Mapping[str, Any]
    shape: Polygon
    area_m2: float


@dataclass
class Reading:
    features: list[Feature] = field(default_factory=list)
    problems: list[FeatureProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def read_features(
    data: Any,
    *,
    required: Iterable[str] = ("code",),
    known_codes: Iterable[str] = (),
    tolerance: float = AREA_TOLERANCE,
) -> Reading:
    """Read a GeoJSON FeatureCollection of parcels. Every feature is checked (its boundary, its
    required properties, its code unique in the file and not already taken, its stated area —
    `area_m2`, or `area_mu` — against its boundary's) and every problem is listed; the caller
    saves nothing unless `ok`."""
    reading = Reading()
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        reading.problems.append(FeatureProblem(0, "", "type", Message(m.FILE_NOT_COLLECTION)))
        return reading
    features = data.get("features")
    if not isinstance(features, list) or not features:
        reading.problems.append(FeatureProblem(0, "", "features", Message(m.FILE_EMPTY)))
        return reading
    taken = set(known_codes)
    seen: dict[str, int] = {}
    for index, item in enumerate(features, start=1):
        problems: list[FeatureProblem] = []
        properties = item.get("properties") if isinstance(item, Mapping) else None
        if not isinstance(properties, Mapping):
            properties = {}
        code = str(properties.get("code") or "").strip()

        def problem(
            name: str,
            message: Message,
            index: int = index,
            code: str = code,
            into: list[FeatureProblem] = problems,
        ) -> None:
            into.append(FeatureProblem(index, code, name, message))

        if not isinstance(item, Mapping) or item.get("type") != "Feature":
            problem("type", Message(m.NOT_FEATURE))
        for name in required:
            if properties.get(name) in (None, ""):
                problem(name, Message(m.MISSING_PROPERTY))
        if code:
            if code in taken:
                problem("code", Message(m.CODE_TAKEN))
            elif code in seen:
                problem("code", Message(m.CODE_REPEATED, {"index": seen[code]}))
            seen.setdefault(code, index)
        shape = None
        try:
            shape = polygon(item.get("geometry") if isinstance(item, Mapping) else None)
        except GeometryError as bad:
            problem("geometry", bad.message)
        stated = _number(properties.get("area_m2"))
        if stated is None and _number(properties.get("area_mu")) is not None:
            stated = float(_number(properties.get("area_mu")) or 0) * M2_PER_MU
        if stated is None:
            problem("area_m2", Message(m.AREA_MISSING))
        elif stated <= 0:
            problem("area_m2", Message(m.AREA_NOT_POSITIVE))
        elif shape is not None:
            try:
                check_area(stated, shape, tolerance)
            except GeometryError as bad:
                problem("area_m2", bad.message)
        if problems:
            reading.problems.extend(problems)
        elif shape is not None and stated is not None:
            reading.features.append(Feature(index, properties, shape, stated))
    return reading
