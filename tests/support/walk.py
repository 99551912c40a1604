"""Walk the portal as a person does: from the home page, every link, then one page of each kind found there.

A *kind* of page is its URL name (``incidents:detail``): the walk opens the first few links of each kind
it meets (``per_kind``), so it sees every list and a few object pages of each sort (a past meeting and a
future one, say, which offer different links) whatever the size of the data. It works
with Django's test client (in-process) and with ``requests`` against a running server, through a
``fetch(path) -> Page`` function. Django's own admin is entered at its index only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve


@dataclass
class Page:
    path: str
    status: int
    content_type: str
    body: bytes
    final: str = ""  # where redirects ended, when they were followed

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


# Never followed: leaving the session, and pages that change something when opened (none should).
NOT_FOLLOWED = {"logout", "login", "password_reset", "two_factor_disable"}


def kind_of(path: str) -> str | None:
    """The URL name of a path of the portal, or None for static files and anything outside it."""
    if path.startswith(("/static/", "/media/")):
        return None
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


@dataclass
class Walk:
    """The pages one person opened, in order, by kind."""

    pages: list[Page] = field(default_factory=list)
    kinds: dict[str, list[str]] = field(default_factory=dict)  # kind -> the paths opened for it
    linked_from: dict[str, str] = field(default_factory=dict)  # path -> the page whose link was followed

    def html_pages(self) -> list[Page]:
        return [p for p in self.pages if p.status == 200 and p.is_html]


def walk(fetch: Callable[[str], Page], *, start: str = "/", per_kind: int = 3, limit: int = 600) -> Walk:
    """Open ``start``, then breadth-first every link to a kind of page opened fewer than ``per_kind`` times."""
    done = Walk()
    queue = [start]
    seen_paths = {start}
    while queue and len(done.pages) < limit:
        path = queue.pop(0)
        kind = kind_of(path)
        if kind is None or len(done.kinds.get(kind, ())) >= per_kind or kind.split(":")[-1] in NOT_FOLLOWED:
            continue
        page = fetch(path)
        done.pages.append(page)
        done.kinds.setdefault(kind, []).append(path)
        if not (page.status == 200 and page.is_html) or kind.startswith("admin:"):
            continue
        for href in links(page.text):
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site, mailto:, tel:, or an in-page anchor
            if href not in seen_paths:
                seen_paths.add(href)
                done.linked_from[href] = path
                queue.append(href)
    return done


# --- what a page must never show ---------------------------------------------------------------

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S | re.I)
JUNK = [
    (re.compile(r"\{\{|\}\}|\{%|%\}"), "template tags written out"),
    (re.compile(r">\s*(None|nan|NaN|null|undefined)\s*<"), "a Python/JS empty value shown as text"),
    (re.compile(r"\[object Object\]"), "a JavaScript object shown as text"),
    (re.compile(r"Traceback \(most recent call last\)|TemplateSyntaxError|VariableDoesNotExist"), "an error"),
]


def junk_in(html: str) -> list[str]:
    """What in the page is template junk rather than content (scripts and styles aside)."""
    visible = _SCRIPT_OR_STYLE.sub("", html)
    found = []
    for pattern, what in JUNK:
        match = pattern.search(visible)
        if match:
            start = max(match.start() - 60, 0)
            found.append(f"{what}: …{visible[start : match.end() + 60]!r}…")
    return found
