"""One way to draw charts: the web pages and the Board's PDF show the same figures in the same RAG colours."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from esafety import charts
from reports.pdf import html_to_pdf, report_html
from reports.sections import ReportPeriod, gather
from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db
WHITE = "#ffffff"


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("status", list(charts.RAG))
def test_each_rag_colour_meets_wcag_contrast(status):
    colour = charts.RAG[status]
    assert contrast(colour["fill"], WHITE) >= 3  # a bar or badge against the white page (non-text)
    assert contrast(colour["ink"], colour["fill"]) >= 4.5  # the count or word written on it


@pytest.mark.parametrize("status", list(charts.RAG))
def test_badges_and_the_pdf_use_the_charts_rag_colours(status):
    fill = charts.RAG[status]["fill"]
    portal = Path(settings.BASE_DIR, "static/css/portal.css").read_text()
    report = Path(settings.BASE_DIR, "static/css/report.css").read_text()
    assert re.search(rf"\.badge\.rag-{status} {{ background-color: {fill};", portal)
    assert re.search(rf"\.rag-{status} {{ color: {fill}; }}", report)


def _plan_with_every_status():
    plan = PlanFactory()
    first = PriorityFactory(plan=plan, number=1, title="Policy and leadership")
    second = PriorityFactory(plan=plan, number=2, title="Education & <training>")
    for status, priority, count in [("red", first, 3), ("amber", first, 1), ("green", second, 2), ("blue", second, 5)]:
        for _ in range(count):
            ActionFactory(objective=ObjectiveFactory(priority=priority), status=status)
    return plan


def _rag_svg(html: str) -> str:
    return re.search(r'<svg [^>]*class="chart rag-chart".*?</svg>', html, re.S).group(0)


def _texts(svg: str) -> list[str]:
    return [" ".join(t.split()) for t in re.findall(r"<(?:text|title)[^>]*>([^<]*)</", svg)]


def test_the_pdf_and_the_dashboard_draw_the_same_rag_chart(board_member, client_for):
    _plan_with_every_status()
    dashboard = _rag_svg(client_for(board_member).get(reverse("actionplan:dashboard")).content.decode())
    report = report_html(gather(ReportPeriod(timezone.localdate().year)))
    pdf_chart = _rag_svg(report)

    assert pdf_chart == dashboard  # same template, figures and colours
    texts = _texts(dashboard)
    assert "Priority 1" in texts and "Priority 2" in texts
    assert "1. Policy and leadership: 4 actions, 3 Red, 1 Amber" in texts
    assert "2. Education &amp; &lt;training&gt;: 7 actions, 2 Green, 5 Blue" in texts
    for status in ("red", "amber", "blue"):  # patterned as well as coloured; Green is the plain one
        assert f'fill="url(#rag-chart-{status})"' in dashboard
    assert set(re.findall(r'fill="(#[0-9a-f]{6})" stroke="#fff"', dashboard)) == {
        c["fill"] for c in charts.RAG.values()
    }

    # And the PDF as a person reads it carries the chart's labels and counts.
    pdf, _pages = html_to_pdf(report)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words = " ".join(text.decode().split())
    assert "Red Amber Green Blue" in words
    assert re.search(r"Priority 1 3 1 4\b", words) and re.search(r"Priority 2 2 5 7\b", words)
