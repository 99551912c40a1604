"""Server-rendered SVG charts, the same in the web pages and in the PDF.

Every chart carries its numbers as text and a <title>/<desc>, so it never relies on
colour alone and reads out to a screen reader; pages put a data table beside it.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

# Colours with at least 3:1 contrast against white; the words carry the meaning.
PALETTE = ["#1d3f6e", "#b35c00", "#2e7d32", "#6a1b9a", "#00695c", "#8d2c2c", "#455a64", "#9e7700"]
RAG_COLOURS = {"red": "#b3261e", "amber": "#9a6700", "green": "#2e7d32", "blue": "#1a5fb4"}


@dataclass
class Bar:
    label: str
    value: float
    colour: str = PALETTE[0]
    text: str | None = None  # shown after the bar; defaults to the value


def bar_chart(bars: list[Bar], *, title: str, width: int = 560, bar_height: int = 22, label_width: int = 210) -> str:
    """Horizontal bars with their label and value written beside each."""
    top = 8
    height = top + len(bars) * (bar_height + 8) + 8
    largest = max((b.value for b in bars), default=0) or 1
    # Leave room after the longest bar for its value, written out (about 7 px a character).
    longest_text = max((len(b.text if b.text is not None else f"{b.value:g}") for b in bars), default=4)
    room = max(80, width - label_width - 12 - 7 * longest_text)
    rows = []
    for index, bar in enumerate(bars):
        y = top + index * (bar_height + 8)
        length = max(0.0, bar.value) / largest * room
        text = bar.text if bar.text is not None else f"{bar.value:g}"
        rows.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" font-size="12">'
            f"{escape(_clip(bar.label, 34))}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{bar.colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="12">{escape(text)}</text>'
        )
    return _svg(title, width, height, "".join(rows))


def stacked_bar_chart(
    rows: list[tuple[str, list[tuple[str, int, str]]]], *, title: str, width: int = 560, label_width: int = 190
) -> str:
    """One horizontal stacked bar per row: segments (name, count, colour), counts written inside, a legend below."""
    bar_height, gap, top = 22, 10, 8
    totals = [sum(count for _name, count, _colour in segments) for _label, segments in rows]
    largest = max(totals, default=0) or 1
    room = width - label_width - 50
    legend = list(dict.fromkeys((name, colour) for _label, segments in rows for name, _count, colour in segments))
    parts = []
    for index, (label, segments) in enumerate(rows):
        y = top + index * (bar_height + gap)
        baseline = y + bar_height * 0.7
        parts.append(
            f'<text x="{label_width - 8}" y="{baseline:.1f}" text-anchor="end" font-size="12">{escape(_clip(label, 30))}</text>'
        )
        x = float(label_width)
        for _name, count, colour in segments:
            length = count / largest * room
            if count:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>')
            if length >= 16:
                parts.append(
                    f'<text x="{x + length / 2:.1f}" y="{baseline:.1f}" text-anchor="middle" font-size="11" '
                    f'fill="#fff">{count}</text>'
                )
            x += length
        parts.append(f'<text x="{x + 6:.1f}" y="{baseline:.1f}" font-size="12">{totals[index]}</text>')
    legend_y = top + len(rows) * (bar_height + gap) + 6
    x = label_width
    for name, colour in legend:
        parts.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{legend_y + 10}" font-size="11">{escape(name)}</text>')
        x += 28 + 7 * len(name)
    return _svg(title, width, legend_y + 22, "".join(parts))


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _svg(title: str, width: int, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )
