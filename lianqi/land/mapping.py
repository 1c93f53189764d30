"""The land map drawn server-side as one SVG from the parcels' own boundaries: no tiles, no
script, nothing fetched from elsewhere, so it works offline and under the strict content
policy. Plain Python (no Django import): rows in, markup out, every text escaped here.

The projection is equirectangular around the drawn area's middle latitude (x scaled by its
cosine), which is true to shape at a park's few kilometres."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

#: The drawing's width in SVG units; the height follows the area's shape.
WIDTH = 1000.0
MARGIN = 12.0


@dataclass(frozen=True)
class MapParcel:
    """What the map needs of a parcel: where it goes, its label and its colours."""

    pk: int
    code: str
    rings: Sequence[Sequence[Sequence[float]]]
    fill: str
    stroke: str
    url: str
    title: str
    dimmed: bool = False


def bounds(parcels: Iterable[MapParcel]) -> tuple[float, float, float, float] | None:
    west = south = math.inf
    east = north = -math.inf
    for parcel in parcels:
        for lon, lat, *_rest in parcel.rings[0]:
            west, east = min(west, lon), max(east, lon)
            south, north = min(south, lat), max(north, lat)
    if west == math.inf:
        return None
    return (west, south, east, north)


def render_svg(
    parcels: Sequence[MapParcel],
    *,
    label: str = "",
    codes: bool = True,
) -> str:
    """The parcels as an SVG: each a link to its page with its title as the tooltip, filled by
    `fill` and outlined by `stroke`; dimmed ones (filtered out) grey behind the others."""
    box = bounds(parcels)
    if box is None:
        return ""
    west, south, east, north = box
    k_lon = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * k_lon, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = (WIDTH - 2 * MARGIN) / span_x
    height = span_y * scale + 2 * MARGIN

    def xy(lon: float, lat: float) -> str:
        return f"{MARGIN + (lon - west) * k_lon * scale:.1f},{MARGIN + (north - lat) * scale:.1f}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
        f'role="img" aria-label="{escape(label)}" class="land-map" data-testid="land-map" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<rect x="0" y="0" width="{WIDTH:.0f}" height="{height:.0f}" fill="#f1f3f5"/>',
    ]
    ordered = sorted(parcels, key=lambda p: not p.dimmed)
    for parcel in ordered:
        path = " ".join("M" + " L".join(xy(p[0], p[1]) for p in ring[:-1]) + " Z" for ring in parcel.rings)
        if parcel.dimmed:
            fill, stroke, opacity = "#dee2e6", "#ced4da", "0.7"
        else:
            fill, stroke, opacity = parcel.fill, parcel.stroke, "0.85"
        dimmed = ' data-dimmed="1"' if parcel.dimmed else ""
        out.append(
            f'<a href="{escape(parcel.url)}" data-code="{escape(parcel.code)}"{dimmed}>'
            f"<title>{escape(parcel.title)}</title>"
            f'<path d="{path}" fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}" '
            f'stroke-width="1.5" fill-rule="evenodd"/>'
        )
        if codes and not parcel.dimmed:
            ring = parcel.rings[0]
            xs = [MARGIN + (p[0] - west) * k_lon * scale for p in ring]
            # The code in the parcel's middle, as large as its width allows (none if too narrow).
            size = min(11.0, (max(xs) - min(xs)) * 0.9 / (0.6 * max(len(parcel.code), 1)))
            if size >= 4.5:
                lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
                lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
                x, y = xy(lon, lat).split(",")
                out.append(
                    f'<text x="{x}" y="{y}" font-size="{size:.1f}" text-anchor="middle" '
                    f'dominant-baseline="middle" fill="#1a1b1e" pointer-events="none">{escape(parcel.code)}</text>'
                )
        out.append("</a>")
    out.append("</svg>")
    return "".join(out)
