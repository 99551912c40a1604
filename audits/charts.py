"""Server-rendered SVG charts (no JavaScript): a radar chart of section scores.

Scores run from 0 (weakest) at the centre to 1 (strongest) at the rim. Each series is drawn
with its own stroke style as well as colour, and the chart carries a text description; the
page shows the same figures in a table beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]
    css: str  # one of radar-agency, radar-average, radar-benchmark (static/audits/audits.css)


SIZE = 360
CENTRE = SIZE / 2
RADIUS = 120
MARGIN = 90  # room for the axis labels either side


def _point(index: int, count: int, score: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTRE + RADIUS * score * math.cos(angle), CENTRE + RADIUS * score * math.sin(angle)


def _wrap(text: str, width: int = 18) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines[:3]


@lru_cache(maxsize=64)
def _radar_frame(axes: tuple[str, ...]) -> str:
    """The rings, spokes and labels: the same for every chart of a template, so drawn once."""
    count = len(axes)
    parts = []
    for ring in (0.25, 0.5, 0.75, 1.0):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, ring) for i in range(count)))
        parts.append(format_html('<polygon class="radar-grid" points="{}"/>', points))
    for i, axis in enumerate(axes):
        x, y = _point(i, count, 1.0)
        parts.append(
            format_html(
                '<line class="radar-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>', CENTRE, CENTRE, f"{x:.1f}", f"{y:.1f}"
            )
        )
        lx, ly = _point(i, count, 1.18)
        anchor = "middle" if abs(lx - CENTRE) < 10 else ("start" if lx > CENTRE else "end")
        lines = _wrap(axis)
        tspans = "".join(
            format_html('<tspan x="{}" dy="{}">{}</tspan>', f"{lx:.1f}", "0" if n == 0 else "1.1em", line)
            for n, line in enumerate(lines)
        )
        shift = -(len(lines) - 1) * 0.55 if ly < CENTRE else 0
        parts.append(
            format_html(
                '<text class="radar-label" x="{}" y="{}" text-anchor="{}" dy="{}em">{}</text>',
                f"{lx:.1f}",
                f"{ly:.1f}",
                anchor,
                f"{shift:.2f}",
                mark_safe(tspans),  # noqa: S308 - built from escaped parts above
            )
        )
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every value was escaped by format_html


def radar_svg(*, chart_id: str, title: str, axes: list[str], series: list[Series]) -> str:
    """An accessible SVG radar chart; needs at least three axes (fewer returns '')."""
    count = len(axes)
    if count < 3:
        return ""
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} 0 {} {}" class="radar" role="img" aria-labelledby="{}">',
            -MARGIN,
            SIZE + 2 * MARGIN,
            SIZE,
            chart_id,
        ),
        format_html('<title id="{}">{}</title>', chart_id, title),
    ]
    parts.append(_radar_frame(tuple(axes)))
    for s in series:
        if all(v is None for v in s.values):
            continue
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, v or 0) for i, v in enumerate(s.values)))
        parts.append(format_html('<polygon class="{}" points="{}"><title>{}</title></polygon>', s.css, points, s.label))
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every value was escaped by format_html


def legend(series: list[Series]) -> str:
    items = "".join(
        format_html('<li><span class="radar-key {}" aria-hidden="true"></span> {}</li>', s.css, s.label) for s in series
    )
    return mark_safe(f'<ul class="radar-legend list-unstyled small">{items}</ul>')  # noqa: S308
