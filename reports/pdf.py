"""Turn the annual report's context into a PDF with WeasyPrint (the one place that does)."""

import gc
import mimetypes
from pathlib import Path

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "/static/"


def report_html(context: dict) -> str:
    return render_to_string(
        "reports/annual/report.html",
        {**context, "partnership_name": settings.PARTNERSHIP_NAME, "for_pdf": True},
    )


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint may read our own static files and nothing else (no network, no file system)."""

    def fetch(self, url, headers=None):
        path = url.split("://", 1)[-1]
        path = path[path.find(STATIC_PREFIX) :] if STATIC_PREFIX in path else ""
        found = _static_file(path[len(STATIC_PREFIX) :]) if path.startswith(STATIC_PREFIX) else None
        if not found:
            raise ValueError(f"The report may only use the portal's static files, not {url!r}.")
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, headers={"Content-Type": mimetypes.guess_type(found)[0] or ""})


def _static_file(name: str) -> str | None:
    """A static file by the name a page links to: the source file, or the collected (fingerprinted) copy."""
    if not name or ".." in name.split("/"):
        return None
    found = finders.find(name)
    if found:
        return found
    collected = Path(settings.STATIC_ROOT, name)
    return str(collected) if collected.is_file() else None


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """The PDF bytes and its number of pages.

    Laying out builds a few million short-lived objects (boxes, styles, text layouts), freed by reference
    counting; the cyclic collector, set off again and again by so many allocations, would walk all the
    report's live boxes each time for nothing (a fifth of the layout time). So it rests while WeasyPrint works.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        document = weasyprint.HTML(
            string=html, base_url="http://portal.invalid/", url_fetcher=StaticOnlyFetcher()
        ).render()
        return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)
    finally:
        if collecting:
            gc.enable()
