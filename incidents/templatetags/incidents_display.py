"""How an incident reads on a page: its area of risk, and where its reporter carries on with a draft."""

from django import template

from incidents import areas, wizard

register = template.Library()


@register.filter
def area_of_risk(category: str) -> str:
    """The name of the category's area of risk ('' without a category)."""
    return areas.area_label(category)


@register.filter
def resume_url(incident) -> str:
    """Where the reporter carries on with this draft."""
    return wizard.resume_url(incident)
