"""The pages of the guided incident form, as data: key, title, and when the page applies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from incidents import flowchart
from incidents.models import Incident


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    applies: Callable[[Incident], bool] = lambda incident: True


PAGES: tuple[Page, ...] = (
    Page("when", "When and where"),
    Page("what", "What happened"),
    Page("questions", "The flow chart questions"),
    Page("nudes", "Nudes and semi-nudes", lambda incident: incident.category == flowchart.NUDES_CATEGORY),
    Page("people", "People involved"),
    Page("review", "Check and submit"),
)
KEYS = [page.key for page in PAGES]


def pages_for(incident: Incident) -> list[Page]:
    return [page for page in PAGES if page.applies(incident)]


def page(key: str) -> Page | None:
    return next((p for p in PAGES if p.key == key), None)


def next_page(incident: Incident, key: str) -> Page | None:
    pages = pages_for(incident)
    keys = [p.key for p in pages]
    index = keys.index(key) if key in keys else -1
    return pages[index + 1] if index + 1 < len(pages) else None


def previous_page(incident: Incident, key: str) -> Page | None:
    pages = pages_for(incident)
    keys = [p.key for p in pages]
    index = keys.index(key) if key in keys else 0
    return pages[index - 1] if index > 0 else None


def reachable(incident: Incident, key: str) -> bool:
    """A reporter may open any page up to the furthest they have saved, plus the next one."""
    if key not in [p.key for p in pages_for(incident)]:
        return False
    reached = KEYS.index(incident.step_reached) if incident.step_reached in KEYS else 0
    return KEYS.index(key) <= reached


def resume_page(incident: Incident) -> str:
    """The furthest page the reporter has opened that still applies (a change of category can drop one)."""
    reached = KEYS.index(incident.step_reached) if incident.step_reached in KEYS else 0
    applicable = [p.key for p in pages_for(incident) if KEYS.index(p.key) <= reached]
    return applicable[-1] if applicable else "when"


def resume_url(incident: Incident) -> str:
    """Where the reporter carries on with this draft."""
    return reverse("incidents:page", args=[incident.pk, resume_page(incident)])


def later(a: str, b: str) -> str:
    """The further of two page keys."""
    return a if KEYS.index(a) >= KEYS.index(b) else b
