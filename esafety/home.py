"""The home page is made of sections, one per part of the work, each shown to whom it concerns.

Each entry names a function ``(user) -> dict | None``; the dict has a ``template`` to
include and the context it needs. ``None`` means the section does not concern this user.

Each section is rendered on its own (its template sees only ``section``) and kept, rendered, in the
cache (``esafety.figures``) for its user, their role and the day, until a write
changes one of the areas named beside it: the register is always among them, since who champions or
works for which agency decides what a section shows. A section whose areas are ``None`` is worked out
on every request.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from esafety import figures

HOME_SECTIONS = [
    # First for board members: the year's summary and what changed since the Board last met.
    (
        "reports.home.section",
        (figures.REPORTS, figures.ESIG, figures.PLAN, figures.AUDITS, figures.INCIDENTS, figures.REGISTER),
    ),
    ("champions.home.section", (figures.REGISTER,)),
    ("audits.home.section", (figures.AUDITS, figures.REGISTER)),
    ("incidents.home.section", (figures.INCIDENTS, figures.REGISTER)),
    ("actionplan.home.section", (figures.PLAN, figures.REGISTER)),
    ("esig.home.section", (figures.ESIG, figures.REGISTER)),
    ("locations.home.section", (figures.LOCATIONS, figures.REGISTER)),
]


def _rendered(function, user) -> str:
    """The section as HTML (empty when it does not concern the user): its template sees only ``section``."""
    section = function(user)
    return render_to_string(section["template"], {"section": section}) if section else ""


def sections_for(user) -> list[str]:
    """The sections that concern the user, each rendered: a cached one is served as it was rendered."""
    sections = []
    today = timezone.localdate()
    for dotted, areas in HOME_SECTIONS:
        function = import_string(dotted)
        if areas is None:
            html = _rendered(function, user)
        else:
            html = figures.cached(
                f"home:{dotted}",
                lambda f=function: _rendered(f, user),
                areas=areas,
                scope=(user.pk, user.role, today),
            )
        if html:
            sections.append(html)
    return sections
