"""A server-rendered SVG bar chart of RAG counts per priority (no JavaScript chart library).

``rag_bar_chart`` turns the rows of ``selectors.rag_by_priority`` into shapes with their
coordinates; ``actionplan/_rag_chart.svg.html`` draws them. Each bar segment carries its
status word and count as text and a <title>, so the chart never relies on colour alone.
"""

from actionplan.models import STATUS_WORDS, Status

# Bootstrap's badge colours (as the RAG badges), with the text colour that passes WCAG AA on each.
COLOURS = {
    Status.RED: ("#dc3545", "#ffffff"),
    Status.AMBER: ("#ffc107", "#000000"),
    Status.GREEN: ("#198754", "#ffffff"),
    Status.BLUE: ("#0d6efd", "#ffffff"),
}

LABEL_WIDTH = 110
BAR_WIDTH = 520
ROW_HEIGHT = 34
BAR_HEIGHT = 24
TOP = 30


def rag_bar_chart(rows: list[dict]) -> dict:
    """Stacked horizontal bars, one per priority, scaled to the largest priority."""
    largest = max((row["total"] for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        x = LABEL_WIDTH
        segments = []
        for status in Status.values:
            count = row[status]
            if not count:
                continue
            width = BAR_WIDTH * count / largest
            fill, ink = COLOURS[status]
            segments.append(
                {
                    "x": round(x, 1),
                    "width": round(width, 1),
                    "fill": fill,
                    "ink": ink,
                    "count": count,
                    "word": STATUS_WORDS[status],
                    "text_x": round(x + width / 2, 1),
                    # Show the number inside the bar only where it fits.
                    "show_text": width >= 22,
                }
            )
            x += width
        title = str(row["priority"])
        bars.append(
            {
                "y": y,
                "text_y": y + BAR_HEIGHT / 2 + 5,
                # Priority titles are long and often start alike: the number tells them apart, and the
                # table below and each bar's <title> give the full title.
                "label": f"Priority {row['priority'].number}",
                "title": title,
                "segments": segments,
                "total": row["total"],
                "total_x": round(x + 6, 1),
            }
        )
    legend = [
        {"x": LABEL_WIDTH + i * 130, "fill": COLOURS[s][0], "word": STATUS_WORDS[s]}
        for i, s in enumerate(Status.values)
    ]
    return {
        "width": LABEL_WIDTH + BAR_WIDTH + 50,
        "height": TOP + len(rows) * ROW_HEIGHT + 10,
        "bars": bars,
        "legend": legend,
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
    }
