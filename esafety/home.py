"""The home page is made of sections, one per part of the work, each shown to whom it concerns.

Each entry names a function ``(user) -> dict | None``; the dict has a ``template`` to
include and the context it needs. ``None`` means the section does not concern this user.
"""

from django.utils.module_loading import import_string

HOME_SECTIONS = [
    # First for board members: the year's summary and what changed since the Board last met.
    "reports.home.section",
    "champions.home.section",
    "audits.home.section",
    "incidents.home.section",
    "actionplan.home.section",
    "esig.home.section",
    "locations.home.section",
]


def sections_for(user) -> list[dict]:
    sections = []
    for dotted in HOME_SECTIONS:
        section = import_string(dotted)(user)
        if section:
            sections.append(section)
    return sections
