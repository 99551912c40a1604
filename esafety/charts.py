"""The portal's charts: SVG drawn by Django templates, the same on the web pages and in the PDF report.

Each function here works out the shapes and their coordinates from figures and returns a dict;
the template named in its ``template`` key draws them (``templates/charts/``), so every label is
auto-escaped like the rest of a page. A page writes ``{% include chart.template with chart=chart %}``.

Charts never rely on colour alone: bars carry their numbers and words as text and a <title>, RAG
segments also carry a pattern, radar series a stroke style, and pages put a table of the same
figures beside each chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# --- colours ---------------------------------------------------------------------------------

# The one RAG palette (action plan dashboard, RAG badges, PDF report). Every fill has at least
# 4.5:1 contrast with the white text written on it, and so more than 3:1 against a white page.
# static/css/portal.css and report.css repeat these values for the badges and the PDF's text.
RAG = {
    "red": {"fill": "#b3261e", "ink": "#ffffff", "pattern": "hatch"},
    "amber": {"fill": "#9a6700", "ink": "#ffffff", "pattern": "dots"},
    "green": {"fill": "#2e7d32", "ink": "#ffffff", "pattern": ""},
    "blue": {"fill": "#1a5fb4", "ink": "#ffffff", "pattern": "rows"},
}

# Bars that are not RAG: at least 3:1 against white (most 4.5:1); the words carry the meaning.
PALETTE = ["#1d3f6e", "#b35c00", "#2e7d32", "#6a1b9a", "#00695c", "#8d2c2c", "#455a64", "#7a5f00"]

TEXT = "#212529"


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# --- horizontal bars -------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: float
    colour: str = PALETTE[0]
    text: str | None = None  # written after the bar; defaults to the value


def bar_chart(
    bars: list[Bar], *, chart_id: str, title: str, width: int = 560, bar_height: int = 22, label_width: int = 210
) -> dict:
    """Horizontal bars with their label and value written beside each."""
    top, gap = 8, 8
    largest = max((b.value for b in bars), default=0) or 1
    texts = [b.text if b.text is not None else f"{b.value:g}" for b in bars]
    # Leave room after the longest bar for its value, written out (about 7 px a character).
    room = max(80, width - label_width - 12 - 7 * max((len(t) for t in texts), default=4))
    rows = []
    for index, (bar, text) in enumerate(zip(bars, texts, strict=True)):
        y = top + index * (bar_height + gap)
        length = max(0.0, bar.value) / largest * room
        rows.append(
            {
                "y": y,
                "baseline": round(y + bar_height * 0.7, 1),
                "label": _clip(bar.label, 34),
                "full_label": bar.label,
                "length": round(length, 1),
                "colour": bar.colour,
                "text": text,
                "text_x": round(label_width + length + 6, 1),
            }
        )
    return {
        "template": "charts/bar.svg.html",
        "id": chart_id,
        "title": title,
        "width": width,
        "height": top + len(bars) * (bar_height + gap) + gap,
        "bar_x": label_width,
        "label_x": label_width - 8,
        "bar_height": bar_height,
        "rows": rows,
        "text": TEXT,
    }


# --- RAG status per priority (action plan) ---------------------------------------------------

RAG_LABEL_WIDTH = 110
RAG_BAR_WIDTH = 520
RAG_ROW_HEIGHT = 34
RAG_BAR_HEIGHT = 24
RAG_TOP = 30


def rag_bar_chart(rows: list[dict], *, chart_id: str = "rag-chart") -> dict:
    """Stacked horizontal bars, one per priority (rows of ``actionplan.selectors.rag_by_priority``)."""
    from actionplan.models import STATUS_WORDS, Status

    largest = max((row["total"] for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        y = RAG_TOP + index * RAG_ROW_HEIGHT
        x = RAG_LABEL_WIDTH
        segments = []
        for status in Status.values:
            count = row[status]
            if not count:
                continue
            width = RAG_BAR_WIDTH * count / largest
            segments.append(
                {
                    "status": status,
                    "x": round(x, 1),
                    "width": round(width, 1),
                    **RAG[status],
                    "count": count,
                    "word": STATUS_WORDS[status],
                    "text_x": round(x + width / 2, 1),
                    # The number goes inside the bar only where it fits; the <title> always has it.
                    "show_text": width >= 22,
                }
            )
            x += width
        bars.append(
            {
                "y": y,
                "text_y": y + RAG_BAR_HEIGHT / 2 + 5,
                # Priority titles are long and often start alike: the number tells them apart; the
                # table beside the chart and each bar's <title> give the full title.
                "label": f"Priority {row['priority'].number}",
                "title": str(row["priority"]),
                "segments": segments,
                "total": row["total"],
                "total_x": round(x + 6, 1),
            }
        )
    legend = [
        {"x": RAG_LABEL_WIDTH + i * 130, "status": s, **RAG[s], "word": STATUS_WORDS[s]}
        for i, s in enumerate(Status.values)
    ]
    return {
        "template": "charts/rag_bars.svg.html",
        "id": chart_id,
        "width": RAG_LABEL_WIDTH + RAG_BAR_WIDTH + 50,
        "height": RAG_TOP + len(rows) * RAG_ROW_HEIGHT + 10,
        "bars": bars,
        "legend": legend,
        "patterns": [{"status": s, **RAG[s]} for s in Status.values if RAG[s]["pattern"]],
        "bar_height": RAG_BAR_HEIGHT,
        "label_x": RAG_LABEL_WIDTH - 8,
        "text": TEXT,
    }


# --- radar (audit section scores) ------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]
    css: str  # one of radar-agency, radar-average, radar-benchmark (static/audits/audits.css)


RADAR_SIZE = 360
RADAR_CENTRE = RADAR_SIZE / 2
RADAR_RADIUS = 120
RADAR_MARGIN = 90  # room for the axis labels either side


def _point(index: int, count: int, score: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return RADAR_CENTRE + RADAR_RADIUS * score * math.cos(angle), RADAR_CENTRE + RADAR_RADIUS * score * math.sin(angle)


def _points(count: int, scores) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, s or 0) for i, s in enumerate(scores)))


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


def radar_chart(*, chart_id: str, title: str, axes: list[str], series: list[Series]) -> dict | None:
    """Scores from 0 (weakest, centre) to 1 (strongest, rim); needs at least three axes (fewer: None)."""
    count = len(axes)
    if count < 3:
        return None
    spokes = []
    for i, axis in enumerate(axes):
        x, y = _point(i, count, 1.0)
        lx, ly = _point(i, count, 1.18)
        lines = _wrap(axis)
        spokes.append(
            {
                "x": f"{x:.1f}",
                "y": f"{y:.1f}",
                "label_x": f"{lx:.1f}",
                "label_y": f"{ly:.1f}",
                "anchor": "middle" if abs(lx - RADAR_CENTRE) < 10 else ("start" if lx > RADAR_CENTRE else "end"),
                "shift": f"{-(len(lines) - 1) * 0.55 if ly < RADAR_CENTRE else 0:.2f}",
                "lines": [{"dy": "0" if n == 0 else "1.1em", "text": line} for n, line in enumerate(lines)],
            }
        )
    return {
        "template": "charts/radar.svg.html",
        "id": chart_id,
        "title": title,
        "view_box": f"{-RADAR_MARGIN} 0 {RADAR_SIZE + 2 * RADAR_MARGIN} {RADAR_SIZE}",
        "centre": RADAR_CENTRE,
        "rings": [_points(count, [ring] * count) for ring in (0.25, 0.5, 0.75, 1.0)],
        "spokes": spokes,
        "series": [
            {"label": s.label, "css": s.css, "points": _points(count, s.values)}
            for s in series
            if not all(v is None for v in s.values)
        ],
        "legend": series,
    }
