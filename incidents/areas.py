"""The four areas of risk of online safety, and the area each incident category belongs to.

Keeping children safe in education (KCSIE, Department for Education, statutory guidance for
schools and colleges in England) groups the breadth of online-safety issues into four areas of
risk: content, contact, conduct and commerce. The descriptions below follow its wording.

This is data, versioned like the flow chart: every category belongs to exactly one area, so the
area figures always add up to the category figures. A category's meaning never changes once
incidents use it: to change the grouping, add a category (and retire the old one from the form
with ``RETIRED``), record the change in ``VERSION`` and ``HISTORY``, and old incidents keep the
category they were reported under.
"""

from __future__ import annotations

from django.db import models

from incidents.models import Category


class Area(models.TextChoices):
    CONTENT = "content", "Content"
    CONTACT = "contact", "Contact"
    CONDUCT = "conduct", "Conduct"
    COMMERCE = "commerce", "Commerce"


VERSION = "2"
SOURCE = "Keeping children safe in education (Department for Education), part two: online safety"
HISTORY = [
    ("1", "The categories of the partnership's first incident form, without areas of risk."),
    (
        "2",
        "Every category belongs to one of KCSIE's four areas of risk; categories added for misinformation, "
        "harmful content, peer pressure, gambling, scams and an 'other' per area; the single 'Other' retired "
        "(its old reports are counted under conduct).",
    ),
]

DESCRIPTIONS: dict[str, str] = {
    Area.CONTENT: "Being exposed to illegal, inappropriate or harmful content, for example pornography, fake news, "
    "racism, misogyny, self-harm, suicide, antisemitism, radicalisation and extremism, misinformation, "
    "disinformation and conspiracy theories.",
    Area.CONTACT: "Being subjected to harmful online interaction with other users, for example peer to peer "
    "pressure, commercial advertising, and adults posing as children or young adults to groom or exploit them "
    "for sexual, criminal, financial or other purposes.",
    Area.CONDUCT: "Online behaviour that increases the likelihood of, or causes, harm, for example making, sending "
    "and receiving explicit images (including the consensual and non-consensual sharing of nudes and semi-nudes "
    "and pornography), sharing other explicit images and online bullying.",
    Area.COMMERCE: "Risks such as online gambling, inappropriate advertising, phishing and financial scams.",
}

# Each category's area, in the order the figures list them (by area, then as below).
CATEGORY_AREAS: dict[str, str] = {
    Category.INAPPROPRIATE: Area.CONTENT,
    Category.ILLEGAL: Area.CONTENT,
    Category.HARMFUL_CONTENT: Area.CONTENT,
    Category.RADICALISATION: Area.CONTENT,
    Category.MISINFORMATION: Area.CONTENT,
    Category.OTHER_CONTENT: Area.CONTENT,
    Category.GROOMING: Area.CONTACT,
    Category.SEXTORTION: Area.CONTACT,
    Category.PEER_PRESSURE: Area.CONTACT,
    Category.OTHER_CONTACT: Area.CONTACT,
    Category.CYBERBULLYING: Area.CONDUCT,
    Category.NUDES: Area.CONDUCT,
    Category.STAFF_MISUSE: Area.CONDUCT,
    Category.OTHER_CONDUCT: Area.CONDUCT,
    # Version 1's catch-all: the reporter gave no area; conduct is the broadest of the four.
    Category.OTHER: Area.CONDUCT,
    Category.GAMBLING: Area.COMMERCE,
    Category.SCAMS: Area.COMMERCE,
    Category.IDENTITY: Area.COMMERCE,
    Category.OTHER_COMMERCE: Area.COMMERCE,
}

# Kept for the incidents reported under them, no longer offered to reporters.
RETIRED = frozenset({Category.OTHER})

AREA_LABELS = dict(Area.choices)
CATEGORY_LABELS = dict(Category.choices)


def area_label(category: str) -> str:
    """The name of the category's area of risk (content, contact, conduct or commerce); '' without a category."""
    return AREA_LABELS.get(area_of(category), "")


def area_of(category: str) -> str:
    """The area's code of a category ('' for an incident with no category yet)."""
    return CATEGORY_AREAS.get(category, "")


def categories_by_area() -> list[tuple[str, str, str]]:
    """(area code, category code, category label) for every category, grouped by area in area order."""
    order = {code: index for index, code in enumerate(Area.values)}
    rows = [(area, code, CATEGORY_LABELS[code]) for code, area in CATEGORY_AREAS.items()]
    return sorted(rows, key=lambda row: order[row[0]])


def categories_in(area: str) -> list[str]:
    return [code for code, in_area in CATEGORY_AREAS.items() if in_area == area]


def grouped_choices(*, include_retired: bool = False) -> list[tuple[str, list[tuple[str, str]]]]:
    """Category choices grouped under their area, for a radio list or select with option groups."""
    return [
        (
            AREA_LABELS[area],
            [
                (code, label)
                for in_area, code, label in categories_by_area()
                if in_area == area and (include_retired or code not in RETIRED)
            ],
        )
        for area in Area.values
    ]


def area_totals(category_counts: dict[str, int]) -> dict[str, int]:
    """Counts by category summed into their areas: the area totals are the category totals, regrouped."""
    totals = dict.fromkeys(Area.values, 0)
    for category, count in category_counts.items():
        if category in CATEGORY_AREAS:
            totals[CATEGORY_AREAS[category]] += count
    return totals


def explained() -> list[dict]:
    """Each area with its description and the categories in it (retired ones included: old reports use them)."""
    return [
        {
            "code": area,
            "label": AREA_LABELS[area],
            "description": DESCRIPTIONS[area],
            "categories": [CATEGORY_LABELS[code] for code in categories_in(area)],
        }
        for area in Area.values
    ]
