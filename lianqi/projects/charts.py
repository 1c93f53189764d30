"""Bar charts of the monthly report drawn as PNG pictures for the Word document (Pillow).

A chart is only worth printing if its labels can be read: the labels are Chinese, so a CJK font
file must be found on the system (`LIANQI_PDF_FONT`, then Noto CJK, then Debian's WenQuanYi and
AR PL fonts). Without one `font_path()` is None and the report keeps its tables without charts.
The PDF draws the same charts as vector bars (`lianqi.core.pdf`), from the same numbers."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from lianqi.core.pdf import SERIES_COLOURS

#: CJK font files Pillow can read (FreeType reads OpenType CFF as well as TrueType), in order.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
#: The picture's size in pixels (twice what it is printed at, so it stays sharp on paper).
WIDTH, HEIGHT = 1600, 760
#: Longest category label drawn in full; a longer one is cut with an ellipsis.
LABEL_CHARS = 8


@cache
def font_path() -> str | None:
    """The first CJK font file that can be loaded, or None when there is none."""
    configured = getattr(settings, "LIANQI_PDF_FONT", "")
    for path in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if not Path(path).is_file():
            continue
        try:
            ImageFont.truetype(path, 12)
        except OSError:
            continue
        return path
    return None


def _step(top: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about five ticks up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart_png(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | float]]]
) -> bytes | None:
    """A grouped bar chart (one group per label, one bar per series, a legend and a value axis)
    as PNG bytes, or None when no CJK font is installed."""
    path = font_path()
    if path is None:
        return None
    text = ImageFont.truetype(path, 22)
    heading = ImageFont.truetype(path, 30)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 16), title, font=heading, fill="#1d2731")
    # The legend, right-aligned on the title's line.
    x = WIDTH - 20
    for index, (name, _values) in reversed(list(enumerate(series))):
        x -= int(draw.textlength(name, font=text))
        draw.text((x, 22), name, font=text, fill="#1d2731")
        x -= 34
        draw.rectangle((x, 24, x + 24, 46), fill=SERIES_COLOURS[index % len(SERIES_COLOURS)])
        x -= 24
    left, right, top, bottom = 150, WIDTH - 30, 80, HEIGHT - 70
    highest = max((float(v) for _name, values in series for v in values), default=0.0)
    step = _step(highest)
    ceiling = step * max(1, math.ceil(highest / step))
    tick = 0.0
    while tick <= ceiling + step / 2:
        y = bottom - (bottom - top) * tick / ceiling
        draw.line((left, y, right, y), fill="#e3e8ee", width=1)
        label = f"{tick:,.0f}" if step >= 1 else f"{tick:,.2f}"
        draw.text((left - 12, y), label, font=text, fill="#5b6670", anchor="rm")
        tick += step
    draw.line((left, top, left, bottom), fill="#5b6670", width=2)
    draw.line((left, bottom, right, bottom), fill="#5b6670", width=2)
    if labels:
        group = (right - left) / len(labels)
        bar = group * 0.7 / max(1, len(series))
        for position, label in enumerate(labels):
            start = left + group * position + group * 0.15
            for index, (_name, values) in enumerate(series):
                height = (bottom - top) * float(values[position]) / ceiling
                x0 = start + bar * index
                if height > 0:
                    draw.rectangle(
                        (x0, bottom - height, x0 + bar - 2, bottom),
                        fill=SERIES_COLOURS[index % len(SERIES_COLOURS)],
                    )
            centre = left + group * position + group / 2
            draw.text((centre, bottom + 12), _short(label), font=text, fill="#1d2731", anchor="ma")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
