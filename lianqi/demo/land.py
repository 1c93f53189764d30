"""The demo park's land supermarket (seed 003, 娄底: 全方位看地、智能化选地、淘宝式买地): about 150
parcels in blocks along a road grid east of the main park, imported from one GeoJSON export as
the planning bureau would hand it over, most put on the shelf, some reserved by the park's
project companies, some listed, sold, handed over and built, each step dated through the same
actions the pages call.

The grid is tilted a few degrees like the park's real streets; each block is cut into two to
six adjacent parcels of varied widths, and corner parcels lose a triangle to the crossing's
sight line, so the shapes look surveyed rather than drawn. Deterministic: the same seed, scale
and `today` give the same parcels, prices and reservations."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lianqi.accounts.models import User
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.land import actions
from lianqi.land.choices import LandUse, ParcelStatus
from lianqi.land.geometry import M2_PER_MU
from lianqi.land.models import Parcel
from lianqi.org.models import Jurisdiction

#: The south-west corner of the grid, east of the main park's centre.
ORIGIN = (112.9420, 27.8240)
#: The grid's tilt (degrees anticlockwise from east), like the park's streets.
TILT = 8.0
#: Roads run between the blocks; trunk roads every third line are wider.
ROAD_M, TRUNK_M = 24.0, 40.0
BLOCK_W, BLOCK_H = 420.0, 300.0
COLUMNS, ROWS = 7, 6
#: Streets east–west (rows) and north–south (columns) of the new district.
EW_ROADS = ("晓塘路", "杉山路", "芙蓉大道", "书院路", "双马路", "板塘路", "东风路")
NS_ROADS = ("火炬北路", "高新路", "双拥南路", "宝塔路", "和平路", "吉安路", "学府路", "长城路")


#: The zones by column, with their uses, what they bar and their 标准地 indicators
#: (per-mu investment 万元, per-mu tax 万元/年, energy 吨标煤/万元, emissions 吨/年).
@dataclass(frozen=True)
class Zone:
    name: str
    uses: tuple[tuple[str, float], ...]
    barred: str
    investment: int
    tax: int
    energy: str
    emissions: int
    price_per_mu_wan: tuple[int, int]


ZONES = (
    Zone(
        "先进制造产业园",
        ((LandUse.INDUSTRIAL, 0.9), (LandUse.WAREHOUSE, 0.1)),
        "C25 C26 C31",
        300,
        20,
        "0.45",
        12,
        (22, 30),
    ),
    Zone("先进制造产业园", ((LandUse.INDUSTRIAL, 1.0),), "C25 C26 C31", 300, 20, "0.45", 12, (22, 30)),
    Zone("新能源装备产业园", ((LandUse.INDUSTRIAL, 1.0),), "C25 C26", 350, 25, "0.40", 10, (24, 32)),
    Zone(
        "新能源装备产业园",
        ((LandUse.INDUSTRIAL, 0.85), (LandUse.UTILITIES, 0.15)),
        "C25 C26",
        350,
        25,
        "0.40",
        10,
        (24, 32),
    ),
    Zone(
        "现代物流园", ((LandUse.LOGISTICS, 0.6), (LandUse.WAREHOUSE, 0.4)), "C", 200, 12, "0.30", 5, (18, 24)
    ),
    Zone(
        "科创服务区",
        ((LandUse.SCIENCE, 0.5), (LandUse.BUSINESS, 0.35), (LandUse.RETAIL, 0.15)),
        "B C",
        500,
        40,
        "0.20",
        2,
        (60, 90),
    ),
    Zone(
        "科创服务区", ((LandUse.BUSINESS, 0.5), (LandUse.SCIENCE, 0.5)), "B C", 500, 40, "0.20", 2, (60, 90)
    ),
)

PROJECTS = (
    ("年产2万吨特种电缆扩能", 2800),
    ("新能源汽车电机总装", 4200),
    ("锂电池正极材料二期", 6500),
    ("精密铸件智能工厂", 2600),
    ("风电装备关键部件", 5200),
    ("智能终端组装基地", 3800),
    ("工业机器人本体制造", 3100),
    ("轨道交通牵引变流器", 4700),
    ("医用防护用品生产线", 1800),
    ("电子元器件封装测试", 3500),
    ("绿色建材预制构件", 2200),
    ("冷链物流分拨中心", 1600),
)


@dataclass
class LandDemoFigures:
    parcels: int = 0
    area_mu: Decimal = Decimal(0)
    by_state: dict[str, int] = field(default_factory=dict)
    reservations: int = 0


def _metres_to_degrees(x: float, y: float) -> tuple[float, float]:
    """A point `x` m east and `y` m north of the origin, after the tilt, as (lon, lat)."""
    t = math.radians(TILT)
    ex, ny = x * math.cos(t) - y * math.sin(t), x * math.sin(t) + y * math.cos(t)
    lat0 = math.radians(ORIGIN[1])
    a, e2 = 6378137.0, 0.00669437999014
    w = 1 - e2 * math.sin(lat0) ** 2
    meridian = a * (1 - e2) / w**1.5
    normal = a / math.sqrt(w)
    return (
        round(ORIGIN[0] + math.degrees(ex / (normal * math.cos(lat0))), 7),
        round(ORIGIN[1] + math.degrees(ny / meridian), 7),
    )


def _edge(i: int, size: float) -> float:
    """Where block line i starts, in metres, counting the roads before it."""
    roads = sum(TRUNK_M if k % 3 == 0 else ROAD_M for k in range(1, i + 1))
    return i * size + roads


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    roll, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if roll <= total:
            return value
    return weighted[-1][0]


def _features(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """The blocks along the grid, cut into parcels, until `count` parcels are drawn."""
    features: list[dict[str, Any]] = []
    for row in range(ROWS):
        for column in range(COLUMNS):
            zone = ZONES[column % len(ZONES)]
            x0, y0 = _edge(column, BLOCK_W), _edge(row, BLOCK_H)
            # Larger plots for manufacturing, finer ones for the service district.
            pieces = rng.choice((2, 3, 3, 4) if zone.investment < 450 else (4, 5, 6))
            weights = [rng.uniform(0.7, 1.4) for _ in range(pieces)]
            cuts = [0.0]
            for w in weights:
                cuts.append(cuts[-1] + BLOCK_W * w / sum(weights))
            # Some blocks are cut across the middle too (two rows of parcels).
            halves = [(0.0, BLOCK_H)] if rng.random() < 0.6 else [(0.0, BLOCK_H / 2), (BLOCK_H / 2, BLOCK_H)]
            for bottom, top in halves:
                for k in range(pieces):
                    if len(features) >= count:
                        return features
                    left, right = cuts[k], cuts[k + 1]
                    corners = [(left, bottom), (right, bottom), (right, top), (left, top)]
                    # A corner parcel at a crossing gives up a triangle to the sight line.
                    points = _chamfered(corners)
                    ring = [_metres_to_degrees(x0 + x, y0 + y) for x, y in points]
                    ring.append(ring[0])
                    area_m2 = _shoelace(points)
                    use = _pick(rng, zone.uses)
                    code = f"XTGX-{row + 1:02d}{column + 1:02d}-{len(features) % 100:02d}"
                    mu = area_m2 / float(M2_PER_MU)
                    price_wan = rng.randint(*zone.price_per_mu_wan) * mu
                    ew = EW_ROADS[row % len(EW_ROADS)]
                    ns = NS_ROADS[column % len(NS_ROADS)]
                    industrial = use in (LandUse.INDUSTRIAL, LandUse.WAREHOUSE, LandUse.LOGISTICS)
                    features.append(
                        {
                            "type": "Feature",
                            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
                            "properties": {
                                "code": code,
                                "location": f"{ew}以北、{ns}以东",
                                "zone": zone.name,
                                "barred_industries": zone.barred,
                                "land_use": use,
                                # As the survey states it: the boundary's area, rounded to the m².
                                "area_m2": round(area_m2),
                                "plot_ratio_min": "1.0" if industrial else "1.5",
                                "plot_ratio_max": "2.0" if industrial else str(rng.choice((3.0, 3.5, 4.0))),
                                "building_density_max": "60" if industrial else "40",
                                "height_limit_m": str(rng.choice((24, 36, 50)))
                                if industrial
                                else str(rng.choice((60, 80, 100))),
                                "price_kind": "reserve",
                                "price": f"{price_wan * 10000:.2f}",
                                "power_kva": rng.choice((630, 1250, 2000, 3150, 5000, 8000))
                                if industrial
                                else rng.choice((630, 1250)),
                                "water_tpd": rng.choice((200, 500, 1000, 2000)),
                                "gas": rng.random() < 0.8,
                                "sewage": rng.random() < 0.9,
                                "road": f"临{ew}" + ("（主干道）" if row % 3 == 0 else ""),
                                "investment_per_mu_min": str(zone.investment),
                                "tax_per_mu_min": str(zone.tax),
                                "energy_per_output_max": zone.energy,
                                "emissions_max": str(zone.emissions),
                            },
                        }
                    )
    return features


def _chamfered(corners: list[tuple[float, float]], cut: float = 12.0) -> list[tuple[float, float]]:
    """The parcel's outline with each corner that is also a block's corner cut off by `cut` m."""
    block = {(0.0, 0.0), (BLOCK_W, 0.0), (BLOCK_W, BLOCK_H), (0.0, BLOCK_H)}
    points: list[tuple[float, float]] = []
    n = len(corners)
    for i, (x, y) in enumerate(corners):
        if not any(abs(x - bx) < 1e-6 and abs(y - by) < 1e-6 for bx, by in block):
            points.append((x, y))
            continue
        for px, py in (corners[i - 1], corners[(i + 1) % n]):
            length = math.hypot(px - x, py - y)
            points.append((x + cut * (px - x) / length, y + cut * (py - y) / length))
    # The first neighbour taken was the previous corner's side: keep the ring's order.
    return points


def _shoelace(points: list[tuple[float, float]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, [*points[1:], points[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def build_demo_land(
    *, park: Jurisdiction, seed: int, scale: float, today: dt.date, office: User | None
) -> LandDemoFigures:
    """The main park's parcels, shelf and reservations (see the module's docstring)."""
    figures = LandDemoFigures()
    if office is None:
        return figures
    rng = random.Random(f"land-{seed}")
    count = max(30, round(150 * min(scale, 1.0)))
    planned = today - dt.timedelta(days=400)
    result = actions.import_parcels(
        jurisdiction=park,
        data={"type": "FeatureCollection", "features": _features(rng, count)},
        actor=office,
        at=_moment(planned),
    )
    if not result.ok:
        raise RuntimeError("the demo's parcels did not import: " + "; ".join(result.problems[:5]))
    enterprises = list(
        Enterprise.objects.filter(
            jurisdiction_id=park.pk,
            kind__in=(EnterpriseKind.PROJECT, EnterpriseKind.ABOVE_SIZE),
            status=EnterpriseStatus.ACTIVE,
        )
        .select_related("industry")
        .order_by("pk")[:80]
    )
    parcels = list(Parcel.objects.filter(jurisdiction=park).order_by("code"))
    rng.shuffle(parcels)
    # planned 12 %, then on the shelf; of those, the ones a project took, at each stage.
    stages = ["planned"] * round(len(parcels) * 0.12)
    stages += ["built"] * round(len(parcels) * 0.08)
    stages += ["handed_over"] * round(len(parcels) * 0.08)
    stages += ["dealt"] * round(len(parcels) * 0.04)
    stages += ["listed"] * round(len(parcels) * 0.04)
    stages += ["approved"] * round(len(parcels) * 0.03)
    stages += ["requested"] * round(len(parcels) * 0.03)
    stages += ["available"] * (len(parcels) - len(stages))
    published = today - dt.timedelta(days=300)
    for parcel, stage in zip(parcels, stages, strict=False):
        if stage == "planned":
            continue
        parcel = actions.publish_parcel(
            parcel=parcel, actor=office, expected_version=parcel.version, at=_moment(published)
        )
        if stage == "available" or not enterprises:
            continue
        enterprise = enterprises[rng.randrange(len(enterprises))]
        # Recent reservations still within their hold; older ones went further.
        back = {"requested": 2, "approved": 4, "listed": 20, "dealt": 60, "handed_over": 120, "built": 250}[
            stage
        ]
        reserved = today - dt.timedelta(days=back + 14 if back > 5 else back)
        name, _invest_wan = PROJECTS[rng.randrange(len(PROJECTS))]
        mu = parcel.area_mu
        invest_per_mu = Decimal(parcel.investment_per_mu_min or 0) + rng.randint(20, 200)
        tax_per_mu = Decimal(parcel.tax_per_mu_min or 0) + rng.randint(2, 15)
        industry = enterprise.industry
        code = f"{industry.section}{industry.code}"
        barred = parcel.barred
        if any(code.upper().startswith(p) for p in barred):
            # The company's line is barred here: its project on this parcel is one the zone takes.
            code = next(c for c in ("C3831", "M7320", "G5941") if not any(c.startswith(p) for p in barred))
        project = actions.ProjectFigures(
            project_name=name,
            industry_code=code,
            total_investment=(invest_per_mu * mu * 10000).quantize(Decimal("0.01")),
            investment_per_mu=invest_per_mu,
            tax_per_mu=tax_per_mu,
            energy_per_output=Decimal(parcel.energy_per_output_max or 0) * Decimal("0.8")
            if parcel.energy_per_output_max
            else None,
            emissions_tpa=(Decimal(parcel.emissions_max) / 2).quantize(Decimal("0.01"))
            if parcel.emissions_max
            else None,
        )
        row = actions.reserve_parcel(
            parcel=parcel, enterprise=enterprise, project=project, actor=office, at=_moment(reserved)
        )
        figures.reservations += 1
        if stage == "requested":
            continue
        row = actions.approve_reservation(
            reservation=row,
            actor=office,
            expected_version=row.version,
            at=_moment(reserved + dt.timedelta(days=1), 15),
        )
        if stage == "approved":
            continue
        starts = reserved + dt.timedelta(days=5)
        row = actions.list_reservation(
            reservation=row,
            actor=office,
            expected_version=row.version,
            listing_starts=starts,
            listing_ends=starts + dt.timedelta(days=20),
            at=_moment(starts - dt.timedelta(days=1)),
        )
        if stage == "listed":
            continue
        dealt = starts + dt.timedelta(days=21)
        price = (parcel.price * Decimal(1 + rng.randint(0, 12) / 100)).quantize(Decimal("0.01"))
        row = actions.deal_reservation(
            reservation=row,
            actor=office,
            expected_version=row.version,
            deal_price=price,
            contract_no=f"湘潭高新出让〔{dealt.year}〕{figures.reservations:03d}号",
            at=_moment(dealt),
        )
        if stage == "dealt":
            continue
        handed = dealt + dt.timedelta(days=30)
        row = actions.hand_over_reservation(
            reservation=row, actor=office, expected_version=row.version, at=_moment(handed)
        )
        if stage == "handed_over":
            continue
        parcel.refresh_from_db()
        actions.mark_parcel_built(
            parcel=parcel,
            actor=office,
            expected_version=parcel.version,
            at=_moment(handed + dt.timedelta(days=200)),
        )
    for parcel in Parcel.objects.filter(jurisdiction=park):
        figures.parcels += 1
        figures.area_mu += parcel.area_mu
        figures.by_state[parcel.state] = figures.by_state.get(parcel.state, 0) + 1
    assert all(s in ParcelStatus.values for s in figures.by_state)
    return figures
