from django import template
from django.utils import dateformat
from django.utils.html import format_html

register = template.Library()

# The RAG palette of esafety/charts.py (static/css/portal.css); the word is always printed on the badge.
RAG_BADGES = {"red": "rag-red", "amber": "rag-amber", "green": "rag-green", "blue": "rag-blue"}
OVERDUE_FLAG = format_html('<span class="badge text-bg-danger overdue-flag">{}</span>', "Overdue")


@register.filter
def rag_badge(status: str) -> str:
    return RAG_BADGES.get(status, "text-bg-secondary")


# Tags rather than included templates: the plan's tables write them on every row.


@register.simple_tag
def rag(status: str, label: str) -> str:
    """A status as a badge in the colour of the key, with its word."""
    return format_html('<span class="badge rag {}">{}</span>', rag_badge(status), label)


@register.simple_tag
def timescale(action) -> str:
    """When the action is due (or, if ongoing, when it is reviewed), flagged when it is overdue."""
    if action.ongoing:
        when = format_html("Ongoing, review {}", _day(action.review_on)) if action.review_on else "Ongoing"
    elif action.due_on:
        when = _day(action.due_on)
    else:
        when = format_html('<span class="text-body-secondary">{}</span>', "No timescale")
    return format_html("{} {}", when, OVERDUE_FLAG) if action.overdue else format_html("{}", when)


def _day(date) -> str:
    return dateformat.format(date, "j F Y")
